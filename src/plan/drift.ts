// Plan: drift, what differs between the live platform and the repository, with what the platform says about each.
import type { DesiredDocument } from '../compile/compose.ts';
import { resourceKey } from '../live/kinds.ts';
import { fingerprintOf } from '../live/normalise.ts';
import type { LiveMeta, LiveState } from '../live/state.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import { applyFieldChanges } from './apply-changes.ts';
import { formatSegments } from './diff.ts';
import { computeEffects } from './effects.ts';
import { computePlan } from './plan.ts';
import type { Action, Change, FieldChange, Plan, ResourceRef } from './types.ts';

export interface DriftOptions {
  /** Leave out live resources of the project's types that the repository does not define ("created outside git"). */
  ignoreUnmanaged?: boolean;
  /**
   * `type/name[/field path]` globs (config `drift.ignore`): a resource, or fields of it, whose differences are not
   * drift. `*` matches within one `/`-separated part, `**` across parts, `?` one character. A field path is the plan's
   * display form (`rules[id=ui-override].limit_to`, `integrations[name=gpt-4o].cost`) and ignores what lies under it.
   */
  ignore?: readonly string[];
}

/**
 * - `changed`: the resource is on both sides and differs (applying the repository updates it);
 * - `deleted-outside-git`: the repository defines it but the platform does not have it (applying creates it again);
 * - `created-outside-git`: the platform has it, of a type the repository holds, but the repository does not define it
 *   (applying leaves it; `apply --prune` deletes it).
 */
export type DriftKind = 'changed' | 'deleted-outside-git' | 'created-outside-git';

/**
 * What the platform returned about a live resource's history. `updatedAt` is when it last changed; `createdBy` is the
 * subject the platform recorded as its creator (`createdBySubject`): the API has no field naming who made the last
 * change, so for a resource created by one person and changed by another it names the first.
 */
export interface LiveHistory { updatedAt?: string; createdAt?: string; createdBy?: string }

export interface DriftItem {
  kind: DriftKind;
  type: string;
  name: string;
  /** What applying the repository would do about it: an update (changed) or a create (deleted outside git). */
  change?: Change;
  /** The live resource's history, where the platform returned it (changed, created outside git). */
  live?: LiveHistory;
  /** For a changed provider account: the history of each integration that differs, by integration name. */
  integrations?: Record<string, LiveHistory>;
}

export interface IgnoredDrift {
  type: string;
  name: string;
  /** The field left out; absent when the whole resource was. */
  path?: string;
  /** The `drift.ignore` pattern (or `--ignore-unmanaged`) that left it out. */
  by: string;
}

export interface Drift {
  /**
   * The plan that undoes the drift: what applying the repository would change (ignored fields and resources left out),
   * with the created-outside-git resources as `unmanaged` (empty with ignoreUnmanaged). Never with prune.
   */
  plan: Plan;
  /** Every difference, in the plan's order, then the resources created outside git by type and name. */
  items: DriftItem[];
  /** Differences left out by `drift.ignore` or `--ignore-unmanaged`. */
  ignored: IgnoredDrift[];
  /** True when nothing differs (after ignores). */
  inSync: boolean;
  /**
   * Fingerprint of what differs and how (kinds, resources, field changes; not the platform's timestamps): equal for
   * two runs exactly when the drift is the same, so a scheduled job can tell new drift from drift it already reported.
   */
  fingerprint: string;
}

/** The marker `ignored[].by` carries for resources left out by the ignoreUnmanaged option. */
export const IGNORE_UNMANAGED = '--ignore-unmanaged';

/**
 * Compares the live state with the desired state of a repository. Pure: the live state's `meta` (read by the live
 * client from `createdAt`, `updatedAt`, `createdBySubject`) supplies the history; no I/O.
 */
