// Apply: check -> plan -> confirm -> send in dependency levels -> read the touched kinds again -> report.
// No process, env or stream here: the CLI (src/cli/apply-command.ts) and the GitHub Action call runApply alike.
import { FILE_START, type Diagnostic } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { holdsMasked, maskSecrets, scrub } from '../core/mask.ts';
import { redactLine } from '../core/secrets.ts';
import { displayUrl, PlatformError, type PlatformClient } from '../live/client.ts';
import { kindOf, kindsFor, REFERENCING_KINDS, resourceKey, SINGLETON_TYPES, type LiveKind } from '../live/kinds.ts';
import { fingerprintOf, normalise } from '../live/normalise.ts';
import { readLiveState } from '../live/read.ts';
import type { LiveState } from '../live/state.ts';
import { globToRegExp } from '../project/composition.ts';
import { diffValues } from '../plan/diff.ts';
import { referencesOf } from '../plan/references.ts';
import { applyLevels, splitSwaps } from '../plan/order.ts';
import { compiledDocument, computePlan } from '../plan/plan.ts';
import type { Change, Plan } from '../plan/types.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import type { DesiredDocument } from '../compile/compose.ts';
import type { SavedPlan } from './saved.ts';
import {
  APPLY_REPORT_VERSION, DEFAULT_APPLY_CONCURRENCY, MAX_DELETE_SHARE, MAX_DELETES_DEFAULT,
  type ApplyHooks, type ApplyOptions, type ApplyOutcome, type ApplyReport, type ApplyRequest, type ApplyStatus,
  type ChangeResult, type StoredDifference,
} from './types.ts';

/** Create or update any manifest (DOMAIN.md §2.2); the whole manifest each time, so repeating it is safe. */
export const APPLY_PATH = '/api/svc/v1/apply';
/** Delete a resource identified by its manifest's type and name. */
export const DELETE_PATH = '/api/svc/v1/delete';

/** The `file` of apply's findings about the plan as a whole. */
export const APPLY_FILE = 'live:state';

/**
 * Applies the project's desired state (or a saved plan) to the platform and reports what happened. Sends nothing
 * when the project has errors, the plan is refused or stale, or the confirmation is not given. Never throws for a
 * failed change (it is in the report); throws PlatformError (exit 2) when the live state cannot be read at all.
 */
