// CLI: `tfy-lint schema` prints self-contained schemas, lists types, and writes VS Code settings without clobbering them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addYamlSchemaSetting, DEFAULT_GLOBS, rootDefinitionName, VSCODE_SCHEMA_FILE } from '../../src/cli/schema-command.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';
import { runCli } from '../helpers.ts';

type Json = Record<string, unknown>;

/** Every $ref of a schema document. */
function refs(node: unknown, acc: string[] = []): string[] {
  if (Array.isArray(node)) { node.forEach((n) => refs(n, acc)); return acc; }
  if (!node || typeof node !== 'object') return acc;
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string') acc.push(v);
    else refs(v, acc);
  }
  return acc;
}

function expectSelfContained(schema: Json): void {
  const defs = (schema.definitions ?? {}) as Json;
  for (const r of refs(schema)) {
    expect(r).toMatch(/^#\/definitions\/[^/]+$/);
    expect(defs, r).toHaveProperty(r.slice('#/definitions/'.length));
  }
}

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tfy-lint-schema-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('tfy-lint schema', () => {
  it('prints the combined schema: draft-07, self-contained, one if/then per type', async () => {
    const run = await runCli(['schema'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const schema = JSON.parse(run.stdout) as Json;
    const types = Object.keys(loadSchemaSet().catalog.types).sort();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['type']);
    expect(((schema.properties as Json).type as Json).enum).toEqual(types);
    const chain = schema.allOf as { if: Json; then: Json }[];
    expect(chain.map((b) => ((b.if.properties as Json).type as Json).const)).toEqual(types);
    expect(chain.map((b) => b.then.$ref)).toEqual(types.map((t) => `#/definitions/${rootDefinitionName(t)}`));
    expectSelfContained(schema);

    // It compiles on its own in strict mode and validates like the per-type schemas.
    const validate = new Ajv.default({ strict: true, allErrors: true }).compile(schema);
    expect(validate({ type: 'provider-account/openai', name: 'openai-main', integrations: [] })).toBe(true);
    expect(validate({ type: 'provider-account/openai', name: 'openai-main', integrations: [], bogus: 1 })).toBe(false);
    expect(validate({ type: 'provider-account/nvidia-nim', name: 'x' })).toBe(false);
    expect(validate({ name: 'no-type' })).toBe(false);
  });

  it('prints one type\'s schema, self-contained, with its $id and title', async () => {
    const run = await runCli(['schema', 'provider-account/custom-endpoint'], dir);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as Json;
    expect(schema.$id).toBe('https://schemas.tfy-lint.dev/v1/provider-account/custom-endpoint.schema.json');
    expect(schema.title).toBe('Custom endpoint provider account');
    expectSelfContained(schema);
    const validate = new Ajv.default({ strict: true }).compile(schema);
    expect(validate({ type: 'provider-account/custom-endpoint', name: 'proxy', integrations: [{ type: 'integration/model/custom-endpoint', name: 'east', base_url: 'https://a.example.com' }] })).toBe(true);
    expect(validate({ type: 'provider-account/custom-endpoint', name: 'proxy', integrations: [{ type: 'integration/model/custom-endpoint', name: 'east', base_url: 'https://a.example.com/' }] })).toBe(false);
  });

  it('writes the schema to a file with --output', async () => {
    const run = await runCli(['schema', 'team', '--output', 'team.schema.json'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.written.get(join(dir, 'team.schema.json'))!).title).toBe('Team');
  });

  it('lists the types with their titles and sources', async () => {
    const run = await runCli(['schema', '--list'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^provider-account\/openai +OpenAI provider account$/m);
    expect(run.stdout).toMatch(/^tenant-budget-config +Tenant budget \(V2\) +\[SDK 2026-06-30\]$/m);
    expect(run.stdout).toMatch(/\n83 types \(platform schema 2026-04-13 plus SDK 2026-06-30 additions\)\n$/);
  });

  it('explains an unknown or wrong type and exits 2', async () => {
    const typo = await runCli(['schema', 'provider-account/opena'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('tfy-lint: unknown manifest type "provider-account/opena" (did you mean "provider-account/openai"?); run "tfy-lint schema --list" to see them all\n');
    const wrong = await runCli(['schema', 'integration/model/custom'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^tfy-lint: "integration\/model\/custom" is not a type the platform accepts; use "integration\/model\/self-hosted-model"/);
  });

  it.each([
    [['schema', 'team', 'role'], 'at most one TYPE'],
    [['schema', '--list', 'team'], 'cannot be combined'],
    [['schema', '--glob', '*.yaml'], '--glob only applies with --write-vscode'],
    [['schema', '--bogus'], 'unknown option'],
  ])('rejects %j', async (argv, message) => {
    const run = await runCli(argv, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('shows help', async () => {
    const run = await runCli(['schema', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# yaml-language-server: $schema=');
    const global = await runCli(['--help'], dir);
    expect(global.stdout).toMatch(/^ {2}schema \[TYPE\] +Print JSON Schemas/m);
  });
});

describe('tfy-lint schema --write-vscode', () => {
  const settingsPath = () => join(dir, '.vscode', 'settings.json');

  it('creates .vscode/settings.json and the schema file when there are none', async () => {
    const run = await runCli(['schema', '--write-vscode'], dir);
    expect(run.code).toBe(0);
    const settings = JSON.parse(run.written.get(settingsPath())!) as Json;
    expect(settings['yaml.schemas']).toEqual({ [`./${VSCODE_SCHEMA_FILE}`]: DEFAULT_GLOBS });
    const schema = JSON.parse(run.written.get(join(dir, VSCODE_SCHEMA_FILE))!) as Json;
    expect(schema.title).toBe('TrueFoundry AI Gateway manifest');
    expectSelfContained(schema);
    expect(run.stdout).toContain(`wrote ${VSCODE_SCHEMA_FILE} (83 manifest types)`);
  });

  it('keeps other settings, other schema mappings and comments', async () => {
    mkdirSync(join(dir, '.vscode'));
    const before = [
      '{',
      '  // Team-wide editor settings.',
      '  "editor.tabSize": 2,',
      '  /* schemas for other files */',
      '  "yaml.schemas": {',
      '    "https://json.schemastore.org/github-workflow.json": ".github/workflows/*.yml"',
      '  },',
      '}',
      '',
    ].join('\n');
    writeFileSync(settingsPath(), before);
    const run = await runCli(['schema', '--write-vscode', '--glob', 'gateway/**/*.yaml'], dir);
    expect(run.code).toBe(0);
    const after = run.written.get(settingsPath())!;
    expect(after).toContain('// Team-wide editor settings.');
    expect(after).toContain('/* schemas for other files */');
    expect(after).toContain('"editor.tabSize": 2');
    expect(after).toContain('"https://json.schemastore.org/github-workflow.json": ".github/workflows/*.yml"');
    expect(after).toMatch(/"\.\/\.vscode\/tfy-lint\.schema\.json": \[\n\s+"gateway\/\*\*\/\*\.yaml"\n\s+\]/);
  });

  it('changes nothing in settings that already map the schema', () => {
    const once = addYamlSchemaSetting('', `./${VSCODE_SCHEMA_FILE}`, DEFAULT_GLOBS);
    expect(addYamlSchemaSetting(once, `./${VSCODE_SCHEMA_FILE}`, DEFAULT_GLOBS)).toBe(once);
  });

  it('keeps tabs and CRLF line ends', () => {
    const text = '{\r\n\t"files.eol": "\\r\\n"\r\n}\r\n';
    const out = addYamlSchemaSetting(text, './s.json', ['*.yaml']);
    expect(out).toBe('{\r\n\t"files.eol": "\\r\\n",\r\n\t"yaml.schemas": {\r\n\t\t"./s.json": [\r\n\t\t\t"*.yaml"\r\n\t\t]\r\n\t}\r\n}\r\n');
  });

  it('refuses settings it cannot parse, names the place, and leaves the file alone', async () => {
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(settingsPath(), '{\n  "editor.tabSize": 2\n  "files.eol": "\\n"\n}\n');
    const run = await runCli(['schema', '--write-vscode'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tfy-lint: \.vscode\/settings\.json:3:3: cannot parse \(CommaExpected\); fix it, then run tfy-lint schema --write-vscode again \(the file was not changed\)\n$/);
    expect(run.written.size).toBe(0);
    expect(readFileSync(settingsPath(), 'utf8')).toContain('"editor.tabSize": 2\n');
  });

  it('refuses a "yaml.schemas" that is not an object', () => {
    expect(() => addYamlSchemaSetting('{"yaml.schemas": []}', './s.json', ['*.yaml'])).toThrow(/must be an object mapping schema paths to globs/);
  });
});
