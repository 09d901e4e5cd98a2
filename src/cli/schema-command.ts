// CLI: `tfy-lint schema` prints self-contained JSON Schemas for editors and writes VS Code's yaml-language-server settings.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.ts';
import { closest, orList, quote } from '../core/text.ts';
import { loadSchemaSet, type SchemaSet } from '../validate/schemas.ts';
import type { Io } from './io.ts';

type Json = Record<string, unknown>;

const HELP = `Usage: tfy-lint schema [TYPE] [options]

Prints JSON Schemas (draft-07, self-contained: no external $ref) for editors such as VS Code with the
YAML extension (yaml-language-server).

  tfy-lint schema                  the combined schema of every manifest type, chosen by "type"
  tfy-lint schema TYPE             the schema of one type, e.g. provider-account/openai
  tfy-lint schema --list           the known types with their titles
  tfy-lint schema --write-vscode   write .vscode/tfy-lint.schema.json and map it in .vscode/settings.json

Options:
  -o, --output FILE   write the schema to FILE instead of stdout
      --list          list the manifest types
      --write-vscode  write the combined schema under .vscode/ and add it to "yaml.schemas" in
                      .vscode/settings.json (other settings and comments are kept)
      --glob GLOB     with --write-vscode: the files the schema applies to; repeatable
                      (default: every *.yaml / *.yml except CI, tooling and tfy-lint config files)
  -h, --help          show this help

Per file instead of per workspace, put a modeline at the top of the YAML file; the path is relative to
that file (or a URL):
  # yaml-language-server: $schema=../.vscode/tfy-lint.schema.json
`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  list: { type: 'boolean' },
  'write-vscode': { type: 'boolean' },
  glob: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where --write-vscode puts the schema, relative to the working directory, and how settings.json refers to it. */
export const VSCODE_SCHEMA_FILE = '.vscode/tfy-lint.schema.json';
const VSCODE_SCHEMA_KEY = `./${VSCODE_SCHEMA_FILE}`;

/**
 * Files the editor schema applies to by default: all YAML, minus files that are never manifests. yaml-language-server
 * reads a leading "!" as an exclusion.
 */
export const DEFAULT_GLOBS = [
  '**/*.yaml', '**/*.yml',
  '!**/.github/**', '!**/.gitlab-ci.yml', '!**/.pre-commit-config.yaml', '!**/docker-compose*.yml', '!**/docker-compose*.yaml',
  '!**/tfy-lint.config.yaml', '!**/.tfy-lint.yaml', '!**/node_modules/**',
];

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** Rewrites every $ref of a schema file to a local `#/definitions/<name>`; all definition names are global. */
function localRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(localRefs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string') {
      const name = /#\/definitions\/([^/]+)$/.exec(v)?.[1];
      if (!name) throw new Error(`schema reference ${v} is not to a definition`);
      out.$ref = `#/definitions/${name}`;
    } else {
      out[k] = localRefs(v);
    }
  }
  return out;
}

function refNames(node: unknown, acc: Set<string>): Set<string> {
  if (Array.isArray(node)) { node.forEach((n) => refNames(n, acc)); return acc; }
  if (!node || typeof node !== 'object') return acc;
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string') acc.add(v.slice('#/definitions/'.length));
    else refNames(v, acc);
  }
  return acc;
}

/** Every definition of the schema set (common and per type) by its global name, with local references. */
function allDefinitions(set: SchemaSet): Map<string, unknown> {
  const defs = new Map<string, unknown>();
  const add = (name: string, def: unknown, where: string) => {
    const local = localRefs(def);
    const prev = defs.get(name);
    if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(local)) {
      throw new Error(`definition ${name} differs between schema files (${where}); regenerate schemas/`);
    }
    defs.set(name, local);
  };
  const common = set.schema('common.schema.json').definitions as Json;
  for (const [n, d] of Object.entries(common)) add(n, d, 'common.schema.json');
  for (const { file } of Object.values(set.catalog.types)) {
    for (const [n, d] of Object.entries((set.schema(file).definitions ?? {}) as Json)) add(n, d, file);
  }
  return defs;
}

