// check's results cache: a warm run reports exactly what a run without the cache reports, edits and config changes
// invalidate it, and a damaged or foreign cache file is ignored (never trusted, never a crash).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FORMAT, CACHE_VERSION } from '../../src/load/cache.ts';
import { REPO, runCli } from '../helpers.ts';

let work: string;
beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'tfy-cache-')); });
afterEach(() => { rmSync(work, { recursive: true, force: true }); });

/** A copy of a fixture project to work on. */
function project(from: string): string {
  const dir = join(work, 'p');
  cpSync(from, dir, { recursive: true, filter: (src) => !/expected\.(out|json)$/.test(src) });
  return dir;
}

const cacheDir = () => join(work, 'cache');
/** The one cache file written into the cache folder. */
function cacheFile(): string {
  const files = readdirSync(cacheDir()).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return join(cacheDir(), files[0]);
}

/** The run record beside the cache file. */
const recordFile = () => cacheFile().replace(/\.jsonl$/, '.run.json');

async function both(dir: string, args: string[] = []) {
  const plain = await runCli(['check', ...args, '--no-cache', '--format', 'json'], dir);
  const cached = await runCli(['check', ...args, '--cache-location', `${cacheDir()}/`, '--format', 'json'], dir);
  return { plain, cached };
}

async function expectSameAsWithout(dir: string, args: string[] = []) {
  const { plain, cached } = await both(dir, args);
  expect(cached.stderr).toBe('');
  expect(cached.code).toBe(plain.code);
  expect(cached.stdout).toBe(plain.stdout);
  return plain;
}

const FIXTURE_PROJECTS = [
  ...readdirSync(join(REPO, 'fixtures', 'check')).map((n) => join('fixtures', 'check', n)),
  'examples/acme-gateway', 'fixtures/build/teams', 'fixtures/plan/composed',
];

