// Report: drift as Markdown for an issue body or a job summary: a table of differences, then one section each.
import { plural } from '../core/text.ts';
import type { Drift, DriftItem } from '../plan/drift.ts';
import { DRIFT_LABEL, driftSummaryLine, historySentences, when } from './drift-lines.ts';
import { appendSections, cell, code, collapsedList, diffLines, effectsMarkdown, findingsMarkdown, html, notComparedMarkdown, resourceTable } from './plan-markdown.ts';
import { resourceTitle, summaryLine } from './plan-lines.ts';

export interface DriftMarkdownOptions {
  display?: (file: string) => string;
  /** Upper bound of the whole text in characters (GitHub refuses issue bodies over 65,536). Default 60,000. */
  maxChars?: number;
  title?: string;
}

const ICON = { changed: '🟡', 'deleted-outside-git': '🔴', 'created-outside-git': '🔵' } as const;

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
  head.push(...findingsMarkdown(plan.diagnostics, display));
  head.push(...resourceTable('| | resource | in the repository | last change on the platform |', drift.items.map((item) => {
    const src = item.change?.source;
    return `| ${ICON[item.kind]} ${DRIFT_LABEL[item.kind]} | ${code(item.type)} ${cell(html(item.name))} | ${src ? cell(code(`${display(src.file)}:${src.line}`)) : 'not defined'} | ${cell(html(lastChange(item)))} |`;
  }), budget / 3));
  const tail: string[] = [];
  tail.push(...collapsedList(
    `${plural(drift.ignored.length, 'difference')} ignored (drift.ignore${drift.ignored.some((i) => i.by.startsWith('--')) ? ', --ignore-unmanaged' : ''})`,
    drift.ignored.map((i) => `${code(`${resourceTitle(i)}${i.path ? ` ${i.path}` : ''}`)} by ${code(i.by)}`),
  ));
  tail.push(...notComparedMarkdown(plan.notCompared));
  let text = `${head.join('\n')}\n`;
  const tailText = tail.length ? `${tail.join('\n')}\n` : '';
  const sections = drift.items.filter((i) => i.kind === 'changed');
  if (sections.length) text += '`-` the live value, `+` the repository\'s (what applying would set).\n\n';
  let shown: number;
  ({ text, shown } = appendSections(text, sections, (item) => {
    const said = historySentences(item);
    return [
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
  }, tailText.length + 400, budget));
  if (shown < sections.length) text += `_… ${plural(sections.length - shown, 'more resource')} not shown to keep this text under ${budget.toLocaleString('en-US')} characters; run \`tfy-lint drift\` for all of it._\n\n`;
  return text + tailText;
}
