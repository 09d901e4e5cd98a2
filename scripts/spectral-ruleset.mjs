#!/usr/bin/env node
// Writes a Spectral ruleset that applies tfy-lint's JSON Schemas per manifest type, for the Spectral comparison of
// `npm run bench -- --compare spectral`:
//
//   node scripts/spectral-ruleset.mjs [--output FILE]      (default: stdout)
//
// One rule per type tfy-lint knows (`tfy-lint schema --list`): `given` selects the document root when its top-level
// `type` is that type, and the `schema` function validates it against that type's schema exactly as
// `tfy-lint schema TYPE` prints it (draft-07, self-contained). One more rule checks that `type` is present and a
// known type, as tfy-lint does before it picks a schema. Spectral builds a new ajv instance for every document and
// compiles the schemas of the rules that apply to it, so each document compiles only its own type's schema; with the
// combined schema (`tfy-lint schema`, every type in one) each document would compile all of them.
//
// The filter is on the root's `type` property and then `^` (its parent, the root): `$[?(@.type == 'x')]` would
// select the root's children whose `type` is x (e.g. `auth_data`), not the root.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.js');

/** Runs `node dist/cli.js schema ...args`; its stdout, or throws with its stderr. */
function schemaCommand(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'schema', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0
      ? resolve(Buffer.concat(out).toString())
      : reject(new Error(`node dist/cli.js schema ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim()}`))));
  });
}

/** The manifest types in the output of `tfy-lint schema --list` (the first column of each type's line). */
export function typesFromList(text) {
  return text.split('\n').map((l) => /^([a-z0-9][a-z0-9/-]*)\s{2,}\S/.exec(l)?.[1]).filter(Boolean);
}

/** The known manifest types, from `node dist/cli.js schema --list`. */
function listTypes() {
  const r = spawnSync(process.execPath, [CLI, 'schema', '--list'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node dist/cli.js schema --list exited ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  const types = typesFromList(r.stdout);
  if (types.length === 0) throw new Error('node dist/cli.js schema --list listed no types');
  return types;
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

/** The ruleset for every type dist/cli.js knows, each type's schema printed by `node dist/cli.js schema TYPE`. */
export async function buildRuleset({ concurrency = Math.max(1, os.availableParallelism?.() ?? os.cpus().length) } = {}) {
  const types = listTypes();
  const schemas = new Map();
  let next = 0;
  const worker = async () => {
    while (next < types.length) {
      const type = types[next++];
      schemas.set(type, JSON.parse(await schemaCommand([type])));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, types.length) }, worker));
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
    const { ruleset } = await buildRuleset();
    const text = `${JSON.stringify(ruleset)}\n`;
    if (opts.output) writeFileSync(opts.output, text);
    else process.stdout.write(text);
  } catch (e) {
    process.stderr.write(`spectral-ruleset: ${e.message}\n`);
    process.exit(2);
  }
}