export function computeDrift(desired: readonly DesiredDocument[], live: LiveState, schemas: SchemaSet, options: DriftOptions = {}): Drift {
  const base = computePlan(desired, live, schemas, { prune: false });
  const patterns = (options.ignore ?? []).map((p) => ({ text: p, re: globToRegExp(p) }));
  const matchOf = (text: string) => patterns.find((p) => p.re.test(text))?.text;
  const metaByKey = new Map(live.resources.map((r) => [resourceKey(r.type, r.name), r.meta]));
  const ignored: IgnoredDrift[] = [];
  const items: DriftItem[] = [];
  const changes: Change[] = [];
  let unchanged = base.unchanged;

  for (const c of base.changes) {
    const whole = matchOf(`${c.type}/${c.name}`);
    if (whole) {
      ignored.push({ type: c.type, name: c.name, by: whole });
      if (c.action === 'update') unchanged++;
      continue;
    }
    let change = c;
    if (c.action === 'update' && patterns.length) {
      const kept: FieldChange[] = [];
      for (const f of c.fields) {
        const by = fieldMatch(c, f, matchOf);
        if (by) ignored.push({ type: c.type, name: c.name, path: f.path, by });
        else kept.push(f);
      }
      if (kept.length === 0) { unchanged++; continue; }
      if (kept.length < c.fields.length) {
        const shares = c.shares?.filter((s) => kept.some((f) => f.path === s.path || f.path.startsWith(`${s.path}.`) || f.path.startsWith(`${s.path}[`)));
        change = { ...c, fields: kept, shares: shares?.length ? shares : undefined, effects: keptEffects(c, kept) };
      }
    }
    changes.push(change);
    const meta = metaByKey.get(resourceKey(c.type, c.name));
    const item: DriftItem = { kind: c.action === 'create' ? 'deleted-outside-git' : 'changed', type: c.type, name: c.name, change };
    if (c.action === 'update') {
      const history = historyOf(meta);
      if (history) item.live = history;
      const integrations = integrationHistory(change, meta);
      if (integrations) item.integrations = integrations;
    }
    items.push(item);
  }

  const unmanaged: ResourceRef[] = [];
  for (const u of base.unmanaged) {
    const by = options.ignoreUnmanaged ? IGNORE_UNMANAGED : matchOf(`${u.type}/${u.name}`);
    if (by) { ignored.push({ type: u.type, name: u.name, by }); continue; }
    unmanaged.push(u);
    const history = historyOf(metaByKey.get(resourceKey(u.type, u.name)));
    items.push({ kind: 'created-outside-git', type: u.type, name: u.name, ...(history ? { live: history } : {}) });
  }

  const summary: Record<Action, number> = { create: 0, update: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  const plan: Plan = { ...base, changes, summary, unchanged, unmanaged };
  return { plan, items, ignored, inSync: items.length === 0, fingerprint: driftFingerprint(items) };
}

/**
 * Effects of undoing only the drift that is not ignored: the live document with the kept differences applied (the
 * ignored parts, managed by hand, stay as they are live). Undefined when that document cannot be built.
 */
function keptEffects(c: Change, kept: readonly FieldChange[]): Change['effects'] {
  if (!c.effects || !c.before) return undefined;
  try {
    // Compared afresh (no field hint): the rebuilt document's rule order is its own.
    const effects = computeEffects(c.type, c.before, applyFieldChanges(c.before, kept));
    return effects.length ? effects : undefined;
  } catch {
    return undefined;
  }
}

/** The pattern that ignores a field change: one matching the field's path or the path of anything it lies under. */
function fieldMatch(c: Change, f: FieldChange, matchOf: (text: string) => string | undefined): string | undefined {
  for (let k = f.segments.length; k >= 1; k--) {
    const by = matchOf(`${c.type}/${c.name}/${formatSegments(f.segments.slice(0, k))}`);
    if (by) return by;
  }
  return undefined;
}

function historyOf(meta: LiveMeta | Omit<LiveMeta, 'integrations'> | undefined): LiveHistory | undefined {
  if (!meta) return undefined;
  const out: LiveHistory = {};
  if (meta.updatedAt) out.updatedAt = meta.updatedAt;
  if (meta.createdAt) out.createdAt = meta.createdAt;
  if (meta.createdBy) out.createdBy = meta.createdBy;
  return Object.keys(out).length ? out : undefined;
}

/** The history of each live integration a change touches (provider accounts list one per integration). */
function integrationHistory(c: Change, meta: LiveMeta | undefined): Record<string, LiveHistory> | undefined {
  if (!meta?.integrations) return undefined;
  const out = new Map<string, LiveHistory>();
  for (const f of c.fields) {
    const seg = f.segments[1];
    if (f.segments[0] !== 'integrations' || typeof seg !== 'object' || out.has(seg.value)) continue;
    if (!Object.hasOwn(meta.integrations, seg.value)) continue;
    const h = historyOf(meta.integrations[seg.value]);
    if (h) out.set(seg.value, h);
  }
  return out.size ? Object.fromEntries(out) : undefined;
}

function driftFingerprint(items: readonly DriftItem[]): string {
  return fingerprintOf(items.map((i) => ({
    kind: i.kind, type: i.type, name: i.name,
    fields: i.change?.action === 'update' ? i.change.fields.map((f) => [f.path, f.kind, f.before ?? null, f.after ?? null]) : [],
  })));
}

/**
 * A `drift.ignore` glob as a regular expression over `type/name[/field path]`: `**` any text, `*` any text without
 * `/`, `?` one character other than `/`; everything else literal (brackets included, as field paths use them).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      i++;
      // `a/**/b` also matches `a/b`.
      if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}
