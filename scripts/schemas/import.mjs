#!/usr/bin/env node
// Schema generation: builds schemas/ from the platform's reference schema snapshot plus tfy-lint's own additions.
//
// Inputs:  ../shared/reference/tfy-manifest-schemas-2026-04-13.json (facts: field names, types, patterns, defaults)
//          scripts/schemas/sdk-additions.mjs  types and fields only in the platform's 2026-06-30 SDKs
//          scripts/schemas/additions.mjs      tfy-lint's own changes: required gateway `name`, wrong type strings,
//                                             definition names, shared definitions
//          scripts/schemas/descriptions.mjs   titles and descriptions, in tfy-lint's words (shown in editors)
// Output:  schemas/<type>.schema.json, schemas/common.schema.json, schemas/catalog.json
//
// The transformation keeps the platform's constraints and rewrites the structure for precise errors:
// discriminated unions become if/then chains keyed on their discriminator, so a document with a known
// discriminator is checked against exactly one branch; definitions shared by several types (same content, whatever
// their reference names) move to common.schema.json. Reference prose is not copied. A property without a description
// is an error, as is a group of same-content definitions whose shared name nobody chose.
//
// Usage: node scripts/schemas/import.mjs [--check]   (--check exits 1 when schemas/ differs from what it would write)
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyAdditions, derivedWrongTypes, guardrailFolderWrongTypes, ID_BASE, SHARED_NAMES, SNAPSHOT, WRONG_TYPES } from './additions.mjs';
import { DESCRIPTIONS, TYPE_DOCS } from './descriptions.mjs';
import { applySdkAdditions, SDK_SNAPSHOT, SDK_SOURCE } from './sdk-additions.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const referencePath = process.env.TFY_REFERENCE_SCHEMAS ?? join(repo, '..', 'shared', 'reference', `tfy-manifest-schemas-${SNAPSHOT}.json`);
const outDir = join(repo, 'schemas');
const REFERENCE_SOURCE = `reference ${SNAPSHOT}`;

const clone = (x) => JSON.parse(JSON.stringify(x));
const stable = (x) => JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

/** The single literal a property schema pins a value to, or undefined. */
function literalOf(prop) {
  if (!prop || typeof prop !== 'object') return undefined;
  if ('const' in prop) return prop.const;
  if (Array.isArray(prop.enum) && prop.enum.length === 1) return prop.enum[0];
  if (typeof prop.pattern === 'string') {
    const m = /^\^([A-Za-z0-9_\-/]+)\$$/.exec(prop.pattern);
    if (m) return m[1];
  }
  return undefined;
}

/** Removes reference prose and pydantic's generated titles; turns single-value enums of `type` into const. */
function scrub(node, key) {
  if (Array.isArray(node)) return node.map((n) => scrub(n));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k === 'title' || k === 'discriminator') continue;
    if (k === 'properties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, scrub(pv, pk)]));
      continue;
    }
    out[k] = scrub(v);
  }
  if (key === 'type' && Array.isArray(out.enum) && out.enum.length === 1) {
    out.const = out.enum[0];
    delete out.enum;
  }
  if (typeof out.pattern === 'string') out.pattern = unicodeSafePattern(out.pattern);
  return out;
}

/** Patterns must compile with the `u` flag: drop escapes of characters that need none (e.g. `\'`). */
function unicodeSafePattern(p) {
  try { new RegExp(p, 'u'); return p; } catch { /* fall through */ }
  const fixed = p.replace(/\\([^\\\-\]\[^$.|?*+(){}dDwWsSbBnrtfv0-9\/])/g, '$1');
  new RegExp(fixed, 'u');
  return fixed;
}

