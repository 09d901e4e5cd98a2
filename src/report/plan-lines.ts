// Report: values and field changes of a plan as lines, shared by the text and Markdown plan formats.
import { isRecord } from '../core/jsonpath.ts';
import type { Change, FieldChange, Plan, TrafficShare } from '../plan/types.ts';

/** A scalar as written in a plan: strings quoted (JSON escapes), the rest as JSON. */
export function scalar(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/** One-line flow form: `["chat", "embedding"]`, `{subject: "team:x", role_id: "y"}`. */
export function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (isRecord(v)) return `{${Object.entries(v).map(([k, x]) => `${key(k)}: ${inline(x)}`).join(', ')}}`;
  return scalar(v);
}

function key(k: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(k) ? k : JSON.stringify(k);
}

const INLINE_MAX = 96;

/** A value as block lines (YAML-like), each without indentation of its own; scalars and short lists stay inline. */
export function block(v: unknown): string[] {
  if (isRecord(v)) {
    const out: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const one = inline(x);
      if (!isContainer(x) || one.length <= INLINE_MAX - k.length) out.push(`${key(k)}: ${one}`);
      else out.push(`${key(k)}:`, ...block(x).map((l) => `  ${l}`));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const one = inline(x);
      if (!isContainer(x) || one.length <= INLINE_MAX) out.push(`- ${one}`);
      else {
        const lines = block(x);
        out.push(`- ${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`));
      }
    }
    return out;
  }
  return [scalar(v)];
}

function isContainer(v: unknown): boolean {
  return Array.isArray(v) || isRecord(v);
}

export type LineKind = 'add' | 'remove' | 'change' | 'move' | 'note';
/** A line of a change's body; `cont` marks the continuation of a multi-line value (no sign of its own). */
export interface PlanLine { kind: LineKind; text: string; depth: number; cont?: boolean }

/** A value after `label:` — inline when short, else a block under it. */
function valueLines(kind: LineKind, label: string, v: unknown, depth: number): PlanLine[] {
  const one = inline(v);
  if (!isContainer(v) || one.length <= INLINE_MAX) return [{ kind, text: `${label}: ${one}`, depth }];
  return [{ kind, text: `${label}:`, depth }, ...block(v).map((text) => ({ kind, text, depth: depth + 2, cont: true }))];
}

/** The lines of one field change, for the text format (`+`, `-`, `~` before each). */
export function fieldLines(f: FieldChange): PlanLine[] {
  switch (f.kind) {
    case 'add': return valueLines('add', f.path, f.after, 0);
    case 'remove': return isContainer(f.before) ? [{ kind: 'remove', text: f.path, depth: 0 }] : valueLines('remove', f.path, f.before, 0);
    case 'move': return [{ kind: 'move', text: `${f.path}: moved from ${f.before} to ${f.after}`, depth: 0 }];
    case 'change': {
      const b = inline(f.before);
      const a = inline(f.after);
      if (Array.isArray(f.before) && Array.isArray(f.after) && `${b} -> ${a}`.length > INLINE_MAX) {
        // A list compared as a whole: show the items that went and came.
        const before = f.before.map(inline);
        const after = f.after.map(inline);
        const gone = before.filter((x) => !after.includes(x));
        const come = after.filter((x) => !before.includes(x));
        const lines: PlanLine[] = [{ kind: 'change', text: `${f.path}:`, depth: 0 }];
        for (const x of gone) lines.push({ kind: 'remove', text: x, depth: 2 });
        for (const x of come) lines.push({ kind: 'add', text: x, depth: 2 });
        if (!gone.length && !come.length) lines.push({ kind: 'note', text: '(same items, new order)', depth: 2 });
        return lines;
      }
      if (`${b} -> ${a}`.length <= INLINE_MAX || (!isContainer(f.before) && !isContainer(f.after))) {
        return [{ kind: 'change', text: `${f.path}: ${b} -> ${a}`, depth: 0 }];
      }
      return [
        { kind: 'change', text: `${f.path}:`, depth: 0 },
        ...valueLines('remove', 'before', f.before, 2),
        ...valueLines('add', 'after', f.after, 2),
      ];
    }
  }
}

export function percent(n: number | undefined): string {
  return n === undefined ? '—' : `${Number.isInteger(n) ? n : n.toFixed(1)}%`;
}

/** "traffic shares of <path>:" with one line per target, names padded to line up. */
export function shareLines(s: TrafficShare): PlanLine[] {
  const width = Math.max(...s.targets.map((t) => t.target.length));
  return [
    { kind: 'note', text: `traffic shares of ${s.path} (weight-based):`, depth: 0 },
    ...s.targets.map((t) => ({ kind: 'note' as LineKind, text: `${t.target.padEnd(width)}  ${percent(t.before).padStart(6)} -> ${percent(t.after)}`, depth: 2 })),
  ];
}

/** `provider-account/openai "openai-main"`. */
export function resourceTitle(c: { type: string; name: string }): string {
  return `${c.type} "${c.name}"`;
}

/** "Plan: 2 to add, 1 to change, 0 to destroy." or "No changes." */
export function summaryLine(plan: Plan): string {
  const { create, update, delete: del } = plan.summary;
  if (create + update + del === 0) return 'No changes.';
  return `Plan: ${create} to add, ${update} to change, ${del} to destroy.`;
}

export const VERB: Record<Change['action'], string> = { create: 'create', update: 'update', delete: 'delete' };
export const SIGN: Record<Change['action'], string> = { create: '+', update: '~', delete: '-' };
