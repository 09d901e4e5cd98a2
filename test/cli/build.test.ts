import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeLiveState, liveResource, serializeSnapshot } from '../../src/live/state.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';
import { golden, REPO, runCli } from '../helpers.ts';

const TEAMS = join(REPO, 'fixtures', 'build', 'teams');
const EXPECTED = join(REPO, 'fixtures', 'build', 'teams.expected');
const ERRORS = join(REPO, 'fixtures', 'check', 'compose-errors');
let scratch: string;
beforeEach(() => { scratch = mkdtempSync(join(tmpdir(), 'tfy-build-')); });
afterEach(() => { rmSync(scratch, { recursive: true, force: true }); });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/')).sort();
}

describe('tfy-lint build --out', () => {
  it('writes the compiled state as the reviewed golden files, and check finds nothing in it', async () => {
    const out = join(scratch, 'out');
    const run = await runCli(['build', '--out', out], TEAMS);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`Built 2 resources into ${relative(TEAMS, out)}/ (1 composed config).\n`);
    const files = filesUnder(out);
    expect(files).toEqual(['.tfy-lint-build.json', 'gateway/gateway-rate-limiting-config.yaml', 'providers/openai/openai-main.yaml']);
    for (const f of files.filter((x) => x.endsWith('.yaml'))) {
      const text = readFileSync(join(out, f), 'utf8');
      if (process.env.UPDATE_GOLDEN === '1') mkdirSync(join(EXPECTED, f, '..'), { recursive: true });
      expect(text).toBe(golden(join(EXPECTED, f), text));
    }
    const check = await runCli(['check', out], scratch);
    expect(check).toMatchObject({ code: 0, stdout: '✔ no problems (2 files, 2 documents checked)\n' });
  });

  it('is deterministic and independent of where it runs', async () => {
    await runCli(['build', '--out', join(scratch, 'a')], TEAMS);
    await runCli(['build', 'fixtures/build/teams', '--out', join(scratch, 'b')], REPO);
    for (const f of filesUnder(join(scratch, 'a'))) expect(readFileSync(join(scratch, 'b', f), 'utf8')).toBe(readFileSync(join(scratch, 'a', f), 'utf8'));
  });

  it('writes nothing when the project has errors, and says why on stderr', async () => {
    const out = join(scratch, 'out');
    const run = await runCli(['build', '--out', out], ERRORS);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rate-limits/teams/b.yaml');
    expect(run.stderr).toContain('is unreachable');
    expect(run.stderr).toMatch(/tfy-lint: nothing built: 8 errors in the project \(fix them, then build again\)\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a folder that holds other files, and leaves it as it was', async () => {
    const out = join(scratch, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const run = await runCli(['build', '--out', out], TEAMS);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`tfy-lint: ${out} is not empty and was not written by tfy-lint build (it has no .tfy-lint-build.json); choose a new or empty folder\n`);
    expect(filesUnder(out)).toEqual(['notes.txt']);
  });

  it('replaces an earlier build as a whole: files of resources that are gone go too', async () => {
    const out = join(scratch, 'out');
    await runCli(['build', '--out', out], TEAMS);
    writeFileSync(join(out, 'providers', 'openai', 'removed-since.yaml'), 'type: team\n');
    expect((await runCli(['build', '--out', out], TEAMS)).code).toBe(0);
    expect(filesUnder(out)).toEqual(['.tfy-lint-build.json', 'gateway/gateway-rate-limiting-config.yaml', 'providers/openai/openai-main.yaml']);
    expect(readdirSync(scratch)).toEqual(['out']);
  });

  it('a build folder inside the project is not read as manifests by the next check', async () => {
    const project = join(scratch, 'project');
    mkdirSync(project);
    for (const f of filesUnder(TEAMS)) {
      mkdirSync(join(project, f, '..'), { recursive: true });
      writeFileSync(join(project, f), readFileSync(join(TEAMS, f)));
    }
    expect((await runCli(['build', '--out', 'build'], project)).code).toBe(0);
    const check = await runCli(['check'], project);
    expect(check).toMatchObject({ code: 0, stdout: '✔ no problems (5 files, 5 documents checked)\n' });
  });

  it('usage errors', async () => {
    expect((await runCli(['build'], TEAMS)).stderr).toBe('tfy-lint: build needs --out DIR (YAML manifests) or --format json (stdout)\n');
    expect((await runCli(['build', '--format', 'yaml'], TEAMS)).code).toBe(2);
    expect((await runCli(['build', 'providers/openai.yaml', '--format', 'json'], TEAMS)).stderr).toBe('tfy-lint: build takes the project folder, not files within it (it compiles the whole project)\n');
  });
});

