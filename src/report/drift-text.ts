// Report: drift as text for a terminal or a CI log: each difference, what the platform says about it, then a summary.
import { plural } from '../core/text.ts';
import type { Drift } from '../plan/drift.ts';
import { DRIFT_LABEL, driftSummaryLine, historySentences } from './drift-lines.ts';
import { resourceTitle, summaryLine } from './plan-lines.ts';
import { bodyLines, liveStateLine, notComparedText, painter, textLine } from './plan-text.ts';

export interface DriftTextOptions {
  color: boolean;
  display?: (file: string) => string;
}

export function formatDriftText(drift: Drift, opts: DriftTextOptions): string {
  const paint = painter(opts.color);
  const display = opts.display ?? ((f: string) => f);
  const plan = drift.plan;
  const out: string[] = [];
  out.push(liveStateLine(plan, 'compared with the repository'));
  out.push('');
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
    if (c && item.kind === 'changed') for (const l of bodyLines(c)) out.push(textLine(l, 6, paint));
    out.push('');
  }
  if (drift.ignored.length) {
    out.push(`${plural(drift.ignored.length, 'difference')} ignored:`);
    for (const i of drift.ignored.slice(0, 50)) out.push(`  ${resourceTitle(i)}${i.path ? ` ${i.path}` : ''}  ${paint('dim', `(${i.by})`)}`);
    if (drift.ignored.length > 50) out.push(`  … ${drift.ignored.length - 50} more`);
    out.push('');
  }
  out.push(...notComparedText(plan));
  const summary = driftSummaryLine(drift);
  if (drift.inSync) out.push(`${paint('green', summary)} The platform matches the repository.`);
  else {
    out.push(paint('bold', summary));
    const undo = summaryLine(plan);
    if (undo !== 'No changes.') out.push(`Applying the repository would undo it: ${undo.replace(/^Plan: /, '')}`);
  }
  return `${out.join('\n')}\n`;
}
