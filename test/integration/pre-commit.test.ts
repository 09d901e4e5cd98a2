// PRE-COMMIT INTEGRATION TEST: drives the real `pre-commit` (Debian's package; .ci/run installs it when missing) over a
// temporary consumer repository whose .pre-commit-config.yaml points at a temporary copy of this repository as hook
// repository. pre-commit installs the hook as it would for a user: Node.js from PATH (language_version: system),
// `npm install` and `npm pack` of the hook repository (packages come from the npm registry or npm's cache), then runs
// `tfy-lint check`. Everything it writes (its cache, HOME, both repositories) lives in temporary folders.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';

/** Debian's pre-commit (python3 on PATH may be another interpreter without it). */
const PRE_COMMIT = existsSync('/usr/bin/pre-commit') ? '/usr/bin/pre-commit' : 'pre-commit';
/** What the hook repository needs to build and pack; the rest of the working tree (installed modules, builds) is left out. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'tmp', 'bench-corpus', 'coverage', '.vitest-report.json']);

const BROKEN_ONE = `type: provider-account/openai
name: openai-main
auth_data:
  type: api-key
  api_key: tfy-secret://acme:llm-keys:OPENAI
integrations:
  - type: integration/model/openai
    name: gpt-4o
    model_id: gpt-4o
    model_type: [chat]
`;
const FIXED_ONE = BROKEN_ONE.replace('model_type:', 'model_types:');
const BROKEN_TWO = `type: provider-account/anthropic
name: Anthropic_Main
`;
const FIXED_TWO = 'type: provider-account/anthropic\nname: anthropic-main\n';

let work = '';
let consumer = '';
let env: Record<string, string> = {};

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 840_000 });
}

function git(cwd: string, ...args: string[]) {
  const r = run('git', args, cwd);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function preCommit(...args: string[]) {
  git(consumer, 'add', '-A');
  const r = run(PRE_COMMIT, ['run', '--color', 'never', ...args], consumer);
  if (r.error) throw r.error;
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  const version = spawnSync(PRE_COMMIT, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`the pre-commit tests need the real pre-commit: apt-get install -y pre-commit (.ci/run does it)`);
  // npm's own cache is kept (it only saves downloads); everything else pre-commit, git and npm touch is temporary.
  const npmCache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
  work = mkdtempSync(join(tmpdir(), 'tfy-lint-pre-commit-'));
  const home = join(work, 'home');
  mkdirSync(home);
  // The user's environment (proxy and certificate settings included), less what the npm and git running this test set.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter((e): e is [string, string] => e[1] !== undefined && !/^(npm_|INIT_CWD$|GIT_|PRE_COMMIT|VITEST|NODE_OPTIONS$)/i.test(e[0])));
  env = {
    ...inherited,
    HOME: home,
    PRE_COMMIT_HOME: join(work, 'pre-commit-cache'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'tfy-lint test', GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'tfy-lint test', GIT_COMMITTER_EMAIL: 'test@example.com',
    ...(npmCache ? { npm_config_cache: npmCache } : {}),
  };
  // The hook repository: this repository's working files at their current state, as a fresh git repository (the
  // tests may run from a copy without .git, and uncommitted changes must be what is tested).
  const hookRepo = join(work, 'hook-repo');
  mkdirSync(hookRepo);
  for (const entry of readdirSync(REPO)) {
    if (!NOT_COPIED.has(entry)) cpSync(join(REPO, entry), join(hookRepo, entry), { recursive: true });
  }
  git(hookRepo, 'init', '-q');
  git(hookRepo, 'add', '-A');
  git(hookRepo, 'commit', '-q', '-m', 'tfy-lint under test');
  const rev = git(hookRepo, 'rev-parse', 'HEAD');

  consumer = join(work, 'consumer');
  mkdirSync(join(consumer, '.github', 'workflows'), { recursive: true });
  git(consumer, 'init', '-q');
  writeFileSync(join(consumer, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: tfy-lint\n`);
  writeFileSync(join(consumer, '.github', 'workflows', 'ci.yml'), 'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps: []\n');
  writeFileSync(join(consumer, 'one.yaml'), BROKEN_ONE);
  writeFileSync(join(consumer, 'two.yaml'), BROKEN_TWO);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pre-commit hook definition', () => {
  it('declares the tfy-lint hook as pre-commit expects it', () => {
    const hooks = parse(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    expect(hooks).toEqual([expect.objectContaining({
      id: 'tfy-lint', language: 'node', language_version: 'system', entry: 'tfy-lint check', files: '\\.ya?ml$', require_serial: true,
    })]);
    // npm pack must print only the tarball's name: the build run by prepare logs elsewhere.
    expect(readFileSync(join(REPO, '.npmrc'), 'utf8')).toMatch(/^foreground-scripts=false$/m);
  });
});

describe('pre-commit hook (real pre-commit, temporary repositories)', () => {
  it('--all-files fails on broken manifests with file:line:column, and leaves dot-files alone', () => {
    const r = preCommit('--all-files');
    expect(r.output).toContain('tfy-lint');
    expect(r.output).toContain('Failed');
    expect(r.output).toContain('one.yaml:10:5: error: unknown property "model_type"');
    expect(r.output).toMatch(/two\.yaml:2:7: error: "name" is "Anthropic_Main"/);
    expect(r.output).not.toContain('.pre-commit-config.yaml');
    expect(r.output).not.toContain('ci.yml');
    expect(r.code).toBe(1);
  }, 900_000);

  it('--files one.yaml reports only that file', () => {
    const r = preCommit('--files', 'one.yaml');
    expect(r.output).toContain('one.yaml:10:5: error');
    expect(r.output).not.toContain('two.yaml');
    expect(r.code).toBe(1);
  }, 300_000);

  it('passes once the manifests are fixed', () => {
    writeFileSync(join(consumer, 'one.yaml'), FIXED_ONE);
    writeFileSync(join(consumer, 'two.yaml'), FIXED_TWO);
    const r = preCommit('--all-files');
    expect(r.output).toMatch(/tfy-lint\.+Passed/);
    expect(r.code).toBe(0);
  }, 300_000);
});
