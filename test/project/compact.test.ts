// The cache keeps of most provider accounts only what the rules comparing files read (compactData), with the findings
// of the checks that read one document: a run that takes its files from it reports exactly what a run reading every
// document whole reports.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/lint/config.ts';
import { runLint } from '../../src/lint/engine.ts';
import { resolveSettings } from '../../src/lint/policies.ts';
import { defineRule } from '../../src/lint/rule.ts';
import { compactData, isCompacted } from '../../src/project/compact.ts';
import { buildProjectIndex } from '../../src/project/index.ts';
import { DEFAULT_MAX_FILE_SIZE, runPipeline, type PipelineOptions, type PipelineResult } from '../../src/project/pipeline.ts';
import { REGISTRY } from '../../src/rules/index.ts';
import { loadSchemaSet } from '../../src/validate/index.ts';
import { parseText, REPO, SHARED } from '../helpers.ts';

const GENERATOR = join(SHARED, 'bench', 'gen-corpus.mjs');

/** What a run reports, as the reports see it. */
function reported(r: PipelineResult) {
  return { diagnostics: r.diagnostics, suppressed: r.suppressed, edits: [...r.edits].sort(([a], [b]) => (a < b ? -1 : 1)) };
}

function run(root: string, extra: Partial<PipelineOptions> = {}, paths = ['.']) {
  return reported(runPipeline({ cwd: root, root, paths, maxFileSize: DEFAULT_MAX_FILE_SIZE, ...extra }));
}

function cacheAt(dir: string) {
  return { location: `${dir}/`, env: {}, platform: process.platform, buildId: 'compact-test' };
}

/**
 * A run without the cache, a cold run, and a warm one that takes every file from the cache (its compact data for the
 * cross-file rules, its kept findings for the rest) report the same.
 */
function expectSameReports(root: string, cacheDir: string) {
  const whole = run(root);
  const cache = cacheAt(cacheDir);
  expect(run(root, { cache }), 'cold').toEqual(whole);
  expect(run(root, { cache }), 'warm').toEqual(whole);
  return whole;
}

describe('compactData', () => {
  const account = {
    type: 'provider-account/openai',
    name: 'main',
    collaborators: [{ subject: 'team:everyone', role_id: 'provider-account-access' }],
    auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:llm-keys:OPENAI' },
    integrations: [
      { name: 'gpt-4o', type: 'integration/model/openai', model_id: 'gpt-4o', model_types: ['chat'], cost: { input: 1 } },
      'not-a-mapping',
      { name: 'embed', type: 'integration/model/openai', headers: { 'x-key': 'tfy-secret://acme:llm-keys:EMBED' }, tags: ['a', 'tfy-secret://acme:g:k'] },
    ],
  };

  it('keeps the type, name, integration fields the cross-file rules read, and every reference at its path', () => {
    expect(compactData(account)).toEqual({
      type: 'provider-account/openai',
      name: 'main',
      auth_data: { api_key: 'tfy-secret://acme:llm-keys:OPENAI' },
      integrations: [
        { name: 'gpt-4o', type: 'integration/model/openai', model_types: ['chat'] },
        'not-a-mapping',
        { name: 'embed', type: 'integration/model/openai', headers: { 'x-key': 'tfy-secret://acme:llm-keys:EMBED' }, tags: [undefined, 'tfy-secret://acme:g:k'] },
      ],
    });
    // A list keeps the indexes of what it holds (a finding's path into it stays right).
    expect(((compactData(account) as { integrations: { tags?: unknown[] }[] }).integrations[2].tags as unknown[]).length).toBe(2);
  });

  it('keeps a "__proto__" key as a key, never touching the prototype', () => {
    const data = JSON.parse('{"type":"provider-account/openai","name":"p","__proto__":{"x":"tfy-secret://acme:g:k"}}') as Record<string, unknown>;
    const out = compactData(data) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: 'tfy-secret://acme:g:k' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves whole the documents other rules read whole', () => {
    for (const type of ['provider-account/virtual-model', 'provider-account/mcp-server-group', 'provider-account/guardrail-config-group', 'gateway-load-balancing-config', 'mcp-server/remote']) {
      const data = { ...account, type };
      expect(isCompacted(type)).toBe(false);
      expect(compactData(data)).toBe(data);
    }
    expect(compactData('text')).toBe('text');
    expect(compactData([account])).toEqual([account]);
  });
});

