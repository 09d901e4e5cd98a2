// Report: drift as text for a terminal or a CI log: each difference, what the platform says about it, then a summary.
import { plural } from '../core/text.ts';
import type { Drift } from '../plan/drift.ts';
import { DRIFT_LABEL, driftSummaryLine, historySentences } from './drift-lines.ts';
import { resourceTitle, summaryLine, type LineKind, type PlanLine } from './plan-lines.ts';
import { bodyLines } from './plan-text.ts';

export interface DriftTextOptions {
  color: boolean;
  display?: (file: string) => string;
}

const CODES = { green: 32, yellow: 33, red: 31, cyan: 36, dim: 2, bold: 1 } as const;

export function formatDriftText(drift: Drift, opts: DriftTextOptions): string {
  const paint = (c: keyof typeof CODES, s: string) => (opts.color ? `\u001b[${CODES[c]}m${s}\u001b[0m` : s);
  const display = opts.display ?? ((f: string) => f);
  const colorOf: Record<LineKind, keyof typeof CODES | undefined> = { add: 'green', remove: 'red', change: 'yellow', move: 'yellow', note: 'dim' };
  const signOf: Record<LineKind, string> = { add: '+', remove: '-', change: '~', move: '~', note: ' ' };
  const plan = drift.plan;
  const out: string[] = [];
  const compared = plan.unchanged + plan.summary.update + plan.summary.create;
  out.push(`Live state: ${plan.liveSource}; ${plural(compared, 'resource')} of ${plural(plan.scope.length, 'type')} compared with the repository.`);
  out.push('');
  const line = (l: PlanLine, base: number) => {
    const sign = l.kind === 'note' ? '' : l.cont ? '  ' : `${signOf[l.kind]} `;
    const text = `${' '.repeat(base + l.depth)}${sign}${l.text}`;
    const c = colorOf[l.kind];
    return c ? paint(c, text) : text;
  };
  const SIGN = { changed: '~', 'deleted-outside-git': '-', 'created-outside-git': '+' } as const;
  const COLOR = { changed: 'yellow', 'deleted-outside-git': 'red', 'created-outside-git': 'cyan' } as const;
  if (drift.items.some((i) => i.kind === 'changed')) out.push(paint('dim', 'Field changes read live value -> repository value: what applying the repository would do.'), '');
  for (const item of drift.items) {
    const c = item.change;
    const where = c?.source ? `(${display(c.source.file)}:${c.source.line})` : item.kind === 'created-outside-git' ? '(not in the repository)' : '';
    out.push(`  ${paint(COLOR[item.kind], `${SIGN[item.kind]} ${DRIFT_LABEL[item.kind]}`)} ${paint('bold', resourceTitle(item))}${where ? `  ${paint('dim', where)}` : ''}`);
    const said = historySentences(item);
    for (const s of said) out.push(`      ${s}`);
    if (item.kind === 'deleted-outside-git') out.push(paint('dim', '      the platform does not have it: applying the repository creates it again'));
    if (item.kind === 'created-outside-git') out.push(paint('dim', '      applying the repository leaves it; apply --prune deletes it, or add it to the repository (tfy-lint dump)'));
    if (c && item.kind === 'changed') for (const l of bodyLines(c)) out.push(line(l, 6));
    out.push('');
  }
  if (drift.ignored.length) {
    out.push(`${plural(drift.ignored.length, 'difference')} ignored:`);
    for (const i of drift.ignored.slice(0, 50)) out.push(`  ${resourceTitle(i)}${i.path ? ` ${i.path}` : ''}  ${paint('dim', `(${i.by})`)}`);
    if (drift.ignored.length > 50) out.push(`  … ${drift.ignored.length - 50} more`);
    out.push('');
  }
  if (plan.notCompared.length) {
    out.push(`${plural(plan.notCompared.length, 'document')} not compared:`);
    for (const n of plan.notCompared) out.push(`  ${resourceTitle(n)}: ${n.reason}`);
    out.push('');
  }
  const summary = driftSummaryLine(drift);
  if (drift.inSync) out.push(`${paint('green', summary)} The platform matches the repository.`);
  else {
    out.push(paint('bold', summary));
    const undo = summaryLine(plan);
    if (undo !== 'No changes.') out.push(`Applying the repository would undo it: ${undo.replace(/^Plan: /, '')}`);
  }
  return `${out.join('\n')}\n`;
}