export async function runApply(request: ApplyRequest, hooks: ApplyHooks = {}): Promise<ApplyOutcome> {
  const { client, schemas, options } = request;
  const emit = hooks.progress ?? (() => {});
  const problems: Diagnostic[] = [];
  const timings = { readMs: 0, planMs: 0, sendMs: 0, verifyMs: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof timings) => { const now = performance.now(); timings[phase] += Math.round(now - mark); mark = now; };
  const stop = (status: ApplyStatus, plan?: Plan): ApplyOutcome => ({
    status, exitCode: status === 'no-changes' ? 0 : 1, ...(plan ? { plan } : {}), problems,
    report: { ...emptyReport(plan, options, status === 'no-changes' ? true : null), timings },
  });

  // 1. Check: with errors in the project nothing is read or written.
  if (request.findings.some((d) => d.severity === 'error')) {
    problems.push(...request.findings.filter((d) => d.severity === 'error'));
    return stop('findings');
  }

  const saved = 'saved' in request.source ? request.source.saved : undefined;
  if (saved) {
    const refusal = savedPlanRefusal(saved, client, options);
    if (refusal) { problems.push(finding(refusal)); return stop('stale', saved.plan); }
  }

  // 2. The live state of the kinds the plan touches (with --prune, also what may route to what is deleted).
  const prune = Boolean(options.prune);
  const types = saved ? [...saved.plan.scope, ...saved.plan.changes.map((c) => c.type)] : (request.source as { desired: readonly { type: string }[] }).desired.map((d) => d.type);
  const held = kindsFor(types);
  const kinds = kindsFor(types, prune ? REFERENCING_KINDS : []);
  const read = await readLiveState(client, kinds, schemas, { optional: kinds.filter((k) => !held.includes(k)) });
  lap('readMs');
  for (const n of read.notes) emit({ type: 'note', message: n });
  for (const u of read.unread ?? []) {
    const message = `could not read ${u.kind} (the platform does not serve its list: ${u.message}); whether ${u.kind} resources still route to what this plan deletes was not checked`;
    problems.push(finding(message, 'warning'));
    emit({ type: 'note', message });
  }

  // 3. The plan: computed now from the desired state, or the saved one, re-checked against what is live now.
  let plan: Plan;
  if (saved) {
    plan = saved.plan;
    emit({ type: 'plan', plan });
    const stale = staleResources(plan, read.state);
    if (stale.length) { problems.push(...stale.map((m) => finding(m))); return stop('stale', plan); }
    // Not stale, but something that appeared elsewhere since may route to what the plan removes.
    const broken = routesToRemoved(plan, read.state);
    if (broken.length) { problems.push(...broken.map((m) => finding(m))); return stop('refused', plan); }
  } else {
    const desired = (request.source as { desired: Parameters<typeof computePlan>[0] }).desired;
    plan = computePlan(desired, read.state, schemas, { prune });
    emit({ type: 'plan', plan });
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) { problems.push(...errors); return stop('refused', plan); }
  }
  const refusals = guardRefusals(plan, options, Boolean(saved));
  if (refusals.length) { problems.push(...refusals.map((m) => finding(m))); return stop('refused', plan); }
  if (plan.changes.length === 0) { lap('planMs'); return stop('no-changes', plan); }
  const { levels, documentOf } = sendingOrder(plan, saved ? undefined : (request.source as { desired: readonly DesiredDocument[] }).desired, schemas);
  lap('planMs');

  // 4. Confirmation, then the writes.
  const dryRun = Boolean(options.dryRun);
  if (!dryRun && hooks.confirm && !(await hooks.confirm(plan))) return stop('cancelled', plan);
  mark = performance.now();
  emit({ type: 'start', changes: plan.changes.length, levels: levels.length, dryRun });
  const results = await sendLevels(client, levels, {
    dryRun, concurrency: options.concurrency ?? DEFAULT_APPLY_CONCURRENCY, document: (c) => documentOf.get(c) ?? c.manifest,
  }, emit);
  lap('sendMs');

  // 5. What the platform now holds, compared with what was sent.
  const failed = results.some((r) => r.status === 'failed');
  let converged: boolean | null = null;
  let differences: StoredDifference[] = [];
  if (!dryRun && !failed) {
    const sent = levels.flat().filter((c) => !c.interim);
    const touched = kindsFor(sent.map((c) => c.type));
    emit({ type: 'verify', kinds: touched });
    try {
      differences = await storedDifferences(client, schemas, sent, touched);
      converged = differences.length === 0;
    } catch (e) {
      // Everything was sent; only the comparison is missing. Say so instead of losing the report.
      if (!(e instanceof PlatformError)) throw e;
      const message = `every change was applied, but the platform could not be read again to compare: ${redactLine(e.message)}`;
      problems.push(finding(message, 'warning'));
      emit({ type: 'note', message });
    }
  } else if (!dryRun) {
    converged = false;
  }
  lap('verifyMs');
  const report = { ...makeReport(plan, results, options, converged, differences, levels.length), timings };
  const status: ApplyStatus = dryRun ? 'dry-run' : failed ? 'failed' : 'applied';
  return { status, exitCode: failed ? 1 : 0, plan, problems, report };
}

/**
 * The levels to send and the document each change sends. A fresh plan sends the documents it compiles itself (a
 * plan holds secret values masked); a saved plan the documents it carries. An account update that no single order
 * can send goes in two steps (splitSwaps).
 */
