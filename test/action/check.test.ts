// The Action's check command end to end: the committed bundle run as the runner runs it, against a local GitHub API.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGithub } from '../support/fake-github.ts';
import { annotations, runStep, type StepOptions, type StepRun } from '../support/runner.ts';
import { account, event, findingFile, workspaceWith } from './workspace.ts';

const GITHUB_TOKEN = 'ghs_workflowToken0123456789abcdefABCDEF';
const FORK_TOKEN = 'ghs_forkReadOnly0123456789abcdefABCDEF';
const PAT = 'ghp_personalToken0123456789abcdefABCDEF';
const BOT = 'github-actions[bot]';
const MARKER = '<!-- tfy-lint comment path=gateway -->';

let gh: FakeGithub;
const workspaces: string[] = [];

function ws(counts: Parameters<typeof workspaceWith>[0]): string {
  const w = workspaceWith(counts);
  workspaces.push(w);
  return w;
}

/** Runs a step and checks what must hold for every run: no token in any output, masks registered before anything. */
async function step(opts: Partial<StepOptions> & { workspace: string }): Promise<StepRun> {
  const run = await runStep({ event: event('pull_request'), githubApiUrl: gh.url, githubToken: GITHUB_TOKEN, ...opts });
  const token = opts.inputs?.['github-token'] ?? GITHUB_TOKEN;
  expect(run.masked).toContain(token);
  expect(run.stdout.split('\n')[0]).toMatch(/^::add-mask::/);
  expect(run.everything).not.toContain(token);
  for (const c of gh.comments.values()) for (const x of c) expect(x.body).not.toContain(token);
  return run;
}

beforeAll(async () => {
  gh = await FakeGithub.start();
});
afterAll(async () => {
  await gh.close();
  for (const w of workspaces) rmSync(w, { recursive: true, force: true });
});
beforeEach(() => {
  gh.tokens.clear();
  gh.tokens.set(GITHUB_TOKEN, { login: BOT, installation: true });
  gh.tokens.set(FORK_TOKEN, { login: BOT, installation: true, readOnly: true });
  gh.tokens.set(PAT, { login: 'release-bot' });
  gh.comments.clear();
  gh.pullFiles.clear();
  gh.log.length = 0;
  gh.rateRemaining = 5000;
});
afterEach(() => { gh.log.length = 0; });

