#!/usr/bin/env node
// Schema generation: builds schemas/ from the platform's reference schema snapshot plus tfy-lint's own additions.
//
// Input:  ../shared/reference/tfy-manifest-schemas-2026-04-13.json (facts: field names, types, patterns, defaults)
//         scripts/schemas/additions.mjs (tfy-lint's own changes: required gateway `name`, SDK-only types, titles, descriptions)
// Output: schemas/<type>.schema.json, schemas/common.schema.json, schemas/catalog.json
//
// The transformation keeps the platform's constraints and rewrites the structure for precise errors:
// discriminated unions become if/then chains keyed on their discriminator, so a document with a known
// discriminator is checked against exactly one branch; definitions shared verbatim by several types move to
// common.schema.json. Reference prose is not copied: descriptions come from additions.mjs.
//
// Usage: node scripts/schemas/import.mjs [--check]   (--check exits 1 when schemas/ differs from what it would write)
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyAdditions, SNAPSHOT, ID_BASE, WRONG_TYPES } from './additions.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const referencePath = process.env.TFY_REFERENCE_SCHEMAS ?? join(repo, '..', 'shared', 'reference', `tfy-manifest-schemas-${SNAPSHOT}.json`);
const outDir = join(repo, 'schemas');

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

function retarget(node, moved, prefix) {
  if (Array.isArray(node)) return node.map((n) => retarget(n, moved, prefix));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/') && moved.has(v.slice(14)))
      ? `${prefix}#/definitions/${v.slice(14)}` : retarget(v, moved, prefix);
  }
  return out;
}

export function buildSchemas(reference) {
  const report = [];
  const types = {};
  for (const [type, raw] of Object.entries(reference.schemas)) {
    const s = scrub(clone(raw));
    const defs = s.definitions ?? {};
    delete s.definitions;
    for (const [name, d] of Object.entries(defs)) defs[name] = rewriteUnions(d, defs, report, `${type}#/definitions/${name}`);
    const root = rewriteUnions(s, defs, report, `${type}#`);
    types[type] = { root, defs };
  }
  applyAdditions(types, report);

  // Definitions identical (by name and content) in two or more types move to common.schema.json, as long as
  // everything they reference moves too.
  const byName = new Map();
  for (const { defs } of Object.values(types)) {
    for (const [name, d] of Object.entries(defs)) {
      const e = byName.get(name) ?? { count: 0, shapes: new Set(), def: d };
      e.count += 1; e.shapes.add(stable(d)); byName.set(name, e);
    }
  }
  const common = new Set([...byName].filter(([, e]) => e.count > 1 && e.shapes.size === 1).map(([n]) => n));
  for (let changed = true; changed;) {
    changed = false;
    for (const n of [...common]) {
      if ([...refsIn(byName.get(n).def)].some((r) => !common.has(r))) { common.delete(n); changed = true; }
    }
  }

  const files = new Map();
  const commonDefs = {};
  for (const n of [...common].sort()) commonDefs[n] = retarget(byName.get(n).def, new Set(), '');
  files.set('common.schema.json', {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${ID_BASE}common.schema.json`,
    title: 'Definitions shared by several TrueFoundry manifest types',
    definitions: commonDefs,
  });

  const catalog = { snapshot: SNAPSHOT, idBase: ID_BASE, types: {}, wrongTypes: WRONG_TYPES };
  for (const type of Object.keys(types).sort()) {
    const { root, defs, meta } = types[type];
    const file = `${type}.schema.json`;
    const depth = type.split('/').length - 1;
    const prefix = `${'../'.repeat(depth)}common.schema.json`;
    const local = Object.fromEntries(Object.keys(defs).sort().filter((n) => !common.has(n)).map((n) => [n, retarget(defs[n], common, prefix)]));
    const body = retarget(root, common, prefix);
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${ID_BASE}${file}`,
      title: meta?.title ?? type,
      ...(meta?.description ? { description: meta.description } : {}),
      ...body,
      ...(Object.keys(local).length ? { definitions: local } : {}),
    };
    files.set(file, schema);
    catalog.types[type] = { file, title: schema.title, source: meta?.source ?? `reference ${SNAPSHOT}` };
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

const MANAGED = (f) => f.endsWith('.schema.json') && f !== 'tfy-lint.config.schema.json' || f === 'catalog.json';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const reference = JSON.parse(readFileSync(referencePath, 'utf8'));
  const { files, report } = buildSchemas(reference);
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
