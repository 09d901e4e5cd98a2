// Report: drift as JSON: the plan contract (docs/plan.md) that undoes the drift, plus what the platform says about each change.
import type { Drift, DriftItem, LiveHistory } from '../plan/drift.ts';
import { planToJson, type PlanJsonOptions } from './plan-json.ts';

function history(item: DriftItem): { live: LiveHistory & { integrations?: Record<string, LiveHistory> } } | Record<string, never> {
  if (!item.live && !item.integrations) return {};
  return { live: { ...(item.live ?? {}), ...(item.integrations ? { integrations: item.integrations } : {}) } };
}

/**
 * `{version, kind: "tfy-lint/drift", inSync, fingerprint, changes: [... + drift, live], createdOutsideGit,
 * deletedOutsideGit, ignored, ...the plan's other members}`. `changes[i]` is the plan's change plus `drift`
 * ("changed" or "deleted-outside-git") and, where the platform returned it, `live` ({updatedAt, createdAt, createdBy,
 * integrations}).
 */
export function driftToJson(drift: Drift, opts: Omit<PlanJsonOptions, 'meta'> & { meta?: Record<string, unknown> } = {}): Record<string, unknown> {
  const base = planToJson(drift.plan, { ...opts, meta: { kind: 'tfy-lint/drift', inSync: drift.inSync, fingerprint: drift.fingerprint, ...(opts.meta ?? {}) } });
  const byChange = new Map(drift.items.filter((i) => i.change).map((i) => [i.change, i]));
  const changes = (base.changes as Record<string, unknown>[]).map((c, n) => {
    const item = byChange.get(drift.plan.changes[n]);
    return item ? { ...c, drift: item.kind, ...history(item) } : c;
  });
  return {
    ...base,
    changes,
    createdOutsideGit: drift.items.filter((i) => i.kind === 'created-outside-git').map((i) => ({ type: i.type, name: i.name, ...history(i) })),
    deletedOutsideGit: drift.items.filter((i) => i.kind === 'deleted-outside-git').map((i) => ({ type: i.type, name: i.name })),
    ignored: drift.ignored,
  };
}

export function formatDriftJson(drift: Drift, opts: Omit<PlanJsonOptions, 'meta'> & { meta?: Record<string, unknown> } = {}): string {
  return `${JSON.stringify(driftToJson(drift, opts), null, 2)}\n`;
}