describe('check: annotations', () => {
  it('50 findings give 10 errors, 10 warnings, notices up to 10 with the overflow notice; changed files first', async () => {
    const w = ws({ errors: 20, warnings: 15, infos: 15 });
    // The pull request touches the last three error files and one warning file.
    gh.pullFiles.set(7, [18, 19, 20].map((i) => ({ filename: findingFile('err', i), status: 'modified' }))
      .concat([{ filename: findingFile('warn', 15), status: 'modified' }]));
    const run = await step({ workspace: w, inputs: { path: 'gateway', comment: 'off' } });
    expect(run.exitCode).toBe(1);
    const notes = annotations(run).filter((a) => a.properties.file !== undefined || a.properties.title === 'tfy-lint: more findings');
    const errors = notes.filter((a) => a.command === 'error');
    const warnings = notes.filter((a) => a.command === 'warning');
    const notices = notes.filter((a) => a.command === 'notice');
    expect(errors).toHaveLength(10);
    expect(warnings).toHaveLength(10);
    expect(notices).toHaveLength(10);
    // Changed files first, then the rest in file order.
    expect(errors.map((a) => a.properties.file)).toEqual([18, 19, 20, 1, 2, 3, 4, 5, 6, 7].map((i) => findingFile('err', i)));
    expect(warnings[0].properties.file).toBe(findingFile('warn', 15));
    expect(errors[0]).toEqual({
      command: 'error',
      properties: { title: 'tfy-lint naming/no-err', file: 'gateway/providers/err-0018.yaml', line: '2', col: '7', endLine: '2', endColumn: '15' },
      message: '"err-0018" is named like an error\nRename the account.',
    });
    const overflow = notices.filter((n) => n.properties.title === 'tfy-lint: more findings');
    expect(overflow).toHaveLength(1);
    expect(overflow[0].message).toBe('21 more findings (10 errors, 5 warnings, 6 infos) are not shown as annotations, since GitHub shows at most 10 of each level per step: see the job summary.');
    expect(run.outputs).toMatchObject({ errors: '20', warnings: '15', infos: '15', 'has-changes': 'false' });
    // The job summary has every finding, grouped by file, linking to the line at the head commit.
    for (let i = 1; i <= 20; i++) expect(run.summary).toContain(`https://github.example/acme/gateway-config/blob/${'a'.repeat(40)}/${findingFile('err', i)}#L2`);
    expect(run.summary).toContain('**20 errors, 15 warnings, 15 infos**');
    expect(run.commands.find((c) => c.command === 'error' && !c.properties.file)?.message).toBe('tfy-lint: 20 findings at or above "error" (20 errors, 15 warnings, 15 infos)');
  });

  it('fail-on decides the exit; annotations: false prints none', async () => {
    const w = ws({ errors: 0, warnings: 2, infos: 1 });
    const quiet = await step({ workspace: w, inputs: { path: 'gateway', comment: 'off', annotations: 'false' }, event: event('push') });
    expect(quiet.exitCode).toBe(0);
    expect(annotations(quiet)).toEqual([]);
    const strict = await step({ workspace: w, inputs: { path: 'gateway', comment: 'off', 'fail-on': 'warning' }, event: event('push') });
    expect(strict.exitCode).toBe(1);
    expect(annotations(strict).map((a) => a.command).sort()).toEqual(['error', 'notice', 'warning', 'warning']);
    const info = await step({ workspace: w, inputs: { path: 'gateway', comment: 'off', 'fail-on': 'info', annotations: 'false' }, event: event('push') });
    expect(info.exitCode).toBe(1);
    // A push has no pull request: no GitHub call at all.
    expect(gh.log).toEqual([]);
  });

  it('a bad input stops the step with a message naming it', async () => {
    const run = await step({ workspace: ws({ errors: 0, warnings: 0, infos: 0 }), inputs: { 'fail-on': 'sometimes' } });
    expect(run.exitCode).toBe(1);
    expect(run.commands.at(-1)).toMatchObject({ command: 'error', message: 'tfy-lint: input "fail-on" takes "error", "warning", "info", not "sometimes"' });
  });

  it('file names with commas, colons and percent signs reach the runner intact', async () => {
    const w = ws({ errors: 1, warnings: 0, infos: 0 });
    const odd = 'gateway/providers/err,a:b%41.yaml';
    renameSync(join(w, findingFile('err', 1)), join(w, odd));
    const run = await step({ workspace: w, inputs: { path: 'gateway', comment: 'off' }, event: event('push') });
    expect(annotations(run).find((a) => a.command === 'error' && a.properties.file)?.properties.file).toBe(odd);
    expect(run.summary).toContain('gateway/providers/err%2Ca%3Ab%2541.yaml#L2');
  });

  it('working-directory: paths are resolved from it, annotations stay relative to the workspace', async () => {
    const w = ws({ errors: 1, warnings: 0, infos: 0 });
    const run = await step({ workspace: w, inputs: { 'working-directory': 'gateway', path: 'providers', comment: 'off' }, event: event('push') });
    expect(annotations(run)[0].properties.file).toBe(findingFile('err', 1));
  });
});

