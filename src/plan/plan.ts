// Plan: computePlan(desired, live) -> Plan. Pure: no I/O; the same inputs always give the same plan.
import type { Diagnostic, Range } from '../core/diagnostic.ts';
import { FILE_START } from '../core/diagnostic.ts';
import type { DesiredDocument } from '../compile/compose.ts';
import { applyDefaults } from '../compile/defaults.ts';
import { isRecord } from '../core/jsonpath.ts';
import { maskSecrets } from '../core/mask.ts';
import { kindOf, resourceKey, SINGLETON_TYPES } from '../live/kinds.ts';
import { fingerprintOf, normalise } from '../live/normalise.ts';
import { stateFingerprint, type LiveResource, type LiveState } from '../live/state.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import { diffValues } from './diff.ts';
import { referencesOf } from './references.ts';
import { trafficShares } from './shares.ts';
import { computeEffects, EFFECT_TYPES } from './effects.ts';
import type { Action, Change, Plan, PlanOptions, ResourceRef } from './types.ts';

/**
 * Order in which changes are applied: what others point at first (secret groups, teams, real model accounts,
 * guardrail and MCP groups), then what points at them (virtual models, MCP servers, virtual accounts, gateway
 * configs). Deletes run in the reverse order, after everything else.
 */
export function dependencyRank(type: string): number {
  if (type === 'secret-group') return 0;
  if (type === 'team') return 1;
  if (type === 'provider-account/guardrail-config-group' || type === 'provider-account/mcp-server-group') return 3;
  if (type === 'provider-account/virtual-model') return 4;
  if (type.startsWith('provider-account/')) return 2;
  if (type === 'mcp-server/virtual') return 6;
  if (type.startsWith('mcp-server/')) return 5;
  if (type === 'virtual-account') return 7;
  if (kindOf(type)) return 8;
  return 9;
}

/** The `file` of a finding about the live state as a whole (findings about one live resource use `live:<key>`). */
export const LIVE_STATE_FILE = 'live:state';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function liveLocation(r: ResourceRef): string {
  return `live:${resourceKey(r.type, r.name)}`;
}

function describe(r: ResourceRef): string {
  return SINGLETON_TYPES.has(r.type) ? r.type : `${r.type} "${r.name}"`;
}

