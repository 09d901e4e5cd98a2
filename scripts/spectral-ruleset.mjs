#!/usr/bin/env node
// Writes a Spectral ruleset that applies tfy-lint's JSON Schemas per manifest type, for the Spectral comparison of
// `npm run bench -- --compare spectral`:
//
//   node scripts/spectral-ruleset.mjs [--output FILE]      (default: stdout)
//
// One rule per type tfy-lint knows: `given` selects the document root when its top-level `type` is that type, and the
// `schema` function validates it against that type's schema as `tfy-lint schema TYPE` prints it (draft-07,
// self-contained; taken out of the combined schema `tfy-lint schema` prints, in one process). One more rule checks
// that `type` is present and a known type, as tfy-lint does before it picks a schema. Spectral builds a new ajv instance for every document and
// compiles the schemas of the rules that apply to it, so each document compiles only its own type's schema; with the
// combined schema (`tfy-lint schema`, every type in one) each document would compile all of them.
//
// The filter is on the root's `type` property and then `^` (its parent, the root): `$[?(@.type == 'x')]` would
// select the root's children whose `type` is x (e.g. `auth_data`), not the root.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.js');

/**
 * Each type's schema, taken out of the combined schema (`tfy-lint schema`): the type's root definition with the
 * definitions it reaches, as `tfy-lint schema TYPE` prints it but for its `$id`, which the combined schema drops from
 * the roots and which no reference uses (test/spectral-ruleset.test.ts compares the two for every type). One process
 * instead of one per type.
 */
export function typeSchemasFromCombined(combined) {
  const defs = combined.definitions ?? {};
  const refsOf = (node, acc) => {
    if (Array.isArray(node)) node.forEach((n) => refsOf(n, acc));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') {
          const name = /^#\/definitions\/([^/]+)$/.exec(v)?.[1];
          if (name === undefined || !Object.hasOwn(defs, name)) throw new Error(`the combined schema refers to ${v}, which it does not define`);
          acc.add(name);
        } else refsOf(v, acc);
      }
    }
    return acc;
  };
  const out = new Map();
  for (const type of combined.properties?.type?.enum ?? []) {
    const rootDef = defs[`manifest.${type.replaceAll('/', '.')}`];
    if (!rootDef) throw new Error(`the combined schema has no root definition for ${type}`);
    const seen = new Set();
    const visit = (node) => {
      for (const n of refsOf(node, new Set())) {
        if (!seen.has(n)) { seen.add(n); visit(defs[n]); }
      }
    };
    visit(rootDef);
    const definitions = Object.fromEntries([...seen].sort().map((n) => [n, defs[n]]));
    out.set(type, { $schema: combined.$schema, ...rootDef, ...(seen.size ? { definitions } : {}) });
  }
  if (out.size === 0) throw new Error('the combined schema lists no types');
  return out;
}

/** Runs `node dist/cli.js schema ...args`; its stdout, or throws with its stderr. */
function schemaCommand(args) {
  const r = spawnSync(process.execPath, [CLI, 'schema', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node dist/cli.js schema ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A JSONPath string literal for a type name (types are [a-z0-9/-], so quoting is enough; checked anyway). */
function literal(type) {
  if (!/^[a-z0-9/-]+$/.test(type)) throw new Error(`unexpected type name ${JSON.stringify(type)}`);
  return `'${type}'`;
}

/**
 * The ruleset (a JSON-able object): the type check plus one rule per type, `schemaOf(type)` giving that type's schema
 * as `tfy-lint schema TYPE` prints it.
 */
export function rulesetFor(types, schemaOf) {
  const rules = {
    'tfy-lint-type': {
      description: 'The document has a "type" that tfy-lint knows',
      given: '$',
      message: '{{error}}',
      severity: 'error',
      then: { function: 'schema', functionOptions: { schema: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: types } } }, dialect: 'draft7', allErrors: true } },
    },
  };
  for (const type of types) {
    rules[`tfy-lint-schema:${type}`] = {
      description: `tfy-lint's JSON Schema of ${type}`,
      given: `$[?(@property == 'type' && @ == ${literal(type)})]^`,
      message: '{{error}}',
      severity: 'error',
      then: { function: 'schema', functionOptions: { schema: schemaOf(type), dialect: 'draft7', allErrors: true } },
    };
  }
  return { rules };
}

/** The ruleset for every type dist/cli.js knows, from its combined schema (`node dist/cli.js schema`). */
export function buildRuleset() {
  const schemas = typeSchemasFromCombined(JSON.parse(schemaCommand([])));
  const types = [...schemas.keys()];
  return { ruleset: rulesetFor(types, (t) => schemas.get(t)), types };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let opts;
  try {
    opts = parseArgs({ options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    process.stderr.write(`spectral-ruleset: ${e.message}\nusage: node scripts/spectral-ruleset.mjs [--output FILE]\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write('usage: node scripts/spectral-ruleset.mjs [--output FILE]\n\nWrites a Spectral ruleset (JSON) applying tfy-lint\'s JSON Schema of each manifest type to the documents of that type.\n');
    process.exit(0);
  }
  try {
    const { ruleset } = buildRuleset();
    const text = `${JSON.stringify(ruleset)}\n`;
    if (opts.output) writeFileSync(opts.output, text);
    else process.stdout.write(text);
  } catch (e) {
    process.stderr.write(`spectral-ruleset: ${e.message}\n`);
    process.exit(2);
  }
}