describe('check with a cache', () => {
  for (const rel of FIXTURE_PROJECTS) {
    it(`${rel}: cold, warm and --no-cache runs report the same, in json and stylish`, async () => {
      const dir = project(join(REPO, rel));
      const cold = await expectSameAsWithout(dir);
      const file = cacheFile();
      const written = statSync(file).mtimeMs;
      const warm = await expectSameAsWithout(dir);
      expect(warm.stdout).toBe(cold.stdout);
      // Nothing changed, so nothing was written.
      expect(statSync(file).mtimeMs).toBe(written);
      const stylish = await runCli(['check', '--cache-location', `${cacheDir()}/`], dir);
      expect(stylish.stdout).toBe((await runCli(['check', '--no-cache'], dir)).stdout);
    });
  }

  it('keeps data and findings per file, and never a secret value', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    const raw = 'sk-proj-abcdefghijklmnopqrstuvwxT3BlbkFJabcdefghijklmnopqrstu';
    // In an account's credentials (a part the cache drops), and in a virtual model (kept whole).
    writeFileSync(join(dir, 'leaky.yaml'), `type: provider-account/openai\nname: leaky\nauth_data:\n  type: api-key\n  api_key: ${raw}\nintegrations: []\n`);
    writeFileSync(join(dir, 'leaky-vm.yaml'), `type: provider-account/virtual-model\nname: leaky-vm\nintegrations: []\nx_note: ${raw}\n`);
    const first = await expectSameAsWithout(dir);
    const flagged = (JSON.parse(first.stdout).diagnostics as { ruleId: string; file: string }[]).filter((d) => d.ruleId === 'no-raw-secrets').map((d) => d.file);
    expect(flagged).toEqual(expect.arrayContaining(['leaky.yaml', 'leaky-vm.yaml']));
    const text = readFileSync(cacheFile(), 'utf8');
    expect(text).not.toContain(raw);
    expect(text).not.toContain(raw.slice(8, 30));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ format: CACHE_FORMAT, version: CACHE_VERSION });
    const byFile = new Map(lines.slice(1).map((l) => [l.file, l]));
    expect(byFile.get('openai.yaml').docs[0].data.type).toBe('provider-account/openai');
    // The account keeps what the cross-file rules read, without its credentials; the virtual model keeps nothing
    // (what the cache would keep of it holds the key) and is parsed again on every run.
    expect(byFile.get('leaky.yaml')).toMatchObject({ compact: true, docs: [{ data: { type: 'provider-account/openai', name: 'leaky', integrations: [] } }] });
    expect(byFile.get('leaky.yaml').lint.length).toBeGreaterThan(0);
    expect(byFile.get('leaky-vm.yaml').docs).toBeUndefined();
    expect(byFile.get('leaky-vm.yaml').lint.length).toBeGreaterThan(0);
    await expectSameAsWithout(dir);
    // After an edit elsewhere, both are reported as before: the account from its kept findings, the model read again.
    writeFileSync(join(dir, 'openai.yaml'), `${readFileSync(join(dir, 'openai.yaml'), 'utf8')}# edited\n`);
    await expectSameAsWithout(dir);
    await expectSameAsWithout(dir, ['openai.yaml']);
  });

  it('writes the cache and the run record as ASCII, values beyond it escaped, and reads them back the same', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    // Accents, a character beyond the BMP, a line separator; and a name the schema rejects, so the record holds it.
    // (A virtual model: the cache keeps its data whole.)
    writeFileSync(join(dir, 'names.yaml'), 'type: provider-account/virtual-model\nname: café-😀\nintegrations: []\nx_note: "über\u2028Ω"\n');
    const first = await expectSameAsWithout(dir);
    expect(first.stdout).toContain('café-😀');
    for (const file of [cacheFile(), recordFile()]) {
      const bytes = readFileSync(file);
      expect(bytes.every((b) => b < 0x80), file).toBe(true);
    }
    const byFile = new Map(readFileSync(cacheFile(), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l)).map((l) => [l.file, l]));
    expect(byFile.get('names.yaml').docs[0].data).toMatchObject({ name: 'café-😀', x_note: 'über\u2028Ω' });
    // Read back: the record replays the same report; after an edit elsewhere the kept data serves the same findings.
    await expectSameAsWithout(dir);
    writeFileSync(join(dir, 'openai.yaml'), `${readFileSync(join(dir, 'openai.yaml'), 'utf8')}# edited\n`);
    await expectSameAsWithout(dir, ['openai.yaml']);
    await expectSameAsWithout(dir);
  });

  it('keeps no data JSON cannot hold exactly (.nan, .inf, -0.0): such a file is parsed again on every run', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    // A virtual model is kept whole; of an account, the cache would keep only its type, name and integrations.
    writeFileSync(join(dir, 'odd.yaml'), 'type: provider-account/virtual-model\nname: odd\nintegrations: []\nx_limits: [.inf, -.inf, .nan, -0.0, 1.5]\n');
    writeFileSync(join(dir, 'odd-account.yaml'), 'type: provider-account/openai\nname: odd-account\nintegrations: []\nx_limits: [.inf, -0.0]\n');
    await expectSameAsWithout(dir);
    const lines = readFileSync(cacheFile(), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
    const byFile = new Map(lines.map((l) => [l.file, l]));
    expect(byFile.get('odd.yaml').docs).toBeUndefined();
    expect(byFile.get('odd-account.yaml').docs[0].data).toEqual({ type: 'provider-account/openai', name: 'odd-account', integrations: [] });
    expect(byFile.get('openai.yaml').docs).toHaveLength(1);
    // A run naming another file takes the rest from the cache: this one is read again, not taken as nulls.
    await expectSameAsWithout(dir, ['openai.yaml']);
    await expectSameAsWithout(dir);
  });

  it('sees an edited file, a new file, a deleted file and a changed config', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    await expectSameAsWithout(dir);
    const openai = join(dir, 'openai.yaml');
    writeFileSync(openai, readFileSync(openai, 'utf8').replace('integrations:', 'integrations_typo: 1\nintegrations:'));
    const edited = await expectSameAsWithout(dir);
    expect(edited.stdout).toContain('integrations_typo');
    writeFileSync(join(dir, 'extra.yaml'), 'type: provider-account/openai\nname: Not_Valid\n');
    expect((await expectSameAsWithout(dir)).stdout).toContain('extra.yaml');
    rmSync(join(dir, 'extra.yaml'));
    expect((await expectSameAsWithout(dir)).stdout).not.toContain('extra.yaml');
    expect(readFileSync(cacheFile(), 'utf8')).not.toContain('"file":"extra.yaml"');
    // A config that turns a rule off: the kept findings of that rule must go.
    const before = JSON.parse((await expectSameAsWithout(dir)).stdout).diagnostics.map((d: { ruleId: string }) => d.ruleId);
    const rule = before.find((id: string) => id !== 'schema' && id !== 'yaml-syntax');
    if (rule) {
      writeFileSync(join(dir, 'tfy-lint.config.yaml'), `rules:\n  ${rule}: "off"\n`);
      const after = await expectSameAsWithout(dir);
      expect(JSON.parse(after.stdout).diagnostics.map((d: { ruleId: string }) => d.ruleId)).not.toContain(rule);
    }
  });

  it('a pre-commit run on one file, then a whole run, report as without the cache', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'compose-errors'));
    const files = readdirSync(join(dir, 'load-balancing'));
    await expectSameAsWithout(dir, [join('load-balancing', files[0])]);
    await expectSameAsWithout(dir);
    await expectSameAsWithout(dir, [join('load-balancing', files[files.length - 1])]);
  });

  describe('a damaged or foreign cache file is ignored and replaced', () => {
    const damages: [string, (text: string) => string][] = [
      ['garbage', () => 'not a cache at all\n\u0000\u0001'],
      ['empty', () => ''],
      ['truncated in the middle of a line', (t) => t.slice(0, Math.floor(t.length * 0.6))],
      ['another format', (t) => t.replace(CACHE_FORMAT, 'eslint-cache')],
      ['another version', (t) => t.replace(`"version":${CACHE_VERSION}`, '"version":999')],
      ['another build or config', (t) => t.replace(/"key":"[^"]*"/, '"key":"x"')],
      ['a malformed entry', (t) => t.replace(/"line":\d+/, '"line":0')],
      ['an entry of the wrong shape', (t) => t.replace(/"docs":\[/, '"docs":{"x":[')],
      ['a line that is not JSON', (t) => t.replace(/\n\{"file"/, '\n{"file":oops')],
      ['findings of a rule that does not exist', (t) => t.replace(/"ruleId":"(?!schema|yaml-syntax)[a-z-]+"/, '"ruleId":"no-such-rule"')],
      ['a finding moved to another file', (t) => t.replace(/("d":\{[^}]*?"file":")[^"]+"/, '$1elsewhere.yaml"')],
    ];
    for (const [name, damage] of damages) {
      it(name, async () => {
        const dir = project(join(REPO, 'fixtures', 'check', 'schema-errors'));
        const plain = await expectSameAsWithout(dir);
        const file = cacheFile();
        writeFileSync(file, damage(readFileSync(file, 'utf8')));
        // The run record alone would answer (nothing changed): without it the damaged cache is read.
        rmSync(recordFile());
        const after = await expectSameAsWithout(dir);
        expect(after.stdout).toBe(plain.stdout);
        // Rewritten whole and valid: the next run uses it as it is.
        const text = readFileSync(file, 'utf8');
        expect(JSON.parse(text.split('\n')[0])).toMatchObject({ format: CACHE_FORMAT, version: CACHE_VERSION });
        for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
        await expectSameAsWithout(dir);
      });
    }
    it('a file where the cache folder should be', async () => {
      const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
      writeFileSync(join(work, 'in-the-way'), 'a file, not a folder\n');
      const target = join(work, 'in-the-way', 'cache.jsonl');
      const run = await runCli(['check', '--cache-location', target, '--format', 'json'], dir);
      const plain = await runCli(['check', '--no-cache', '--format', 'json'], dir);
      expect(run.stdout).toBe(plain.stdout);
      expect(run.code).toBe(plain.code);
      // The run is right; the cache could not be written, which the user who chose the location is told.
      expect(run.stderr).toMatch(/^tfy-lint: warning: could not write the cache .*in-the-way.cache\.jsonl: E[A-Z]+\ntfy-lint: warning: could not write the run record .*in-the-way.cache\.run\.json: E[A-Z]+\n$/);
    });
  });

  describe('where the cache lives', () => {
    it('in node_modules/.cache/tfy-lint when the project has node_modules', async () => {
      const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
      mkdirSync(join(dir, 'node_modules'));
      await runCli(['check'], dir, { HOME: join(work, 'home') });
      const files = readdirSync(join(dir, 'node_modules', '.cache', 'tfy-lint')).sort();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/^check-[0-9a-f]{16}\.jsonl$/);
      expect(files[1]).toBe(files[0].replace(/\.jsonl$/, '.run.json'));
      expect(existsSync(join(work, 'home'))).toBe(false);
    });
    it('in the user cache folder otherwise (XDG_CACHE_HOME, else ~/.cache)', async () => {
      const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
      await runCli(['check'], dir, { XDG_CACHE_HOME: join(work, 'xdg'), HOME: join(work, 'home') });
      expect(readdirSync(join(work, 'xdg', 'tfy-lint'))).toHaveLength(2);
      await runCli(['check'], dir, { HOME: join(work, 'home') });
      expect(readdirSync(join(work, 'home', '.cache', 'tfy-lint'))).toHaveLength(2);
    });
    it('nowhere with --no-cache, or when no cache folder is known', async () => {
      const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
      mkdirSync(join(dir, 'node_modules'));
      const run = await runCli(['check', '--no-cache'], dir, { HOME: join(work, 'home') });
      expect(run.code).toBe(0);
      expect(existsSync(join(dir, 'node_modules', '.cache'))).toBe(false);
      expect(existsSync(join(work, 'home'))).toBe(false);
      rmSync(join(dir, 'node_modules'), { recursive: true });
      expect((await runCli(['check'], dir)).code).toBe(0); // no HOME: nothing written, nothing lost
    });
    it('in the file --cache-location names', async () => {
      const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
      await runCli(['check', '--cache-location', 'my.cache'], dir);
      expect(JSON.parse(readFileSync(join(dir, 'my.cache'), 'utf8').split('\n')[0]).format).toBe(CACHE_FORMAT);
      // It is not a manifest: the next run does not read it as one.
      expect((await runCli(['check', '--cache-location', 'my.cache'], dir)).stdout).toMatch(/no problems \(4 files/);
    });
  });

  it.each([
    [['--cache', '--no-cache'], 'use either --cache or --no-cache, not both'],
    [['--no-cache', '--cache-location', 'x'], '--cache-location has no use with --no-cache'],
    [['--cache-location', 'cache.yaml'], 'must not name a YAML file'],
  ])('%j is a usage error', async (args, message) => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    const run = await runCli(['check', ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
