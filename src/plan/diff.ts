// Plan: field-level differences between two normal forms; items of known lists matched by key, reordering as moves.
import { isRecord } from '../core/jsonpath.ts';
import { keyedShape, LIST_SHAPES, stableJson } from '../live/normalise.ts';
import type { FieldChange, PathSegment } from './types.ts';
import { ownValue } from '../core/own.ts';

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || stableJson(a) === stableJson(b);
}

/** Display form of a field path: `integrations[name=gpt-4o].cost.metric`, `headers["X-Api-Key"]`, `values[2]`. */
export function formatSegments(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'object') out += `[${s.key}=${s.value}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '(document)';
}

/** Every difference from `before` to `after`, in reading order. Both are normal forms. */
export function diffValues(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, [], undefined, out);
  return out;
}

function push(out: FieldChange[], segments: PathSegment[], kind: FieldChange['kind'], before: unknown, after: unknown, index?: number) {
  const c: FieldChange = { path: formatSegments(segments), segments, kind };
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  if (index !== undefined) c.index = index;
  out.push(c);
}

function walk(before: unknown, after: unknown, segs: PathSegment[], key: string | number | undefined, out: FieldChange[]) {
  if (sameValue(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    for (const k of Object.keys(after)) {
      if (!Object.hasOwn(before, k)) push(out, [...segs, k], 'add', undefined, after[k]);
      else walk(before[k], after[k], [...segs, k], k, out);
    }
    for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) push(out, [...segs, k], 'remove', before[k], undefined);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const shape = keyedShape(key, before) && keyedShape(key, after);
    if (shape?.key) { keyedList(before, after, shape.key, shape.ordered, segs, out); return; }
  }
  push(out, segs, 'change', before, after);
}

function keyedList(before: unknown[], after: unknown[], key: string, ordered: boolean, segs: PathSegment[], out: FieldChange[]) {
  const keyOf = (x: unknown) => (x as Record<string, string>)[key];
  const oldKeys = before.map(keyOf);
  const newKeys = after.map(keyOf);
  const oldIndex = new Map(oldKeys.map((k, i) => [k, i]));
  const newSet = new Set(newKeys);
  const moved = ordered ? movedKeys(oldKeys.filter((k) => newSet.has(k)), newKeys.filter((k) => oldIndex.has(k))) : new Set<string>();
  after.forEach((item, i) => {
    const k = keyOf(item);
    const seg = { key, value: k };
    const j = oldIndex.get(k);
    if (j === undefined) { push(out, [...segs, seg], 'add', undefined, item, ordered ? i : undefined); return; }
    if (moved.has(k)) push(out, [...segs, seg], 'move', j + 1, i + 1);
    walk(before[j], item, [...segs, seg], undefined, out);
  });
  before.forEach((item) => {
    const k = keyOf(item);
    if (!newSet.has(k)) push(out, [...segs, { key, value: k }], 'remove', item, undefined);
  });
}

/**
 * The items that moved: those outside a longest common subsequence of the two orders (the fewest items whose moving
 * explains the new order). Both lists hold the same distinct keys, so the LCS is a longest increasing subsequence of
 * the new positions taken in the old order: O(n log n).
 */
function movedKeys(oldOrder: string[], newOrder: string[]): Set<string> {
  if (oldOrder.every((k, i) => k === newOrder[i])) return new Set();
  const pos = new Map(newOrder.map((k, i) => [k, i]));
  const seq = oldOrder.map((k) => pos.get(k) as number);
  const tails: number[] = []; // tails[l] = index in seq of the smallest tail of an increasing run of length l+1
  const prev = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < seq[i]) lo = mid + 1; else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<string>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) keep.add(oldOrder[i]);
  return new Set(oldOrder.filter((k) => !keep.has(k)));
}

/** Whether a list under this property name is compared item by item (for renderers). */
export function isKeyedList(name: string | number | undefined): boolean {
  return typeof name === 'string' && Boolean(ownValue(LIST_SHAPES, name)?.key);
}