function sendingOrder(plan: Plan, desired: readonly DesiredDocument[] | undefined, schemas: SchemaSet) {
  const compiled = new Map<string, Record<string, unknown>>();
  for (const d of desired ?? []) compiled.set(resourceKey(d.type, d.name), compiledDocument(d, schemas));
  const documentOf = new Map<Change, Record<string, unknown>>();
  const docFor = (c: Change) => (c.action === 'delete' ? c.manifest : compiled.get(resourceKey(c.type, c.name)) ?? c.manifest);
  const splits = new Map(splitSwaps(plan.changes).map((s) => [s.final.name + '\u0000' + s.final.type, s]));
  const changes: Change[] = [];
  const mustFollow = new Map<Change, Change>();
  for (const c of plan.changes) {
    const split = c.action === 'update' ? splits.get(c.name + '\u0000' + c.type) : undefined;
    const doc = docFor(c);
    if (!split || !doc) {
      changes.push(c);
      if (doc) documentOf.set(c, doc);
      continue;
    }
    const keep: Change = { ...split.keep, interim: true };
    const integrations = Array.isArray(doc.integrations) ? doc.integrations : [];
    documentOf.set(keep, { ...doc, integrations: [...integrations, ...split.kept] });
    documentOf.set(split.final, doc);
    changes.push(keep, split.final);
    mustFollow.set(split.final, keep);
  }
  return { levels: applyLevels(changes, mustFollow), documentOf };
}

function finding(message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { ruleId: 'apply', severity, message, file: APPLY_FILE, docIndex: -1, path: [], range: FILE_START };
}

function describe(c: { type: string; name: string }): string {
  return SINGLETON_TYPES.has(c.type) ? c.type : `${c.type} "${c.name}"`;
}

/** Why a saved plan cannot be used here at all (another version, another platform, saved with errors). */
export function savedPlanRefusal(saved: SavedPlan, client: Pick<PlatformClient, 'baseUrl'>, options: Pick<ApplyOptions, 'toolVersion'>): string | undefined {
  if (saved.toolVersion !== options.toolVersion) {
    return `the plan was saved by tfy-lint ${saved.toolVersion} and this is tfy-lint ${options.toolVersion}: plan again with this version (normal forms and fingerprints may differ between versions)`;
  }
  const here = displayUrl(client.baseUrl);
  if (saved.liveSource !== here) {
    return /^https?:\/\//.test(saved.liveSource)
      ? `the plan was computed against ${saved.liveSource}, not ${here}: apply it to the platform it was planned against, or plan again`
      : `the plan was computed against the snapshot ${saved.liveSource}, not a platform: plan against ${here} (TFY_BASE_URL) to apply`;
  }
  if (saved.errors > 0) return `the plan was saved with ${saved.errors} error${saved.errors === 1 ? '' : 's'}: fix them and plan again`;
  return undefined;
}

/**
 * The resources a saved plan changes that are no longer as they were when it was saved: modified or deleted (updates,
 * deletes), or created meanwhile (creates). Changes to other resources do not make the plan stale.
 */
export function staleResources(plan: Plan, live: LiveState): string[] {
  const byKey = new Map(live.resources.map((r) => [resourceKey(r.type, r.name), r]));
  const out: string[] = [];
  for (const c of plan.changes) {
    const kind = kindOf(c.type);
    if (kind && !live.kinds.includes(kind)) { out.push(`${describe(c)} could not be checked: ${kind} was not read`); continue; }
    const r = byKey.get(resourceKey(c.type, c.name));
    if (c.action === 'create') {
      if (r) out.push(`${describe(c)} was created on the platform after the plan was saved (the plan would create it)`);
    } else if (!r) {
      out.push(`${describe(c)} was deleted on the platform after the plan was saved (the plan would ${c.action} it)`);
    } else if (r.fingerprint !== c.liveFingerprint) {
      out.push(`${describe(c)} was modified on the platform after the plan was saved (its fingerprint differs)`);
    }
  }
  return out.map((m) => `stale plan: ${m}; plan again`);
}

/**
 * Live resources the plan leaves as they are that route to an account the plan deletes or an integration it drops
 * (what `plan` reports as an error, checked again for a saved plan against the live state of now).
 */
