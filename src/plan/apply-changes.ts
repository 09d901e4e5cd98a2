// Plan: applies a change's field differences to the live normal form; the result is the desired normal form.
import { isRecord } from '../core/jsonpath.ts';
import { clone } from '../compile/defaults.ts';
import { canonicalForm } from '../live/normalise.ts';
import type { FieldChange, PathSegment } from './types.ts';

type Container = Record<string, unknown> | unknown[];

function step(container: unknown, seg: PathSegment): unknown {
  if (typeof seg === 'object') return Array.isArray(container) ? container.find((x) => isRecord(x) && x[seg.key] === seg.value) : undefined;
  if (Array.isArray(container) && typeof seg === 'number') return container[seg];
  return isRecord(container) ? container[seg as string] : undefined;
}

/**
 * What `fields` describe, applied to a copy of `before` (a normal form). The plan's own check of itself, used by the
 * property tests: applying every change of a plan to the live state gives the desired state.
 */
export function applyFieldChanges(before: Record<string, unknown>, fields: readonly FieldChange[]): Record<string, unknown> {
  const doc = clone(before);
  const order = new Map<unknown[], Map<string, number>>();
  const keyOfList = new Map<unknown[], string>();
  for (const f of fields) {
    const parent = f.segments.slice(0, -1).reduce<unknown>((c, s) => step(c, s), doc) as Container | undefined;
    const last = f.segments[f.segments.length - 1];
    if (last === undefined) { if (f.kind === 'change' && isRecord(f.after)) return canonicalForm(clone(f.after)); continue; }
    if (parent === undefined) throw new Error(`no parent for ${f.path}`);
    if (typeof last === 'object') {
      const list = parent as unknown[];
      keyOfList.set(list, last.key);
      const i = list.findIndex((x) => isRecord(x) && x[last.key] === last.value);
      if (f.kind === 'add') {
        list.push(clone(f.after));
        if (f.index !== undefined) targetOf(order, list).set(last.value, f.index);
      } else if (f.kind === 'remove') {
        if (i >= 0) list.splice(i, 1);
      } else if (f.kind === 'move') {
        targetOf(order, list).set(last.value, (f.after as number) - 1);
      } else if (i >= 0) {
        list[i] = clone(f.after);
      }
      continue;
    }
    if (f.kind === 'remove') {
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else delete (parent as Record<string, unknown>)[last as string];
    } else {
      (parent as Record<string | number, unknown>)[last] = clone(f.after);
    }
  }
  for (const [list, targets] of order) reorder(list, keyOfList.get(list) as string, targets);
  return canonicalForm(doc);
}

function targetOf(order: Map<unknown[], Map<string, number>>, list: unknown[]): Map<string, number> {
  let m = order.get(list);
  if (!m) { m = new Map(); order.set(list, m); }
  return m;
}

/** Puts the items with a known target position there; the others keep their relative order in the free slots. */
function reorder(list: unknown[], key: string, targets: Map<string, number>) {
  const slots = new Array<unknown>(list.length);
  const taken = new Array<boolean>(list.length).fill(false);
  const rest: unknown[] = [];
  for (const item of list) {
    const t = targets.get((item as Record<string, string>)[key]);
    if (t !== undefined && t < list.length && !taken[t]) { slots[t] = item; taken[t] = true; } else rest.push(item);
  }
  let r = 0;
  for (let i = 0; i < slots.length; i++) if (!taken[i]) slots[i] = rest[r++];
  list.splice(0, list.length, ...slots);
}
