// The secret-redaction audit (docs/security.md): secrets of every provider format are planted in manifests, in the
// live state and in the platform's error messages, and every producer of text (each report format, plan in each
// format and its saved file, build, dump, drift, apply, --fix-dry-run, error messages, the GitHub Action's output,
// annotations, summary, outputs, SARIF, comment and drift issue) is run; no 8-character stretch of any secret,
// nor of the API key, may appear in anything printed or written. A new producer is one entry of PRODUCERS.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../src/report/types.ts';
import { event } from './action/workspace.ts';
import { runCli, type CliRun } from './helpers.ts';
import { FakeGithub } from './support/fake-github.ts';
import { FakePlatform, type Misbehaviour } from './support/fake-platform.ts';
import { runStep } from './support/runner.ts';
import { plantedSecrets, secretWindows, type PlantedSecret } from './support/secrets.ts';

const SECRETS = plantedSecrets(11);
const RECOGNISABLE = SECRETS.filter((s) => s.recognisable);
const API_KEY = 'tfy-pat-Hq2Vx8Mk3Rn7Lw4Tz9Pb6Yc1Dj5Fg0Ks';
/** What must never be shown: every 8-character stretch of each secret part and of the API key. */
const FORBIDDEN = [...SECRETS.map((s) => ({ what: s.provider, windows: secretWindows(s.secret) })), { what: 'the API key', windows: secretWindows(API_KEY) }];

const yamlString = (v: string) => JSON.stringify(v);

/** A repository whose manifests hold every secret: under credential keys, and the recognisable ones also in prose, comments, URLs and model ids. */
function leakyRepository(dir: string): void {
  SECRETS.forEach((s, i) => {
    const prose = s.recognisable;
    const lines = [
      `# account ${i}${prose ? `; the old key was ${s.value.split('\n')[0]}` : ''}`,
      'type: provider-account/openai',
      `name: leaky-${i}`,
      'auth_data:',
      '  type: api-key',
      `  api_key: ${yamlString(s.value)}`,
      'integrations:',
      '  - type: integration/model/openai',
      '    name: gpt-4o',
      `    model_id: ${prose ? yamlString(s.value) : 'gpt-4o'}`,
      ...(prose ? [`    headers: {Authorization: ${yamlString(`Bearer ${s.value}`)}}`] : []),
      '---',
      'type: mcp-server/remote',
      `name: mcp-${i}`,
      `description: ${yamlString(prose ? `calls the API with ${s.value} for now` : 'docs search')}`,
      `url: ${yamlString(prose ? `https://mcp.acme.example/mcp?api_key=${s.value}` : 'https://mcp.acme.example/mcp')}`,
      'auth_data:',
      '  type: header',
      '  headers:',
      `    Authorization: ${yamlString(`Bearer ${s.value}`)}`,
      'collaborators: []',
    ];
    // A fixable finding (the URL's trailing "/") next to the secret: --fix-dry-run shows the lines around it.
    const fixable = [
      '---',
      'type: provider-account/self-hosted-model',
      `name: self-hosted-${i}`,
      'integrations:',
      '  - type: integration/model/self-hosted-model',
      '    name: llama',
      `    auth_data: {type: bearer-auth, bearer_token: ${yamlString(s.value)}}`,
      '    url: https://llm.acme.example/v1/',
      `    headers: {Authorization: ${yamlString(`Bearer ${s.value}`)}}`,
      '    model_server: openai-compatible',
      '    hosted_model_name: llama',
    ];
    writeFileSync(join(dir, `leaky-${i}.yaml`), `${[...lines, ...fixable].join('\n')}\n`);
  });
}

