// tfy-lint apply end to end, in process, against the fake platform on 127.0.0.1 with referential integrity and faults.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { replaceDirAtomic, type Io } from '../../src/cli/io.ts';
import { REPO } from '../helpers.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

const EXAMPLE = join(REPO, 'examples', 'acme-gateway');
const RAW_KEY = 'sk-proj-QwErTyUiOpAsDfGhJkLzXcVbNm0123456789T3BlbkFJ';
const SECRETS = [DEFAULT_TOKEN, RAW_KEY, RAW_KEY.slice(8, 40)];

interface Run { code: number; stdout: string; stderr: string; written: Map<string, string> }

let fake: FakePlatform;
let scratch: string;
let project: string;

/** Runs the CLI in process; `stdin` is a terminal answering with that text when given. Checks that no secret leaks. */
async function cli(argv: string[], opts: { stdin?: string; env?: Record<string, string>; cwd?: string; url?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const stdin = opts.stdin === undefined ? undefined : Object.assign(Readable.from([opts.stdin]), { isTTY: true });
  const io: Io = {
    cwd: opts.cwd ?? project,
    env: { NO_COLOR: '1', TFY_LINT_BACKOFF_MS: '1', TFY_BASE_URL: opts.url ?? fake.url, TFY_API_KEY: DEFAULT_TOKEN, ...opts.env },
    ...(stdin ? { stdin } : {}),
    stdout: { write: (s) => { stdout += s; }, isTTY: false },
    stderr: { write: (s) => { stderr += s; }, isTTY: false },
    writeFile: (p, t) => { written.set(p, t); writeFileSync(p, t); },
    replaceDir: replaceDirAtomic,
  };
  const code = await main(argv, io);
  for (const text of [stdout, stderr, ...written.values()]) for (const s of SECRETS) expect(text).not.toContain(s);
  return { code, stdout, stderr, written };
}

/** The fake's stored state as comparable data (type/name -> manifest). */
function stored(): Record<string, unknown> {
  return Object.fromEntries(fake.allStored().map((m) => [`${String(m.type)}/${String(m.name)}`, m]));
}

/** Index of the first write of a resource in the fake's write log. */
function writeIndex(type: string, name: string, op: 'apply' | 'delete' = 'apply'): number {
  const i = fake.writes.findIndex((w) => w.type === type && w.name === name && w.op === op && !w.dryRun);
  expect(i, `${op} ${type} ${name} was written`).toBeGreaterThanOrEqual(0);
  return i;
}

async function restart(opts: Parameters<typeof FakePlatform.start>[0] = {}) {
  await fake?.close();
  fake = await FakePlatform.start({ maxPageSize: 4, ...opts });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tfy-apply-'));
});
beforeEach(async () => {
  await restart();
  project = join(scratch, `p${Math.random().toString(36).slice(2, 8)}`);
  cpSync(EXAMPLE, project, { recursive: true });
});
afterEach(() => { fake.clearFaults(); });
afterAll(async () => {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('tfy-lint apply: order and convergence', () => {
  it('creates everything in dependency order on an empty platform, converges, and a second run has nothing to do', async () => {
    const run = await cli(['apply', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Plan: 11 to add, 0 to change, 0 to destroy.');
    expect(run.stdout).toMatch(/\+ created provider-account\/openai "openai-main" \(\d+\.\d s\)\n/);
    expect(run.stdout).toContain('Apply complete: 11 added, 0 changed, 0 destroyed.\nConverged: the platform holds what was sent.\n');
    // The platform refuses a virtual model or config whose targets do not exist yet: it accepted all of them.
    const vm = writeIndex('provider-account/virtual-model', 'chat');
    for (const account of ['openai-main', 'anthropic-main']) expect(writeIndex(`provider-account/${account === 'openai-main' ? 'openai' : 'anthropic'}`, account)).toBeLessThan(vm);
    expect(writeIndex('provider-account/guardrail-config-group', 'acme-guardrails')).toBeLessThan(writeIndex('gateway-guardrails-config', 'tenant-guardrails'));
    expect(writeIndex('gateway-rate-limiting-config', 'tenant-rate-limits')).toBeGreaterThan(vm);
    fake.writes.length = 0;
    const again = await cli(['apply', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. The platform matches the repository.');
    expect(fake.writes).toEqual([]);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('updates and deletes (with --prune) in the order the references ask, even against the usual tiers', async () => {
    await cli(['apply', '--yes']);
    // A: the virtual model stops routing to bedrock-eu, which leaves the repository: the update goes first.
    dropBedrockEu('openai-main/gpt-4o-mini');
    fake.writes.length = 0;
    const run = await cli(['apply', '--yes', '--prune', '--format', 'json']);
    expect(run.stderr).toContain('Applying 2 changes in 2 dependency levels:');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ version: 1, status: 'applied', converged: true, summary: { applied: 2, failed: 0, notAttempted: 0 } });
    expect(report.results.map((r: { action: string; name: string }) => `${r.action} ${r.name}`)).toEqual(['update chat', 'delete bedrock-eu']);
    expect(fake.writes.map((w) => `${w.op} ${w.name}`)).toEqual(['apply chat', 'delete bedrock-eu']);
    expect(report.planFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    // B: openai-main drops gpt-4o-mini, which the virtual model stops routing to: the account (tier 1) waits for the
    // virtual model (tier 2), or the platform would refuse to remove an integration still routed to.
    const vm = join(project, 'virtual-models', 'chat.yaml');
    writeFileSync(vm, readFileSync(vm, 'utf8').replace('openai-main/gpt-4o-mini', 'anthropic-main/claude-sonnet-4-5'));
    const openai = join(project, 'providers', 'openai.yaml');
    writeFileSync(openai, readFileSync(openai, 'utf8').replace('  - type: integration/model/openai\n    name: gpt-4o-mini\n    model_id: gpt-4o-mini\n', ''));
    fake.writes.length = 0;
    const b = await cli(['apply', '--yes', '--prune']);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(fake.writes.map((w) => `${w.op} ${w.name}`)).toEqual(['apply chat', 'apply openai-main']);
    expect((await cli(['plan', '--prune', '--detailed-exitcode'])).code).toBe(0);
  });
});

/** Removes bedrock-eu from the project; the virtual model routes to `instead` where it routed to bedrock-eu. */
function dropBedrockEu(instead: string) {
  const bedrock = join(project, 'providers', 'bedrock.yaml');
  writeFileSync(bedrock, readFileSync(bedrock, 'utf8').split('\n---\n')[0]);
  const vm = join(project, 'virtual-models', 'chat.yaml');
  writeFileSync(vm, readFileSync(vm, 'utf8').replace('bedrock-eu/claude-sonnet-4-5', instead));
}

describe('the README', () => {
  it('the apply excerpt is what applying the bundled example to an empty platform prints (timings aside)', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Apply: make the platform equal to the repository'));
    const excerpt = /```\n(Applying[\s\S]*?)```/.exec(section)?.[1] as string;
    expect(excerpt).toBeDefined();
    const run = await cli(['apply', '--yes']);
    const times = (t: string) => t.replace(/\(\d+\.\d s\)/g, '(N s)');
    const lines = times(run.stdout).split('\n');
    let at = 0;
    for (const line of times(excerpt).split('\n').filter((l) => l && l !== '...')) {
      const found = lines.indexOf(line, at);
      expect(found, `README line "${line}" in the output, in order`).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
  });
});

describe('tfy-lint apply: faults', () => {
  it('retries 429 (Retry-After), 503, dropped connections and lost answers, and applies everything once', async () => {
    fake.inject({ method: 'PUT', path: '/api/svc/v1/apply', status: 429, retryAfter: '0' });
    fake.inject({ method: 'PUT', path: '/api/svc/v1/apply', status: 503 });
    fake.inject({ method: 'PUT', path: '/api/svc/v1/apply', drop: true });
    fake.inject({ method: 'PUT', path: '/api/svc/v1/apply', lose: true });
    const run = await cli(['apply', '--yes', '--concurrency', '1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Apply complete: 11 added, 0 changed, 0 destroyed.\nConverged');
    const puts = fake.log.filter((r) => r.method === 'PUT').map((r) => r.status);
    expect(puts.slice(0, 5)).toEqual([429, 503, -1, -2, 200]);
    expect(Object.keys(stored())).toHaveLength(11);
  });

  it('a delete whose answer was lost and that then gets 404 counts as done', async () => {
    await cli(['apply', '--yes']);
    dropBedrockEu('openai-main/gpt-4o-mini');
    fake.inject({ method: 'POST', path: '/api/svc/v1/delete', lose: true });
    const run = await cli(['apply', '--yes', '--prune']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/- deleted provider-account\/aws-bedrock "bedrock-eu" \(\d+\.\d s\): already gone when retried/);
    expect(fake.log.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([-2, 404]);
  });

  it('a permanent failure at change k stops the apply; the re-run does only what is left and converges', async () => {
    fake.refuse({ type: 'provider-account/virtual-model', name: 'chat', on: 'apply', status: 422, message: `model quota exceeded for key ${DEFAULT_TOKEN}` });
    const run = await cli(['apply', '--yes', '--concurrency', '1', '--out', 'report.json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8'));
    const statuses = report.results.map((r: { status: string }) => r.status);
    const k = statuses.indexOf('failed');
    expect(k).toBeGreaterThan(0);
    expect(statuses.slice(0, k).every((s: string) => s === 'applied')).toBe(true);
    expect(statuses.slice(k + 1).every((s: string) => s === 'not-attempted')).toBe(true);
    expect(report.results[k]).toMatchObject({ name: 'chat', status: 'failed', error: { status: 422, message: 'PUT /api/svc/v1/apply: 422 Unprocessable Entity: model quota exceeded for key ***' } });
    expect(report.converged).toBe(false);
    expect(run.stdout).toContain(`Apply failed: ${k} added, 0 changed, 0 destroyed; 1 failed, ${statuses.length - k - 1} not attempted.`);
    // What was not sent was not written.
    expect(Object.keys(stored())).toHaveLength(k);
    fake.clearFaults();
    fake.writes.length = 0;
    const rerun = await cli(['apply', '--yes']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`Plan: ${statuses.length - k} to add, 0 to change, 0 to destroy.`);
    expect(fake.writes).toHaveLength(statuses.length - k);
    expect(rerun.stdout).toContain('Converged');
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('tfy-lint apply: safety', () => {
  it('without --yes and without a terminal it prints the plan and refuses with exit 2, writing nothing', async () => {
    const run = await cli(['apply']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Plan: 11 to add');
    expect(run.stderr).toBe('tfy-lint: apply needs a confirmation and stdin is not a terminal: pass --yes to apply without asking; nothing was sent\n');
    expect(fake.writes).toEqual([]);
  });

  it('on a terminal it asks, and applies only after "yes"', async () => {
    const no = await cli(['apply'], { stdin: 'y\n' });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("Apply these changes? Only 'yes' is accepted: \nApply cancelled; nothing was sent.\n");
    expect(fake.writes).toEqual([]);
    const yes = await cli(['apply'], { stdin: 'yes\n' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('Apply complete: 11 added');
  });

  it('--dry-run sends creates and updates with dryRun: true, reports what the platform said, and stores nothing', async () => {
    const run = await cli(['apply', '--dry-run', '--concurrency', '1']);
    // Exit 1: the platform refused a change (below), though only because the dry run stored what it routes to.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\+ would create provider-account\/openai "openai-main": the platform accepts it \(CREATE\)/);
    expect(fake.allStored()).toEqual([]);
    expect(fake.writes.every((w) => w.dryRun)).toBe(true);
    // Without the accounts stored, the platform refuses the virtual model: a dry run reports it.
    expect(run.stdout).toMatch(/! failed to create provider-account\/virtual-model "chat": PUT \/api\/svc\/v1\/apply: 422/);
    // One refusal does not stop a dry run: every change gets the platform's verdict.
    expect(run.stdout).not.toContain('not attempted');
    expect(run.stdout).toMatch(/Dry run found problems: \d+ accepted by the platform, [1-9]\d* refused; nothing was written\.\n$/);
  });

  it('refuses a mass delete before any write unless --max-deletes allows it', async () => {
    await cli(['apply', '--yes']);
    const extra = Array.from({ length: 6 }, (_, i) => ({ type: 'provider-account/openai', name: `openai-old-${i}`, auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:llm-keys:GROQ' }, integrations: [] }));
    fake.seed(extra);
    fake.writes.length = 0;
    const run = await cli(['apply', '--yes', '--prune']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('tfy-lint: the plan deletes 6 resources (35 % of the 17 live resources of the project\'s types): more than 5 or 25 % is refused unless --max-deletes 6 (or more) is given\n');
    expect(fake.writes).toEqual([]);
    expect((await cli(['apply', '--yes', '--prune', '--max-deletes', '5'])).stderr).toContain('more than --max-deletes 5');
    const allowed = await cli(['apply', '--yes', '--prune', '--max-deletes', '6']);
    expect(allowed.code).toBe(0);
    expect(fake.writes.filter((w) => w.op === 'delete')).toHaveLength(6);
  });

  it('never changes or deletes a resource the config protects, and names it', async () => {
    await cli(['apply', '--yes']);
    writeFileSync(join(project, 'tfy-lint.config.yaml'), 'protect:\n  - provider-account/openai/*\n  - gateway-budget-config/*\n');
    const file = join(project, 'providers', 'openai.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('model_id: gpt-4o-mini', 'model_id: gpt-4o-mini-2024-07-18'));
    fake.writes.length = 0;
    const run = await cli(['apply', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('tfy-lint: provider-account/openai "openai-main" is protected (protect: "provider-account/openai/*" in the config): this plan would update it');
    expect(fake.writes).toEqual([]);
  });

  it('prints help', async () => {
    expect((await cli(['apply', '--help'])).stdout).toMatch(/--plan FILE[\s\S]*--max-deletes N[\s\S]*Exit codes: 0 applied/);
    expect((await cli(['--help'])).stdout).toContain('apply [PATH]');
  });

  it('refuses --live-state, a bad --max-deletes and a second folder', async () => {
    expect(await cli(['apply', '--live-state', 'x.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('apply always reads the platform') });
    expect((await cli(['apply', '--max-deletes', 'many'])).code).toBe(2);
    expect((await cli(['apply', 'a', 'b'])).code).toBe(2);
    expect(fake.log).toEqual([]);
  });

  it('stops before any request when the project has errors', async () => {
    writeFileSync(join(project, 'providers', 'broken.yaml'), 'type: provider-account/openai\nname: Bad Name\n');
    const run = await cli(['apply', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/apply not started: \d+ errors in the project/);
    expect(fake.log).toEqual([]);
  });
});

describe('tfy-lint apply --plan: saved plans', () => {
  async function savePlan(extra: string[] = []): Promise<string> {
    const run = await cli(['plan', '--out', 'plan.json', ...extra]);
    expect(run.code).toBe(0);
    return join(project, 'plan.json');
  }

  it('applies exactly the saved plan, not the working tree of the moment', async () => {
    await cli(['apply', '--yes']);
    const file = join(project, 'providers', 'openai.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('model_id: gpt-4o-mini', 'model_id: gpt-4o-mini-2024-07-18'));
    await savePlan();
    // Edited after the plan was saved: not applied.
    writeFileSync(file, readFileSync(file, 'utf8').replace('model_id: gpt-4o-mini-2024-07-18', 'model_id: something-else'));
    // A change elsewhere on the platform does not make the plan stale.
    fake.seed([{ type: 'provider-account/groq', name: 'groq-other', auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:k:GROQ' }, integrations: [] }]);
    fake.writes.length = 0;
    const run = await cli(['apply', '--plan', 'plan.json', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(fake.writes.map((w) => w.name)).toEqual(['openai-main']);
    const mini = (fake.stored('provider-account/openai', 'openai-main')?.integrations as { name: string; model_id: string }[]).find((i) => i.name === 'gpt-4o-mini');
    expect(mini?.model_id).toBe('gpt-4o-mini-2024-07-18');
  });

  it('refuses a stale plan (a resource it changes was modified since), naming it, and writes nothing', async () => {
    await cli(['apply', '--yes']);
    const file = join(project, 'providers', 'openai.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('model_id: gpt-4o-mini', 'model_id: gpt-4o-mini-2024-07-18'));
    await savePlan();
    const current = fake.stored('provider-account/openai', 'openai-main') as Record<string, unknown>;
    fake.seed([{ ...current, collaborators: [{ subject: 'team:someone', role_id: 'provider-account-access' }] }]);
    fake.writes.length = 0;
    const run = await cli(['apply', '--plan', 'plan.json', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('tfy-lint: stale plan: provider-account/openai "openai-main" was modified on the platform after the plan was saved (its fingerprint differs); plan again\n'
      + 'tfy-lint: apply refused: the saved plan is stale; nothing was sent\n');
    expect(fake.writes).toEqual([]);
  });

  it('refuses a saved plan whose delete something on the platform now routes to', async () => {
    await cli(['apply', '--yes']);
    dropBedrockEu('openai-main/gpt-4o-mini');
    await cli(['apply', '--yes']); // the virtual model stops routing to bedrock-eu; nothing is deleted yet
    expect((await cli(['plan', '--prune', '--out', 'plan.json'])).code).toBe(0);
    // Meanwhile another virtual model, not in the repository, starts routing to bedrock-eu.
    fake.seed([{ type: 'provider-account/virtual-model', name: 'side', integrations: [{ type: 'integration/model/virtual', name: 'x', routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target: 'bedrock-eu/claude-sonnet-4-5', weight: 100 }] } }] }]);
    fake.writes.length = 0;
    const run = await cli(['apply', '--plan', 'plan.json', '--prune', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('tfy-lint: provider-account/virtual-model "side" on the platform routes to "bedrock-eu/claude-sonnet-4-5", but the plan deletes bedrock-eu: plan again\n'
      + 'tfy-lint: apply refused; nothing was sent\n');
    expect(fake.writes).toEqual([]);
  });

  it('refuses a plan from another tool version or another control plane', async () => {
    const path = await savePlan();
    const plan = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(join(project, 'old.json'), JSON.stringify({ ...plan, tool: { name: 'tfy-lint', version: '0.0.1' } }));
    const old = await cli(['apply', '--plan', 'old.json', '--yes']);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^tfy-lint: the plan was saved by tfy-lint 0\.0\.1 and this is tfy-lint \S+: plan again with this version/);
    const other = await FakePlatform.start();
    try {
      const elsewhere = await cli(['apply', '--plan', 'plan.json', '--yes'], { url: other.url });
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toContain(`tfy-lint: the plan was computed against ${fake.url}, not ${other.url}`);
      expect(other.writes).toEqual([]);
    } finally {
      await other.close();
    }
    expect(fake.writes).toEqual([]);
    expect((await cli(['apply', '--plan', 'missing.json'])).stderr).toBe('tfy-lint: cannot read the plan missing.json: no such file\n');
  });
});

describe('tfy-lint apply: secrets', () => {
  it('never prints the API key or a secret value the platform holds or echoes, in text, JSON or the report file', async () => {
    await cli(['apply', '--yes']);
    fake.seed([{ type: 'provider-account/openai', name: 'openai-leaky', auth_data: { type: 'api-key', api_key: RAW_KEY }, integrations: [] }]);
    fake.refuse({ on: 'delete', status: 409, message: `cannot delete: key ${RAW_KEY} is in use (token ${DEFAULT_TOKEN})` });
    for (const format of ['text', 'json']) {
      const run = await cli(['apply', '--yes', '--prune', '--format', format, '--out', 'report.json']);
      expect(run.code).toBe(1);
      expect(`${run.stdout}${run.stderr}`).toContain('cannot delete: key');
    }
  });
});

describe('tfy-lint plan: a guard-only read the platform does not serve', () => {
  it('degrades to a warning that says what could not be checked', async () => {
    await cli(['apply', '--yes']);
    fake.inject({ path: '/api/svc/v1/mcp-servers', status: 404, times: 20 });
    const run = await cli(['plan', '--prune']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('could not read mcp-server');
    expect(run.stdout).toContain('No changes.');
    // apply too: the deletes go ahead, with the warning.
    dropBedrockEu('openai-main/gpt-4o-mini');
    const applied = await cli(['apply', '--prune', '--yes', '--format', 'json']);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain('tfy-lint: note: could not read mcp-server (the platform does not serve its list: GET /api/svc/v1/mcp-servers: 404 Not Found');
    expect(JSON.parse(applied.stdout).problems).toMatchObject([{ severity: 'warning', message: expect.stringContaining('whether mcp-server resources still route to what this plan deletes was not checked') }]);
    expect(fake.writes.filter((w) => w.op === 'delete').map((w) => w.name)).toEqual(['bedrock-eu']);
  });
});
