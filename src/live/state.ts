// Live: the live state as a value, and its snapshot file (the format `dump --json` writes and `--live-state` reads).
import { createRequire } from 'node:module';
import { isRecord } from '../core/jsonpath.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import { ALL_KINDS, kindOf, resourceKey, type LiveKind } from './kinds.ts';
import { maskSecrets } from '../core/mask.ts';
import { fingerprintOf, normalise, stableJson, stripServerFields } from './normalise.ts';

export const SNAPSHOT_VERSION = 1;

/** One resource as the platform holds it. */
export interface LiveResource {
  type: string;
  name: string;
  /** The platform's id and FQN, when it gave them (metadata; never compared). */
  id?: string;
  fqn?: string;
  /** What the platform says about the resource's history, where it says it (metadata; never compared). */
  meta?: LiveMeta;
  /** The manifest, without server-only fields, secret values masked. */
  manifest: Record<string, unknown>;
  /** Fingerprint of the resource's normal form (see normalise.ts). */
  fingerprint: string;
}

/**
 * The history fields the platform returns around a manifest (DOMAIN.md §2.3-2.5): `createdAt`, `updatedAt` and
 * `createdBySubject` (read as `kind:slug`, e.g. `user:alice@example.com`). The API has no field for who made the
 * last change: `createdBy` is who created the record, which for a resource changed later may be someone else.
 */
export interface LiveMeta {
  createdAt?: string;
  updatedAt?: string;
  createdBy?: string;
  /** The same for each integration of a provider account, by integration name (only those with any). */
  integrations?: Record<string, Omit<LiveMeta, 'integrations'>>;
}

/** Subject kinds as the platform writes them in `subjectType`, spelt as rule subjects spell them. */
const SUBJECT_KIND: Readonly<Record<string, string>> = { virtualaccount: 'virtualaccount', 'virtual-account': 'virtualaccount', serviceaccount: 'serviceaccount' };

/** `user:alice@example.com` from a `Subject` object ({subjectType, subjectSlug, subjectDisplayName, subjectId}). */
export function subjectName(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (!isRecord(v)) return undefined;
  const kind = typeof v.subjectType === 'string' && v.subjectType ? (SUBJECT_KIND[v.subjectType] ?? v.subjectType) : undefined;
  const id = [v.subjectSlug, v.subjectDisplayName, v.subjectId].find((x): x is string => typeof x === 'string' && x.trim() !== '');
  if (!id) return undefined;
  return kind ? `${kind}:${id.trim()}` : id.trim();
}

/** The history fields of a platform item (an account, an integration, a config); undefined when it has none. */
export function liveMetaOf(item: unknown): Omit<LiveMeta, 'integrations'> | undefined {
  if (!isRecord(item)) return undefined;
  const out: LiveMeta = {};
  if (typeof item.createdAt === 'string' && item.createdAt) out.createdAt = item.createdAt;
  if (typeof item.updatedAt === 'string' && item.updatedAt) out.updatedAt = item.updatedAt;
  const by = subjectName(item.createdBySubject) ?? subjectName(item.createdBy);
  if (by) out.createdBy = by;
  return Object.keys(out).length ? out : undefined;
}

export interface LiveState {
  version: typeof SNAPSHOT_VERSION;
  /** Where it was read: the control-plane URL (without credentials), or the snapshot file given. */
  source: string;
  /** When it was read (ISO 8601); informational, not part of any fingerprint. */
  readAt?: string;
  /** The kinds whose complete list was read: a resource of another kind is unknown, not absent. */
  kinds: LiveKind[];
  /** Sorted by type, then name. */
  resources: LiveResource[];
  /** Fingerprint over every resource's type, name and fingerprint, and the kinds read. */
  fingerprint: string;
}

/** Builds a resource from a manifest the platform returned: server-only fields stripped, secrets masked. */
export function liveResource(manifest: Record<string, unknown>, schemas: SchemaSet, meta: { id?: unknown; fqn?: unknown; history?: LiveMeta } = {}): LiveResource | undefined {
  const type = manifest.type;
  const name = manifest.name;
  if (typeof type !== 'string' || typeof name !== 'string') return undefined;
  const clean = maskSecrets(stripServerFields(manifest)).value;
  const r: LiveResource = { type, name, manifest: clean, fingerprint: fingerprintOf(normalise(clean, schemas)) };
  if (typeof meta.id === 'string' && meta.id) r.id = meta.id;
  if (typeof meta.fqn === 'string' && meta.fqn) r.fqn = meta.fqn;
  if (meta.history && Object.keys(meta.history).length) r.meta = meta.history;
  return orderKeys(r);
}

function orderKeys(r: LiveResource): LiveResource {
  const { type, name, id, fqn, meta, fingerprint, manifest } = r;
  return { type, name, ...(id ? { id } : {}), ...(fqn ? { fqn } : {}), ...(meta ? { meta } : {}), fingerprint, manifest };
}

