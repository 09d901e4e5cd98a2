// Report: the words shared by the drift formats: what kind of drift, when the platform says it happened, a summary.
import { plural } from '../core/text.ts';
import type { Drift, DriftItem, DriftKind, LiveHistory } from '../plan/drift.ts';

export const DRIFT_LABEL: Record<DriftKind, string> = {
  changed: 'changed on the platform',
  'deleted-outside-git': 'deleted outside git',
  'created-outside-git': 'created outside git',
};

/** `2026-12-01 14:03 UTC` from an ISO 8601 time; anything else as the platform wrote it. */
export function when(iso: string): string {
  const t = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What the platform says about an item, in a sentence, or undefined when it said nothing. The platform records who
 * created a resource (`createdBySubject`), not who last changed it: that subject is named as the changer only when the
 * resource has not changed since it was created.
 */
export function historySentence(item: Pick<DriftItem, 'kind'>, h: LiveHistory | undefined): string | undefined {
  if (!h) return undefined;
  if (item.kind === 'created-outside-git') {
    const at = h.createdAt ?? h.updatedAt;
    if (!at && !h.createdBy) return undefined;
    return `created on the platform${at ? ` on ${when(at)}` : ''}${h.createdBy ? ` by ${h.createdBy}` : ''}`;
  }
  if (h.updatedAt) {
    const unchangedSinceCreated = h.createdAt !== undefined && h.createdAt === h.updatedAt;
    if (h.createdBy && unchangedSinceCreated) return `changed on the platform on ${when(h.updatedAt)} by ${h.createdBy}`;
    return `last changed on the platform on ${when(h.updatedAt)}${h.createdBy ? ` (created by ${h.createdBy}; the platform does not say who made the last change)` : ''}`;
  }
  return h.createdBy ? `created by ${h.createdBy}; the platform gave no time of the last change` : undefined;
}

/** What the platform says about an item, then about each integration that says something else. */
export function historySentences(item: DriftItem): string[] {
  const top = historySentence(item, item.live);
  const out = top ? [top] : [];
  for (const [name, h] of Object.entries(item.integrations ?? {})) {
    const s = historySentence(item, h);
    if (s && s !== top) out.push(`integration "${name}": ${s}`);
  }
  return out;
}

export function driftCounts(drift: Drift): Record<DriftKind, number> {
  const out: Record<DriftKind, number> = { changed: 0, 'deleted-outside-git': 0, 'created-outside-git': 0 };
  for (const i of drift.items) out[i.kind]++;
  return out;
}

/** "Drift: 1 resource changed on the platform, 2 created outside git." or "No drift." */
export function driftSummaryLine(drift: Drift): string {
  if (drift.inSync) return 'No drift.';
  if (drift.items.length === 0) return 'Drift not computed.';
  const c = driftCounts(drift);
  const parts: string[] = [];
  if (c.changed) parts.push(`${plural(c.changed, 'resource')} changed on the platform`);
  if (c['deleted-outside-git']) parts.push(`${plural(c['deleted-outside-git'], 'resource')} deleted outside git`);
  if (c['created-outside-git']) parts.push(`${plural(c['created-outside-git'], 'resource')} created outside git`);
  return `Drift: ${parts.join(', ')}.`;
}
