// Report: one line per finding, `file:line:column: severity: message (rule)`, as editors, pre-commit and grep read it.
import { countDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { plural } from '../core/text.ts';
import { inPieces, joinParts } from './parts.ts';
import type { ReportInput } from './types.ts';

/** `file:line:column: severity: message (rule)`. */
export function compactLine(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message} (${d.ruleId})`;
}

/** Any character the line must not hold as it is (line breaks included): most lines have none. */
const CONTROL = /[\u0000-\u001F\u007F]/;

/** formatCompact's text in pieces. */
export function compactParts(input: ReportInput): Iterable<string> {
  return inPieces(compactLines(input));
}

function* compactLines(input: ReportInput): Generator<string> {
  // One line per finding, and nothing a terminal would act on: line breaks become spaces, other control characters \uXXXX.
  for (const d of input.diagnostics) {
    const line = compactLine(d);
    yield (CONTROL.test(line) ? line.replace(/[\r\n]+/g, ' ')
      .replace(/[\u0000-\u001F\u007F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`) : line);
  }
  const c = countDiagnostics(input.diagnostics);
  const scope = `${plural(input.files, 'file')}, ${plural(input.documents, 'document')} checked`;
  const total = c.errors + c.warnings + c.infos;
  yield (total === 0 ? `no problems (${scope})` : `${plural(total, 'problem')} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}${c.infos ? `, ${plural(c.infos, 'info', 'infos')}` : ''}) (${scope})`);
}

export function formatCompact(input: ReportInput): string {
  return joinParts(compactParts(input));
}
