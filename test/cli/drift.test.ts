// tfy-lint drift end to end, in process: golden reports from snapshots, and the platform (the fake one on 127.0.0.1)
// changed by hand in every way drift must notice.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { golden, REPO, runCli, type CliRun } from '../helpers.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

const FIXTURES = join(REPO, 'fixtures', 'drift');
const FORMATS = [['json', 'expected.drift.json'], ['text', 'expected.drift.txt'], ['markdown', 'expected.drift.md']] as const;

describe('tfy-lint drift: golden reports', () => {
  for (const name of readdirSync(FIXTURES).filter((n) => existsSync(join(FIXTURES, n, 'live.json'))).sort()) {
    const dir = join(FIXTURES, name);
    const extra = existsSync(join(dir, 'args.txt')) ? readFileSync(join(dir, 'args.txt'), 'utf8').trim().split(/\s+/).filter(Boolean) : [];
    it(`${name}${extra.length ? ` (${extra.join(' ')})` : ''}`, async () => {
      for (const [format, file] of FORMATS) {
        const run = await runCli(['drift', 'repo', '--live-state', 'live.json', '--format', format, ...extra], dir);
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(golden(join(dir, file), run.stdout));
        if (format === 'json') expect(run.code).toBe(JSON.parse(run.stdout).inSync ? 0 : 2);
      }
    });
  }
});

// The repository the platform should hold, and a scratch copy of it per test.
const REPO_FILES: Record<string, string> = {
  'tfy-lint.config.yaml': 'extends: []\ndrift:\n  ignore:\n    - gateway-rate-limiting-config/*/rules[id=incident-*]\n',
  'providers.yaml': `type: provider-account/openai
name: openai-main
auth_data: {type: api-key, api_key: "tfy-secret://acme:llm-keys:OPENAI_API_KEY"}
collaborators: [{subject: team:platform, role_id: provider-account-manager}]
integrations:
  - {type: integration/model/openai, name: gpt-4o, model_id: gpt-4o}
---
type: provider-account/groq
name: groq-main
auth_data: {type: api-key, api_key: "tfy-secret://acme:llm-keys:GROQ_API_KEY"}
collaborators: [{subject: team:platform, role_id: provider-account-manager}]
integrations:
  - {type: integration/model/groq, name: llama-3-70b, model_id: llama3-70b-8192}
`,
  'rate-limits.yaml': `type: gateway-rate-limiting-config
name: tenant-rate-limits
rules:
  - {id: ml-team, when: {subjects: ["team:ml"]}, limit_to: 300, unit: requests_per_minute, rate_limit_applies_per: [user]}
  - {id: everyone, when: {}, limit_to: 60, unit: requests_per_minute, rate_limit_applies_per: [user]}
`,
};

let fake: FakePlatform;
let env: Record<string, string>;
let dir: string;

async function drift(args: string[] = [], extraEnv: Record<string, string> = env): Promise<CliRun> {
  const run = await runCli(['drift', '.', ...args], dir, { TFY_LINT_BACKOFF_MS: '1', ...extraEnv });
  for (const text of [run.stdout, run.stderr]) expect(text).not.toContain(DEFAULT_TOKEN);
  expect(run.written.size).toBe(0);
  return run;
}

const json = (run: CliRun) => JSON.parse(run.stdout);
const ci = { subjectId: 'u_ci', subjectType: 'user', subjectSlug: 'ci@acme.example' };
const alice = { subjectId: 'u_alice', subjectType: 'user', subjectSlug: 'alice@example.com' };

beforeAll(async () => {
  fake = await FakePlatform.start({ maxPageSize: 2 });
  env = { TFY_BASE_URL: fake.url, TFY_API_KEY: DEFAULT_TOKEN };
});
afterAll(async () => { await fake.close(); });
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfy-drift-'));
  for (const [f, t] of Object.entries(REPO_FILES)) writeFileSync(join(dir, f), t);
  // The platform as the last apply left it, resource by resource.
  for (const f of ['providers.yaml', 'rate-limits.yaml']) {
    for (const doc of REPO_FILES[f].split(/^---$/m)) fake.changeOutsideGit(parse(doc), { by: ci, at: '2026-11-01T08:00:00.000Z' });
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [type, name] of [['provider-account/openai', 'openai-main'], ['provider-account/groq', 'groq-main'], ['provider-account/openai', 'scratch'], ['gateway-rate-limiting-config', undefined]] as const) fake.deleteOutsideGit(type, name);
  fake.clearFaults();
  fake.log.length = 0;
});

