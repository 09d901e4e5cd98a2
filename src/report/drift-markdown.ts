// Report: drift as Markdown for an issue body or a job summary: a table of differences, then one section each.
import { countDiagnostics } from '../core/diagnostic.ts';
import { plural } from '../core/text.ts';
import type { Drift, DriftItem } from '../plan/drift.ts';
import { DRIFT_LABEL, driftSummaryLine, historySentences, when } from './drift-lines.ts';
import { cell, code, diffLines, effectsMarkdown, html } from './plan-markdown.ts';
import { resourceTitle, summaryLine } from './plan-lines.ts';

export interface DriftMarkdownOptions {
  display?: (file: string) => string;
  /** Upper bound of the whole text in characters (GitHub refuses issue bodies over 65,536). Default 60,000. */
  maxChars?: number;
  title?: string;
}

const ICON = { changed: '🟡', 'deleted-outside-git': '🔴', 'created-outside-git': '🔵' } as const;
const LIST_MAX = 50;

function lastChange(item: DriftItem): string {
  const h = item.live;
  if (!h) return '';
  const at = item.kind === 'created-outside-git' ? (h.createdAt ?? h.updatedAt) : h.updatedAt;
  if (!h.createdBy) return at ? when(at) : '';
  const by = item.kind === 'created-outside-git' || h.createdAt === h.updatedAt ? `by ${h.createdBy}` : `(created by ${h.createdBy})`;
  return at ? `${when(at)} ${by}` : `created by ${h.createdBy}`;
}

export function formatDriftMarkdown(drift: Drift, opts: DriftMarkdownOptions = {}): string {
  const display = opts.display ?? ((f: string) => f);
  const budget = opts.maxChars ?? 60_000;
  const plan = drift.plan;
  const head: string[] = [`### ${opts.title ?? 'tfy-lint drift'}`, ''];
  head.push(`**${driftSummaryLine(drift)}**${drift.inSync ? ' The platform matches the repository.' : ''}`, '');
  const undo = summaryLine(plan);
  if (!drift.inSync && undo !== 'No changes.') head.push(`Applying the repository would undo it: ${undo.replace(/^Plan: /, '')}`, '');
  head.push(`Live state: ${code(plan.liveSource)}`, '');
  const counts = countDiagnostics(plan.diagnostics);
  if (counts.errors + counts.warnings > 0) {
    head.push(`**${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}:**`, '');
    for (const d of plan.diagnostics.filter((x) => x.severity !== 'info').slice(0, 20)) {
      const where = d.file.startsWith('live:') ? d.file : `${display(d.file)}:${d.range.start.line}`;
      head.push(`- ${d.severity === 'error' ? '❌' : '⚠️'} ${code(where)} ${html(d.message)}`);
    }
    head.push('');
  }
  if (drift.items.length) {
    head.push('| | resource | in the repository | last change on the platform |', '|---|---|---|---|');
    let size = 0;
    for (const [i, item] of drift.items.entries()) {
      const src = item.change?.source;
      const row = `| ${ICON[item.kind]} ${DRIFT_LABEL[item.kind]} | ${code(item.type)} ${cell(html(item.name))} | ${src ? cell(code(`${display(src.file)}:${src.line}`)) : 'not defined'} | ${cell(html(lastChange(item)))} |`;
      if (size + row.length > budget / 3) { head.push(`| | … ${plural(drift.items.length - i, 'more resource')} | | |`); break; }
      head.push(row);
      size += row.length + 1;
    }
    head.push('');
  }
  const tail: string[] = [];
  if (drift.ignored.length) {
    tail.push(`<details><summary>${plural(drift.ignored.length, 'difference')} ignored (drift.ignore${drift.ignored.some((i) => i.by.startsWith('--')) ? ', --ignore-unmanaged' : ''})</summary>`, '');
    for (const i of drift.ignored.slice(0, LIST_MAX)) tail.push(`- ${code(`${resourceTitle(i)}${i.path ? ` ${i.path}` : ''}`)} by ${code(i.by)}`);
    if (drift.ignored.length > LIST_MAX) tail.push(`- … ${drift.ignored.length - LIST_MAX} more`);
    tail.push('', '</details>', '');
  }
  if (plan.notCompared.length) {
    tail.push(`<details><summary>${plural(plan.notCompared.length, 'document')} not compared</summary>`, '');
    for (const n of plan.notCompared.slice(0, LIST_MAX)) tail.push(`- ${code(resourceTitle(n))}: ${html(n.reason)}`);
    tail.push('', '</details>', '');
  }
  let text = `${head.join('\n')}\n`;
  const tailText = tail.length ? `${tail.join('\n')}\n` : '';
  const reserve = tailText.length + 400;
  let shown = 0;
  const sections = drift.items.filter((i) => i.kind === 'changed');
  if (sections.length) text += '`-` the live value, `+` the repository\'s (what applying would set).\n\n';
  for (const item of sections) {
    const said = historySentences(item);
    const section = [
      `<details><summary>${ICON[item.kind]} <code>${html(item.type)}</code> ${html(item.name)}</summary>`,
      '',
      ...said.flatMap((s) => [`${html(s.charAt(0).toUpperCase() + s.slice(1))}.`, '']),
      '```diff',
      ...diffLines(item.change!),
      '```',
      '',
      ...effectsMarkdown(item.change!),
      '</details>',
      '',
    ].join('\n');
    if (text.length + section.length + reserve > budget) break;
    text += section;
    shown++;
  }
  if (shown < sections.length) text += `_… ${plural(sections.length - shown, 'more resource')} not shown to keep this text under ${budget.toLocaleString('en-US')} characters; run \`tfy-lint drift\` for all of it._\n\n`;
  return text + tailText;
}