/** The live manifests the platform holds: the same resources with the raw secrets the platform may hand back. */
function leakyLive(): Record<string, unknown>[] {
  return SECRETS.flatMap((s, i) => [
    {
      type: 'provider-account/openai', name: `acct-${i}`, auth_data: { type: 'api-key', api_key: s.value },
      integrations: [{ type: 'integration/model/openai', name: 'gpt-4o', model_id: s.recognisable ? s.value : 'gpt-4o',
        ...(s.recognisable ? { headers: { 'x-api-key': s.value } } : {}) }],
    },
    {
      type: 'mcp-server/remote', name: `mcp-${i}`, description: s.recognisable ? `calls the API with ${s.value} for now` : 'docs search',
      url: 'https://mcp.acme.example/mcp', auth_data: { type: 'header', headers: { Authorization: `Bearer ${s.value}` } }, collaborators: [],
    },
  ]);
}

/** A clean repository declaring the same resources as the live state, with secret references. */
function cleanRepository(dir: string): void {
  const docs = SECRETS.flatMap((_, i) => [
    ['type: provider-account/openai', `name: acct-${i}`, 'auth_data:', '  type: api-key', '  api_key: tfy-secret://acme:llm-keys:OPENAI',
      'integrations:', '  - type: integration/model/openai', '    name: gpt-4o', '    model_id: gpt-4o'].join('\n'),
    ['type: mcp-server/remote', `name: mcp-${i}`, 'description: docs search', 'url: https://mcp.acme.example/mcp', 'auth_data:', '  type: header',
      '  headers:', '    Authorization: Bearer tfy-secret://acme:mcp-keys:TOKEN', 'collaborators: []'].join('\n'),
  ]);
  writeFileSync(join(dir, 'gateway.yaml'), `${docs.join('\n---\n')}\n`);
}

/** A snapshot file (as dump --json writes, but hand-made) holding raw secrets, and a broken one with a secret at the error. */
function snapshots(dir: string): void {
  writeFileSync(join(dir, 'live.json'), JSON.stringify({ version: 1, resources: leakyLive().map((manifest) => ({ manifest })) }));
  writeFileSync(join(dir, 'broken.json'), `{"version": 1, "resources": [{"manifest": {"api_key": ${RECOGNISABLE[2].value}}}]}`);
}

/** Every file under a folder, by path. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

let fake: FakePlatform;
let gh: FakeGithub;
let scratch: string;
let leakyRepo: string;
let cleanRepo: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tfy-audit-'));
  leakyRepo = join(scratch, 'leaky');
  cleanRepo = join(scratch, 'clean');
  for (const d of [leakyRepo, cleanRepo]) mkdirSync(d, { recursive: true });
  leakyRepository(leakyRepo);
  cleanRepository(cleanRepo);
  snapshots(scratch);
  fake = await FakePlatform.start({ token: API_KEY });
  fake.seed(leakyLive());
  gh = await FakeGithub.start();
  gh.tokens.set(GITHUB_TOKEN, { login: 'github-actions[bot]', installation: true });
});
afterAll(async () => {
  await fake.close();
  await gh.close();
  rmSync(scratch, { recursive: true, force: true });
});

const env = () => ({ TFY_BASE_URL: fake.url, TFY_API_KEY: API_KEY, TFY_LINT_BACKOFF_MS: '1' });

/** Everything a run printed or wrote, by name. */
function texts(name: string, run: CliRun): Record<string, string> {
  const out: Record<string, string> = { [`${name}: stdout`]: run.stdout, [`${name}: stderr`]: run.stderr };
  for (const [p, t] of run.written) out[`${name}: ${p}`] = t;
  return out;
}

async function cli(name: string, argv: string[], cwd: string, e: Record<string, string> = env()) {
  return texts(name, await runCli(argv, cwd, e));
}

/** The platform misbehaving with a secret in what it says; plan and dump report the error. */
function platformErrors(m: Misbehaviour) {
  return async () => {
    fake.misbehave(m);
    try {
      return { ...(await cli('plan', ['plan', '.', '--retries', '0'], cleanRepo)), ...(await cli('dump', ['dump', '--json', '--retries', '0'], cleanRepo)) };
    } finally {
      fake.clearFaults();
    }
  };
}

const GITHUB_TOKEN = 'ghs_auditWorkflowToken0123456789abcdefAB';