export function computePlan(desired: readonly DesiredDocument[], live: LiveState, schemas: SchemaSet, options: PlanOptions = {}): Plan {
  const prune = Boolean(options.prune);
  const diagnostics: Diagnostic[] = [];
  const notCompared: Plan['notCompared'] = [];
  const at = (d: DesiredDocument, path: (string | number)[] = []): Pick<Diagnostic, 'file' | 'docIndex' | 'path' | 'range'> => {
    const loc = d.locate(path);
    return { file: loc.file, docIndex: loc.docIndex, path, range: loc.range };
  };

  // 1. Which desired documents can be compared, and which types are therefore in scope.
  const missingKinds = new Set<string>();
  const candidates: DesiredDocument[] = [];
  for (const d of desired) {
    const kind = kindOf(d.type);
    if (!kind) { notCompared.push({ type: d.type, name: d.name, reason: 'tfy-lint cannot read this type from the platform' }); continue; }
    if (!live.kinds.includes(kind)) {
      notCompared.push({ type: d.type, name: d.name, reason: `the live state does not include ${kind}` });
      missingKinds.add(kind);
      continue;
    }
    candidates.push(d);
  }
  for (const kind of [...missingKinds].sort()) {
    diagnostics.push({
      ruleId: 'plan', severity: 'warning', file: LIVE_STATE_FILE, docIndex: -1, path: [], range: FILE_START,
      message: `the live state does not include ${kind}: documents of that kind are not compared`,
      hint: 'Write the snapshot again with tfy-lint dump --json (it reads every kind), or plan against the platform.',
    });
  }
  const byKey = new Map<string, DesiredDocument[]>();
  for (const d of candidates) {
    const k = resourceKey(d.type, d.name);
    const list = byKey.get(k) ?? [];
    list.push(d);
    byKey.set(k, list);
  }
  const wanted: DesiredDocument[] = [];
  for (const [, list] of byKey) {
    if (list.length === 1) { wanted.push(list[0]); continue; }
    const d0 = list[0];
    const singleton = SINGLETON_TYPES.has(d0.type);
    for (const d of list) {
      diagnostics.push({
        ruleId: 'plan', severity: 'error', ...at(d, singleton ? ['type'] : ['name']),
        message: singleton
          ? `${list.length} documents of the singleton ${d0.type}: the platform keeps one, so each would replace the other`
          : `${list.length} documents define ${describe(d0)}: the platform keeps one`,
        hint: singleton ? 'Compose them into one config with a compose entry in tfy-lint.config.yaml (DESIGN §5), or keep one.' : 'Keep one document per type and name.',
        related: list.filter((x) => x !== d).map((x) => { const l = x.locate([]); return { file: l.file, range: l.range, message: 'also defined here' }; }),
      });
      notCompared.push({ type: d.type, name: d.name, reason: 'defined more than once' });
    }
  }
  const scope = [...new Set(desired.filter((d) => kindOf(d.type) && live.kinds.includes(kindOf(d.type) as string)).map((d) => d.type))].sort(compare);
  const scopeSet = new Set(scope);
  const liveInScope = live.resources.filter((r) => scopeSet.has(r.type));
  const liveByKey = new Map<string, LiveResource>();
  for (const r of liveInScope) if (!liveByKey.has(resourceKey(r.type, r.name))) liveByKey.set(resourceKey(r.type, r.name), r);

  // 2. Match by type and name (singletons by type) and compare normal forms.
  const changes: Change[] = [];
  const matched = new Set<string>();
  let unchanged = 0;
  for (const d of wanted) {
    const key = resourceKey(d.type, d.name);
    const after = normalise(d.data, schemas);
    const l = liveByKey.get(key);
    const desiredFingerprint = fingerprintOf(after);
    if (!l) {
      changes.push({ action: 'create', type: d.type, name: d.name, after, fields: diffValues({}, after), shares: sharesOr(undefined, after), source: d.source, ...fragmentsOf(d), desiredFingerprint, manifest: compiled(d, schemas) });
      continue;
    }
    matched.add(key);
    const before = normalise(l.manifest, schemas);
    const fields = diffValues(before, after);
    if (fields.length === 0) { unchanged++; continue; }
    const effects = EFFECT_TYPES.includes(d.type) ? computeEffects(d.type, before, after, {}, fields) : [];
    changes.push({
      action: 'update', type: d.type, name: d.name, before, after, fields, shares: sharesOr(before, after), ...(effects.length ? { effects } : {}), source: d.source, ...fragmentsOf(d),
      ...(l.id ? { liveId: l.id } : {}), liveFingerprint: l.fingerprint, desiredFingerprint, manifest: compiled(d, schemas),
    });
  }

  // 3. Live resources the repository does not mention: unmanaged, or deleted with prune.
  const unmanaged: ResourceRef[] = [];
  const deletes: Change[] = [];
  for (const r of liveInScope) {
    const key = resourceKey(r.type, r.name);
    if (matched.has(key) || byKey.has(key)) continue;
    unmanaged.push({ type: r.type, name: r.name });
    if (prune && !SINGLETON_TYPES.has(r.type)) {
      const before = normalise(r.manifest, schemas);
      deletes.push({ action: 'delete', type: r.type, name: r.name, before, fields: [], shares: sharesOr(before, undefined), ...(r.id ? { liveId: r.id } : {}), liveFingerprint: r.fingerprint, manifest: r.manifest });
    }
  }
  if (deletes.length && matched.size === 0) {
    // A repository that matches nothing live is most likely the wrong folder or the wrong tenant.
    diagnostics.push({
      ruleId: 'plan', severity: 'error', file: LIVE_STATE_FILE, docIndex: -1, path: [], range: FILE_START,
      message: `the repository matches none of the ${liveInScope.length} live resources of its types: refusing to plan deleting all of them`,
      hint: 'Check that the path and the tenant (TFY_BASE_URL / --live-state) are the ones you mean. Deletes are left out of this plan.',
    });
    deletes.length = 0;
  }
  changes.push(...deletes);
  const deletedKeys = new Set(deletes.map((c) => resourceKey(c.type, c.name)));

  // 4. Nothing may be removed while something that stays still routes to it.
  diagnostics.push(...danglingReferences(changes, wanted, live, at));

  changes.sort((a, b) => {
    const da = a.action === 'delete' ? 1 : 0;
    const db = b.action === 'delete' ? 1 : 0;
    if (da !== db) return da - db;
    const ra = dependencyRank(a.type);
    const rb = dependencyRank(b.type);
    return (da ? rb - ra : ra - rb) || compare(a.type, b.type) || compare(a.name, b.name);
  });
  const summary: Record<Action, number> = { create: 0, update: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  const resourceFingerprints: Record<string, string> = {};
  for (const r of [...liveInScope].sort((a, b) => compare(resourceKey(a.type, a.name), resourceKey(b.type, b.name)))) {
    resourceFingerprints[resourceKey(r.type, r.name)] = r.fingerprint;
  }
  return {
    changes,
    summary,
    unchanged,
    unmanaged: unmanaged.filter((u) => !deletedKeys.has(resourceKey(u.type, u.name))),
    notCompared,
    liveFingerprint: stateFingerprint(scope, liveInScope),
    resourceFingerprints,
    scope,
    prune,
    liveSource: live.source,
    diagnostics,
  };
}

/**
 * The document apply sends for a desired document: schema defaults filled in, as build writes it. A secret value that
 * is not a tfy-secret:// reference is masked (a plan never holds one); apply sends the raw document it compiles itself.
 */
export function compiledDocument(d: { data: Record<string, unknown> }, schemas: SchemaSet): Record<string, unknown> {
  const filled = applyDefaults(d.data, schemas);
  return isRecord(filled) ? filled : d.data;
}

function compiled(d: DesiredDocument, schemas: SchemaSet): Record<string, unknown> {
  return maskSecrets(compiledDocument(d, schemas)).value;
}

function fragmentsOf(d: DesiredDocument): { fragments?: DesiredDocument['fragments'] } {
  return d.fragments && d.fragments.length > 1 ? { fragments: d.fragments } : {};
}

function sharesOr(before: unknown, after: unknown) {
  const s = trafficShares(before, after);
  return s.length ? s : undefined;
}

/**
 * Errors for integrations that the plan removes (an account deleted with prune, or an integration dropped from an
 * account it updates) while a document that stays still routes to them: a desired document, or a live document the
 * plan leaves as it is.
 */
function danglingReferences(
  changes: readonly Change[],
  wanted: readonly DesiredDocument[],
  live: LiveState,
  at: (d: DesiredDocument, path: (string | number)[]) => Pick<Diagnostic, 'file' | 'docIndex' | 'path' | 'range'>,
): Diagnostic[] {
  const deletedAccounts = new Map<string, Change>();
  const removedIntegrations = new Map<string, Change>();
  for (const c of changes) {
    if (!c.type.startsWith('provider-account/')) continue;
    if (c.action === 'delete') deletedAccounts.set(c.name, c);
    if (c.action === 'update') {
      for (const f of c.fields) {
        const seg = f.segments[1];
        if (f.kind === 'remove' && f.segments.length === 2 && f.segments[0] === 'integrations' && typeof seg === 'object') {
          removedIntegrations.set(`${c.name}/${seg.value}`, c);
        }
      }
    }
  }
  if (deletedAccounts.size === 0 && removedIntegrations.size === 0) return [];
  const out: Diagnostic[] = [];
  const problem = (address: string, account: string): { what: string; change: Change } | undefined => {
    const del = deletedAccounts.get(account);
    if (del) return { what: `${describe(del)} is deleted by this plan (--prune)`, change: del };
    const rem = removedIntegrations.get(address);
    if (rem) return { what: `integration "${address}" is removed from ${describe(rem)} by this plan`, change: rem };
    return undefined;
  };
  for (const d of wanted) {
    for (const ref of referencesOf(d.data)) {
      const p = problem(ref.address, ref.account);
      if (!p) continue;
      out.push({
        ruleId: 'plan', severity: 'error', ...at(d, ref.path),
        message: `${p.what}, but ${describe(d)} still routes to "${ref.address}"`,
        hint: p.change.action === 'delete'
          ? `Remove or change this ${ref.use} first, or keep ${describe(p.change)} in the repository.`
          : `Remove or change this ${ref.use}, or keep the integration in ${describe(p.change)}.`,
      });
    }
  }
  // Live documents that stay as they are: not in the repository's scope, or unchanged and unmanaged.
  const touched = new Set(changes.map((c) => resourceKey(c.type, c.name)));
  const desiredKeys = new Set(wanted.map((d) => resourceKey(d.type, d.name)));
  for (const r of live.resources) {
    const key = resourceKey(r.type, r.name);
    if (touched.has(key) || desiredKeys.has(key)) continue;
    for (const ref of referencesOf(r.manifest)) {
      const p = problem(ref.address, ref.account);
      if (!p) continue;
      out.push({
        ruleId: 'plan', severity: 'error', file: liveLocation(r), docIndex: -1, path: ref.path, range: FILE_START as Range,
        message: `${p.what}, but the live ${describe(r)} (not in the repository) still routes to "${ref.address}"`,
        hint: `Change ${describe(r)} on the platform (or manage it in the repository) before removing what it routes to.`,
      });
    }
  }
  return out;
}