export function routesToRemoved(plan: Plan, live: LiveState): string[] {
  const deleted = new Set<string>();
  const dropped = new Set<string>();
  const names = (doc: Record<string, unknown> | undefined) => new Set((Array.isArray(doc?.integrations) ? doc.integrations : [])
    .filter(isRecord).map((i) => i.name).filter((n): n is string => typeof n === 'string'));
  for (const c of plan.changes) {
    if (!c.type.startsWith('provider-account/')) continue;
    if (c.action === 'delete') deleted.add(c.name);
    if (c.action === 'update') {
      const kept = names(c.after);
      for (const n of names(c.before)) if (!kept.has(n)) dropped.add(`${c.name}/${n}`);
    }
  }
  if (deleted.size === 0 && dropped.size === 0) return [];
  const touched = new Set(plan.changes.map((c) => resourceKey(c.type, c.name)));
  const out: string[] = [];
  for (const r of live.resources) {
    if (touched.has(resourceKey(r.type, r.name))) continue;
    for (const ref of referencesOf(r.manifest)) {
      if (deleted.has(ref.account)) out.push(`${describe(r)} on the platform routes to "${ref.address}", but the plan deletes ${ref.account}: plan again`);
      else if (dropped.has(ref.address)) out.push(`${describe(r)} on the platform routes to "${ref.address}", which the plan removes from ${ref.account}: plan again`);
    }
  }
  return out;
}

/** Whether a change's resource is matched by a `protect:` glob (over `type/name`). */
export function protectedBy(c: { type: string; name: string }, protect: readonly string[]): string | undefined {
  const key = `${c.type}/${c.name}`;
  return protect.find((g) => globToRegExp(g).test(key) || globToRegExp(g).test(c.type));
}

/** Reasons to refuse a plan before any write: protected resources, deletes without --prune, too many deletes. */
export function guardRefusals(plan: Plan, options: ApplyOptions, fromSavedPlan: boolean): string[] {
  const out: string[] = [];
  const protect = options.protect ?? [];
  for (const c of plan.changes) {
    const glob = protectedBy(c, protect);
    if (glob) out.push(`${describe(c)} is protected (protect: "${glob}" in the config): this plan would ${c.action} it; protected resources are never changed by apply`);
  }
  const deletes = plan.changes.filter((c) => c.action === 'delete');
  for (const c of deletes) {
    if (SINGLETON_TYPES.has(c.type)) out.push(`${describe(c)} is a once-per-tenant gateway config: apply never deletes it`);
  }
  if (deletes.length && !options.prune) {
    out.push(`the plan deletes ${deletes.length} resource${deletes.length === 1 ? '' : 's'}: pass --prune to send deletes`);
  }
  if (fromSavedPlan) {
    for (const c of plan.changes) {
      if (c.action !== 'delete' && c.manifest && holdsMasked(c.manifest)) {
        out.push(`${describe(c)} holds a secret value that is not a tfy-secret:// reference (masked in the saved plan): it cannot be applied from a saved plan; use a tfy-secret:// reference`);
      }
    }
  }
  const live = Object.keys(plan.resourceFingerprints).length;
  const massive = deletes.length > MAX_DELETES_DEFAULT || (deletes.length > 0 && deletes.length > MAX_DELETE_SHARE * live);
  const allowed = options.maxDeletes;
  if (allowed !== undefined && deletes.length > allowed) {
    out.push(`the plan deletes ${deletes.length} resources, more than --max-deletes ${allowed}`);
  } else if (massive && allowed === undefined) {
    const share = live ? ` (${Math.round((deletes.length / live) * 100)} % of the ${live} live resources of the project's types)` : '';
    out.push(`the plan deletes ${deletes.length} resource${deletes.length === 1 ? '' : 's'}${share}: more than ${MAX_DELETES_DEFAULT} or ${MAX_DELETE_SHARE * 100} % is refused unless --max-deletes ${deletes.length} (or more) is given`);
  }
  return out;
}