/** Rewrites anyOf/oneOf unions of objects that share a literal discriminator into if/then chains. */
function rewriteUnions(node, defs, report, where) {
  if (Array.isArray(node)) return node.map((n, i) => rewriteUnions(n, defs, report, `${where}/${i}`));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = rewriteUnions(v, defs, report, `${where}/${k}`);
  for (const kw of ['anyOf', 'oneOf']) {
    const branches = out[kw];
    if (!Array.isArray(branches) || branches.length < 2) continue;
    const targets = branches.map((b) => (b.$ref?.startsWith('#/definitions/') ? defs[b.$ref.slice(14)] : b));
    if (!targets.every((t) => t && t.type === 'object' && t.properties)) continue;
    const candidates = Object.keys(targets[0].properties).filter((p) => targets.every((t) => literalOf(t.properties[p]) !== undefined));
    candidates.sort((a, b) => (a === 'type' ? -1 : b === 'type' ? 1 : a.localeCompare(b)));
    const prop = candidates.find((p) => new Set(targets.map((t) => literalOf(t.properties[p]))).size === targets.length);
    if (!prop) { report.push(`union without discriminator kept as ${kw}: ${where}`); continue; }
    const values = targets.map((t) => literalOf(t.properties[prop]));
    const optional = targets.filter((t) => !(t.required ?? []).includes(prop));
    if (optional.length) report.push(`discriminator '${prop}' optional in ${optional.length} branch(es): ${where}`);
    delete out[kw];
    out.type = 'object';
    out.required = [prop];
    out.properties = { [prop]: { enum: values } };
    out.allOf = branches.map((b, i) => ({ if: { properties: { [prop]: { const: values[i] } }, required: [prop] }, then: b }));
  }
  return out;
}

function refsIn(node, acc = new Set()) {
  if (Array.isArray(node)) { node.forEach((n) => refsIn(n, acc)); return acc; }
  if (!node || typeof node !== 'object') return acc;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/definitions/')) acc.add(node.$ref.slice(14));
  for (const v of Object.values(node)) refsIn(v, acc);
  return acc;
}

/** Rewrites `#/definitions/<name>` references through `to(name)` (a new reference string). */
function mapRefs(node, to) {
  if (Array.isArray(node)) return node.map((n) => mapRefs(n, to));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/') ? to(v.slice(14)) : mapRefs(v, to);
  }
  return out;
}

/** Drops definitions nothing reaches from the root. */
function pruneUnused(t) {
  const reach = new Set();
  const walk = (n) => { for (const r of refsIn(n)) if (!reach.has(r)) { reach.add(r); walk(t.defs[r]); } };
  walk(t.root);
  t.defs = Object.fromEntries(Object.entries(t.defs).filter(([n]) => reach.has(n)));
}

/**
 * Gives every definition a global name: definitions with the same content (their references compared by global
 * name) share one, chosen in SHARED_NAMES. Repeats until stable, because merging two definitions can make the
 * definitions that reference them equal too. Returns name -> content for every global name.
 */
function canonicalize(types) {
  const memberOf = new Map();
  for (const [chosen, members] of Object.entries(SHARED_NAMES)) for (const m of members) memberOf.set(m, chosen);
  const global = new Map(); // `${type}\0${local}` -> global name
  const key = (type, local) => `${type}\u0000${local}`;
  for (const [type, t] of Object.entries(types)) for (const n of Object.keys(t.defs)) global.set(key(type, n), n);
  const shapeOf = (type, n) => stable(mapRefs(types[type].defs[n], (r) => `#/definitions/${global.get(key(type, r))}`));
  for (let round = 0; round < 20; round++) {
    const groups = new Map();
    for (const [type, t] of Object.entries(types)) {
      for (const n of Object.keys(t.defs)) {
        const s = shapeOf(type, n);
        if (!groups.has(s)) groups.set(s, []);
        groups.get(s).push(key(type, n));
      }
    }
    let changed = false;
    const unnamed = [];
    for (const members of groups.values()) {
      const names = [...new Set(members.map((k) => global.get(k)))];
      if (names.length === 1) continue;
      const chosen = [...new Set(names.map((n) => (SHARED_NAMES[n] ? n : memberOf.get(n))))];
      if (chosen.length !== 1 || chosen[0] === undefined || names.some((n) => n !== chosen[0] && memberOf.get(n) !== chosen[0])) {
        unnamed.push(names.sort().join(', '));
        continue;
      }
      for (const k of members) if (global.get(k) !== chosen[0]) { global.set(k, chosen[0]); changed = true; }
    }
    if (unnamed.length) throw new Error(`definitions with the same content need one shared name in additions.mjs SHARED_NAMES:\n  ${unnamed.join('\n  ')}`);
    if (!changed) break;
  }
  const byName = new Map();
  for (const [type, t] of Object.entries(types)) {
    const defs = {};
    for (const [n, d] of Object.entries(t.defs)) {
      const g = global.get(key(type, n));
      defs[g] = mapRefs(d, (r) => `#/definitions/${global.get(key(type, r))}`);
      const shape = stable(defs[g]);
      if (!byName.has(g)) byName.set(g, { shape, types: new Set() });
      if (byName.get(g).shape !== shape) throw new Error(`definition name ${g} has different contents in different types (e.g. ${type}); rename one in additions.mjs RENAMES or sdk-additions.mjs`);
      byName.get(g).types.add(type);
    }
    t.root = mapRefs(t.root, (r) => `#/definitions/${global.get(key(type, r))}`);
    t.defs = defs;
  }
  return byName;
}