/** The definitions a node reaches, transitively, sorted by name. */
function reachable(root: unknown, defs: Map<string, unknown>): Json {
  const seen = new Set<string>();
  const visit = (node: unknown) => {
    for (const n of refNames(node, new Set())) {
      if (seen.has(n)) continue;
      if (!defs.has(n)) throw new Error(`schema references unknown definition ${n}`);
      seen.add(n);
      visit(defs.get(n));
    }
  };
  visit(root);
  return Object.fromEntries([...seen].sort().map((n) => [n, defs.get(n)]));
}

/** The schema of one manifest type, with every definition it uses inlined. */
export function typeSchema(set: SchemaSet, type: string): Json {
  const entry = set.catalog.types[type];
  if (!entry) throw new UsageError(unknownType(set, type));
  const { definitions: _local, $schema: _s, ...root } = set.schema(entry.file);
  const body = localRefs(root) as Json;
  const definitions = reachable(body, allDefinitions(set));
  return { $schema: DRAFT_07, ...body, ...(Object.keys(definitions).length ? { definitions } : {}) };
}

/** The root definition name of a type inside the combined schema (no "/", so the JSON pointer needs no escaping). */
export function rootDefinitionName(type: string): string {
  return `manifest.${type.replaceAll('/', '.')}`;
}

/**
 * One schema for every manifest type: `type` must be a known type, and an if/then per type applies that type's
 * schema, so an editor validates and completes a document against exactly one type.
 */
export function combinedSchema(set: SchemaSet): Json {
  const defs = allDefinitions(set);
  const types = Object.keys(set.catalog.types).sort();
  const definitions: Json = {};
  const roots: Json = {};
  for (const type of types) {
    const { definitions: _local, $schema: _s, $id: _id, ...root } = set.schema(set.catalog.types[type].file);
    roots[rootDefinitionName(type)] = localRefs(root);
  }
  for (const n of [...defs.keys()].sort()) {
    if (Object.hasOwn(roots, n)) throw new Error(`definition name ${n} collides with a type root`);
    definitions[n] = defs.get(n);
  }
  const { snapshot, sdkSnapshot, idBase } = set.catalog as typeof set.catalog & { sdkSnapshot?: string };
  return {
    $schema: DRAFT_07,
    $id: `${idBase}manifest.schema.json`,
    title: 'TrueFoundry AI Gateway manifest',
    description: `Any manifest tfy-lint knows (${types.length} types; platform schema ${snapshot}${sdkSnapshot ? `, SDK ${sdkSnapshot}` : ''}). The "type" field selects the schema.`,
    type: 'object',
    required: ['type'],
    properties: {
      type: { description: 'The manifest type; it decides which fields the document may have.', type: 'string', enum: types },
    },
    allOf: types.map((type) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: { $ref: `#/definitions/${rootDefinitionName(type)}` },
    })),
    definitions: { ...roots, ...definitions },
  };
}

function unknownType(set: SchemaSet, type: string): string {
  const wrong = set.catalog.wrongTypes[type];
  if (wrong) return `${quote(type)} is not a type the platform accepts${wrong.use ? `; use ${quote(wrong.use)}` : ''} (${wrong.why})`;
  const near = closest(type, Object.keys(set.catalog.types), 3);
  return `unknown manifest type ${quote(type)}${near.length ? ` (did you mean ${orList(near)}?)` : ''}; run "tfy-lint schema --list" to see them all`;
}

function listTypes(set: SchemaSet): string {
  const entries = Object.entries(set.catalog.types).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...entries.map(([t]) => t.length));
  const lines = entries.map(([t, e]) => `${t.padEnd(width)}  ${e.title}${e.source.startsWith('SDK') ? `  [${e.source}]` : ''}`);
  const { snapshot, sdkSnapshot } = set.catalog as typeof set.catalog & { sdkSnapshot?: string };
  return `${lines.join('\n')}\n\n${entries.length} types (platform schema ${snapshot}${sdkSnapshot ? ` plus SDK ${sdkSnapshot} additions` : ''})\n`;
}

interface JsoncParser {
  parse(text: string, errors: { error: number; offset: number }[], options: { allowTrailingComma: boolean }): unknown;
  modify(text: string, path: (string | number)[], value: unknown, options: { formattingOptions: { insertSpaces: boolean; tabSize: number; eol: string } }): { offset: number; length: number; content: string }[];
  applyEdits(text: string, edits: { offset: number; length: number; content: string }[]): string;
  printParseErrorCode(code: number): string;
}