describe('tfy-lint build --format json', () => {
  it('prints the same state as one JSON document, each resource with its sources', async () => {
    const run = await runCli(['build', '--format', 'json'], TEAMS);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(golden(join(REPO, 'fixtures', 'build', 'teams.expected.json'), run.stdout));
    const out = join(scratch, 'out');
    await runCli(['build', '--out', out], TEAMS);
    const json = JSON.parse(run.stdout) as { version: number; resources: { file: string; manifest: unknown; sources: { file: string }[] }[] };
    expect(json.version).toBe(1);
    for (const r of json.resources) expect(parse(readFileSync(join(out, r.file), 'utf8'), { version: '1.1' })).toEqual(r.manifest);
    expect(json.resources.find((r) => r.file.startsWith('gateway/'))?.sources.map((s) => s.file)).toEqual([
      'gateway/rate-limits/platform.yaml', 'gateway/rate-limits/teams/research.yaml', 'gateway/rate-limits/teams/search.yaml', 'gateway/rate-limits/defaults.yaml',
    ]);
  });
});

describe('plan consumes the compiled state', () => {
  const schemas = loadSchemaSet();
  async function snapshotOf(transform: (m: Record<string, unknown>) => Record<string, unknown> = (m) => m) {
    const built = JSON.parse((await runCli(['build', '--format', 'json'], TEAMS)).stdout) as { resources: { manifest: Record<string, unknown> }[] };
    const resources = built.resources.map((r, i) => liveResource(transform(r.manifest), schemas, { id: `id-${i}` })!);
    const file = join(scratch, 'live.json');
    writeFileSync(file, serializeSnapshot(makeLiveState('test', ['provider-account', 'gateway-rate-limiting-config'], resources)));
    return file;
  }
  it('a tenant holding exactly what build writes: no changes', async () => {
    const run = await runCli(['plan', '--live-state', await snapshotOf(), '--detailed-exitcode'], TEAMS);
    expect(run.stdout).toContain('No changes.');
    expect(run.code).toBe(0);
  });
  it('a rule in another place on the platform: a move, pointed at the composed config', async () => {
    const swapped = await snapshotOf((m) => {
      if (m.type !== 'gateway-rate-limiting-config') return m;
      const rules = [...(m.rules as unknown[])];
      [rules[1], rules[2]] = [rules[2], rules[1]];
      return { ...m, rules };
    });
    const run = await runCli(['plan', '--live-state', swapped], TEAMS);
    expect(run.stdout).toContain('~ update gateway-rate-limiting-config "tenant-rate-limits"  (gateway/rate-limits/platform.yaml:2 and 3 more fragments)\n'
      + '      ~ rules[id=search-mini]: moved from 2 to 3\n');
    expect(run.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
  });
});

describe('check on composed fragments', () => {
  it('a pre-commit run on one fragment reports what the composed list does to it, with the covering rule in the other file', async () => {
    const run = await runCli(['check', 'rate-limits/teams/b.yaml', '--format', 'json'], ERRORS);
    const ds = JSON.parse(run.stdout).diagnostics as { file: string; ruleId: string; message: string; related?: { file: string; line: number }[] }[];
    expect(new Set(ds.map((d) => d.file))).toEqual(new Set(['rate-limits/teams/b.yaml']));
    const shadow = ds.find((d) => d.ruleId === 'rule-shadowing' && d.message.startsWith('rule "b-also-a" is unreachable'));
    expect(shadow?.related).toEqual([expect.objectContaining({ file: 'rate-limits/teams/a.yaml', line: 4 })]);
  });
});

describe('the README\'s worked example', () => {
  it('shows the fixture\'s fragments and config as they are', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Compose and build'), readme.indexOf('## Output formats'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    const shown = new Map<string, unknown>();
    for (const block of blocks) {
      for (const part of block.split(/^---\n/m)) {
        const named = /^# ((?:gateway\/\S+|tfy-lint\.config\.yaml))/.exec(part);
        if (named) shown.set(named[1], parse(part, { version: '1.1' }));
      }
    }
    expect([...shown.keys()].sort()).toEqual([
      'gateway/rate-limits/defaults.yaml', 'gateway/rate-limits/platform.yaml', 'gateway/rate-limits/teams/research.yaml',
      'gateway/rate-limits/teams/search.yaml', 'tfy-lint.config.yaml',
    ]);
    for (const [file, data] of shown) expect(data, file).toEqual(parse(readFileSync(join(TEAMS, file), 'utf8'), { version: '1.1' }));
  });
});