describe('tfy-lint drift against the platform', () => {
  it('exits 0 and says so when the platform holds what the repository says, reading each kind once and writing nothing', async () => {
    const run = await drift();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No drift. The platform matches the repository.');
    expect(fake.log.every((r) => r.method === 'GET')).toBe(true);
    const j = json(await drift(['--format', 'json']));
    expect(j).toMatchObject({ kind: 'tfy-lint/drift', inSync: true, changes: [], createdOutsideGit: [], deletedOutsideGit: [], ignored: [] });
  });

  it('reports a field changed in the UI, with when the platform says it changed and the subject it recorded', async () => {
    fake.changeOutsideGit(parse(REPO_FILES['rate-limits.yaml'].replace('limit_to: 300', 'limit_to: 120')), { by: alice, at: '2026-12-01T14:03:00.000Z' });
    const run = await drift();
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('~ changed on the platform gateway-rate-limiting-config "tenant-rate-limits"');
    // The platform keeps the creator: it names ci, and says it does not know who changed it.
    expect(run.stdout).toContain('last changed on the platform on 2026-12-01 14:03 UTC (created by user:ci@acme.example; the platform does not say who made the last change)');
    expect(run.stdout).toContain('~ rules[id=ml-team].limit_to: 120 -> 300');
    const j = json(await drift(['--format', 'json']));
    expect(j.changes).toEqual([expect.objectContaining({
      action: 'update', type: 'gateway-rate-limiting-config', drift: 'changed',
      fields: [{ path: 'rules[id=ml-team].limit_to', kind: 'change', before: 120, after: 300 }],
      live: { updatedAt: '2026-12-01T14:03:00.000Z', createdAt: '2026-11-01T08:00:00.000Z', createdBy: 'user:ci@acme.example' },
    })]);
    expect(j.summary).toMatchObject({ create: 0, update: 1, delete: 0 });
  });

  it('names the changer when the platform recorded the change as a new resource (created and updated at the same time)', async () => {
    fake.deleteOutsideGit('gateway-rate-limiting-config');
    fake.changeOutsideGit(parse(REPO_FILES['rate-limits.yaml'].replace('limit_to: 300', 'limit_to: 120')), { by: alice, at: '2026-12-01T14:03:00.000Z' });
    const run = await drift(['--format', 'markdown']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Changed on the platform on 2026-12-01 14:03 UTC by user:alice@example.com.');
  });

  it('reports resources created outside git (unless --ignore-unmanaged) and deleted outside git', async () => {
    fake.changeOutsideGit({ type: 'provider-account/openai', name: 'scratch', integrations: [] }, { by: alice, at: '2026-12-02T10:00:00.000Z' });
    fake.deleteOutsideGit('provider-account/groq', 'groq-main');
    const run = await drift(['--format', 'json']);
    expect(run.code).toBe(2);
    const j = json(run);
    expect(j.createdOutsideGit).toEqual([{ type: 'provider-account/openai', name: 'scratch', live: { createdAt: '2026-12-02T10:00:00.000Z', updatedAt: '2026-12-02T10:00:00.000Z', createdBy: 'user:alice@example.com' } }]);
    expect(j.deletedOutsideGit).toEqual([{ type: 'provider-account/groq', name: 'groq-main' }]);
    expect(j.changes.map((c: { action: string; name: string; drift: string }) => [c.action, c.name, c.drift])).toEqual([['create', 'groq-main', 'deleted-outside-git']]);
    expect(j.unmanaged).toEqual([{ type: 'provider-account/openai', name: 'scratch' }]);
    const text = (await drift()).stdout;
    expect(text).toContain('+ created outside git provider-account/openai "scratch"  (not in the repository)');
    expect(text).toContain('created on the platform on 2026-12-02 10:00 UTC by user:alice@example.com');
    expect(text).toContain('- deleted outside git provider-account/groq "groq-main"');

    fake.changeOutsideGit(parse(REPO_FILES['providers.yaml'].split(/^---$/m)[1]), { by: ci, at: '2026-12-03T00:00:00.000Z' });
    const quiet = await drift(['--ignore-unmanaged', '--format', 'json']);
    expect(quiet.code).toBe(0);
    expect(json(quiet)).toMatchObject({ inSync: true, createdOutsideGit: [], ignored: [{ type: 'provider-account/openai', name: 'scratch', by: '--ignore-unmanaged' }] });
  });

  it('leaves out the fields drift.ignore names', async () => {
    const withIncidentRule = parse(REPO_FILES['rate-limits.yaml']);
    withIncidentRule.rules.unshift({ id: 'incident-7', when: { models: ['openai-main/gpt-4o'] }, limit_to: 5, unit: 'requests_per_minute' });
    fake.changeOutsideGit(withIncidentRule, { by: alice, at: '2026-12-04T00:00:00.000Z' });
    const run = await drift(['--format', 'json']);
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ inSync: true, changes: [], ignored: [{ type: 'gateway-rate-limiting-config', path: 'rules[id=incident-7]', by: 'gateway-rate-limiting-config/*/rules[id=incident-*]' }] });
  });

  it('exits 1 on findings in the project and on every error, never 2', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'type: provider-account/openai\nname: Bad Name\nintegrations: []\n');
    expect((await drift()).code).toBe(1);
    const notComputed = await drift(['--format', 'json']);
    expect(notComputed.code).toBe(1);
    expect(json(notComputed)).toMatchObject({ kind: 'tfy-lint/drift', computed: false, inSync: false, changes: [] });
    expect(json(notComputed).diagnostics.some((d: { file: string; severity: string }) => d.file === 'broken.yaml' && d.severity === 'error')).toBe(true);
    expect(fake.log).toEqual([]);
    rmSync(join(dir, 'broken.yaml'));
    const noSource = await drift([], {});
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toContain('drift: no live state to compare with');
    expect((await drift(['--format', 'yaml'])).code).toBe(1);
    fake.inject({ path: '/api/svc/v1/provider-accounts', status: 401, times: 1 });
    const denied = await drift();
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^tfy-lint: .*401/m);
  });
});

