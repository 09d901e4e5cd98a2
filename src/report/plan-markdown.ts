// Report: a plan as Markdown for a pull-request comment or a job summary: a table, then one collapsible section per resource.
import { countDiagnostics } from '../core/diagnostic.ts';
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

export function formatPlanMarkdown(plan: Plan, opts: PlanMarkdownOptions = {}): string {
  const display = opts.display ?? ((f: string) => f);
  const budget = opts.maxChars ?? 60_000;
  const head: string[] = [];
  head.push(`### ${opts.title ?? 'tfy-lint plan'}`, '');
  const summary = summaryLine(plan);
  head.push(`**${summary}**${summary === 'No changes.' ? ' The platform matches the repository.' : ''}`, '');
  head.push(`Live state: ${code(plan.liveSource)} · fingerprint ${code(plan.liveFingerprint.slice(0, 19))}`, '');
  const counts = countDiagnostics(plan.diagnostics);
  if (counts.errors + counts.warnings > 0) {
    head.push(`**${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}:**`, '');
    for (const d of plan.diagnostics.filter((x) => x.severity !== 'info').slice(0, 20)) {
      const where = d.file.startsWith('live:') ? d.file : `${display(d.file)}:${d.range.start.line}`;
      head.push(`- ${d.severity === 'error' ? '❌' : '⚠️'} ${code(where)} ${html(d.message)}`);
    }
    if (counts.errors + counts.warnings > 20) head.push(`- … ${counts.errors + counts.warnings - 20} more`);
    head.push('');
  }
  if (plan.changes.length) {
    // The table gets at most a third of the budget; the sections below share what is left.
    head.push('| | resource | where | fields |', '|---|---|---|---|');
    let size = 0;
    for (const [i, c] of plan.changes.entries()) {
      const where = c.source ? code(`${display(c.source.file)}:${c.source.line}`) : c.action === 'delete' ? 'not in the repository' : '';
      const row = `| ${ICON[c.action]} ${VERB[c.action]} | ${code(c.type)} ${cell(html(c.name))} | ${cell(where)} | ${c.action === 'delete' ? '' : c.fields.length} |`;
      if (size + row.length > budget / 3) { head.push(`| | … ${plural(plan.changes.length - i, 'more resource')} | | |`); break; }
      head.push(row);
      size += row.length + 1;
    }
    head.push('');
  }
  const tail: string[] = [];
  if (plan.unmanaged.length) {
    tail.push(`<details><summary>${plural(plan.unmanaged.length, 'live resource')} not in the repository${plan.prune ? '' : ' (kept; --prune would delete)'}</summary>`, '');
    for (const u of plan.unmanaged.slice(0, LIST_MAX)) tail.push(`- ${code(resourceTitle(u))}`);
    if (plan.unmanaged.length > LIST_MAX) tail.push(`- … ${plan.unmanaged.length - LIST_MAX} more`);
    tail.push('', '</details>', '');
  }
  if (plan.notCompared.length) {
    tail.push(`<details><summary>${plural(plan.notCompared.length, 'document')} not compared</summary>`, '');
    for (const n of plan.notCompared.slice(0, LIST_MAX)) tail.push(`- ${code(resourceTitle(n))}: ${html(n.reason)}`);
    if (plan.notCompared.length > LIST_MAX) tail.push(`- … ${plan.notCompared.length - LIST_MAX} more`);
    tail.push('', '</details>', '');
  }
  let text = `${head.join('\n')}\n`;
  const tailText = tail.length ? `${tail.join('\n')}\n` : '';
  const reserve = tailText.length + 400;
  let shown = 0;
  for (const c of plan.changes) {
    const lines = diffLines(c);
    const section = [
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
    if (text.length + section.length + reserve > budget) break;
    text += section;
    shown++;
  }
  if (shown < plan.changes.length) {
    const rest = plan.changes.length - shown;
    text += `_… ${plural(rest, 'more resource')} not shown to keep this comment under ${budget.toLocaleString('en-US')} characters; the full plan is in the job log (\`tfy-lint plan\`) or in the saved plan (\`--out plan.json\`)._\n\n`;
  }
  return text + tailText;
}
