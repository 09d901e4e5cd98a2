// Editor support: yaml-language-server, driven in process with `tfy-lint schema`'s combined schema, reaches the same
// verdicts as tfy-lint's own validation over the fixtures, at the same lines, and completes a type's fields.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type LanguageService } from 'yaml-language-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { combinedSchema, DEFAULT_GLOBS } from '../../src/cli/schema-command.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { loadSchemaSet, validateManifest } from '../../src/validate/index.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'schema');
const SCHEMA_URI = 'file:///workspace/.vscode/tfy-lint.schema.json';

function fixtureFiles(kind: 'valid' | 'invalid'): string[] {
  return readdirSync(join(FIXTURES, kind)).filter((f) => f.endsWith('.yaml')).sort().map((f) => `${kind}/${f}`);
}

let service: LanguageService;

beforeAll(() => {
  const schema = JSON.stringify(combinedSchema(loadSchemaSet()));
  service = getLanguageService({
    schemaRequestService: async (uri) => {
      if (uri === SCHEMA_URI) return schema;
      throw new Error(`no schema at ${uri}`);
    },
    workspaceContext: { resolveRelativePath: (path, resource) => new URL(path, resource).toString() },
  });
  service.configure({ validate: true, completion: true, hover: true, schemas: [{ uri: SCHEMA_URI, fileMatch: DEFAULT_GLOBS }] });
});

let version = 0;
/** A new document version each time: yaml-language-server caches what it parsed by URI and version. */
function document(path: string, text: string): TextDocument {
  version += 1;
  return TextDocument.create(`file:///workspace/${path}`, 'yaml', version, text);
}

/**
 * The 1-based lines yaml-language-server reports problems on. It reports schema violations as warnings (severity 2)
 * and YAML syntax errors as errors (1); both mean the document is invalid.
 */
async function editorLines(path: string, text: string): Promise<Set<number>> {
  const diagnostics = await service.doValidation(document(path, text), false);
  return new Set(diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => d.range.start.line + 1));
}

/** The 1-based lines tfy-lint reports schema or syntax errors on, over every document of the file. */
function tfyLintLines(path: string, text: string): Set<number> {
  const parsed = parseSource({ path, text });
  const schemas = loadSchemaSet();
  const diagnostics = [...parsed.diagnostics, ...parsed.manifests.flatMap((m) => validateManifest(m, schemas))];
  return new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.range.start.line));
}

describe('yaml-language-server with the combined schema', () => {
  it.each(fixtureFiles('valid'))('%s is valid for both', async (file) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    expect([...tfyLintLines(file, text)]).toEqual([]);
    expect([...await editorLines(file, text)]).toEqual([]);
  });

  it.each(fixtureFiles('invalid'))('%s is invalid for both, at the same lines', async (file) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const ours = [...tfyLintLines(file, text)].sort((a, b) => a - b);
    const editor = [...await editorLines(file, text)].sort((a, b) => a - b);
    expect(ours.length).toBeGreaterThan(0);
    expect(editor).toEqual(ours);
  });

  it('completes the fields of the document\'s type', async () => {
    const text = 'type: provider-account/openai\nname: openai-main\n\n';
    const list = await service.doComplete(document('manifests/openai.yaml', text), { line: 2, character: 0 }, false);
    const labels = list.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['auth_data', 'base_url', 'integrations', 'collaborators', 'ownedBy', 'discount_percent']));
    expect(labels).not.toContain('region');
  });

  it('completes the fields of a model inside the account', async () => {
    const text = 'type: provider-account/openai\nname: openai-main\nintegrations:\n  - type: integration/model/openai\n    m\n';
    const list = await service.doComplete(document('manifests/openai.yaml', text), { line: 4, character: 5 }, false);
    expect(list.items.map((i) => i.label)).toEqual(expect.arrayContaining(['name', 'model_id', 'model_types', 'cost', 'authorized_subjects']));
  });

  it('offers the manifest types as values of "type"', async () => {
    const list = await service.doComplete(document('manifests/new.yaml', 'type: \n'), { line: 0, character: 6 }, false);
    const labels = list.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['provider-account/openai', 'gateway-rate-limiting-config', 'provider-account/custom-endpoint']));
  });

  it('shows tfy-lint\'s descriptions on hover', async () => {
    const text = readFileSync(join(FIXTURES, 'valid/provider-account-openai.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('discount_percent'));
    const hover = await service.doHover(document('manifests/openai.yaml', text), { line, character: 2 });
    expect(JSON.stringify(hover?.contents)).toContain('list price');
  });

  it('leaves files the default globs exclude alone', async () => {
    const text = 'rules:\n  no-raw-secrets: error\n';
    expect([...await editorLines('tfy-lint.config.yaml', text)]).toEqual([]);
    expect([...await editorLines('gateway/not-a-manifest.yaml', text)]).not.toEqual([]);
  });

  it('follows a "# yaml-language-server: $schema=" modeline relative to the file', async () => {
    const schema = JSON.stringify(combinedSchema(loadSchemaSet()));
    const plain = getLanguageService({
      schemaRequestService: async (uri) => { if (uri === SCHEMA_URI) return schema; throw new Error(`no schema at ${uri}`); },
      workspaceContext: { resolveRelativePath: (path, resource) => new URL(path, resource).toString() },
    });
    plain.configure({ validate: true, schemas: [] });
    const text = '# yaml-language-server: $schema=../.vscode/tfy-lint.schema.json\ntype: team\nname: backend\nmembers: bob@example.com\n';
    const diagnostics = await plain.doValidation(document('gateway/team.yaml', text), false);
    expect(diagnostics.map((d) => d.range.start.line + 1)).toEqual([4]);
    expect([...tfyLintLines('gateway/team.yaml', text)]).toEqual([4]);
  });
});
