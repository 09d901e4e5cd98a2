// Live: the normal form both sides of a plan are compared in, and the fingerprints computed from it.
import { createHash } from 'node:crypto';
import { isRecord } from '../core/jsonpath.ts';
import { applyDefaults } from '../compile/defaults.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import { maskSecrets } from '../core/mask.ts';
import { ownValue, setOwn } from '../core/own.ts';

/**
 * Fields the platform adds to what it stores (ids, FQNs, timestamps, who created it, tenant and account ids). They
 * are never part of a manifest anyone writes, so they are removed from the top level of a live document and from each
 * of its integrations. (Deeper `id`s are kept: rule ids are the user's.)
 */
export const SERVER_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'id', 'fqn', 'createdAt', 'updatedAt', 'createdBy', 'createdBySubject', 'updatedBySubject', 'tenantName', 'accountId',
  'providerAccountFqn', 'providerAccountId', 'lastAccessedAt', 'isExpired', 'jwts', 'jwtId', 'roleIds',
  'rolesWithResource', 'nextScheduledRotation', 'manifestVersion', 'deletedAt', 'archivedAt',
]);

/** A copy of a live document without the server-only fields (top level and integrations). */
export function stripServerFields(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (SERVER_ONLY_FIELDS.has(k)) continue;
    setOwn(out, k, k === 'integrations' && Array.isArray(v)
      ? v.map((item) => (isRecord(item) ? Object.fromEntries(Object.entries(item).filter(([ik]) => !SERVER_ONLY_FIELDS.has(ik))) : item))
      : v);
  }
  return out;
}

/** How the items of a list are told apart when two versions are compared. */
export interface ListShape {
  /** The property that identifies an item (`name`, `id`, `target`). */
  key?: string;
  /** Whether the order of the items means something (first-match rules, fallback targets). */
  ordered: boolean;
  /** A list of plain values (or objects) whose order means nothing: compared as a sorted set. */
  set?: boolean;
}

/**
 * Lists tfy-lint knows how to compare, by property name: integrations by name (order meaningless), first-match rules
 * by id (order is meaning: a move is a change), targets by their address (order kept), and lists that are sets.
 */
export const LIST_SHAPES: Readonly<Record<string, ListShape>> = {
  integrations: { key: 'name', ordered: false },
  rules: { key: 'id', ordered: true },
  load_balance_targets: { key: 'target', ordered: true },
  servers: { key: 'name', ordered: false },
  destinations: { key: 'name', ordered: true },
  collaborators: { ordered: false, set: true },
  permissions: { ordered: false, set: true },
  members: { ordered: false, set: true },
  managers: { ordered: false, set: true },
  authorized_subjects: { ordered: false, set: true },
};

/** The shape of the list under `key`, when its items can be matched by it (every item has a distinct key value). */
export function keyedShape(key: string | number | undefined, list: readonly unknown[]): ListShape | undefined {
  if (typeof key !== 'string') return undefined;
  const shape = ownValue(LIST_SHAPES, key);
  if (!shape?.key) return undefined;
  const seen = new Set<string>();
  for (const item of list) {
    if (!isRecord(item) || typeof item[shape.key] !== 'string') return undefined;
    const k = item[shape.key] as string;
    if (seen.has(k)) return undefined;
    seen.add(k);
  }
  return shape;
}

/**
 * The normal form of a manifest: server-only fields removed, schema defaults applied, secret values masked, empty objects and lists (and nulls)
 * dropped, set-like lists sorted, and lists whose order means nothing (integrations) sorted by their key. Two
 * documents that mean the same to the platform have equal normal forms.
 */
export function normalise(data: Record<string, unknown>, schemas: SchemaSet): Record<string, unknown> {
  const hit = normalForms.get(data);
  if (hit && hit.schemas === schemas) return hit.value;
  const withDefaults = applyDefaults(stripServerFields(data), schemas) as Record<string, unknown>;
  const masked = maskSecrets(withDefaults).value;
  const value = canonicalForm(masked);
  normalForms.set(data, { schemas, value });
  return value;
}

/**
 * Normal forms by document: a live resource is normalised for its fingerprint and again by the planner. Documents
 * are read-only for every stage (and normal forms for their users), so a document's normal form never goes stale.
 */
const normalForms = new WeakMap<object, { schemas: SchemaSet; value: Record<string, unknown> }>();

/** The last step of normalise: empty containers and nulls dropped, set-like and unordered keyed lists sorted. */
export function canonicalForm(data: Record<string, unknown>): Record<string, unknown> {
  return (canonicalise(data, undefined) ?? {}) as Record<string, unknown>;
}

function canonicalise(v: unknown, key: string | number | undefined): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    let items = v.map((x, i) => canonicalise(x, i)).filter((x) => x !== undefined);
    if (items.length === 0) return undefined;
    const shape = typeof key === 'string' ? ownValue(LIST_SHAPES, key) : undefined;
    if (shape?.set) {
      items = [...items].sort((a, b) => compareStrings(stableJson(a), stableJson(b)));
    } else if (shape?.key && !shape.ordered && keyedShape(key, items)) {
      const k = shape.key;
      items = [...items].sort((a, b) => compareStrings((a as Record<string, string>)[k], (b as Record<string, string>)[k]));
    }
    return items;
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = canonicalise(x, k);
      if (c !== undefined) setOwn(out, k, c);
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted at every level: the same data always gives the same text. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** `sha256:<hex>` of the stable JSON of a value. */
export function fingerprintOf(v: unknown): string {
  return `sha256:${createHash('sha256').update(stableJson(v)).digest('hex')}`;
}
