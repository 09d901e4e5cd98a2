// The engine through the CLI: config severities, overrides, packs, organisation policies, suppressions and fixes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonPath, select } from '../../src/lint/custom.ts';
import { parseSuppressions } from '../../src/lint/suppressions.ts';
import { replaceDirAtomic, writeFileAtomic } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { runCli } from '../helpers.ts';

const OPS = 'collaborators:\n  - {subject: "user:ops@acme.example", role_id: provider-account-manager}\n';
const account = (url: string, collaborators = OPS) => `type: provider-account/self-hosted-model
name: in-cluster
${collaborators}integrations:
  - type: integration/model/self-hosted-model
    name: llama
    hosted_model_name: llama
    model_server: vllm-openai
    url: ${url}
`;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tfy-engine-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), t);
  }
  return root;
}

async function findings(root: string, extraArgs: string[] = []) {
  const run = await runCli(['check', '--format', 'json', ...extraArgs], root);
  if (run.code === 2) throw new Error(run.stderr);
  return (JSON.parse(run.stdout).diagnostics as { ruleId: string; severity: string; line: number; file: string; message: string }[])
    .map((d) => `${d.file}:${d.line} ${d.ruleId} ${d.severity}`);
}

describe('severity config', () => {
  it('applies the recommended pack by default', async () => {
    expect(await findings(project({ 'a.yaml': account('https://bob:pw@x.example.com') }))).toEqual(['a.yaml:10 url-format error']);
  });
  it('keeps only the schema finding when a rule reports the same cause, and the fix', async () => {
    const run = await runCli(['check', '--format', 'json'], project({ 'a.yaml': account('https://x.example.com/') }));
    const out = JSON.parse(run.stdout).diagnostics;
    expect(out.map((d: { ruleId: string }) => d.ruleId)).toEqual(['schema']);
    expect(out[0].hint).toMatch(/url-format: url "https:\/\/x.example.com\/" ends with "\/"; the platform requires it without. tfy-lint check --fix corrects this./);
  });
  it('rules: turns a rule down or off; overrides apply by file glob', async () => {
    const root = project({
      'tfy-lint.config.yaml': 'rules:\n  url-format: warn\noverrides:\n  - files: [legacy/**]\n    rules:\n      url-format: "off"\n',
      'a.yaml': account('https://bob:pw@x.example.com'),
      'legacy/b.yaml': account('https://bob:pw@x.example.com').replace('in-cluster', 'legacy-models'),
    });
    expect(await findings(root)).toEqual(['a.yaml:10 url-format warning']);
  });
  it('extends: [] turns every pack off', async () => {
    expect(await findings(project({ 'tfy-lint.config.yaml': 'extends: []\n', 'a.yaml': account('https://bob:pw@x.example.com') }))).toEqual([]);
  });
  it.each([
    ['rules:\n  url-fromat: error\n', /tfy-lint.config.yaml:2:3: unknown rule "url-fromat"/],
    ['rules:\n  url-format: [error, {x: 1}]\n', /rule "url-format" takes no options/],
    ['extends: [lenient]\n', /policy "lenient" is neither a built-in pack \(recommended, strict\) nor an existing file/],
  ])('a bad setting stops the run: %j', async (config, message) => {
    const run = await runCli(['check'], project({ 'tfy-lint.config.yaml': config, 'a.yaml': account('https://x.example.com') }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('organisation policies', () => {
  const policy = `description: ACME rules
rules:
  url-format: warn
custom:
  - id: acme/platform-manages-accounts
    given: [provider-account/*]
    path: $.collaborators
    schema:
      type: array
      contains: {type: object, properties: {subject: {const: "team:platform"}, role_id: {const: provider-account-manager}}, required: [subject, role_id]}
    message: provider accounts must list team:platform as provider-account-manager
    hint: The platform team is on call for every provider account.
  - id: acme/https-only
    given: [provider-account/self-hosted-model]
    path: $.integrations[*].url
    schema: {type: string, pattern: "^https://"}
    message: "{{path}} must use https, not {{value}}"
    severity: warn
`;
  it('policy files set severities and add declarative rules that report at the exact place', async () => {
    const root = project({
      'tfy-lint.config.yaml': 'policies: [policies/acme.yaml]\n',
      'policies/acme.yaml': policy,
      'a.yaml': account('http://x.example.com'),
      'b.yaml': account('https://y.example.com', 'collaborators:\n  - {subject: "team:platform", role_id: provider-account-manager}\n').replace('in-cluster', 'other'),
    });
    const run = await runCli(['check', '--format', 'json'], root);
    const out = JSON.parse(run.stdout).diagnostics.map((d: { file: string; line: number; column: number; ruleId: string; severity: string; message: string }) => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.severity} ${d.message}`);
    expect(out).toEqual([
      'a.yaml:3:1 acme/platform-manages-accounts error provider accounts must list team:platform as provider-account-manager',
      'a.yaml:10:10 acme/https-only warning integrations[0].url must use https, not "http://x.example.com"',
      'a.yaml:10:10 url-format warning url "http://x.example.com" uses plain http to a host outside the cluster (x.example.com)',
    ]);
  });
  it('a bad policy file stops the run with its position', async () => {
    const run = await runCli(['check'], project({ 'tfy-lint.config.yaml': 'policies: [p.yaml]\n', 'p.yaml': 'custom:\n  - id: Bad Id\n' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tfy-lint: invalid policy p.yaml:2:5: /);
  });
  it('JSON paths select what the rule checks', () => {
    expect(parseJsonPath('$.a[*].b["x y"]')).toEqual(['a', '*', 'b', 'x y']);
    expect(select({ a: [{ b: 1 }, { c: 2 }] }, ['a', '*', 'b'])).toEqual([{ path: ['a', 0, 'b'], value: 1 }, { path: ['a', 1, 'b'], value: undefined }]);
    expect(() => parseJsonPath('a.b')).toThrow(/starts with \$/);
  });
});

describe('suppressions', () => {
  it('parses directives with rules and reasons', () => {
    expect(parseSuppressions('a: 1\n  # tfy-lint-disable-next-line url-format, x -- legacy host\n\n# c\nurl: y\n')).toMatchObject([
      { kind: 'next-line', rules: ['url-format', 'x'], reason: 'legacy host', line: 2, column: 3, target: 5 },
    ]);
  });
  it('silences the next line with a reason; reports a missing reason, an unknown rule and an unused one', async () => {
    const text = account('https://bob:pw@x.example.com').replace('    url:', '    # tfy-lint-disable-next-line url-format -- the vendor needs it\n    url:');
    const root = project({
      'a.yaml': text,
      'b.yaml': `# tfy-lint-disable-file url-format\n${account('https://bob:pw@x.example.com').replace('in-cluster', 'bbb')}`,
      'c.yaml': `# tfy-lint-disable-file no-such-rule -- why\n# tfy-lint-disable-next-line url-format -- nothing below\n${account('https://ok.example.com').replace('in-cluster', 'ccc')}`,
    });
    const run = await runCli(['check', '--format', 'json'], root);
    const out = JSON.parse(run.stdout).diagnostics.map((d: { file: string; line: number; ruleId: string; severity: string; message: string }) => `${d.file}:${d.line} ${d.ruleId} ${d.severity} ${d.message}`);
    expect(out).toEqual([
      'b.yaml:1 suppression error suppression of url-format has no reason',
      'b.yaml:11 url-format error url carries credentials in the URL (user:password@); they would be stored and logged in clear',
      'c.yaml:1 suppression error suppression names unknown rule "no-such-rule"',
      'c.yaml:2 suppression warning unused suppression of "url-format": nothing here is reported by it',
    ]);
    // The silenced finding is kept as data: SARIF reports it as suppressed, with the comment's reason.
    const sarif = JSON.parse((await runCli(['check', '--format', 'sarif'], root)).stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; suppressions?: { justification: string }[] }[] }[] };
    const silenced = sarif.runs[0].results.filter((r) => r.suppressions);
    expect(silenced.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri.replace(/^.*\//, ''), r.suppressions?.[0].justification])).toEqual([['url-format', 'a.yaml', 'the vendor needs it']]);
    expect(sarif.runs[0].results.length).toBe(out.length + 1);
  });
});

describe('--fix', () => {
  it('rewrites the file in place and reports what is left', async () => {
    const text = `# header comment\n${account('"https://x.example.com/v1/"   # trailing comment')}`;
    const root = project({ 'a.yaml': text });
    let stdout = '';
    const code = await main(['check', '--fix', '--no-color'], {
      cwd: root, env: {}, stdout: { write: (s) => { stdout += s; } }, stderr: { write: () => {} }, writeFile: writeFileAtomic, replaceDir: replaceDirAtomic,
    });
    expect(readFileSync(join(root, 'a.yaml'), 'utf8')).toBe(text.replace('/v1/"', '/v1"'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/no problems/);
  });
  it('--fix-dry-run prints a diff and writes nothing', async () => {
    const text = account('https://x.example.com/');
    const root = project({ 'a.yaml': text });
    const run = await runCli(['check', '--fix-dry-run'], root);
    expect(run.stdout).toContain('--- a/a.yaml\n+++ b/a.yaml\n');
    expect(run.stdout).toContain('-    url: https://x.example.com/\n+    url: https://x.example.com\n');
    expect(run.written.size).toBe(0);
    expect(readFileSync(join(root, 'a.yaml'), 'utf8')).toBe(text);
    expect(run.code).toBe(1);
  });
});

describe('tfy-lint rules', () => {
  it('lists every rule and shows one rule\'s docs', async () => {
    const list = await runCli(['rules'], '/');
    expect(list.stdout).toMatch(/^rule +default +fixable +description\n/);
    expect(list.stdout).toMatch(/\nurl-format +error +yes +Self-hosted model url/);
    const one = await runCli(['rules', 'url-format'], '/');
    expect(one.stdout.startsWith('# url-format\n')).toBe(true);
    const json = JSON.parse((await runCli(['rules', '--json'], '/')).stdout);
    expect(json.find((r: { id: string }) => r.id === 'url-format')).toMatchObject({ fixable: true, recommended: 'error', needs: 'document' });
  });
  it('shows the pages of the pipeline\'s own finding ids', async () => {
    const page = await runCli(['rules', 'yaml-syntax'], '/');
    expect(page.stdout.startsWith('# yaml-syntax\n')).toBe(true);
    expect(JSON.parse((await runCli(['rules', 'schema', '--json'], '/')).stdout)).toMatchObject({ id: 'schema', check: true });
  });
  it('suggests the closest id for a typo', async () => {
    const run = await runCli(['rules', 'url-formt'], '/');
    expect(run).toMatchObject({ code: 2, stderr: 'tfy-lint: unknown rule "url-formt" (did you mean "url-format"?); run tfy-lint rules to list them\n' });
  });
});
