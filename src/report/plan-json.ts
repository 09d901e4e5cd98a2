// Report: a plan as JSON, a versioned contract (docs/plan.md). Fields are only ever added within a version.
import type { Diagnostic } from '../core/diagnostic.ts';
import type { Plan } from '../plan/types.ts';

export const PLAN_JSON_VERSION = 1;

export interface PlanJsonOptions {
  display?: (file: string) => string;
  /** Also write each change's normal forms (`before`, `after`): saved plans carry them for apply. */
  documents?: boolean;
  /** Extra top-level members (saved plans: tool, repository, createdAt). */
  meta?: Record<string, unknown>;
}

function diagnosticJson(d: Diagnostic, display: (f: string) => string) {
  return {
    ruleId: d.ruleId, severity: d.severity, message: d.message, hint: d.hint ?? null, file: display(d.file),
    line: d.range.start.line, column: d.range.start.column, endLine: d.range.end.line, endColumn: d.range.end.column, path: d.path,
    ...(d.related?.length ? { related: d.related.map((r) => ({ file: display(r.file), line: r.range.start.line, column: r.range.start.column, message: r.message })) } : {}),
  };
}

export function planToJson(plan: Plan, opts: PlanJsonOptions = {}): Record<string, unknown> {
  const display = opts.display ?? ((f: string) => f);
  return {
    version: PLAN_JSON_VERSION,
    ...(opts.meta ?? {}),
    changes: plan.changes.map((c) => ({
      action: c.action,
      type: c.type,
      name: c.name,
      ...(c.source ? { source: { file: display(c.source.file), line: c.source.line } } : {}),
      ...(c.fragments ? { fragments: c.fragments.map((f) => ({ file: display(f.file), line: f.line })) } : {}),
      fields: c.fields.map((f) => ({ path: f.path, kind: f.kind, before: f.before ?? null, after: f.after ?? null })),
      ...(c.shares ? { shares: c.shares } : {}),
      ...(c.effects ? { effects: c.effects } : {}),
      ...(c.liveId ? { liveId: c.liveId } : {}),
      ...(c.liveFingerprint ? { liveFingerprint: c.liveFingerprint } : {}),
      ...(c.desiredFingerprint ? { desiredFingerprint: c.desiredFingerprint } : {}),
      ...(opts.documents ? { before: c.before ?? null, after: c.after ?? null } : {}),
      // What apply --plan sends (secret values that are not references masked: such a change cannot be applied from the file).
      ...(opts.documents && c.manifest ? { manifest: c.manifest } : {}),
    })),
    summary: { ...plan.summary, unchanged: plan.unchanged },
    liveFingerprint: plan.liveFingerprint,
    live: { source: plan.liveSource, scope: plan.scope, resourceFingerprints: plan.resourceFingerprints },
    prune: plan.prune,
    unmanaged: plan.unmanaged,
    notCompared: plan.notCompared,
    diagnostics: plan.diagnostics.map((d) => diagnosticJson(d, display)),
  };
}

export function formatPlanJson(plan: Plan, opts: PlanJsonOptions = {}): string {
  return `${JSON.stringify(planToJson(plan, opts), null, 2)}\n`;
}
