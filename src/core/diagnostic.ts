// Core: the shared vocabulary of findings (Diagnostic, Range, Severity) and their canonical order.

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** 1-based line and column (columns count UTF-16 code units, as editors and GitHub do). */
export interface Position { line: number; column: number }
export interface Range { start: Position; end: Position }
export type JsonPath = (string | number)[];

export interface Related { file: string; range: Range; message: string }

export interface Diagnostic {
  /** A rule id, or one of the pipeline's own sources: 'yaml-syntax' | 'schema' | 'load' | 'config' | 'compose' | 'internal'. */
  ruleId: string;
  severity: Severity;
  /** What is wrong, one line, values quoted. Never contains a secret value. */
  message: string;
  /** Why it matters and how to fix it. */
  hint?: string;
  /** Path relative to the project root, '/'-separated. */
  file: string;
  /** Which '---' document of the file (0-based); -1 when the finding is about the file as a whole. */
  docIndex: number;
  /** JSON path inside the document. */
  path: JsonPath;
  range: Range;
  related?: Related[];
  /** Set by a rule for a finding the schema may report too (same place, same cause): the schema's one is kept. */
  overlapsSchema?: boolean;
  /** Which of the rule's message templates the message was made from (rule findings only; fingerprints use it). */
  messageId?: string;
  /** Set on a finding an inline comment silenced: such findings are kept apart and shown only by SARIF. */
  suppressed?: InlineSuppression;
}

/** The comment that silenced a finding: `# tfy-lint-disable-next-line RULE -- reason` (or `-file`). */
export interface InlineSuppression {
  kind: 'next-line' | 'file';
  reason: string;
  /** Where the comment is, in the finding's file. */
  range: Range;
}

export const FILE_START: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

export function severityAtLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[s] <= SEVERITY_RANK[threshold];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareStrings(a.file, b.file)
    || a.range.start.line - b.range.start.line
    || a.range.start.column - b.range.start.column
    || compareStrings(a.ruleId, b.ruleId)
    || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
    || compareStrings(a.message, b.message);
}

/** Sorts by file, line, column, rule and drops exact repeats (same place, rule and message). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...list].sort(compareDiagnostics);
  const out: Diagnostic[] = [];
  for (const d of sorted) {
    const prev = out[out.length - 1];
    if (prev && compareDiagnostics(prev, d) === 0 && prev.range.end.line === d.range.end.line
      && prev.range.end.column === d.range.end.column) continue;
    out.push(d);
  }
  return out;
}

export interface DiagnosticCounts { errors: number; warnings: number; infos: number }

export function countDiagnostics(list: readonly Diagnostic[]): DiagnosticCounts {
  const c = { errors: 0, warnings: 0, infos: 0 };
  for (const d of list) {
    if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}
