// Apply: a plan saved with `plan --out FILE`, read back as the Plan it was (plus the facts apply checks before using it).
import { isRecord } from '../core/jsonpath.ts';
import type { Action, Change, FieldChange, Plan } from '../plan/types.ts';

export const SAVED_PLAN_KIND = 'tfy-lint/plan';

export interface SavedPlan {
  plan: Plan;
  /** The tool version that wrote it. */
  toolVersion: string;
  /** Where its live state came from (the control-plane URL, without credentials, or a snapshot file). */
  liveSource: string;
  createdAt?: string;
  commit?: string | null;
  /** Errors the plan was saved with (a plan with errors is never applied). */
  errors: number;
}

export class SavedPlanError extends Error {}

const ACTIONS: readonly Action[] = ['create', 'update', 'delete'];

/** Reads the text of a saved plan. Throws SavedPlanError with a one-line reason when it is not one. */
export function parseSavedPlan(text: string): SavedPlan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SavedPlanError(`not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(doc) || doc.kind !== SAVED_PLAN_KIND) {
    throw new SavedPlanError(`not a saved plan (expected "kind": "${SAVED_PLAN_KIND}"; write one with tfy-lint plan --out FILE)`);
  }
  if (doc.version !== 1) throw new SavedPlanError(`unsupported plan format version ${JSON.stringify(doc.version)} (this tfy-lint reads version 1)`);
  const tool = isRecord(doc.tool) ? doc.tool : {};
  if (typeof tool.version !== 'string') throw new SavedPlanError('the plan does not say which tfy-lint version wrote it ("tool.version")');
  const live = isRecord(doc.live) ? doc.live : undefined;
  if (!live || typeof live.source !== 'string') throw new SavedPlanError('the plan does not say which platform it was computed against ("live.source")');
  if (!Array.isArray(doc.changes)) throw new SavedPlanError('"changes" must be a list');
  const changes: Change[] = doc.changes.map((raw, i) => {
    const at = `changes[${i}]`;
    if (!isRecord(raw)) throw new SavedPlanError(`${at} is not an object`);
    const action = raw.action as Action;
    if (!ACTIONS.includes(action)) throw new SavedPlanError(`${at}.action must be create, update or delete`);
    if (typeof raw.type !== 'string' || typeof raw.name !== 'string') throw new SavedPlanError(`${at} has no string "type" and "name"`);
    const manifest = raw.manifest;
    if (!isRecord(manifest)) {
      throw new SavedPlanError(`${at} (${raw.type} "${raw.name}") has no "manifest": the plan was saved by a tfy-lint without apply; plan again with --out`);
    }
    if (action !== 'create' && typeof raw.liveFingerprint !== 'string') throw new SavedPlanError(`${at} (${raw.type} "${raw.name}") has no "liveFingerprint"`);
    const fields: FieldChange[] = Array.isArray(raw.fields) ? raw.fields.filter(isRecord).map((f) => ({
      path: String(f.path ?? ''), segments: [], kind: (['add', 'remove', 'change', 'move'].includes(f.kind as string) ? f.kind : 'change') as FieldChange['kind'],
      ...(f.before !== null && f.before !== undefined ? { before: f.before } : {}),
      ...(f.after !== null && f.after !== undefined ? { after: f.after } : {}),
    })) : [];
    const c: Change = { action, type: raw.type, name: raw.name, fields, manifest };
    if (isRecord(raw.before)) c.before = raw.before;
    if (isRecord(raw.after)) c.after = raw.after;
    if (isRecord(raw.source) && typeof raw.source.file === 'string') c.source = { file: raw.source.file, docIndex: 0, line: Number(raw.source.line) || 1 };
    if (typeof raw.liveId === 'string') c.liveId = raw.liveId;
    if (typeof raw.liveFingerprint === 'string') c.liveFingerprint = raw.liveFingerprint;
    if (typeof raw.desiredFingerprint === 'string') c.desiredFingerprint = raw.desiredFingerprint;
    if (Array.isArray(raw.shares)) c.shares = raw.shares as Change['shares'];
    return c;
  });
  const summary: Plan['summary'] = { create: 0, update: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  const summaryDoc = isRecord(doc.summary) ? doc.summary : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const refs = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord).filter((r) => typeof r.type === 'string' && typeof r.name === 'string') : []);
  const fingerprints = isRecord(live.resourceFingerprints) ? live.resourceFingerprints : {};
  const plan: Plan = {
    changes,
    summary,
    unchanged: typeof summaryDoc.unchanged === 'number' ? summaryDoc.unchanged : 0,
    unmanaged: refs(doc.unmanaged).map((r) => ({ type: r.type as string, name: r.name as string })),
    notCompared: refs(doc.notCompared).map((r) => ({ type: r.type as string, name: r.name as string, reason: String(r.reason ?? '') })),
    liveFingerprint: typeof doc.liveFingerprint === 'string' ? doc.liveFingerprint : '',
    resourceFingerprints: Object.fromEntries(Object.entries(fingerprints).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    scope: strings(live.scope),
    prune: doc.prune === true,
    liveSource: live.source,
    diagnostics: [],
  };
  const errors = Array.isArray(doc.diagnostics) ? doc.diagnostics.filter((d) => isRecord(d) && d.severity === 'error').length : 0;
  const repository = isRecord(doc.repository) ? doc.repository : {};
  return {
    plan, toolVersion: tool.version, liveSource: live.source, errors,
    ...(typeof doc.createdAt === 'string' ? { createdAt: doc.createdAt } : {}),
    commit: typeof repository.commit === 'string' ? repository.commit : null,
  };
}