/** Reads the `meta` member of a snapshot's resource (as this module writes it); anything else is dropped. */
function snapshotMeta(v: unknown): LiveMeta | undefined {
  const top = liveMetaOf(v);
  const out: LiveMeta = { ...(top ?? {}) };
  if (isRecord(v) && isRecord(v.integrations)) {
    const integrations = Object.entries(v.integrations).flatMap(([name, m]) => { const x = liveMetaOf(m); return x ? [[name, x] as const] : []; });
    if (integrations.length) out.integrations = Object.fromEntries(integrations);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The fingerprint of a set of resources read for some kinds. */
export function stateFingerprint(kinds: readonly LiveKind[], resources: readonly Pick<LiveResource, 'type' | 'name' | 'fingerprint'>[]): string {
  const entries = resources.map((r) => [resourceKey(r.type, r.name), r.fingerprint]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return fingerprintOf({ kinds: [...kinds].sort(), resources: entries });
}

export function makeLiveState(source: string, kinds: readonly LiveKind[], resources: LiveResource[], readAt?: string): LiveState {
  const sorted = [...resources].sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name));
  const orderedKinds = ALL_KINDS.filter((k) => kinds.includes(k));
  return {
    version: SNAPSHOT_VERSION,
    source,
    ...(readAt ? { readAt } : {}),
    kinds: orderedKinds,
    resources: sorted,
    fingerprint: stateFingerprint(orderedKinds, sorted),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The snapshot file's text: stable JSON layout, two-space indented, one trailing newline. */
export function serializeSnapshot(state: LiveState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export class SnapshotError extends Error {}

/** Where and why a text is not JSON, without quoting any of it: "unexpected character at line 3, column 9". */
function jsonErrorAt(text: string): string {
  const jsonc = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: import('jsonc-parser').ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'not valid JSON';
  const before = text.slice(0, first.offset).split('\n');
  const what = jsonc.printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${what} at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Reads a snapshot. Fingerprints are recomputed (a hand-edited file stays consistent), server-only fields stripped
 * and secret values masked again (a hand-written file may hold raw ones). Throws SnapshotError with a one-line reason.
 */
export function parseSnapshot(text: string, source: string, schemas: SchemaSet): LiveState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not the engine's message: it quotes the text around the error, which may be a secret value.
    throw new SnapshotError(`not JSON (${jsonErrorAt(text)})`);
  }
  if (!isRecord(doc)) throw new SnapshotError('not a live-state snapshot (expected a JSON object)');
  if (doc.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(`unsupported snapshot version ${stableJson(doc.version)} (this tfy-lint reads version ${SNAPSHOT_VERSION}; write it with tfy-lint dump --json)`);
  }
  if (!Array.isArray(doc.resources)) throw new SnapshotError('"resources" must be a list');
  const resources: LiveResource[] = [];
  doc.resources.forEach((r, i) => {
    if (!isRecord(r) || !isRecord(r.manifest)) throw new SnapshotError(`resources[${i}] has no "manifest" object`);
    const manifest = { ...r.manifest };
    if (manifest.type === undefined && typeof r.type === 'string') manifest.type = r.type;
    if (manifest.name === undefined && typeof r.name === 'string') manifest.name = r.name;
    const res = liveResource(manifest, schemas, { id: r.id, fqn: r.fqn, history: snapshotMeta(r.meta) });
    if (!res) throw new SnapshotError(`resources[${i}] has no string "type" and "name"`);
    resources.push(res);
  });
  let kinds: LiveKind[];
  if (doc.kinds === undefined) {
    kinds = [...new Set(resources.map((r) => kindOf(r.type)).filter((k): k is string => k !== undefined))];
  } else if (Array.isArray(doc.kinds) && doc.kinds.every((k) => typeof k === 'string')) {
    const unknown = (doc.kinds as string[]).find((k) => !ALL_KINDS.includes(k));
    if (unknown) throw new SnapshotError(`unknown kind "${unknown}" in "kinds" (known: ${ALL_KINDS.join(', ')})`);
    kinds = doc.kinds as string[];
  } else {
    throw new SnapshotError('"kinds" must be a list of kind names');
  }
  const readAt = typeof doc.readAt === 'string' ? doc.readAt : undefined;
  const origin = typeof doc.source === 'string' && doc.source ? `${source} (read from ${doc.source})` : source;
  return makeLiveState(origin, kinds, resources, readAt);
}

/** The part of a live state that some kinds cover. */
export function restrictKinds(state: LiveState, kinds: readonly LiveKind[]): LiveState {
  const keep = new Set(kinds.filter((k) => state.kinds.includes(k)));
  return makeLiveState(state.source, [...keep], state.resources.filter((r) => keep.has(kindOf(r.type) ?? '')), state.readAt);
}
