// tfy-lint plan and dump end to end, in process, against the fake platform on 127.0.0.1 and against snapshots.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, type CliRun } from '../helpers.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

const EXAMPLE = 'examples/acme-gateway';
const SNAPSHOT = 'examples/acme-gateway-live.json';
const RAW_KEY = 'sk-proj-QwErTyUiOpAsDfGhJkLzXcVbNm0123456789T3BlbkFJ';
const SECRETS = [DEFAULT_TOKEN, RAW_KEY, RAW_KEY.slice(8, 40)];

let fake: FakePlatform;
let env: Record<string, string>;
let scratch: string;

const snapshotManifests = (): Record<string, unknown>[] =>
  (JSON.parse(readFileSync(join(REPO, SNAPSHOT), 'utf8')).resources as { manifest: Record<string, unknown> }[]).map((r) => r.manifest);

/** Runs the CLI and checks that neither the API key nor a raw secret value is in any output or file written. */
async function cli(argv: string[], cwd = REPO, extraEnv: Record<string, string | undefined> = env): Promise<CliRun> {
  const run = await runCli(argv, cwd, { TFY_LINT_BACKOFF_MS: '1', ...extraEnv });
  for (const text of [run.stdout, run.stderr, ...run.written.values()]) for (const s of SECRETS) expect(text).not.toContain(s);
  return run;
}

/** A plan's JSON without what depends on where the live state came from (its source and the platform's ids). */
function comparable(json: string) {
  const plan = JSON.parse(json);
  delete plan.live.source;
  for (const c of plan.changes) delete c.liveId;
  return plan;
}