describe('drift.ignore in the config', () => {
  it('refuses a pattern without a type and a name, with its position', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'tfy-drift-config-'));
    try {
      writeFileSync(join(scratch, 'tfy-lint.config.yaml'), 'extends: []\ndrift:\n  ignore:\n    - just-a-type\n');
      writeFileSync(join(scratch, 'live.json'), JSON.stringify({ version: 1, kinds: [], resources: [] }));
      const run = await runCli(['drift', '.', '--live-state', 'live.json'], scratch);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^tfy-lint: invalid config tfy-lint\.config\.yaml:4:7: .*/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('tfy-lint drift --help', () => {
  it('documents the exit codes', async () => {
    const run = await runCli(['drift', '--help'], REPO);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Exit codes: 0 the platform matches the repository, 2 they differ, 1 findings');
  });
});

describe('the drift documentation', () => {
  it('the README\'s drift.ignore example is a valid config, and docs/drift.md quotes what the fixture prints', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Drift: what changed outside git'));
    const config = /```yaml\n(# tfy-lint\.config\.yaml\ndrift:[\s\S]*?)```/.exec(section);
    expect(config).not.toBeNull();
    const scratch = mkdtempSync(join(tmpdir(), 'tfy-drift-doc-'));
    try {
      writeFileSync(join(scratch, 'tfy-lint.config.yaml'), (config as RegExpExecArray)[1]);
      writeFileSync(join(scratch, 'rl.yaml'), REPO_FILES['rate-limits.yaml']);
      writeFileSync(join(scratch, 'live.json'), JSON.stringify({ version: 1, kinds: ['gateway-rate-limiting-config'], resources: [] }));
      const run = await runCli(['drift', '.', '--live-state', 'live.json', '--format', 'json'], scratch);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(2);
      expect(json(run).deletedOutsideGit).toEqual([{ type: 'gateway-rate-limiting-config', name: 'tenant-rate-limits' }]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const doc = readFileSync(join(REPO, 'docs', 'drift.md'), 'utf8');
    const excerpt = /\n```\n( {2}~ changed on the platform[\s\S]*?)```/.exec(doc);
    expect(excerpt).not.toBeNull();
    const printed = readFileSync(join(FIXTURES, 'basic', 'expected.drift.txt'), 'utf8');
    for (const part of (excerpt as RegExpExecArray)[1].split('\n\n').filter((p) => p.trim())) expect(printed).toContain(part);
  });
});