/**
 * Runs the committed Action bundle as the runner does, in a workspace holding both repositories (`leaky`, `clean`),
 * against the shared platform and a fresh local GitHub API: everything the step printed (workflow commands and
 * annotations included), the job summary, GITHUB_OUTPUT, the files it was asked to write, and every request body the
 * GitHub API received (the comment and the drift issue as posted).
 */
async function action(name: string, eventName: 'pull_request' | 'schedule', inputs: Record<string, string>, files: string[] = []): Promise<Record<string, string>> {
  gh.comments.clear();
  gh.issues.length = 0;
  gh.labels.clear();
  gh.log.length = 0;
  // The pull request (#7 of the event) touches the first leaky file, so that annotations take the changed-files path.
  gh.pullFiles.set(7, [{ filename: 'leaky/leaky-0.yaml', status: 'modified' }]);
  const run = await runStep({
    event: event(eventName), githubApiUrl: gh.url, githubToken: GITHUB_TOKEN, workspace: scratch,
    inputs: { 'tfy-base-url': fake.url, 'tfy-api-key': API_KEY, ...inputs },
  });
  const out: Record<string, string> = {
    [`${name}: stdout`]: run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'),
    [`${name}: stderr`]: run.stderr,
    [`${name}: job summary`]: run.summary,
    [`${name}: GITHUB_OUTPUT`]: Object.entries(run.outputs).map(([k, v]) => `${k}=${v}`).join('\n'),
  };
  for (const f of files) out[`${name}: ${f}`] = readFileSync(join(scratch, f), 'utf8');
  for (const [n, list] of gh.comments) for (const c of list) out[`${name}: comment on #${n}`] = c.body;
  for (const i of gh.issues) out[`${name}: issue #${i.number}`] = `${i.title}\n${i.body}`;
  gh.log.forEach((r, i) => { if (r.body !== undefined) out[`${name}: request ${i} ${r.method} ${r.path}`] = JSON.stringify(r.body); });
  return out;
}

interface Producer {
  name: string;
  run: () => Promise<Record<string, string>>;
  /** What the outputs must show, so that the audit knows the path it meant to cover was taken. */
  covers: RegExp;
}

/**
 * Every place tfy-lint prints, writes or sends text (docs/security.md lists the same). To audit a new one (a new
 * command, a new Action output, a new report format), add an entry.
 */
