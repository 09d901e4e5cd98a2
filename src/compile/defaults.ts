// Compile: fills in the defaults the JSON Schemas declare, so that "left out" and "written as the default" compare equal.
import { posix } from 'node:path';
import { isRecord } from '../core/jsonpath.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import { setOwn } from '../core/own.ts';

type Schema = Record<string, unknown>;

/** A schema node together with the file it sits in (its `$ref`s are relative to that file). */
interface At { file: string; node: Schema }

/**
 * A copy of `data` with every schema default filled in where the property is absent. The schema is picked by the
 * document's `type`; `$ref`s are followed (within a file and across files such as common.schema.json), `allOf`
 * members all apply, an `if`/`then`/`else` chain applies the branch its discriminator selects, and of an
 * `anyOf`/`oneOf` only the first branch the value matches applies. Defaults are only added inside objects that exist
 * (an absent `retry_config` stays absent). A document of an unknown type is returned as a plain copy. Pure: neither
 * the input nor the schemas are changed.
 */
export function applyDefaults(data: unknown, schemas: SchemaSet): unknown {
  const copy = clone(data);
  if (!isRecord(copy) || typeof copy.type !== 'string') return copy;
  const entry = Object.hasOwn(schemas.catalog.types, copy.type) ? schemas.catalog.types[copy.type] : undefined;
  if (!entry) return copy;
  let walker = walkers.get(schemas);
  if (!walker) { walker = new Walker(schemas); walkers.set(schemas, walker); }
  return walker.fill(copy, [{ file: entry.file, node: schemas.schema(entry.file) }], 0);
}

/** One walker per schema set, so that resolved `$ref`s are shared by every document. */
const walkers = new WeakMap<SchemaSet, Walker>();

const MAX_DEPTH = 64;

class Walker {
  private readonly refs = new Map<string, At>();
  constructor(private readonly schemas: SchemaSet) {}

  /** Fills defaults into `value` (already a private copy) under every schema in `list`; returns the value. */
  fill(value: unknown, list: At[], depth: number): unknown {
    if (depth > MAX_DEPTH) return value;
    const applicable = this.expand(list, value, depth);
    if (isRecord(value)) {
      const props = new Map<string, At[]>();
      const extra: At[] = [];
      for (const s of applicable) {
        if (isRecord(s.node.properties)) {
          for (const [k, p] of Object.entries(s.node.properties)) {
            if (!isRecord(p)) continue;
            const l = props.get(k) ?? [];
            l.push({ file: s.file, node: p });
            props.set(k, l);
          }
        }
        if (isRecord(s.node.additionalProperties)) extra.push({ file: s.file, node: s.node.additionalProperties });
      }
      for (const [k, ps] of props) {
        if (Object.hasOwn(value, k)) {
          value[k] = this.fill(value[k], ps, depth + 1);
        } else {
          const d = this.defaultOf(ps);
          if (d !== undefined) value[k] = this.fill(clone(d.value), ps, depth + 1);
        }
      }
      if (extra.length) {
        for (const k of Object.keys(value)) if (!props.has(k)) setOwn(value, k, this.fill(value[k], extra, depth + 1));
      }
    } else if (Array.isArray(value)) {
      const items: At[] = [];
      for (const s of applicable) if (isRecord(s.node.items)) items.push({ file: s.file, node: s.node.items });
      if (items.length) for (let i = 0; i < value.length; i++) value[i] = this.fill(value[i], items, depth + 1);
    }
    return value;
  }

  /** The first `default` among the schemas (each followed through its `$ref`s), wrapped to tell it from "none". */
  private defaultOf(list: At[]): { value: unknown } | undefined {
    for (const s of list) {
      let cur: At | undefined = s;
      for (let hops = 0; cur && hops < 16; hops++) {
        if (Object.hasOwn(cur.node, 'default')) return { value: cur.node.default };
        cur = typeof cur.node.$ref === 'string' ? this.resolve(cur.file, cur.node.$ref) : undefined;
      }
    }
    return undefined;
  }

