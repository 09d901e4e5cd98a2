// Report: a plan as Markdown for a pull-request comment or a job summary: a table, then one collapsible section per resource.
import { countDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { plural } from '../core/text.ts';
import type { Change, Plan } from '../plan/types.ts';
import { effectLines, effectsTitle, inline, percent, resourceTitle, summaryLine, VERB, block } from './plan-lines.ts';

export interface PlanMarkdownOptions {
  display?: (file: string) => string;
  /** Upper bound of the whole text in characters (GitHub refuses comments over 65,536). Default 60,000. */
  maxChars?: number;
  /** Heading of the comment. */
  title?: string;
}

const ICON: Record<Change['action'], string> = { create: '🟢', update: '🟡', delete: '🔴' };
const MAX_SECTION_LINES = 200;
/** Entries of the unmanaged and not-compared lists shown. */
const LIST_MAX = 50;

export function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${ticks === '``' ? ' ' : ''}${s}${ticks === '``' ? ' ' : ''}${ticks}`;
}

/** The lines of a change as a `diff` block: `+` added, `-` removed, both for a changed value, `!` a move. */
export function diffLines(c: Change): string[] {
  const out: string[] = [];
  const value = (sign: string, label: string, v: unknown) => {
    const one = inline(v);
    if (one.length <= 96 || (typeof v !== 'object' || v === null)) out.push(`${sign} ${label}: ${one}`);
    else { out.push(`${sign} ${label}:`); for (const l of block(v)) out.push(`${sign}     ${l}`); }
  };
  if (c.action !== 'delete') {
    for (const f of c.fields) {
      if (f.kind === 'add') value('+', f.path, f.after);
      else if (f.kind === 'remove') value('-', f.path, f.before);
      else if (f.kind === 'move') out.push(`! ${f.path}: moved from ${f.before} to ${f.after}`);
      else { value('-', f.path, f.before); value('+', f.path, f.after); }
    }
  }
  for (const s of c.shares ?? []) {
    out.push(`# traffic shares of ${s.path} (weight-based)`);
    const width = Math.max(...s.targets.map((t) => t.target.length));
    for (const t of s.targets) out.push(`#   ${t.target.padEnd(width)}  ${percent(t.before).padStart(6)} -> ${percent(t.after)}`);
  }
  if (out.length > MAX_SECTION_LINES) {
    const more = out.length - MAX_SECTION_LINES;
    out.length = MAX_SECTION_LINES;
    out.push(`# … ${plural(more, 'more line')} not shown`);
  }
  return out.map((l) => l.replace(/```/g, '`\u200b``'));
}

/** A change's effects as Markdown lists under a bold title, one per rule list (empty when it has none). */
export function effectsMarkdown(c: Change): string[] {
  const out: string[] = [];
  for (const e of c.effects ?? []) {
    const title = effectsTitle(e).replace(/ -> /g, ' → ');
    out.push(`**${html(title.charAt(0).toUpperCase() + title.slice(1))}:**`, '');
    const { lines, notes } = effectLines(e, '→');
    for (const l of lines) out.push(`- ${html(l)}`);
    for (const n of notes) out.push(`- _${html(n)}_`);
    out.push('');
  }
  return out;
}

/** The errors and warnings (the first 20) as a Markdown list under their counts; nothing when there are none. */
export function findingsMarkdown(diagnostics: readonly Diagnostic[], display: (file: string) => string): string[] {
  const counts = countDiagnostics(diagnostics);
  if (counts.errors + counts.warnings === 0) return [];
  const out = [`**${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}:**`, ''];
  for (const d of diagnostics.filter((x) => x.severity !== 'info').slice(0, 20)) {
    const where = d.file.startsWith('live:') ? d.file : `${display(d.file)}:${d.range.start.line}`;
    out.push(`- ${d.severity === 'error' ? '❌' : '⚠️'} ${code(where)} ${html(d.message)}`);
  }
  if (counts.errors + counts.warnings > 20) out.push(`- … ${counts.errors + counts.warnings - 20} more`);
  out.push('');
  return out;
}

/**
 * A four-column table of resources under `header`, its rows cut (with a "… more" row) once they would take more than
 * `maxChars`; nothing when there are no rows.
 */
export function resourceTable(header: string, rows: readonly string[], maxChars: number): string[] {
  if (!rows.length) return [];
  const out = [header, '|---|---|---|---|'];
  let size = 0;
  for (const [i, row] of rows.entries()) {
    if (size + row.length > maxChars) { out.push(`| | … ${plural(rows.length - i, 'more resource')} | | |`); break; }
    out.push(row);
    size += row.length + 1;
  }
  out.push('');
  return out;
}

/** The documents that were not compared, with why, as a collapsed list; nothing when there are none. */
export function notComparedMarkdown(notCompared: Plan['notCompared']): string[] {
  return collapsedList(`${plural(notCompared.length, 'document')} not compared`, notCompared.map((n) => `${code(resourceTitle(n))}: ${html(n.reason)}`));
}

/** A collapsed Markdown list of the first LIST_MAX items (then "… N more") under `summary`; nothing when empty. */
export function collapsedList(summary: string, items: readonly string[]): string[] {
  if (!items.length) return [];
  const out = [`<details><summary>${summary}</summary>`, ''];
  for (const i of items.slice(0, LIST_MAX)) out.push(`- ${i}`);
  if (items.length > LIST_MAX) out.push(`- … ${items.length - LIST_MAX} more`);
  out.push('', '</details>', '');
  return out;
}

/**
 * Appends one section per item to `text` while the whole stays under `budget` with `reserve` characters kept for
 * what follows; returns the text and how many items got their section.
 */
export function appendSections<T>(text: string, items: readonly T[], section: (item: T) => string, reserve: number, budget: number): { text: string; shown: number } {
  let shown = 0;
  for (const item of items) {
    const s = section(item);
    if (text.length + s.length + reserve > budget) break;
    text += s;
    shown++;
  }
  return { text, shown };
}

export function formatPlanMarkdown(plan: Plan, opts: PlanMarkdownOptions = {}): string {
  const display = opts.display ?? ((f: string) => f);
  const budget = opts.maxChars ?? 60_000;
  const head: string[] = [];
  head.push(`### ${opts.title ?? 'tfy-lint plan'}`, '');
  const summary = summaryLine(plan);
  head.push(`**${summary}**${summary === 'No changes.' ? ' The platform matches the repository.' : ''}`, '');
  head.push(`Live state: ${code(plan.liveSource)} · fingerprint ${code(plan.liveFingerprint.slice(0, 19))}`, '');
  head.push(...findingsMarkdown(plan.diagnostics, display));
  // The table gets at most a third of the budget; the sections below share what is left.
  head.push(...resourceTable('| | resource | where | fields |', plan.changes.map((c) => {
    const where = c.source ? code(`${display(c.source.file)}:${c.source.line}`) : c.action === 'delete' ? 'not in the repository' : '';
    return `| ${ICON[c.action]} ${VERB[c.action]} | ${code(c.type)} ${cell(html(c.name))} | ${cell(where)} | ${c.action === 'delete' ? '' : c.fields.length} |`;
  }), budget / 3));
  const tail: string[] = [];
  tail.push(...collapsedList(
    `${plural(plan.unmanaged.length, 'live resource')} not in the repository${plan.prune ? '' : ' (kept; --prune would delete)'}`,
    plan.unmanaged.map((u) => code(resourceTitle(u))),
  ));
  tail.push(...notComparedMarkdown(plan.notCompared));
  const tailText = tail.length ? `${tail.join('\n')}\n` : '';
  const { text: sections, shown } = appendSections(`${head.join('\n')}\n`, plan.changes, (c) => {
    const lines = diffLines(c);
    return [
      `<details><summary>${ICON[c.action]} <b>${VERB[c.action]}</b> <code>${html(c.type)}</code> ${html(c.name)}</summary>`,
      '',
      '```diff',
      ...(lines.length ? lines : [c.action === 'delete' ? `- ${resourceTitle(c)}` : '# (no field changes)']),
      '```',
      '',
      ...effectsMarkdown(c),
      '</details>',
      '',
    ].join('\n');
  }, tailText.length + 400, budget);
  let text = sections;
  if (shown < plan.changes.length) {
    const rest = plan.changes.length - shown;
    text += `_… ${plural(rest, 'more resource')} not shown to keep this comment under ${budget.toLocaleString('en-US')} characters; the full plan is in the job log (\`tfy-lint plan\`) or in the saved plan (\`--out plan.json\`)._\n\n`;
  }
  return text + tailText;
}
