// Action: the Markdown of the job summary and of the sticky pull-request comment, each within GitHub's size limit.
import { countDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { plural } from '../core/text.ts';
import { blobUrl, type GithubContext } from './context.ts';

/** GitHub refuses a job summary over 1 MiB (it is measured in bytes). */
export const SUMMARY_MAX_BYTES = 1024 * 1024;
/** GitHub refuses an issue or pull-request comment over 65,536 characters. */
export const COMMENT_MAX_CHARS = 65_536;

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks in the text. */
export function code(s: string): string {
  const run = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(run + 1);
  return run ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}

/** Markdown text of a message: HTML and emphasis characters neutralised, one line. */
function text(s: string): string {
  return escapeHtml(s).replace(/([\\*_[\]|])/g, '\\$1').replace(/\r?\n/g, ' ');
}

export function countsLine(diagnostics: readonly Diagnostic[]): string {
  const c = countDiagnostics(diagnostics);
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(c.infos, 'info')}`;
}

/** Findings grouped by file (in the order given), each line linking to its place at the commit. */
export function findingLines(diagnostics: readonly Diagnostic[], ctx: GithubContext): string[][] {
  const groups: string[][] = [];
  let file: string | undefined;
  for (const d of diagnostics) {
    if (d.file !== file || groups.length === 0) {
      file = d.file;
      const live = d.file.startsWith('live:') || d.file.startsWith('(');
      groups.push([`**${live ? code(d.file) : `[${code(d.file)}](${blobUrl(ctx, d.file)})`}**`, '']);
    }
    const { start, end } = d.range;
    const live = d.file.startsWith('live:') || d.file.startsWith('(');
    const at = `${start.line}:${start.column}`;
    const place = live ? at : `[${at}](${blobUrl(ctx, d.file, start.line, end.line)})`;
    const hint = d.hint ? ` <br>${text(d.hint)}` : '';
    groups[groups.length - 1].push(`- ${ICON[d.severity]} ${place} ${text(d.message)} ${code(d.ruleId)}${hint}`);
  }
  return groups;
}

export interface Budget {
  /** Size of a text in the limit's unit. */
  size(s: string): number;
  max: number;
}

export const bytes = (max: number): Budget => ({ size: (s) => Buffer.byteLength(s, 'utf8'), max });
export const chars = (max: number): Budget => ({ size: (s) => s.length, max });

/**
 * Joins `head`, as many finding groups as fit, and `tail`, keeping the whole within the budget; what is left out is
 * counted in a line that says where to read it (`pointer`).
 */
export function fitFindings(head: string, groups: string[][], tail: string, budget: Budget, pointer: string): string {
  const isFinding = (l: string) => l.startsWith('- ');
  const total = groups.reduce((n, g) => n + g.filter(isFinding).length, 0);
  const out: string[] = [head];
  let used = budget.size(head) + budget.size(tail) + budget.size(pointer) + 200;
  let shown = 0;
  fill: for (const g of groups) {
    for (const line of g) {
      const s = budget.size(line) + 1;
      if (used + s > budget.max) break fill;
      out.push(line);
      used += s;
      if (isFinding(line)) shown++;
    }
    out.push('');
    used += 1;
  }
  if (shown < total) out.push('', `_… ${plural(total - shown, 'more finding')} not shown here: ${pointer}._`, '');
  out.push(tail);
  return out.join('\n');
}

/** Cuts a text to the budget at a line boundary, with a note that says where the rest is. */
export function truncate(s: string, budget: Budget, pointer: string): string {
  if (budget.size(s) <= budget.max) return s;
  const note = `\n\n_… cut here to stay within GitHub's size limit: ${pointer}._\n`;
  const room = budget.max - budget.size(note) - 16;
  const lines = s.split('\n');
  const kept: string[] = [];
  let used = 0;
  let inFence = false;
  for (const l of lines) {
    const n = budget.size(l) + 1;
    if (used + n > room) break;
    kept.push(l);
    used += n;
    if (/^\s*```/.test(l)) inFence = !inFence;
  }
  // Close an open <details> or code fence so the rest of the page renders.
  const opened = kept.filter((l) => l.includes('<details>')).length - kept.filter((l) => l.includes('</details>')).length;
  return `${kept.join('\n')}${inFence ? '\n```' : ''}${'\n</details>'.repeat(Math.max(0, opened))}${note}`;
}