  /** Every schema that applies to `value`: the given ones, their `$ref` targets, `allOf` members and selected branches. */
  private expand(list: At[], value: unknown, depth: number): At[] {
    const out: At[] = [];
    const seen = new Set<Schema>();
    const visit = (s: At, d: number) => {
      if (d > MAX_DEPTH || seen.has(s.node)) return;
      seen.add(s.node);
      out.push(s);
      const n = s.node;
      if (typeof n.$ref === 'string') {
        const r = this.resolve(s.file, n.$ref);
        if (r) visit(r, d + 1);
      }
      if (Array.isArray(n.allOf)) for (const m of n.allOf) if (isRecord(m)) visit({ file: s.file, node: m }, d + 1);
      if (isRecord(n.if)) {
        const branch = this.matches(value, { file: s.file, node: n.if }, d) ? n.then : n.else;
        if (isRecord(branch)) visit({ file: s.file, node: branch }, d + 1);
      }
      for (const key of ['anyOf', 'oneOf'] as const) {
        const alts = n[key];
        if (!Array.isArray(alts)) continue;
        const hit = alts.find((a) => isRecord(a) && this.matches(value, { file: s.file, node: a }, d));
        if (isRecord(hit)) visit({ file: s.file, node: hit }, d + 1);
      }
    };
    for (const s of list) visit(s, depth);
    return out;
  }

  /**
   * Whether `value` satisfies a schema, for choosing branches. Understands the keywords discriminators use (`const`,
   * `enum`, `type`, `required`, `properties`, `$ref`, `allOf`, `anyOf`, `oneOf`, `not`); any other keyword is taken
   * as satisfied.
   */
  private matches(value: unknown, s: At, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const n = s.node;
    if (Object.hasOwn(n, 'const') && !sameJson(n.const, value)) return false;
    if (Array.isArray(n.enum) && !n.enum.some((e) => sameJson(e, value))) return false;
    if (n.type !== undefined && !hasType(value, n.type)) return false;
    if (typeof n.$ref === 'string') {
      const r = this.resolve(s.file, n.$ref);
      if (r && !this.matches(value, r, depth + 1)) return false;
    }
    if (isRecord(value)) {
      if (Array.isArray(n.required) && n.required.some((k) => typeof k === 'string' && !Object.hasOwn(value, k))) return false;
      if (isRecord(n.properties)) {
        for (const [k, p] of Object.entries(n.properties)) {
          if (Object.hasOwn(value, k) && isRecord(p) && !this.matches(value[k], { file: s.file, node: p }, depth + 1)) return false;
        }
      }
    }
    if (Array.isArray(n.allOf) && n.allOf.some((m) => isRecord(m) && !this.matches(value, { file: s.file, node: m }, depth + 1))) return false;
    for (const key of ['anyOf', 'oneOf'] as const) {
      const alts = n[key];
      if (Array.isArray(alts) && !alts.some((m) => isRecord(m) && this.matches(value, { file: s.file, node: m }, depth + 1))) return false;
    }
    if (isRecord(n.not) && this.matches(value, { file: s.file, node: n.not }, depth + 1)) return false;
    return true;
  }

  /** Resolves `other.schema.json#/definitions/X`, `#/definitions/X` or `other.schema.json` relative to `file`. */
  private resolve(file: string, ref: string): At | undefined {
    const key = `${file}\u0000${ref}`;
    if (this.refs.has(key)) return this.refs.get(key);
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let target: At | undefined;
    try {
      const targetFile = filePart ? posix.normalize(posix.join(posix.dirname(file), filePart)) : file;
      let node: unknown = this.schemas.schema(targetFile);
      for (const raw of pointer.split('/').filter(Boolean)) {
        const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        node = isRecord(node) ? node[seg] : Array.isArray(node) ? node[Number(seg)] : undefined;
      }
      if (isRecord(node)) target = { file: targetFile, node };
    } catch {
      target = undefined;
    }
    this.refs.set(key, target as At);
    return target;
  }
}

function hasType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'object': return isRecord(value);
      case 'array': return Array.isArray(value);
      case 'string': return typeof value === 'string';
      case 'integer': return typeof value === 'number' && Number.isInteger(value);
      case 'number': return typeof value === 'number';
      case 'boolean': return typeof value === 'boolean';
      case 'null': return value === null;
      default: return true;
    }
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A deep copy of plain JSON-like data. */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, clone(x));
    return out as T;
  }
  return v;
}