/** Every secret value of a manifest (to scrub from the platform's answers, which may echo them). */
function secretValues(manifest: Record<string, unknown> | undefined): string[] {
  if (!manifest) return [];
  const out: string[] = [];
  for (const path of maskSecrets(manifest).masked) {
    let v: unknown = manifest;
    for (const p of path) v = isRecord(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[p] : undefined;
    if (typeof v === 'string') out.push(v);
  }
  return out;
}

export interface SendOptions {
  dryRun: boolean;
  concurrency: number;
  /** The document to send for a change (default: the change's own `manifest`). */
  document?: (c: Change) => Record<string, unknown> | undefined;
}

/**
 * Sends the levels one after the other, at most `concurrency` changes of a level at once. The first failure stops
 * the run (except a dry run, which sends every create and update): changes in flight finish, nothing else is sent. Results are reported in sending order as soon as every
 * result before them is known, so the output reads the same whatever the timing.
 */
export async function sendLevels(
  client: PlatformClient, levels: readonly Change[][], opts: SendOptions, emit: (e: import('./types.ts').ApplyEvent) => void,
): Promise<ChangeResult[]> {
  const total = levels.reduce((n, l) => n + l.length, 0);
  const results: (ChangeResult | undefined)[] = new Array(total);
  let reported = 0;
  const flush = () => {
    while (reported < total && results[reported]) {
      emit({ type: 'result', result: results[reported] as ChangeResult, index: reported, total });
      reported++;
    }
  };
  let stopped = false;
  let base = 0;
  for (let level = 0; level < levels.length; level++) {
    const changes = levels[level];
    let next = 0;
    const worker = async () => {
      while (next < changes.length) {
        const i = next++;
        const c = changes[i];
        if (stopped) {
          results[base + i] = skipped(c, level, 'not sent: an earlier change failed');
        } else if (opts.dryRun && c.action === 'delete') {
          results[base + i] = skipped(c, level, 'not sent: the delete endpoint has no dry run');
        } else {
          const r = await sendChange(client, c, level, opts.dryRun, opts.document?.(c) ?? c.manifest);
          // A dry run writes nothing, so one refusal does not stop it: every change gets the platform's verdict.
          if (r.status === 'failed' && !opts.dryRun) stopped = true;
          results[base + i] = r;
        }
        flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, opts.concurrency), changes.length) }, worker));
    base += changes.length;
  }
  flush();
  return results as ChangeResult[];
}

function skipped(c: Change, level: number, note: string): ChangeResult {
  return { action: c.action, type: c.type, name: c.name, status: 'not-attempted', note, level, durationMs: 0, ...(c.interim ? { interim: true } : {}) };
}

async function sendChange(client: PlatformClient, c: Change, level: number, dryRun: boolean, document: Record<string, unknown> | undefined): Promise<ChangeResult> {
  const started = performance.now();
  const base = {
    action: c.action, type: c.type, name: c.name, level,
    ...(c.interim ? { interim: true, note: 'first of two steps: integrations still routed to are kept until nothing routes to them' } : {}),
  };
  const took = () => Math.round(performance.now() - started);
  const manifest = document ?? { type: c.type, name: c.name };
  // The platform's answer may echo what it was sent, or a key it holds: known values scrubbed, key-shaped ones redacted.
  const clean = (message: string) => redactLine(scrub(message, secretValues(manifest)));
  try {
    if (c.action === 'delete') {
      const r = await client.request('POST', DELETE_PATH, { body: { manifest }, idempotent: true, allowStatus: [404] });
      if (r.status === 404 && (r.attempts ?? 1) <= 1) {
        return { ...base, status: 'failed', error: { status: 404, message: clean(platformMessage(r.body) ?? `POST ${DELETE_PATH}: 404 Not Found`) }, durationMs: took() };
      }
      // A 404 after a retry: the first attempt deleted it and its answer was lost.
      return { ...base, status: 'applied', ...(r.status === 404 ? { note: 'already gone when retried (the first answer was lost)' } : {}), durationMs: took() };
    }
    const r = await client.request('PUT', APPLY_PATH, { body: { manifest, dryRun }, idempotent: true });
    const said = isRecord(r.body) && typeof r.body.action === 'string' ? r.body.action : undefined;
    return { ...base, status: dryRun ? 'validated' : 'applied', ...(said ? { platformAction: said } : {}), durationMs: took() };
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    return { ...base, status: 'failed', error: { ...(e.status !== undefined ? { status: e.status } : {}), message: clean(e.message) }, durationMs: took() };
  }
}