describe('a run from the compact cache reports what a run without it reports', () => {
  let tmp: string;
  beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'tfy-compact-')); });
  afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

  it('on the example and every check fixture', () => {
    const dirs = [join(REPO, 'examples', 'acme-gateway'), ...readdirSync(join(REPO, 'fixtures', 'check')).map((d) => join(REPO, 'fixtures', 'check', d))];
    let findings = 0;
    dirs.forEach((dir, i) => { findings += expectSameReports(dir, join(tmp, `fixture-${i}`)).diagnostics.length; });
    expect(findings).toBeGreaterThan(20);
  });

  it('on the real-world corpus', () => {
    const root = join(tmp, 'real-world');
    cpSync(join(SHARED, 'corpus', 'real-world'), root, { recursive: true });
    const whole = expectSameReports(root, join(tmp, 'real-world-cache'));
    expect(new Set(whole.diagnostics.map((d) => d.ruleId)).size).toBeGreaterThan(3);
  });

  it('on references to two tenants, a fix and a suppression in compacted accounts', () => {
    const root = join(tmp, 'tenants');
    cpSync(join(REPO, 'examples', 'acme-gateway'), root, { recursive: true });
    const account = (name: string, ref: string, extra = '') => `type: provider-account/openai\nname: ${name}\n${extra}auth_data:\n  type: api-key\n  api_key: ${ref}\nintegrations:\n  - name: m\n    type: integration/model/openai\n    model_id: m\n    auth_data:\n      type: api-key\n      api_key: ${ref}\n`;
    writeFileSync(join(root, 'zz-a.yaml'), account('tenant-a', 'tfy-secret://acme:llm-keys:A'));
    writeFileSync(join(root, 'zz-b.yaml'), account('tenant-b', 'tfy-secret://other:llm-keys:B'));
    writeFileSync(join(root, 'zz-c.yaml'), account('tenant-c', 'tfy-secrets://acme:llm-keys:C'));
    writeFileSync(join(root, 'zz-d.yaml'), `# tfy-lint-disable-file secret-ref-format -- moved next quarter\n${account('tenant-d', 'tfy-secret://third:llm-keys:D')}`);
    const whole = expectSameReports(root, join(tmp, 'tenants-cache'));
    const ids = whole.diagnostics.map((d) => `${d.ruleId}:${d.messageId}`);
    expect(ids).toEqual(expect.arrayContaining(['secret-ref-format:otherTenant', 'secret-ref-format:scheme']));
    expect(whole.suppressed.length).toBeGreaterThan(0);
    expect(whole.edits.length).toBeGreaterThan(0);
    // One file named (a pre-commit run) reports on it what the whole run reports there.
    expect(run(root, { cache: cacheAt(join(tmp, 'tenants-cache')) }, ['zz-b.yaml']).diagnostics).toEqual(whole.diagnostics.filter((d) => d.file === 'zz-b.yaml'));
  });

  it('the cache keeps compact data, and a file it kept no check findings for is read again when in scope', () => {
    const root = join(tmp, 'kept');
    cpSync(join(REPO, 'examples', 'acme-gateway'), root, { recursive: true });
    writeFileSync(join(root, 'providers', 'leaky-name.yaml'), 'type: provider-account/openai\nname: Bad Name\nauth_data:\n  type: api-key\n  api_key: tfy-secret://acme:llm-keys:X\nintegrations: []\n');
    const whole = run(root);
    const cacheDir = join(tmp, 'kept-cache');
    const cache = cacheAt(cacheDir);
    // A run naming one file: the others are read for the cross-file rules only, and kept without check findings.
    expect(run(root, { cache }, ['virtual-models']).diagnostics).toEqual(whole.diagnostics.filter((d) => d.file.startsWith('virtual-models/')));
    const lines = readFileSync(join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.jsonl')) as string), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
    const leaky = lines.find((l) => l.file === 'providers/leaky-name.yaml');
    expect(leaky).toMatchObject({ compact: true, docs: [{ data: { type: 'provider-account/openai', name: 'Bad Name', auth_data: { api_key: 'tfy-secret://acme:llm-keys:X' } } }] });
    expect(leaky.lint).toBeUndefined();
    expect(leaky.docs[0].data.collaborators).toBeUndefined();
    // The whole project next: that file's checks need its whole data, so it is read again; every finding is there.
    expect(run(root, { cache })).toEqual(whole);
    expect(whole.diagnostics.filter((d) => d.file === 'providers/leaky-name.yaml').map((d) => d.ruleId)).toEqual(expect.arrayContaining(['collaborators', 'schema']));
  });

  describe.runIf(existsSync(GENERATOR))('on a generated project with defects', () => {
    it('every finding, the cross-file rules included', () => {
      const root = join(tmp, 'generated');
      execFileSync(process.execPath, [GENERATOR, root, '--files', '300', '--seed', '7', '--defect-rate', '0.3'], { cwd: REPO, stdio: 'ignore' });
      const whole = expectSameReports(root, join(tmp, 'generated-cache'));
      expect(whole.diagnostics.map((d) => d.ruleId)).toEqual(expect.arrayContaining(['target-exists', 'rule-shadowing', 'no-raw-secrets', 'schema']));
    }, 120_000);
  });
});

describe('a check that reads one document', () => {
  it('is stopped when it reads the project', () => {
    const m = parseText('type: provider-account/openai\nname: first\n', 'a.yaml').manifests[0];
    const peeker = defineRule({
      id: 'peeker',
      meta: { description: 'reads the project', appliesTo: ['**'], needs: 'project', checkReads: 'document', recommended: 'error', messages: { m: 'x' } },
      check(_manifest, ctx) { if (ctx.project.named('provider-account/openai', 'first').length) ctx.report({ messageId: 'm', path: ['name'] }); },
    });
    const registry = new Map([...REGISTRY, ['peeker', peeker]]);
    const settings = resolveSettings(tmpdir(), { ...EMPTY_CONFIG, rules: { peeker: 'error' } }, registry, loadSchemaSet());
    expect(() => runLint({ project: buildProjectIndex([m]), registry, settings, sources: new Map(), inScope: () => true }))
      .toThrow(/checkReads: 'document'\) read the project \(project\.named\)/);
  });
});
