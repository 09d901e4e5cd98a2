// Core: JSON path helpers (pointer parsing, display form, lookup).
import type { JsonPath } from './diagnostic.ts';

/** Parses a JSON Pointer ("/rules/0/when") into a path; numeric segments become numbers. */
export function fromPointer(pointer: string): JsonPath {
  if (pointer === '') return [];
  const parts = pointer.slice(1).split('/');
  const path: JsonPath = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const s = parts[i];
    const seg = s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s;
    path[i] = INDEX.test(seg) ? Number(seg) : seg;
  }
  return path;
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Display form: rules[0].when.models, with odd keys quoted (headers["X-Api-Key"]). */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(document)';
}

/** The value at a path, or undefined. */
export function getPath(data: unknown, path: JsonPath): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Whether JSON holds `data` exactly: JSON has no NaN, no infinities and no negative zero (YAML's .nan, .inf and -0.0
 * become null and 0 in JSON.stringify). Data read from YAML is otherwise plain objects, lists, strings, numbers,
 * booleans and null.
 */
export function exactInJson(data: unknown): boolean {
  const stack: unknown[] = [data];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) return false;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return true;
}

/** A scalar of parsed YAML or JSON data. */
export type Scalar = string | number | boolean | null;

/**
 * Called for each scalar of a document; `path` is valid only during the call: copy it to keep it (a report's path is
 * copied by the engine).
 */
export type LeafVisitor = (path: readonly (string | number)[], key: string | number | undefined, value: Scalar) => void;

/**
 * Calls `visit` with every scalar of `data`, in document order, with its path and key. The path is one array kept up
 * to date on the way down and handed to every call: it is valid only during the call (copy it to keep it). A
 * repository has hundreds of thousands of scalars and rules keep the paths of a few: a copy per scalar was most of
 * what the document rules allocated.
 */
export function eachLeaf(data: unknown, visit: LeafVisitor): void {
  const path: (string | number)[] = [];
  const walk = (v: unknown, key: string | number | undefined) => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], i);
        path.pop();
      }
    } else if (isRecord(v)) {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        path.push(k);
        walk(v[k], k);
        path.pop();
      }
    } else {
      visit(path, key, v as Scalar);
    }
  };
  walk(data, undefined);
}