const PRODUCERS: Producer[] = [
  // check: every report format (a format added to FORMATS is audited without another entry), code frames included.
  ...FORMATS.map((f) => ({ name: `check --format ${f} (secrets in manifests)`, run: () => cli(`check ${f}`, ['check', '.', '--format', f], leakyRepo), covers: /no-raw-secrets/ })),
  { name: 'check --fix-dry-run (diffs of the files)', run: () => cli('fix', ['check', '.', '--fix-dry-run'], leakyRepo), covers: /^\+    url: https:\/\/llm\.acme\.example\/v1$/m },
  { name: 'plan on a project holding secrets (findings, plan not computed): text, json, markdown', run: async () => ({
    ...(await cli('plan text', ['plan', '.', '--live-state', join(scratch, 'live.json')], leakyRepo)),
    ...(await cli('plan json', ['plan', '.', '--live-state', join(scratch, 'live.json'), '-f', 'json'], leakyRepo)),
    ...(await cli('plan markdown', ['plan', '.', '--live-state', join(scratch, 'live.json'), '-f', 'markdown'], leakyRepo)),
  }), covers: /plan not computed/ },
  { name: 'build on a project holding secrets: --format json and --out', run: async () => {
    const out = join(scratch, 'build-out');
    const r = { ...(await cli('build json', ['build', '.', '-f', 'json'], leakyRepo)), ...(await cli('build out', ['build', '.', '--out', out], leakyRepo)) };
    try { Object.assign(r, filesUnder(out)); } catch { /* nothing written */ }
    return r;
  }, covers: /no-raw-secrets/ },
  { name: 'plan against a platform holding raw secrets: text, json, markdown, the saved plan', run: async () => ({
    ...(await cli('plan text', ['plan', '.', '--out', 'saved-plan.json'], cleanRepo)),
    ...(await cli('plan json', ['plan', '.', '-f', 'json', '--prune'], cleanRepo)),
    ...(await cli('plan markdown', ['plan', '.', '-f', 'markdown'], cleanRepo)),
  }), covers: /Plan: 0 to add, 60 to change/ },
  { name: 'plan against a hand-made snapshot holding raw secrets', run: async () => ({
    ...(await cli('plan text', ['plan', '.', '--live-state', join(scratch, 'live.json')], cleanRepo)),
    ...(await cli('plan json', ['plan', '.', '--live-state', join(scratch, 'live.json'), '-f', 'json', '--prune'], cleanRepo)),
  }), covers: /Plan: 0 to add, 60 to change/ },
  { name: 'plan against a broken snapshot with a secret where it breaks', run: () => cli('plan', ['plan', '.', '--live-state', join(scratch, 'broken.json')], cleanRepo), covers: /broken\.json cannot be used: not JSON \(invalid symbol at line 1, column \d+\)/ },
  { name: 'drift against a platform holding raw secrets: text, json, markdown', run: async () => ({
    ...(await cli('drift text', ['drift', '.'], cleanRepo)),
    ...(await cli('drift json', ['drift', '.', '-f', 'json'], cleanRepo)),
    ...(await cli('drift markdown', ['drift', '.', '-f', 'markdown'], cleanRepo)),
  }), covers: /~ auth_data\.api_key: "<redacted:[^"]*" -> "tfy-secret:[\s\S]*"kind": "tfy-lint\/drift"[\s\S]*"before": "<redacted:[\s\S]*\*\*Drift: 60 resources changed on the platform\.\*\*/ },
  { name: 'dump --json and dump --out from a platform holding raw secrets', run: async () => ({
    ...(await cli('dump json', ['dump', '--json'], cleanRepo)),
    ...(await cli('dump out', ['dump', '--out', 'dumped'], cleanRepo)),
  }), covers: /<redacted:/ },
  { name: 'platform error: 401 echoing the API key', run: platformErrors({ kind: 'message', status: 401, message: `API key ${API_KEY} has expired (key ${API_KEY.slice(0, 12)}…)` }), covers: /401 Unauthorized: API key \*\*\* has expired/ },
  { name: 'platform error: 422 quoting secrets it was sent', run: platformErrors({ kind: 'message', status: 422, message: RECOGNISABLE.slice(0, 8).map((s) => `bad value "${s.value}"`).join('; ') }), covers: /422 Unprocessable Entity: bad value/ },
  { name: 'platform error: a proxy\'s plain-text page quoting a secret', run: platformErrors({ kind: 'text', status: 502, body: `upstream said: Authorization: Bearer ${RECOGNISABLE[5].value}` }), covers: /502 Bad Gateway: "upstream said/ },
  { name: 'platform error: a redirect whose address holds a secret', run: platformErrors({ kind: 'redirect', to: `https://sso.example.com/${RECOGNISABLE[6].value}/login?token=${API_KEY}` }), covers: /redirect to https:\/\/sso\.example\.com\// },
  { name: 'apply --yes against a platform holding raw secrets: text, --format json, --out report', run: () => onFreshPlatform(async (url) => ({
    ...(await cli('apply text', ['apply', '.', '--yes'], cleanRepo, { ...env(), TFY_BASE_URL: url })),
  })).then(async (a) => ({ ...a, ...(await onFreshPlatform(async (url) => cli('apply json', ['apply', '.', '--yes', '--format', 'json', '--out', 'apply-report.json'], cleanRepo, { ...env(), TFY_BASE_URL: url }))) })),
  covers: /~ updated mcp-server\/remote "mcp-0"[\s\S]*"status": "applied"/ },
  { name: 'apply: the platform refuses writes with a message quoting secrets and the key', run: () => onFreshPlatform(async (url, platform) => {
    platform.misbehave({ kind: 'message', status: 422, method: 'PUT', message: `rejected ${RECOGNISABLE[3].value} sent with key ${API_KEY}` });
    return cli('apply refused', ['apply', '.', '--yes'], cleanRepo, { ...env(), TFY_BASE_URL: url });
  }), covers: /422 Unprocessable Entity: rejected/ },
  { name: 'the Action, command check on a project holding secrets: output, annotations, summary, outputs, SARIF, the PR comment', run: () =>
    action('action check', 'pull_request', { command: 'check', path: 'leaky', 'sarif-file': 'out/check.sarif' }, ['out/check.sarif']),
  covers: /^::error title=tfy-lint no-raw-secrets,file=leaky\/[\s\S]*## tfy-lint check · `leaky`[\s\S]*comment-url=https:\/\/github\.example\/[\s\S]*"ruleId": "no-raw-secrets"[\s\S]*<!-- tfy-lint comment path=leaky -->\n### tfy-lint check[\s\S]*holds a raw/m },
  { name: 'the Action, command plan against a platform holding raw secrets: output, summary, the PR comment, the saved plan', run: () =>
    action('action plan', 'pull_request', { command: 'plan', path: 'clean', 'plan-file': 'out/plan.json' }, ['out/plan.json']),
  covers: /plan saved to out\/plan\.json[\s\S]*\*\*Plan: 0 to add, 60 to change, 0 to destroy\.\*\*[\s\S]*"kind": "tfy-lint\/plan"[\s\S]*<!-- tfy-lint comment path=clean -->\n### tfy-lint plan[\s\S]*- auth_data\.api_key: "<redacted:/ },
  { name: 'the Action, command drift against a platform holding raw secrets: output, summary, the drift issue', run: () =>
    action('action drift', 'schedule', { command: 'drift', path: 'clean' }),
  covers: /drift issue #\d+ opened[\s\S]*## tfy-lint drift · `clean`[\s\S]*has-changes=true[\s\S]*<!-- tfy-lint drift path=clean -->[\s\S]*- auth_data\.api_key: "<redacted:/ },
];

/** Runs `use` against a platform of its own holding the raw secrets (apply changes what it holds). */
async function onFreshPlatform(use: (url: string, platform: FakePlatform) => Promise<Record<string, string>>): Promise<Record<string, string>> {
  const platform = await FakePlatform.start({ token: API_KEY });
  platform.seed(leakyLive());
  try {
    return await use(platform.url, platform);
  } finally {
    await platform.close();
  }
}

function shown(outputs: Record<string, string>): string[] {
  const found: string[] = [];
  for (const { what, windows } of FORBIDDEN) {
    for (const [where, text] of Object.entries(outputs)) {
      const w = windows.find((x) => text.includes(x));
      if (w) found.push(`${where} shows "${w}" of ${what}`);
    }
  }
  return found;
}

describe('secret-redaction audit', () => {
  it('plants secrets of every provider format tfy-lint knows', () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(28);
    expect(RECOGNISABLE.map((s) => s.provider)).toEqual(expect.arrayContaining(['Anthropic', 'OpenAI (project)', 'AWS access key ID', 'Google', 'GitHub', 'Slack webhook', 'JWT', 'PEM private key']));
  });

  it.each(PRODUCERS.map((p) => [p.name, p] as const))('%s: no part of any secret or of the API key', async (_, producer) => {
    const outputs = await producer.run();
    // Each producer took the path it is meant to cover (an empty or early-failing run would prove nothing).
    expect(Object.values(outputs).join('\n')).toMatch(producer.covers);
    expect(shown(outputs)).toEqual([]);
  });

  it('the audit itself sees a leak: a secret printed in part is caught', () => {
    const s: PlantedSecret = SECRETS[0];
    expect(shown({ 'a careless message': `key ${s.value.slice(0, s.value.indexOf(s.secret) + 10)}…` })).toEqual([`a careless message shows "${s.secret.slice(0, 8)}" of ${s.provider}`]);
  });
});
