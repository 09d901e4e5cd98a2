// Report: values and field changes of a plan as lines, shared by the text and Markdown plan formats.
import { isRecord } from '../core/jsonpath.ts';
import { plural } from '../core/text.ts';
import type { ListEffects, Outcome } from '../plan/effects.ts';
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

/** Classes listed per rule list in text and Markdown (JSON lists them all). */
export const EFFECT_LINES_MAX = 20;

/** How an outcome changes, in words: `limit 300 rpm per user -> 120 rpm per user`, `routed 70/30 -> 50/50 across a, b`. */
export function outcomeChange(b: Outcome, a: Outcome, arrow: string): string {
  if (b.text === a.text) return `${b.text} (the same, under another rule)`;
  const rb = b.routing;
  const ra = a.routing;
  if (rb && ra && rb.strategy === 'weight-based-routing' && ra.strategy === rb.strategy && rb.targets.length > 1
    && rb.targets.length === ra.targets.length && rb.targets.every((t, i) => t.target === ra.targets[i].target)) {
    return `routed ${rb.targets.map((t) => t.share).join('/')} ${arrow} ${ra.targets.map((t) => t.share).join('/')} across ${rb.targets.map((t) => t.target).join(', ')}`;
  }
  for (const word of ['limit ', 'budget ']) {
    if (b.text.startsWith(word) && a.text.startsWith(word)) return `${b.text} ${arrow} ${a.text.slice(word.length)}`;
  }
  return `${b.text} ${arrow} ${a.text}`;
}

/** `rule "a"`, `rule "a" -> rule "b"`, `no rule -> rule "b"`; empty for lists without rules (virtual models). */
function ruleChange(b: Outcome, a: Outcome, arrow: string): string {
  if (!b.rule && !a.rule) return '';
  const name = (o: Outcome) => (o.rule ? `rule "${o.rule.id}"` : 'no rule');
  return b.rule && a.rule && b.rule.id === a.rule.id ? `${name(b)}: ` : `${name(b)} ${arrow} ${name(a)}: `;
}

/** The title of a list's effects: what the list is, and how it is read. */
export function effectsTitle(e: ListEffects): string {
  if (e.kind === 'virtual-model') return `who is affected by the routing of ${e.path.replace(/^integrations\[name=(.*)\]\.routing_config$/, 'virtual model "$1"')}`;
  return 'who is affected (first matching rule, live -> repository)';
}

/** One line per class whose outcome changes (at most `max`), or the one line that says why none does. */
export function effectLines(e: ListEffects, arrow: string, max = EFFECT_LINES_MAX): { lines: string[]; notes: string[] } {
  const lines = e.classes.slice(0, max).map((c) => `${c.description}: ${ruleChange(c.before, c.after, arrow)}${outcomeChange(c.before, c.after, arrow)}`);
  const notes: string[] = [];
  if (e.classes.length > max) notes.push(`… ${plural(e.classes.length - max, 'more class', 'more classes')} of requests (all of them in the JSON plan)`);
  if (e.notAnalysed) notes.push(`not analysed: ${e.notAnalysed}`);
  if (e.note === 'reordered') notes.push('reordered, no request changes its rule');
  if (e.note === 'unchanged') notes.push(e.kind === 'virtual-model' ? 'no request changes where it is routed' : 'no request changes its rule or what the rule does to it');
  if (e.cutShort) {
    notes.push(`analysis cut short after ${e.cutShort.limit === 'classes' ? plural(e.cutShort.value, 'class', 'classes') : `${e.cutShort.value.toLocaleString('en-US')} rule checks`} of requests: the classes shown change, others may too`);
  }
  return { lines, notes };
}
