// Report: what apply did, as JSON: a versioned contract (docs/apply.md). Fields are only ever added within a version.
import type { ApplyOutcome } from '../apply/types.ts';

export function applyToJson(outcome: ApplyOutcome, display: (file: string) => string = (f) => f): Record<string, unknown> {
  const { report } = outcome;
  return {
    version: report.version,
    status: outcome.status,
    dryRun: report.dryRun,
    results: report.results.map((r) => ({
      action: r.action, type: r.type, name: r.name, status: r.status,
      ...(r.error ? { error: r.error } : {}),
      ...(r.note ? { note: r.note } : {}),
      ...(r.platformAction ? { platformAction: r.platformAction } : {}),
      ...(r.interim ? { interim: true } : {}),
      level: r.level,
      durationMs: r.durationMs,
    })),
    summary: report.summary,
    converged: report.converged,
    differences: report.differences,
    planFingerprint: report.planFingerprint,
    levels: report.levels,
    timings: report.timings,
    problems: outcome.problems.map((d) => ({
      severity: d.severity, message: d.message, file: display(d.file), line: d.range.start.line, column: d.range.start.column, ruleId: d.ruleId,
    })),
  };
}

export function formatApplyJson(outcome: ApplyOutcome, display?: (file: string) => string): string {
  return `${JSON.stringify(applyToJson(outcome, display), null, 2)}\n`;
}
