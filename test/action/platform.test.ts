// The Action's plan, apply and drift commands end to end: the committed bundle against the test platform and the
// local GitHub API, as the three documented workflows use them.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { FakeGithub } from '../support/fake-github.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';
import { annotations, runStep, type StepOptions, type StepRun } from '../support/runner.ts';
import { event, workspaceFrom } from './workspace.ts';

const GITHUB_TOKEN = 'ghs_workflowToken0123456789abcdefABCDEF';
const BOT = 'github-actions[bot]';
const snapshot = (): Record<string, unknown>[] =>
  (JSON.parse(readFileSync(join(REPO, 'examples', 'acme-gateway-live.json'), 'utf8')).resources as { manifest: Record<string, unknown> }[]).map((r) => r.manifest);

let gh: FakeGithub;
let tfy: FakePlatform;
let ws: string;

async function step(opts: Partial<StepOptions> & { inputs: Record<string, string> }): Promise<StepRun> {
  const run = await runStep({
    event: event('pull_request'), githubApiUrl: gh.url, githubToken: GITHUB_TOKEN, workspace: ws,
    ...opts,
    inputs: { path: 'gateway', 'tfy-base-url': tfy.url, 'tfy-api-key': DEFAULT_TOKEN, ...opts.inputs },
  });
  const secrets = [opts.inputs['tfy-api-key'] ?? DEFAULT_TOKEN, opts.inputs['github-token'] ?? GITHUB_TOKEN];
  expect(run.masked).toEqual(expect.arrayContaining(secrets));
  for (const secret of secrets) {
    expect(run.everything).not.toContain(secret);
    for (const list of gh.comments.values()) for (const c of list) expect(c.body).not.toContain(secret);
    for (const i of gh.issues) expect(i.body).not.toContain(secret);
  }
  return run;
}

