import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden, REPO, runCli } from '../helpers.ts';

const FIXTURES = join(REPO, 'fixtures', 'check');

describe('tfy-lint check: golden outputs', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, name);
    it(`${name}: stylish and json`, async () => {
      const run = await runCli(['check'], dir);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(golden(join(dir, 'expected.out'), run.stdout));
      const json = await runCli(['check', '--format', 'json'], dir);
      expect(json.stdout).toBe(golden(join(dir, 'expected.json'), json.stdout));
      const errors = JSON.parse(json.stdout).summary.errors;
      expect(run.code).toBe(errors > 0 ? 1 : 0);
    });
  }
});

describe('tfy-lint check: the bundled example', () => {
  it('is clean', async () => {
    const run = await runCli(['check', 'examples/acme-gateway'], REPO);
    expect(run.stdout).toMatch(/^✔ no problems \(\d+ files, \d+ documents checked\)\n$/);
    expect(run.code).toBe(0);
  });
});

describe('tfy-lint check: options and exit codes', () => {
  const broken = join(FIXTURES, 'schema-errors');
  it('reports only the files named, while reading the whole project', async () => {
    const run = await runCli(['check', 'openai.yaml', '--format', 'json'], broken);
    const files = new Set(JSON.parse(run.stdout).diagnostics.map((d: { file: string }) => d.file));
    expect([...files]).toEqual(['openai.yaml']);
    expect(run.code).toBe(1);
  });
  it('prints paths relative to the working directory', async () => {
    const run = await runCli(['check', 'fixtures/check/schema-errors/openai.yaml', '--format', 'github'], REPO);
    expect(run.stdout).toContain('file=fixtures/check/schema-errors/openai.yaml,line=2,col=7');
  });
  it('writes several formats in one run', async () => {
    const run = await runCli(['check', '-f', 'stylish', '-f', 'json', '-o', '-', '-o', 'out/report.json'], broken);
    expect(run.stdout).toContain('problems');
    const written = run.written.get(join(broken, 'out', 'report.json'));
    expect(JSON.parse(written as string).version).toBe(1);
  });
  it('--quiet drops warnings; --max-warnings and --fail-severity decide the exit code', async () => {
    const dir = join(FIXTURES, 'clean');
    expect((await runCli(['check', '--max-warnings', '0'], dir)).code).toBe(0);
    expect((await runCli(['check', '--fail-severity', 'info'], dir)).code).toBe(0);
  });
  it.each([
    [['check', '--bogus'], "tfy-lint: unknown option '--bogus'\n"],
    [['check', 'missing-dir'], 'tfy-lint: path not found: missing-dir\n'],
    [['check', '--format', 'xml'], 'tfy-lint: unknown --format "xml"; use stylish, json, github\n'],
    [['check', '--fail-severity', 'fatal'], 'tfy-lint: --fail-severity takes error, warning or info, not "fatal"\n'],
    [['check', '--max-warnings=-1'], 'tfy-lint: --max-warnings takes a whole number, not "-1"\n'],
    [['check', '--max-warnings', '-1'], 'tfy-lint: option \'--max-warnings\' needs a value; write --max-warnings=VALUE for a value that starts with "-"\n'],
    [['check', '-f', 'json', '-f', 'github'], 'tfy-lint: only one report can go to stdout; give the others an --output-file\n'],
    [['lint'], 'tfy-lint: unknown command "lint"; run tfy-lint --help\n'],
  ])('%j is a usage error', async (argv, stderr) => {
    const run = await runCli(argv, REPO);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr });
  });
  it('prints help and version', async () => {
    expect((await runCli(['--help'], REPO)).stdout).toContain('check [PATH...]');
    expect((await runCli(['check', '--help'], REPO)).stdout).toContain('--fail-severity');
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
    expect((await runCli(['--version'], REPO)).stdout).toBe(`${version}\n`);
  });
  it('skips files over --max-file-size with an error', async () => {
    const run = await runCli(['check', '--max-file-size', '100B', '--format', 'json'], join(FIXTURES, 'clean'));
    const out = JSON.parse(run.stdout);
    expect(out.diagnostics.length).toBeGreaterThan(1);
    expect(new Set(out.diagnostics.map((d: { ruleId: string }) => d.ruleId))).toEqual(new Set(['load']));
    expect(run.code).toBe(1);
  });
});

describe('tfy-lint check: config file', () => {
  const dir = join(FIXTURES, '..', 'config');
  it.each([
    ['bad-key', 'tfy-lint: invalid config tfy-lint.config.yaml:2:1: unknown property "ignroe" (did you mean "ignore"?)\n'],
    ['bad-yaml', 'tfy-lint: invalid config tfy-lint.config.yaml:2:1: duplicate key "ignore": a key may appear only once in a mapping\n'],
    ['bad-compose', 'tfy-lint: invalid config tfy-lint.config.yaml:4:11: "type" is "gateway-rate-limit-config", which is not allowed; expected one of "gateway-load-balancing-config", "gateway-rate-limiting-config", "gateway-budget-config" or "gateway-guardrails-config" (did you mean "gateway-rate-limiting-config"?)\n'],
  ])('%s stops the run with the position', async (name, stderr) => {
    const run = await runCli(['check'], join(dir, name));
    expect(run).toMatchObject({ code: 2, stdout: '', stderr });
  });
  it('ignore globs keep non-manifest YAML out', async () => {
    expect(existsSync(join(dir, 'ignores', 'helm', 'values.yaml'))).toBe(true);
    const run = await runCli(['check'], join(dir, 'ignores'));
    expect(run.stdout).toBe('✔ no problems (1 file, 1 document checked)\n');
    expect(run.code).toBe(0);
  });
  it('--config names another file', async () => {
    const run = await runCli(['check', '--config', 'configs/alt.yaml'], join(dir, 'ignores'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('helm/values.yaml');
  });
});

describe('tfy-lint check --config with another file', () => {
  const project = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfy-config-'));
    mkdirSync(join(dir, 'ci'));
    mkdirSync(join(dir, 'repo'));
    writeFileSync(join(dir, 'repo', 'openai.yaml'), readFileSync(join(REPO, 'fixtures', 'build', 'teams', 'providers', 'openai.yaml')));
    return dir;
  };
  it('a config inside the project is not read as a manifest', async () => {
    const dir = project();
    writeFileSync(join(dir, 'repo', 'lint-config.yaml'), 'ignore: [scratch/**]\n');
    const run = await runCli(['check', 'repo', '-c', 'repo/lint-config.yaml'], dir);
    expect(run).toMatchObject({ code: 0, stdout: '✔ no problems (1 file, 1 document checked)\n' });
    rmSync(dir, { recursive: true, force: true });
  });
  it('findings about a config outside the project name its real place', async () => {
    const dir = project();
    writeFileSync(join(dir, 'ci', 'lint.yaml'), 'compose:\n  - type: gateway-rate-limiting-config\n    name: t\n    from: [nothing/*.yaml]\n');
    const run = await runCli(['check', 'repo', '-c', 'ci/lint.yaml', '--format', 'github'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=ci\/lint\.yaml,line=4,col=12,/);
    rmSync(dir, { recursive: true, force: true });
  });
});