describe('check: the sticky comment', () => {
  it('is created on the first run and updated on the next; only the own comment is touched, found on page 2', async () => {
    const w = ws({ errors: 2, warnings: 1, infos: 0 });
    for (let i = 0; i < 120; i++) gh.addComment(7, i % 2 ? 'alice' : 'bob', `comment ${i}`);
    // Someone quoting the marker, and an old comment of another bot: neither is ours.
    gh.addComment(7, 'mallory', `${MARKER}\nI can write the marker too`);
    gh.addComment(7, 'other-app[bot]', `${MARKER}\nnot ours either`);
    const first = await step({ workspace: w, inputs: { path: 'gateway' } });
    expect(first.exitCode).toBe(1);
    const ours = () => gh.comments.get(7)!.filter((c) => c.user.login === BOT);
    expect(ours()).toHaveLength(1);
    const comment = ours()[0];
    expect(first.outputs['comment-url']).toBe(comment.html_url);
    expect(comment.body.split('\n')[0]).toBe(MARKER);
    expect(comment.body).toContain(`At commit [\`aaaaaaa\`](https://github.example/acme/gateway-config/commit/${'a'.repeat(40)})`);
    expect(comment.body).toContain('"err-0001" is named like an error');
    // Listed with pagination: per_page=100, then the page the Link header names.
    expect(gh.requests('GET', /\/issues\/7\/comments$/).map((r) => r.query.page ?? '1')).toEqual(['1', '2']);

    // The second run, on a new head commit with one error fixed, updates the same comment.
    rmSync(join(w, findingFile('err', 2)));
    const payload = event('pull_request');
    (payload.payload as { pull_request: { head: { sha: string } } }).pull_request.head.sha = 'e'.repeat(40);
    const second = await step({ workspace: w, inputs: { path: 'gateway' }, event: payload });
    expect(ours()).toHaveLength(1);
    expect(ours()[0].id).toBe(comment.id);
    expect(ours()[0].body).toContain('eeeeeee');
    expect(ours()[0].body).not.toContain('err-0002');
    expect(second.outputs['comment-url']).toBe(comment.html_url);
    expect(gh.comments.get(7)!.find((c) => c.user.login === 'mallory')!.body).toBe(`${MARKER}\nI can write the marker too`);
    expect(gh.requests('PATCH').every((r) => r.path === `/repos/acme/gateway-config/issues/comments/${comment.id}`)).toBe(true);
  });

  it('comment: changes writes nothing for a clean project, and turns an earlier comment into an all-clean note', async () => {
    const w = ws({ errors: 0, warnings: 0, infos: 0 });
    const clean = await step({ workspace: w, inputs: { path: 'gateway' } });
    expect(clean.exitCode).toBe(0);
    expect(gh.comments.get(7)).toBeUndefined();
    expect(gh.requests('POST')).toEqual([]);
    const earlier = gh.addComment(7, BOT, `${MARKER}\n### tfy-lint check\n2 errors`);
    const again = await step({ workspace: w, inputs: { path: 'gateway' } });
    expect(again.exitCode).toBe(0);
    expect(gh.comments.get(7)).toHaveLength(1);
    expect(earlier.body).toContain('✅ All clean at commit');
    expect(earlier.body).not.toContain('2 errors');
    expect(again.outputs['comment-url']).toBe(earlier.html_url);
  });

  it('comment: always writes for a clean project; comment: off writes nothing', async () => {
    const w = ws({ errors: 0, warnings: 0, infos: 0 });
    await step({ workspace: w, inputs: { path: 'gateway', comment: 'off' } });
    expect(gh.log).toEqual([]);
    const run = await step({ workspace: w, inputs: { path: 'gateway', comment: 'always' } });
    expect(gh.comments.get(7)).toHaveLength(1);
    expect(gh.comments.get(7)![0].body).toContain('**0 errors, 0 warnings, 0 infos**');
    expect(run.outputs['comment-url']).toMatch(/#issuecomment-/);
  });

  it('with a personal token, the comment is found by the token\'s own login (GET /user)', async () => {
    const w = ws({ errors: 1, warnings: 0, infos: 0 });
    gh.addComment(7, BOT, `${MARKER}\nwritten by the workflow token`);
    await step({ workspace: w, inputs: { path: 'gateway', 'github-token': PAT } });
    const list = gh.comments.get(7)!;
    expect(list).toHaveLength(2);
    expect(list[0].body).toBe(`${MARKER}\nwritten by the workflow token`);
    expect(list[1].user.login).toBe('release-bot');
    expect(gh.requests('GET', /^\/user$/)).toHaveLength(1);
  });

  it('stays under 65,536 characters with a pointer to the job summary; the summary stays under 1 MiB', async () => {
    const w = ws({ errors: 1500, warnings: 0, infos: 0 });
    const run = await step({ workspace: w, inputs: { path: 'gateway' } });
    const body = gh.comments.get(7)![0].body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/more findings not shown here: see \[the job summary\]\(https:\/\/github\.example\/acme\/gateway-config\/actions\/runs\/4242\)/);
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(run.summary).toContain('err-1500');
  });
});

