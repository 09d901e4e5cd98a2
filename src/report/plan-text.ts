// Report: a plan as text for a terminal or a CI log, in the manner of Terraform (+ create, ~ update, - delete).
import { plural } from '../core/text.ts';
import type { Change, Plan } from '../plan/types.ts';
import { effectLines, effectsTitle, fieldLines, resourceTitle, shareLines, SIGN, summaryLine, VERB, type LineKind, type PlanLine } from './plan-lines.ts';

export interface PlanTextOptions {
  color: boolean;
  /** Shows a path as the user should read it (relative to the working directory). */
  display?: (file: string) => string;
}

const CODES = { green: 32, yellow: 33, red: 31, cyan: 36, dim: 2, bold: 1 } as const;
export type Paint = (c: keyof typeof CODES, s: string) => string;

/** Wraps text in an ANSI colour or style when `color` is on; leaves it as it is otherwise. */
export function painter(color: boolean): Paint {
  return (c, s) => (color ? `\u001b[${CODES[c]}m${s}\u001b[0m` : s);
}

const COLOR_OF: Record<LineKind, keyof typeof CODES | undefined> = { add: 'green', remove: 'red', change: 'yellow', move: 'yellow', note: 'dim' };
const SIGN_OF: Record<LineKind, string> = { add: '+', remove: '-', change: '~', move: '~', note: ' ' };

/** One line of a change's body, indented by `base` and its depth, with its sign and colour. */
export function textLine(l: PlanLine, base: number, paint: Paint): string {
  const sign = l.kind === 'note' ? '' : l.cont ? '  ' : `${SIGN_OF[l.kind]} `;
  const text = `${' '.repeat(base + l.depth)}${sign}${l.text}`;
  const c = COLOR_OF[l.kind];
  return c ? paint(c, text) : text;
}

/** The first line: where the live state came from and how much of it was compared (`what` ends the sentence). */
export function liveStateLine(plan: Plan, what: string): string {
  const compared = plan.unchanged + plan.summary.update + plan.summary.create;
  return `Live state: ${plan.liveSource}; ${plural(compared, 'resource')} of ${plural(plan.scope.length, 'type')} ${what}.`;
}

/** The documents that were not compared, with why, and a blank line; nothing when there are none. */
export function notComparedText(plan: Plan): string[] {
  if (!plan.notCompared.length) return [];
  return [`${plural(plan.notCompared.length, 'document')} not compared:`, ...plan.notCompared.map((n) => `  ${resourceTitle(n)}: ${n.reason}`), ''];
}

export function formatPlanText(plan: Plan, opts: PlanTextOptions): string {
  const paint = painter(opts.color);
  const display = opts.display ?? ((f: string) => f);
  const out: string[] = [];
  out.push(liveStateLine(plan, 'compared'));
  out.push('');
  for (const c of plan.changes) {
    const color = c.action === 'create' ? 'green' : c.action === 'update' ? 'yellow' : 'red';
    const more = c.fragments ? ` and ${plural(c.fragments.length - 1, 'more fragment')}` : '';
    const where = c.source ? `(${display(c.source.file)}:${c.source.line}${more})` : c.action === 'delete' ? '(not in the repository)' : '';
    out.push(`  ${paint(color, `${SIGN[c.action]} ${VERB[c.action]}`)} ${paint('bold', resourceTitle(c))}${where ? `  ${paint('dim', where)}` : ''}`);
    for (const l of bodyLines(c)) out.push(textLine(l, 6, paint));
    out.push('');
  }
  if (plan.unmanaged.length) {
    const one = plan.unmanaged.length === 1;
    out.push(`${plural(plan.unmanaged.length, 'live resource')} of the repository's types ${one ? 'is' : 'are'} not in the repository (left as ${one ? 'it is' : 'they are'}${plan.prune ? '' : `; --prune plans deleting ${one ? 'it' : 'them'}`}):`);
    for (const u of plan.unmanaged) out.push(`  ${resourceTitle(u)}`);
    out.push('');
  }
  out.push(...notComparedText(plan));
  const summary = summaryLine(plan);
  out.push(summary === 'No changes.' ? `${paint('green', summary)} The platform matches the repository.` : paint('bold', summary));
  return `${out.join('\n')}\n`;
}

/** The lines under a change's header: field changes (all top-level fields for a create), then traffic shares. */
export function bodyLines(c: Change): PlanLine[] {
  const lines: PlanLine[] = [];
  if (c.action !== 'delete') for (const f of c.fields) lines.push(...fieldLines(f));
  for (const s of c.shares ?? []) lines.push(...shareLines(s));
  for (const e of c.effects ?? []) {
    const { lines: classes, notes } = effectLines(e, '->');
    lines.push({ kind: 'note', text: `${effectsTitle(e)}:`, depth: 0 });
    for (const text of [...classes, ...notes]) lines.push({ kind: 'note', text, depth: 2 });
  }
  return lines;
}