/** The DESCRIPTIONS scopes a wildcard key such as 'integration/model/*' matches, most specific first. */
function wildcardScopes(typeString) {
  if (typeof typeString !== 'string') return [];
  return Object.keys(DESCRIPTIONS)
    .filter((k) => k.includes('*') && k.length > 1 && !k.startsWith('*'))
    .filter((k) => new RegExp(`^${k.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(typeString))
    .sort((a, b) => b.length - a.length);
}

/**
 * Adds a description to every property of every object schema, looked up along `scopes`. A `{const}` in the text
 * stands for the value the property is pinned to. Inline objects (a union's discriminator, say) are looked up under
 * `<scope>.<property>` and then under '*union'. Returns the properties nothing describes.
 */
function describe(node, scopes, missing, where) {
  if (Array.isArray(node)) { node.forEach((n, i) => describe(n, scopes, missing, `${where}/${i}`)); return; }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'if' || k === 'properties') continue;
    describe(v, k === 'then' || k === 'allOf' || k === 'items' || k === 'anyOf' || k === 'oneOf' ? scopes : scopes.map((s) => `${s}.${k}`).concat(['*']), missing, `${where}/${k}`);
  }
  if (!node.properties) return;
  const isUnion = Array.isArray(node.allOf) && node.allOf.some((b) => b.if);
  for (const [prop, schema] of Object.entries(node.properties)) {
    const chain = isUnion ? [...scopes.filter((sc) => sc !== '*'), '*union', '*'] : scopes;
    const scope = chain.find((s) => DESCRIPTIONS[s] && Object.hasOwn(DESCRIPTIONS[s], prop));
    if (!scope) { missing.push(`${where}: ${prop} (scopes ${chain.join(', ')})`); continue; }
    const literal = literalOf(schema);
    const text = DESCRIPTIONS[scope][prop].replaceAll('{const}', literal === undefined ? '' : String(literal));
    node.properties[prop] = { description: text, ...schema };
    describe(schema, [...scopes.map((s) => `${s}.${prop}`), '*'], missing, `${where}/properties/${prop}`);
  }
}

function scopesForDef(name, def) {
  const c = literalOf(def?.properties?.type);
  return [name, ...(typeof c === 'string' ? [c, ...wildcardScopes(c)] : []), '*'];
}

export function buildSchemas(reference) {
  const report = [];
  const raw = clone(reference.schemas);
  const sdk = applySdkAdditions(raw);
  const types = {};
  for (const [type, rawSchema] of Object.entries(raw)) {
    const s = scrub(clone(rawSchema));
    const defs = s.definitions ?? {};
    delete s.definitions;
    for (const [name, d] of Object.entries(defs)) defs[name] = rewriteUnions(d, defs, report, `${type}#/definitions/${name}`);
    const root = rewriteUnions(s, defs, report, `${type}#`);
    types[type] = { root, defs };
  }
  applyAdditions(types, report);
  for (const t of Object.values(types)) pruneUnused(t);
  const byName = canonicalize(types);

  // Descriptions, then titles. Definitions are described once, by name, so shared ones stay identical.
  const missing = [];
  const describedDefs = new Map();
  for (const [name] of byName) {
    const owner = Object.values(types).find((t) => t.defs[name]);
    const def = clone(owner.defs[name]);
    describe(def, scopesForDef(name, def), missing, `definitions/${name}`);
    describedDefs.set(name, def);
  }
  for (const [type, t] of Object.entries(types)) {
    describe(t.root, [type, ...wildcardScopes(type), '*root', '*'], missing, type);
    for (const n of Object.keys(t.defs)) t.defs[n] = describedDefs.get(n);
  }
  const undocumented = Object.keys(types).filter((type) => !TYPE_DOCS[type]);
  if (undocumented.length) missing.push(...undocumented.map((type) => `${type}: no title in descriptions.mjs TYPE_DOCS`));
  if (missing.length) {
    const err = new Error(`${missing.length} schema properties or types have no description in scripts/schemas/descriptions.mjs:\n  ${missing.join('\n  ')}`);
    err.missing = missing;
    throw err;
  }

  const common = new Set([...byName].filter(([, e]) => e.types.size > 1).map(([n]) => n));
  const files = new Map();
  const commonDefs = {};
  for (const n of [...common].sort()) commonDefs[n] = describedDefs.get(n);
  files.set('common.schema.json', {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${ID_BASE}common.schema.json`,
    title: 'Definitions shared by several TrueFoundry manifest types',
    definitions: commonDefs,
  });

  const known = Object.keys(types).sort();
  const integrationTypes = new Set();
  JSON.stringify(types, (k, v) => { if (k === 'const' && typeof v === 'string' && v.startsWith('integration/')) integrationTypes.add(v); return v; });
  const wrongTypes = { ...derivedWrongTypes(known), ...guardrailFolderWrongTypes([...integrationTypes].sort()), ...WRONG_TYPES };
  for (const w of Object.keys(wrongTypes)) if (known.includes(w) || integrationTypes.has(w)) throw new Error(`wrong type ${w} is a type the schemas accept`);
  const catalog = {
    snapshot: SNAPSHOT,
    sdkSnapshot: SDK_SNAPSHOT,
    idBase: ID_BASE,
    types: {},
    wrongTypes: Object.fromEntries(Object.keys(wrongTypes).sort().map((k) => [k, wrongTypes[k]])),
  };
  for (const type of known) {
    const { root, defs } = types[type];
    const [title, description] = TYPE_DOCS[type];
    const file = `${type}.schema.json`;
    const depth = type.split('/').length - 1;
    const prefix = `${'../'.repeat(depth)}common.schema.json`;
    const toFile = (r) => (common.has(r) ? `${prefix}#/definitions/${r}` : `#/definitions/${r}`);
    const local = Object.fromEntries(Object.keys(defs).sort().filter((n) => !common.has(n)).map((n) => [n, mapRefs(defs[n], toFile)]));
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${ID_BASE}${file}`,
      title,
      description,
      ...mapRefs(root, toFile),
      ...(Object.keys(local).length ? { definitions: local } : {}),
    };
    files.set(file, schema);
    const isNew = sdk.added.includes(type);
    catalog.types[type] = {
      file,
      title,
      source: isNew ? SDK_SOURCE : REFERENCE_SOURCE,
      ...(!isNew && sdk.changes.has(type) ? { sdkChanges: sdk.changes.get(type) } : {}),
    };
  }
  files.set('catalog.json', catalog);
  return { files, report };
}

function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p).split('\\').join('/')];
  });
}

// tfy-lint's own schemas (config, policy) are written by hand, not generated.
const MANAGED = (f) => (f.endsWith('.schema.json') && !f.startsWith('tfy-lint.')) || f === 'catalog.json';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const reference = JSON.parse(readFileSync(referencePath, 'utf8'));
  let built;
  try {
    built = buildSchemas(reference);
  } catch (e) {
    console.error(`import.mjs: ${e.message}`);
    process.exit(1);
  }
  const { files, report } = built;
  const wanted = new Map([...files].map(([f, s]) => [f, `${JSON.stringify(s, null, 2)}\n`]));
  const existing = listFiles(outDir).filter(MANAGED);
  const stale = existing.filter((f) => !wanted.has(f)).concat([...wanted].filter(([f, t]) => !existsSync(join(outDir, f)) || readFileSync(join(outDir, f), 'utf8') !== t).map(([f]) => f));
  if (check) {
    if (stale.length) { console.error(`schemas/ is stale (${stale.length} files differ), run: node scripts/schemas/import.mjs\n  ${stale.slice(0, 10).join('\n  ')}`); process.exit(1); }
    console.log(`schemas/ is up to date (${wanted.size} files)`);
  } else {
    for (const f of existing) if (!wanted.has(f)) rmSync(join(outDir, f));
    for (const [f, t] of wanted) { mkdirSync(dirname(join(outDir, f)), { recursive: true }); writeFileSync(join(outDir, f), t); }
    for (const line of report) console.log(`note: ${line}`);
    console.log(`wrote ${wanted.size} files to schemas/`);
  }
}
