// Report: the versioned JSON contract (DESIGN.md §2). Changing a field's meaning needs a new version.
import { countDiagnostics } from '../core/diagnostic.ts';
import { jsonListParts } from './json-text.ts';
import type { ReportInput } from './types.ts';

export const JSON_REPORT_VERSION = 1;

export function formatJson(input: ReportInput): string {
  const { shell, item } = jsonReport(input);
  return `${JSON.stringify(shell(input.diagnostics.map((_, i) => item(i))), null, 2)}\n`;
}

/** formatJson's text in pieces. */
export function jsonParts(input: ReportInput): Iterable<string> {
  const { shell, item } = jsonReport(input);
  return jsonListParts(shell, input.diagnostics.length, item, '\n');
}

/** The report without its findings (`diagnostics` stands for them), and the entry of each finding. */
function jsonReport(input: ReportInput): { shell(diagnostics: unknown): unknown; item(i: number): unknown } {
  const c = countDiagnostics(input.diagnostics);
  const list = input.diagnostics;
  const shell = (diagnostics: unknown) => ({
    version: JSON_REPORT_VERSION,
    diagnostics,
    summary: { errors: c.errors, warnings: c.warnings, infos: c.infos, files: input.files, documents: input.documents },
  });
  const item = (i: number) => {
    const d = list[i];
    return {
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      hint: d.hint ?? null,
      file: d.file,
      line: d.range.start.line,
      column: d.range.start.column,
      endLine: d.range.end.line,
      endColumn: d.range.end.column,
      path: d.path,
      ...(d.related?.length ? { related: d.related.map((r) => ({ file: r.file, line: r.range.start.line, column: r.range.start.column, message: r.message })) } : {}),
    };
  };
  return { shell, item };
}