beforeAll(async () => {
  gh = await FakeGithub.start();
  gh.tokens.set(GITHUB_TOKEN, { login: BOT, installation: true });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(async () => {
  if (tfy) await tfy.close();
  tfy = await FakePlatform.start({ maxPageSize: 4 });
  tfy.seed(snapshot());
  if (ws) rmSync(ws, { recursive: true, force: true });
  ws = workspaceFrom('examples/acme-gateway', 'gateway');
  gh.comments.clear();
  gh.issues.length = 0;
  gh.labels.clear();
  gh.log.length = 0;
  gh.pullFiles.set(7, [{ filename: 'gateway/gateway/rate-limits.yaml', status: 'modified' }]);
});

describe('plan, then apply the reviewed plan', () => {
  it('plan: outputs, the saved plan, SARIF, the summary and the comment show the plan', async () => {
    const run = await step({ inputs: { command: 'plan', 'plan-file': 'out/plan.json', 'sarif-file': 'out/tfy-lint.sarif' } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ 'has-changes': 'true', create: '2', update: '5', delete: '0', 'plan-file': 'out/plan.json', 'sarif-file': 'out/tfy-lint.sarif' });
    const saved = JSON.parse(readFileSync(join(ws, 'out', 'plan.json'), 'utf8'));
    expect(saved).toMatchObject({ kind: 'tfy-lint/plan', summary: { create: 2, update: 5, delete: 0 } });
    const sarif = JSON.parse(readFileSync(join(ws, 'out', 'tfy-lint.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('tfy-lint');
    expect(run.summary).toContain('Plan: 2 to add, 5 to change, 0 to destroy.');
    const comment = gh.comments.get(7)!;
    expect(comment).toHaveLength(1);
    expect(comment[0].body).toContain('Plan: 2 to add, 5 to change, 0 to destroy.');
    expect(comment[0].body).toContain('tenant-rate-limits');
    // Nothing was written to the platform.
    expect(tfy.requests().every((r) => r.method === 'GET')).toBe(true);
  });

  it('apply with plan-file applies the reviewed plan; a stale plan fails the step and sends nothing', async () => {
    const planned = await step({ inputs: { command: 'plan', 'plan-file': 'plan.json' } });
    expect(planned.exitCode).toBe(0);
    const push = event('push');

    // Someone changes a resource the plan updates, on the platform, after the review.
    const live = snapshot().find((m) => m.type === 'gateway-rate-limiting-config')!;
    tfy.changeOutsideGit({ ...live, rules: (live.rules as unknown[]).slice(1) }, { by: { subjectId: 'u1', subjectType: 'user', subjectSlug: 'alice@example.com' }, at: '2026-12-01T10:00:00Z' });
    const writesBefore = tfy.requests().filter((r) => r.method !== 'GET').length;
    const stale = await step({ event: push, inputs: { command: 'apply', 'plan-file': 'plan.json' } });
    expect(stale.exitCode).toBe(1);
    expect(stale.commands.at(-1)?.message).toMatch(/^tfy-lint: apply refused: the reviewed plan is stale/);
    expect(tfy.requests().filter((r) => r.method !== 'GET').length).toBe(writesBefore);

    // Planned again and applied: the platform then equals the repository.
    await step({ inputs: { command: 'plan', 'plan-file': 'plan.json' } });
    const applied = await step({ event: push, inputs: { command: 'apply', 'plan-file': 'plan.json' } });
    expect(applied.exitCode).toBe(0);
    expect(applied.outputs).toMatchObject({ 'plan-file': 'plan.json', create: '2', update: '5' });
    expect(applied.summary).toContain('Apply complete: 2 added, 5 changed, 0 destroyed.');
    expect(applied.summary).toContain('Converged: the platform holds what was sent.');
    const after = await step({ inputs: { command: 'plan', comment: 'off' } });
    expect(after.outputs).toMatchObject({ 'has-changes': 'false', create: '0', update: '0', delete: '0' });
  });

  it('apply without plan-file plans and applies; a missing plan-file or key fails with one line', async () => {
    const applied = await step({ event: event('push'), inputs: { command: 'apply' } });
    expect(applied.exitCode).toBe(0);
    expect(applied.outputs).toMatchObject({ create: '2', update: '5', 'plan-file': '' });
    const missing = await step({ event: event('push'), inputs: { command: 'apply', 'plan-file': 'nope.json' } });
    expect(missing.exitCode).toBe(1);
    expect(missing.commands.at(-1)?.message).toMatch(/^tfy-lint: cannot read the plan-file nope\.json: no such file/);
    const noKey = await runStep({ event: event('push'), githubApiUrl: gh.url, githubToken: GITHUB_TOKEN, workspace: ws, inputs: { command: 'apply', path: 'gateway' } });
    expect(noKey.exitCode).toBe(1);
    expect(noKey.commands.at(-1)?.message).toBe('tfy-lint: apply needs the platform: no tfy-api-key (a pull request from a fork gets no secrets)');
  });

  it('a plan the platform refuses to be read for fails the step with the platform\'s message', async () => {
    const run = await step({ inputs: { command: 'plan', 'tfy-api-key': 'tfy-wrong-key-0123456789abcdef' } });
    expect(run.exitCode).toBe(1);
    expect(run.commands.at(-1)?.command).toBe('error');
    expect(run.everything).not.toContain('tfy-wrong-key-0123456789abcdef');
    expect(annotations(run).filter((a) => a.properties.file)).toEqual([]);
  });
});

describe('drift: one issue per path', () => {
  const driftIssues = () => gh.issues.filter((i) => i.labels.some((l) => l.name === 'tfy-lint-drift'));

  it('is opened when the tenant drifts, left alone while the drift is the same, updated when it changes, closed when it is gone', async () => {
    const schedule = event('schedule');
    const first = await step({ event: schedule, inputs: { command: 'drift' } });
    expect(first.exitCode).toBe(0);
    expect(gh.requests('POST', /\/labels$/)).toHaveLength(1);
    // Someone else's issue with the label and even the marker is never touched.
    const foreign = gh.addIssue({ title: 'drift?', body: '<!-- tfy-lint drift path=gateway -->\nquoted', labels: ['tfy-lint-drift'], login: 'mallory' });
    expect(driftIssues()).toHaveLength(2);
    const issue = driftIssues().find((i) => i.user.login === BOT)!;
    expect(issue).toMatchObject({ title: 'tfy-lint drift: gateway differs from the platform', state: 'open' });
    expect(issue.body.split('\n')[0]).toBe('<!-- tfy-lint drift path=gateway -->');
    expect(issue.body).toContain('openai-legacy');
    expect(first.summary).toContain('openai-legacy');
    expect(first.outputs['has-changes']).toBe('true');

    // The same drift again: no new issue, no comment, no edit.
    await step({ event: schedule, inputs: { command: 'drift' } });
    expect(driftIssues()).toHaveLength(2);
    expect(gh.comments.get(issue.number)).toBeUndefined();

    // It changes: the issue is updated, with a comment.
    const budgets = snapshot().find((m) => m.type === 'gateway-rate-limiting-config')!;
    tfy.changeOutsideGit({ ...budgets, rules: (budgets.rules as unknown[]).slice(1) }, { by: { subjectId: 'u1', subjectType: 'user', subjectSlug: 'alice@example.com' }, at: '2026-12-01T10:00:00Z' });
    await step({ event: schedule, inputs: { command: 'drift' } });
    expect(driftIssues()).toHaveLength(2);
    expect(gh.comments.get(issue.number)).toHaveLength(1);
    expect(gh.comments.get(issue.number)![0].body).toMatch(/^The drift changed/);
    expect(issue.body).toContain('2026-12-01 10:00 UTC');

    // The repository is applied and the stray account removed: the issue is closed with a comment.
    expect((await step({ event: event('push'), inputs: { command: 'apply' } })).exitCode).toBe(0);
    tfy.deleteOutsideGit('provider-account/openai', 'openai-legacy');
    const last = await step({ event: schedule, inputs: { command: 'drift' } });
    expect(last.exitCode).toBe(0);
    expect(issue.state).toBe('closed');
    expect(last.outputs['has-changes']).toBe('false');
    expect(gh.comments.get(issue.number)).toHaveLength(2);
    expect(gh.comments.get(issue.number)![1].body).toMatch(/^The platform matches the repository again/);
    expect(foreign).toMatchObject({ state: 'open', body: '<!-- tfy-lint drift path=gateway -->\nquoted' });
    expect(gh.comments.get(foreign.number)).toBeUndefined();
  });

  it('drift that cannot be reported fails the step', async () => {
    gh.tokens.set('ghs_readOnly0123456789abcdefABCDEFGHIJ', { login: BOT, installation: true, readOnly: true });
    const run = await step({ event: event('schedule'), inputs: { command: 'drift', 'github-token': 'ghs_readOnly0123456789abcdefABCDEFGHIJ' } });
    expect(run.exitCode).toBe(1);
    expect(run.commands.at(-1)?.message).toMatch(/^tfy-lint: the platform drifted from the repository, and updating the drift issue failed: the token may not do this \(HTTP 403/);
    expect(existsSync(join(ws, 'plan.json'))).toBe(false);
  });
});
