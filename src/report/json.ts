// Report: the versioned JSON contract (DESIGN.md §2). Changing a field's meaning needs a new version.
import { countDiagnostics } from '../core/diagnostic.ts';
import type { ReportInput } from './types.ts';

export const JSON_REPORT_VERSION = 1;

export function formatJson(input: ReportInput): string {
  const c = countDiagnostics(input.diagnostics);
  const report = {
    version: JSON_REPORT_VERSION,
    diagnostics: input.diagnostics.map((d) => ({
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
    })),
    summary: { errors: c.errors, warnings: c.warnings, infos: c.infos, files: input.files, documents: input.documents },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