/** jsonc-parser, loaded only when settings are edited (it is not needed to validate). */
function jsonc(): JsoncParser {
  return createRequire(import.meta.url)('jsonc-parser') as JsoncParser;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r?\n/);
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * Adds `yaml.schemas[schemaKey] = globs` to a VS Code settings text (JSON with comments), keeping everything else,
 * comments included. Refuses a file it cannot parse rather than rewriting it.
 */
export function addYamlSchemaSetting(text: string, schemaKey: string, globs: string[], file = '.vscode/settings.json'): string {
  const parser = jsonc();
  const source = text.trim() === '' ? '{}\n' : text;
  const errors: { error: number; offset: number }[] = [];
  const data = parser.parse(source, errors, { allowTrailingComma: true });
  if (errors.length) {
    const e = errors[0];
    throw new UsageError(`${file}:${lineColumn(source, e.offset)}: cannot parse (${parser.printParseErrorCode(e.error)}); fix it, then run tfy-lint schema --write-vscode again (the file was not changed)`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file} must hold a JSON object; the file was not changed`);
  const existing = (data as Json)['yaml.schemas'];
  if (existing !== undefined && (!existing || typeof existing !== 'object' || Array.isArray(existing))) {
    throw new UsageError(`"yaml.schemas" in ${file} must be an object mapping schema paths to globs; the file was not changed`);
  }
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)"/m.exec(source)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol };
  const edits = parser.modify(source, ['yaml.schemas', schemaKey], globs, { formattingOptions });
  const out = parser.applyEdits(source, edits);
  return out.endsWith(eol) ? out : `${out}${eol}`;
}

function writeVscode(set: SchemaSet, io: Io, globs: string[]): void {
  const schemaPath = join(io.cwd, VSCODE_SCHEMA_FILE);
  const settingsPath = join(dirname(schemaPath), 'settings.json');
  const before = existsSync(settingsPath) ? readFileSync(settingsPath, 'utf8') : '';
  const after = addYamlSchemaSetting(before, VSCODE_SCHEMA_KEY, globs, relative(io.cwd, settingsPath).split('\\').join('/'));
  // Compact: the file is large, read by the editor, and regenerated rather than edited.
  io.writeFile(schemaPath, `${JSON.stringify(combinedSchema(set))}\n`);
  if (after !== before) io.writeFile(settingsPath, after);
  const shown = (p: string) => relative(io.cwd, p).split('\\').join('/');
  io.stdout.write(`wrote ${shown(schemaPath)} (${Object.keys(set.catalog.types).length} manifest types)\n`);
  io.stdout.write(after !== before
    ? `updated ${shown(settingsPath)}: "yaml.schemas" maps ${VSCODE_SCHEMA_KEY} to ${globs.map((g) => JSON.stringify(g)).join(', ')}\n`
    : `${shown(settingsPath)} already maps ${VSCODE_SCHEMA_KEY}\n`);
  io.stdout.write('Install the YAML extension (redhat.vscode-yaml) to get validation, completion and hover in manifests.\n');
}

export async function runSchema(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown option'));
  }
  const { values, positionals } = parsed;
  if (values.help) { io.stdout.write(HELP); return 0; }
  if (positionals.length > 1) throw new UsageError(`tfy-lint schema takes at most one TYPE, not ${positionals.length}`);
  const [type] = positionals;
  const modes = [values.list && '--list', values['write-vscode'] && '--write-vscode', type !== undefined && 'TYPE'].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} cannot be combined`);
  if (values.glob && !values['write-vscode']) throw new UsageError('--glob only applies with --write-vscode');
  if (values.output && (values.list || values['write-vscode'])) throw new UsageError('--output only applies when printing a schema');

  const set = loadSchemaSet();
  if (values.list) { io.stdout.write(listTypes(set)); return 0; }
  if (values['write-vscode']) { writeVscode(set, io, values.glob?.length ? values.glob : DEFAULT_GLOBS); return 0; }
  const schema = type === undefined ? combinedSchema(set) : typeSchema(set, type);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (values.output) io.writeFile(resolve(io.cwd, values.output), text);
  else io.stdout.write(text);
  return 0;
}
