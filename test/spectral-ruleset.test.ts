// The Spectral ruleset of the benchmark's comparison (scripts/spectral-ruleset.mjs), run by the real Spectral CLI:
// each type's rule validates the documents of that type, and only the document root, with tfy-lint's schema of the
// type; the type rule catches a missing or unknown type; and Spectral flags the files check's schema findings are in.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { rulesetFor, typeSchemasFromCombined } from '../scripts/spectral-ruleset.mjs';
import { loadSchemaSet } from '../src/validate/schemas.ts';
import { REPO, runCli } from './helpers.ts';

const SPECTRAL = join(REPO, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
const TYPES = ['provider-account/openai', 'provider-account/anthropic'];

interface SpectralResult { code: string; path: (string | number)[]; message: string; source: string }

const OPENAI = `type: provider-account/openai
name: openai-main
auth_data:
  type: api-key
  api_key: tfy-secret://acme:llm-keys:OPENAI_API_KEY
integrations:
  - type: integration/model/openai
    name: gpt-4o
    model_id: gpt-4o
collaborators:
  - subject: team:platform
    role_id: provider-account-manager
`;

const FILES: Record<string, string> = {
  'valid.yaml': OPENAI,
  // An unknown property at the root and one in an integration.
  'root-unknown.yaml': OPENAI.replace('name: openai-main\n', 'name: openai-main\nbogus: 1\n').replace('    model_id: gpt-4o\n', '    modelId: gpt-4o\n'),
  // An Anthropic account whose auth_data says `type: provider-account/openai`: the Anthropic schema rejects that value,
  // and the OpenAI rule must not validate the mapping (a filter on the root's children would select it).
  'nested-type.yaml': `type: provider-account/anthropic
name: anthropic-main
auth_data:
  type: provider-account/openai
  api_key: tfy-secret://acme:llm-keys:ANTHROPIC_API_KEY
integrations: []
collaborators:
  - subject: team:platform
    role_id: provider-account-manager
`,
  'no-type.yaml': 'name: nothing\n',
  'unknown-type.yaml': 'type: provider-account/nope\nname: nope\n',
};

describe('the Spectral ruleset of npm run bench -- --compare spectral', () => {
  let dir: string;
  let results: SpectralResult[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfy-spectral-'));
    const schemas = new Map<string, unknown>();
    for (const type of TYPES) {
      const r = await runCli(['schema', type], dir);
      expect(r.code).toBe(0);
      schemas.set(type, JSON.parse(r.stdout));
    }
    // The ruleset the bench builds (buildRuleset) takes these out of the combined schema; the test above checks that
    // they are the same.
    writeFileSync(join(dir, 'ruleset.json'), JSON.stringify(rulesetFor(TYPES, (t: string) => schemas.get(t))));
    mkdirSync(join(dir, 'm'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, 'm', name), text);
    const r = spawnSync(process.execPath, [SPECTRAL, 'lint', 'm/*.yaml', '--ruleset', 'ruleset.json', '--format', 'json', '--quiet'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    results = JSON.parse(r.stdout) as SpectralResult[];
  }, 120_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const of = (file: string) => results.filter((r) => r.source === join(dir, 'm', file)).map((r) => ({ code: r.code, path: r.path.join('.') }));

  it('takes every type\'s schema out of the combined schema as tfy-lint schema TYPE prints it (but for its $id)', async () => {
    const combined = await runCli(['schema'], REPO);
    const schemas = typeSchemasFromCombined(JSON.parse(combined.stdout)) as Map<string, Record<string, unknown>>;
    expect([...schemas.keys()]).toEqual(Object.keys(loadSchemaSet().catalog.types).sort());
    for (const [type, schema] of schemas) {
      const printed = JSON.parse((await runCli(['schema', type], REPO)).stdout) as Record<string, unknown>;
      delete printed.$id;
      expect(schema, type).toEqual(printed);
      expect(Object.keys(schema), type).toEqual(Object.keys(printed));
    }
  });

  it('refuses a combined schema with a dangling reference', () => {
    const combined = { properties: { type: { enum: ['team'] } }, definitions: { 'manifest.team': { properties: { x: { $ref: '#/definitions/nope' } } } } };
    expect(() => typeSchemasFromCombined(combined)).toThrow(/does not define/);
  });

  it('has one rule per type, selecting documents by their root "type", plus the type check', () => {
    const { rules } = rulesetFor(TYPES, () => ({}));
    expect(Object.keys(rules)).toEqual(['tfy-lint-type', 'tfy-lint-schema:provider-account/openai', 'tfy-lint-schema:provider-account/anthropic']);
    expect(rules['tfy-lint-schema:provider-account/openai'].given).toBe("$[?(@property == 'type' && @ == 'provider-account/openai')]^");
    expect(() => rulesetFor(["x' || true"], () => ({}))).toThrow(/unexpected type name/);
  });

  it('finds nothing in a valid document', () => {
    expect(of('valid.yaml')).toEqual([]);
  });

  it("validates the whole document against its type's schema", () => {
    expect(of('root-unknown.yaml')).toEqual(expect.arrayContaining([
      { code: 'tfy-lint-schema:provider-account/openai', path: '' },
      { code: 'tfy-lint-schema:provider-account/openai', path: 'integrations.0' },
    ]));
    expect(of('root-unknown.yaml').every((r) => r.code === 'tfy-lint-schema:provider-account/openai')).toBe(true);
  });

  it('applies a rule to the document root only, never to a nested mapping with the same "type"', () => {
    expect(of('nested-type.yaml')).toEqual([{ code: 'tfy-lint-schema:provider-account/anthropic', path: 'auth_data.type' }]);
  });

  it('reports a missing or unknown type by the type rule', () => {
    expect(of('no-type.yaml')).toEqual([{ code: 'tfy-lint-type', path: '' }]);
    expect(of('unknown-type.yaml')).toEqual([{ code: 'tfy-lint-type', path: 'type' }]);
  });

  it("flags the same files as check's schema findings", async () => {
    const r = await runCli(['check', 'm', '--no-cache', '--format', 'json'], dir);
    const flagged = (JSON.parse(r.stdout) as { diagnostics: { ruleId: string; file: string }[] }).diagnostics
      .filter((d) => d.ruleId === 'schema').map((d) => d.file.replace(/^m\//, ''));
    expect([...new Set(flagged)].sort()).toEqual(['nested-type.yaml', 'no-type.yaml', 'root-unknown.yaml', 'unknown-type.yaml']);
    expect([...new Set(results.map((x) => x.source.slice(join(dir, 'm').length + 1)))].sort()).toEqual([...new Set(flagged)].sort());
  });
});