function platformMessage(body: unknown): string | undefined {
  if (!isRecord(body) || typeof body.message !== 'string') return undefined;
  return `POST ${DELETE_PATH}: 404 Not Found: ${body.message.replace(/\s+/g, ' ').trim()}`;
}

/** Reads the touched kinds again and lists every field the platform holds differently from what was sent. */
export async function storedDifferences(client: PlatformClient, schemas: SchemaSet, sent: readonly Change[], kinds: readonly LiveKind[]): Promise<StoredDifference[]> {
  if (kinds.length === 0) return [];
  const { state } = await readLiveState(client, kinds, schemas);
  const byKey = new Map(state.resources.map((r) => [resourceKey(r.type, r.name), r]));
  const out: StoredDifference[] = [];
  for (const c of sent) {
    const r = byKey.get(resourceKey(c.type, c.name));
    if (c.action === 'delete') {
      if (r) out.push({ type: c.type, name: c.name, path: '(document)', sent: 'deleted', stored: 'still present' });
      continue;
    }
    if (!r) { out.push({ type: c.type, name: c.name, path: '(document)', sent: 'stored', stored: 'absent' }); continue; }
    // The plan's `after` is the normal form of what was sent (defaults filled in the same way).
    for (const f of diffValues(c.after ?? normalise(c.manifest ?? {}, schemas), normalise(r.manifest, schemas))) {
      out.push({ type: c.type, name: c.name, path: f.path, ...(f.before !== undefined ? { sent: f.before } : {}), ...(f.after !== undefined ? { stored: f.after } : {}) });
    }
  }
  return out;
}

/** Identifies a plan: its changes' actions, resources and the fingerprints they were computed from and aim at. */
export function planFingerprint(plan: Plan): string {
  return fingerprintOf(plan.changes.map((c) => [c.action, resourceKey(c.type, c.name), c.liveFingerprint ?? null, c.desiredFingerprint ?? null]));
}

function summarise(results: readonly ChangeResult[]): ApplyReport['summary'] {
  const s = { applied: 0, failed: 0, notAttempted: 0, validated: 0 };
  for (const r of results) {
    if (r.interim && r.status !== 'failed') continue;
    if (r.status === 'applied') s.applied++;
    else if (r.status === 'failed') s.failed++;
    else if (r.status === 'validated') s.validated++;
    else s.notAttempted++;
  }
  return s;
}

function makeReport(plan: Plan, results: ChangeResult[], options: ApplyOptions, converged: boolean | null, differences: StoredDifference[], levels: number): ApplyReport {
  return {
    version: APPLY_REPORT_VERSION, dryRun: Boolean(options.dryRun), results, summary: summarise(results), converged, differences,
    planFingerprint: planFingerprint(plan), levels, timings: { readMs: 0, planMs: 0, sendMs: 0, verifyMs: 0 },
  };
}

/** The report of an apply that sent nothing: every change of the plan not attempted. */
function emptyReport(plan: Plan | undefined, options: ApplyOptions, converged: boolean | null): ApplyReport {
  const changes = plan ? applyLevels(plan.changes) : [];
  const results = changes.flatMap((l, level) => l.map((c) => skipped(c, level, 'not sent: the apply stopped before any write')));
  return makeReport(plan ?? EMPTY_PLAN, results, options, converged, [], changes.length);
}

const EMPTY_PLAN: Plan = {
  changes: [], summary: { create: 0, update: 0, delete: 0 }, unchanged: 0, unmanaged: [], notCompared: [], liveFingerprint: '',
  resourceFingerprints: {}, scope: [], prune: false, liveSource: '', diagnostics: [],
};