beforeAll(async () => {
  fake = await FakePlatform.start({ maxPageSize: 4 });
  fake.seed(snapshotManifests());
  env = { TFY_BASE_URL: `${fake.url}/`, TFY_API_KEY: DEFAULT_TOKEN };
  scratch = mkdtempSync(join(tmpdir(), 'tfy-plan-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => { fake.clearFaults(); fake.log.length = 0; });

describe('tfy-lint plan: where the live state comes from', () => {
  it.each([
    [{}, 'tfy-lint: plan: no live state to compare with: set TFY_BASE_URL (or TFY_HOST) and TFY_API_KEY, pass --base-url, or give --live-state FILE (a snapshot written by tfy-lint dump --json)\n'],
    [{ TFY_API_KEY: DEFAULT_TOKEN }, 'tfy-lint: plan: TFY_API_KEY is set but no control-plane URL: set TFY_BASE_URL (or TFY_HOST) or pass --base-url\n'],
    [{ TFY_HOST: 'https://acme.truefoundry.cloud' }, 'tfy-lint: plan: no API key for https://acme.truefoundry.cloud: set TFY_API_KEY\n'],
  ])('without a usable source (%j) it says so and exits 2', async (e, stderr) => {
    const run = await cli(['plan', EXAMPLE], REPO, e);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr });
  });

  it('reports an unreadable or invalid snapshot in one line', async () => {
    expect((await cli(['plan', EXAMPLE, '--live-state', 'nope.json'])).stderr).toBe('tfy-lint: cannot read the live state nope.json: no such file\n');
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{"version": 3, "resources": []}');
    const run = await cli(['plan', EXAMPLE, '--live-state', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tfy-lint: the live state .*bad\.json cannot be used: unsupported snapshot version 3 \(this tfy-lint reads version 1; write it with tfy-lint dump --json\)\n$/);
  });

  it('the same plan against the platform as against the snapshot dump --json wrote, with one list call per kind', async () => {
    const dump = await cli(['dump', '--json']);
    expect(dump.code).toBe(0);
    const saved = join(scratch, 'live.json');
    writeFileSync(saved, dump.stdout);
    fake.log.length = 0;
    const fromApi = await cli(['plan', EXAMPLE, '--format', 'json']);
    // One call per kind the repository holds, plus pages: 8 provider accounts at 4 a page (2 full pages, then the
    // empty one that ends the list, since the total is only a hint), one per gateway config type.
    const paths = fake.log.map((r) => `${r.path}${r.query.offset ? `@${r.query.offset}` : ''}`);
    expect(paths.filter((p) => p.startsWith('/api/svc/v1/provider-accounts')).sort()).toEqual(['/api/svc/v1/provider-accounts@0', '/api/svc/v1/provider-accounts@4', '/api/svc/v1/provider-accounts@8']);
    const configs = paths.filter((p) => p.startsWith('/api/svc/v1/llm-gateway/config/'));
    expect(new Set(configs).size).toBe(configs.length);
    expect(configs.length + 3).toBe(paths.length);
    const fromFile = await cli(['plan', EXAMPLE, '--format', 'json', '--live-state', saved]);
    const fromBundled = await cli(['plan', EXAMPLE, '--format', 'json', '--live-state', SNAPSHOT]);
    expect(comparable(fromApi.stdout)).toEqual(comparable(fromFile.stdout));
    expect(comparable(fromApi.stdout)).toEqual(comparable(fromBundled.stdout));
    expect(JSON.parse(fromApi.stdout).changes.length).toBeGreaterThan(0);
    const text = await cli(['plan', EXAMPLE]);
    const textFromFile = await cli(['plan', EXAMPLE, '--live-state', saved]);
    const body = (s: string) => s.slice(s.indexOf('\n', s.indexOf('Live state:')));
    expect(body(text.stdout)).toBe(body(textFromFile.stdout));
    expect(text.stdout).toMatch(new RegExp(`\nLive state: ${fake.url}; \\d+ resources of \\d+ types compared\\.\n`));
  });
});

describe('tfy-lint plan --prune', () => {
  it('also reads what may route to a deleted account, and stops a delete that would break it', async () => {
    const run = await cli(['plan', EXAMPLE, '--prune', '--format', 'json']);
    expect(fake.log.map((r) => r.path)).toContain('/api/svc/v1/llm-gateway/config/gateway-load-balancing-config');
    const plan = JSON.parse(run.stdout);
    expect(plan.changes.filter((c: { action: string }) => c.action === 'delete').map((c: { name: string }) => c.name)).toEqual(['openai-legacy']);
    expect(plan.diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'plan').map((d: { file: string; message: string }) => `${d.file}: ${d.message}`)).toEqual([
      'live:gateway-load-balancing-config: provider-account/openai "openai-legacy" is deleted by this plan (--prune), but the live gateway-load-balancing-config (not in the repository) still routes to "openai-legacy/gpt-4"',
    ]);
    expect(run.code).toBe(1);
    // A repository of teams only reads provider accounts too, under --prune (nothing of theirs is deleted).
    fake.log.length = 0;
    const teams = join(scratch, 'teams-only');
    mkdirSync(teams, { recursive: true });
    writeFileSync(join(teams, 'platform.yaml'), 'type: team\nname: platform\nmembers: [ana@acme.example, raj@acme.example]\n');
    const t = await cli(['plan', teams, '--prune']);
    expect(fake.log.map((r) => r.path)).toContain('/api/svc/v1/provider-accounts');
    expect(t.stdout).toContain('No changes.');
  });
});

describe('tfy-lint plan: a platform that misbehaves', () => {
  it('retries 5xx, 429 with Retry-After, dropped connections and slow answers, and plans the same', async () => {
    const clean = await cli(['plan', EXAMPLE, '--format', 'json']);
    fake.log.length = 0;
    fake.inject({ path: '/api/svc/v1/provider-accounts', status: 503 });
    fake.inject({ path: '/api/svc/v1/provider-accounts', status: 429, retryAfter: '0' });
    fake.inject({ path: '/api/svc/v1/llm-gateway/config/gateway-budget-config', drop: true });
    fake.inject({ path: '/api/svc/v1/llm-gateway/config/gateway-rate-limiting-config', delayMs: 1500 });
    const run = await cli(['plan', EXAMPLE, '--format', 'json', '--timeout', '0.5']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(comparable(run.stdout)).toEqual(comparable(clean.stdout));
    expect(fake.log.filter((r) => r.path === '/api/svc/v1/provider-accounts' && r.query.offset === '0').map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it('gives up with one line and exit 2 when the platform keeps failing', async () => {
    fake.inject({ path: '/api/svc/v1/provider-accounts', status: 500, times: 100 });
    const run = await cli(['plan', EXAMPLE, '--retries', '2']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('tfy-lint: GET /api/svc/v1/provider-accounts: 500 Internal Server Error: injected fault 500 (after 3 attempts)\n');
  });

  it('a refused key: the status and the platform\'s message, never the key, even when the platform echoes it', async () => {
    const wrong = await cli(['plan', EXAMPLE], REPO, { ...env, TFY_API_KEY: 'tfy-wrong-key-abcdefgh' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('tfy-lint: GET /api/svc/v1/provider-accounts: 401 Unauthorized: Unauthorized: the API key is missing, invalid or expired; check TFY_API_KEY (it may be missing, mistyped or expired)\n');
    fake.inject({ path: '/api/svc/v1/provider-accounts', status: 403, body: { statusCode: 403, message: `token ${DEFAULT_TOKEN} may not list provider accounts` } });
    const echoed = await cli(['plan', EXAMPLE]);
    expect(echoed.stderr).toBe('tfy-lint: GET /api/svc/v1/provider-accounts: 403 Forbidden: token *** may not list provider accounts; the API key lacks the permission to read this; ask for a role that can read it\n');
  });

  it('with --detailed-exitcode: 2 for changes, 0 for none, 1 for any error', async () => {
    expect((await cli(['plan', EXAMPLE, '--detailed-exitcode'])).code).toBe(2);
    const unchanged = join(REPO, 'fixtures', 'plan', 'unchanged');
    expect((await cli(['plan', 'repo', '--live-state', 'live.json', '--detailed-exitcode'], unchanged)).code).toBe(0);
    fake.inject({ path: '/api/svc/v1/provider-accounts', status: 500, times: 100 });
    const failing = await cli(['plan', EXAMPLE, '--detailed-exitcode', '--retries', '0']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^tfy-lint: GET \/api\/svc\/v1\/provider-accounts: 500/);
    expect((await cli(['plan', EXAMPLE, '--detailed-exitcode', '--format', 'xml'])).code).toBe(1);
  });
});

describe('tfy-lint plan: output', () => {
  it('does not read the platform when the project has errors; the findings are as check reports them', async () => {
    const broken = join(REPO, 'fixtures', 'check', 'schema-errors');
    const check = await cli(['check'], broken);
    const run = await cli(['plan'], broken);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(check.stdout);
    expect(run.stderr).toMatch(/^tfy-lint: plan not computed: \d+ errors in the project \(fix them, then plan again\)\n$/);
    expect(fake.log).toEqual([]);
    const json = JSON.parse((await cli(['plan', '--format', 'json'], broken)).stdout);
    expect(json).toMatchObject({ version: 1, computed: false, changes: [] });
    expect(json.diagnostics.length).toBeGreaterThan(0);
  });

  it('--out saves the plan with fingerprints, the commit and the tool version', async () => {
    const run = await cli(['plan', EXAMPLE, '--out', 'tmp/plan.json', '--format', 'json']);
    const saved = JSON.parse(run.written.get(join(REPO, 'tmp', 'plan.json')) as string);
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
    expect(saved).toMatchObject({ version: 1, kind: 'tfy-lint/plan', tool: { name: 'tfy-lint', version }, repository: { root: EXAMPLE } });
    // The commit of the checkout the tests run in; a copy without .git (and outside any repository) has none.
    expect(saved.repository.commit).toBe(headCommit(REPO));
    expect(saved.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(saved.liveFingerprint).toBe(JSON.parse(run.stdout).liveFingerprint);
    expect(Object.keys(saved.live.resourceFingerprints)).toContain('provider-account/openai/openai-main');
    const update = saved.changes.find((c: { name: string }) => c.name === 'openai-main');
    expect(update.liveFingerprint).toBe(saved.live.resourceFingerprints['provider-account/openai/openai-main']);
    expect(update.before.integrations).toBeDefined();
    expect(update.after.integrations).toBeDefined();
  });

  it('never prints a raw secret the platform returns, in any format, nor the key', async () => {
    const leaky = await FakePlatform.start();
    try {
      const manifests = snapshotManifests().map((m) => (m.name === 'openai-main' ? { ...m, auth_data: { type: 'api-key', api_key: RAW_KEY } } : m));
      leaky.seed(manifests);
      const e = { TFY_BASE_URL: leaky.url, TFY_API_KEY: DEFAULT_TOKEN };
      for (const format of ['text', 'json', 'markdown']) {
        const run = await cli(['plan', EXAMPLE, '--format', format, '--out', 'tmp/plan.json'], REPO, e);
        expect(run.stdout).toContain('<redacted:sk-p…BlbkFJ>'.replace('BlbkFJ', 'bkFJ'));
      }
      const dump = await cli(['dump', '--json'], REPO, e);
      expect(dump.stdout).toContain('"api_key": "<redacted:sk-p…bkFJ>"');
      const out = await cli(['dump', '--out', join(scratch, 'leaky')], REPO, e);
      expect(out.stderr).toContain('1 file hold secret values that are not tfy-secret:// references');
    } finally {
      await leaky.close();
    }
  });

  it('prints help', async () => {
    expect((await cli(['plan', '--help'])).stdout).toContain('--detailed-exitcode');
    expect((await cli(['dump', '--help'])).stdout).toContain('--out DIR');
    expect((await cli(['--help'])).stdout).toMatch(/plan \[PATH\.\.\.\][\s\S]*dump/);
  });
});

describe('tfy-lint dump', () => {
  /** Writes what a dump run wrote (captured by the test Io) to disk. */
  function materialise(run: CliRun) {
    for (const [path, text] of run.written) { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, text); }
  }

  it('--out writes one manifest per resource that check accepts, and planning it against the same state shows no changes', async () => {
    const dir = join(scratch, 'bootstrap');
    const run = await cli(['dump', '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Wrote 15 manifests to ${relative(REPO, dir)}/ from ${fake.url}.\n`);
    const files = [...run.written.keys()].map((p) => relative(dir, p)).sort();
    expect(files).toEqual([
      'budgets/tenant-budget-config/per-user-daily.yaml', 'budgets/tenant-budget-config/research-monthly.yaml', 'gateway/gateway-budget-config.yaml', 'gateway/gateway-load-balancing-config.yaml', 'gateway/gateway-rate-limiting-config.yaml',
      'guardrails/acme-guardrails.yaml', 'providers/aws-bedrock/bedrock-eu.yaml', 'providers/aws-bedrock/bedrock-us.yaml',
      'providers/groq/groq-sandbox.yaml', 'providers/openai/openai-legacy.yaml', 'providers/openai/openai-main.yaml',
      'providers/self-hosted-model/in-cluster.yaml', 'teams/platform.yaml', 'virtual-accounts/nightly-batch.yaml', 'virtual-models/chat.yaml',
    ]);
    const openai = run.written.get(join(dir, 'providers/openai/openai-main.yaml')) as string;
    expect(openai).toMatch(/^# Written by tfy-lint dump from http:\/\/127\.0\.0\.1:\d+\.\ntype: provider-account\/openai\nname: openai-main\n/);
    expect(openai).toContain('api_key: tfy-secret://acme:llm-keys:OPENAI_API_KEY');
    expect(openai).not.toMatch(/\b(id|fqn|createdAt|createdBySubject):/);
    materialise(run);
    const check = await cli(['check', dir, '--format', 'json']);
    expect(JSON.parse(check.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    const plan = await cli(['plan', dir, '--prune']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes. The platform matches the repository.');
    const fromSnapshot = await cli(['dump', '--live-state', SNAPSHOT, '--out', join(scratch, 'from-snapshot')]);
    expect([...fromSnapshot.written.keys()].map((p) => relative(join(scratch, 'from-snapshot'), p)).sort()).toEqual(files);
  });

  it('refuses to overwrite files unless --force', async () => {
    const dir = join(scratch, 'existing');
    mkdirSync(join(dir, 'teams'), { recursive: true });
    writeFileSync(join(dir, 'teams', 'platform.yaml'), 'mine\n');
    const run = await cli(['dump', '--out', dir, '--kind', 'team']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`tfy-lint: 1 file already exists (${dir}/teams/platform.yaml); pass --force to overwrite\n`);
    expect(run.written.size).toBe(0);
    const forced = await cli(['dump', '--out', dir, '--kind', 'team', '--force']);
    expect(forced.code).toBe(0);
    expect([...forced.written.keys()]).toEqual([join(dir, 'teams', 'platform.yaml')]);
  });

  it.each([
    [['dump'], 'tfy-lint: dump needs either --json (snapshot on stdout) or --out DIR (YAML manifests)\n'],
    [['dump', '--json', '--out', 'x'], 'tfy-lint: dump needs either --json (snapshot on stdout) or --out DIR (YAML manifests)\n'],
    [['dump', '--json', '--kind', 'roles'], /^tfy-lint: unknown --kind "roles"; use provider-account, /],
    [['dump', '--json', '--live-state', 'a.json', '--base-url', 'https://x'], 'tfy-lint: use either --live-state or --base-url, not both\n'],
  ])('%j is a usage error', async (argv, stderr) => {
    const run = await cli(argv as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(stderr);
  });
});

function headCommit(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}