describe('forks, permissions and limits', () => {
  it('a fork\'s read-only token: the comment is a warning, the result is the findings\' only', async () => {
    gh.pullFiles.set(8, [{ filename: 'gateway/providers/warn-0001.yaml', status: 'added' }]);
    const clean = ws({ errors: 0, warnings: 1, infos: 0 });
    const ok = await step({ workspace: clean, event: event('pull_request_fork'), inputs: { path: 'gateway', 'github-token': FORK_TOKEN } });
    expect(ok.exitCode).toBe(0);
    const warning = ok.commands.find((c) => c.command === 'warning' && !c.properties.file);
    expect(warning?.message).toMatch(/^writing the pull-request comment failed: the token may not do this \(HTTP 403: Resource not accessible by integration\); a pull request from a fork gets a read-only token/);
    expect(gh.comments.get(8)).toBeUndefined();
    expect(ok.outputs['comment-url']).toBe('');

    const failing = ws({ errors: 1, warnings: 0, infos: 0 });
    const bad = await step({ workspace: failing, event: event('pull_request_fork'), inputs: { path: 'gateway', 'github-token': FORK_TOKEN } });
    expect(bad.exitCode).toBe(1);
    expect(bad.commands.at(-1)?.message).toBe('tfy-lint: 1 finding at or above "error" (1 error, 0 warnings, 0 infos)');
  });

  it('plan without tfy-api-key falls back to the offline check with a notice', async () => {
    const w = ws({ errors: 0, warnings: 1, infos: 0 });
    const run = await step({ workspace: w, event: event('pull_request_fork'), inputs: { path: 'gateway', command: 'plan', 'github-token': FORK_TOKEN, 'tfy-base-url': 'http://127.0.0.1:9' } });
    expect(run.exitCode).toBe(0);
    expect(run.commands.find((c) => c.properties.title === 'tfy-lint: offline check')?.message)
      .toBe('tfy-lint: no tfy-api-key (a pull request from a fork gets no secrets): the plan is skipped and the project is checked offline');
    expect(run.outputs).toMatchObject({ warnings: '1', 'has-changes': 'false', 'plan-file': '' });
  });

  it('a used-up rate limit is a warning that says so', async () => {
    const w = ws({ errors: 1, warnings: 0, infos: 0 });
    gh.rateRemaining = 1;
    const run = await step({ workspace: w, inputs: { path: 'gateway' } });
    expect(run.exitCode).toBe(1);
    expect(run.commands.find((c) => c.command === 'warning' && /rate limit/.test(c.message))?.message)
      .toMatch(/failed: the GitHub API rate limit of this token is used up until \d{4}-\d\d-\d\dT/);
  });

  it('works against GitHub Enterprise Server (GITHUB_API_URL with /api/v3)', async () => {
    const ghes = await FakeGithub.start({ prefix: '/api/v3' });
    try {
      ghes.tokens.set(GITHUB_TOKEN, { login: BOT, installation: true });
      const w = ws({ errors: 1, warnings: 0, infos: 0 });
      const run = await runStep({ event: event('pull_request'), githubApiUrl: ghes.url, githubToken: GITHUB_TOKEN, workspace: w, inputs: { path: 'gateway' } });
      expect(ghes.comments.get(7)).toHaveLength(1);
      expect(ghes.log.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
      expect(run.outputs['comment-url']).toBe(ghes.comments.get(7)![0].html_url);
    } finally {
      await ghes.close();
    }
  });
});

describe('secrets', () => {
  it('a raw key in a manifest and the tokens appear nowhere: not in annotations, summary, comment or outputs', async () => {
    const w = ws({ errors: 0, warnings: 0, infos: 0 });
    const raw = 'sk-ant-api03-QwErTyUiOpAsDfGhJkLzXcVbNm0123456789QwErTyUiOpAsDfGhJkLzXcVbNm01234567-AAAAAA';
    writeFileSync(join(w, 'gateway', 'providers', 'leak.yaml'), account('leak', raw));
    const apiKey = 'tfy-live-key-abcdefghijklmnopqrstuvwxyz012345';
    const run = await step({ workspace: w, inputs: { path: 'gateway', 'tfy-api-key': apiKey, 'tfy-base-url': 'http://127.0.0.1:9' } });
    expect(run.exitCode).toBe(1);
    expect(run.masked).toEqual(expect.arrayContaining([apiKey, GITHUB_TOKEN]));
    expect(annotations(run).some((a) => a.properties.title === 'tfy-lint no-raw-secrets')).toBe(true);
    for (const secret of [raw, raw.slice(10, 50), apiKey]) {
      expect(run.everything).not.toContain(secret);
      expect(gh.comments.get(7)![0].body).not.toContain(secret);
    }
  });
});
