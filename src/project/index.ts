// Project: the cross-file index of every manifest by type and name, and of every integration by its address.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import type { Manifest } from '../parse/manifest.ts';
import type { Composition } from './composition.ts';

/** A project that composes nothing. */
export const NO_COMPOSITION: Composition = { configs: [], composedTypes: new Set(), of: () => undefined, diagnostics: [] };

/** An integration as callers address it: `<account name>/<integration name>`. */
export interface IntegrationRef {
  address: string;
  account: Manifest;
  /** Index in the account's `integrations` list. */
  index: number;
  path: JsonPath;
  type?: string;
  name: string;
  data: Record<string, unknown>;
}

/** An integration as it exists on the platform (from the live state read under `plan`). */
export interface LiveIntegration {
  /** `<account name>/<integration name>`. */
  address: string;
  /** The account's manifest type, e.g. provider-account/openai or provider-account/virtual-model. */
  accountType: string;
  accountName: string;
  /** The integration's own type, e.g. integration/model/openai or integration/model/virtual. */
  type?: string;
  name: string;
  /** The integration's manifest as the platform returned it (secret values masked). */
  data: Record<string, unknown>;
}

/**
 * What the platform holds, for rules that need it. Present only under `plan` (set by the plan command from the live
 * state it read); under `check` it is undefined and rules must behave as before. Only the kinds in `kinds` were
 * read: for any other kind, "not live" means "not known", not "missing".
 */
export interface LiveView {
  /** The kinds read (`provider-account`, `mcp-server`, `virtual-account`, `team`, `secret-group`, or a gateway config type). */
  kinds: readonly string[];
  /** Whether an integration exists live at `<account>/<integration>` (or is a live virtual model's slug). */
  hasIntegration(address: string): boolean;
  /** The live integration at an address (or virtual-model slug), if any. */
  integration(address: string): LiveIntegration | undefined;
  /** Every live integration address, for "did you mean". */
  addresses(): string[];
  /** Whether a resource of this type and name exists live (for a singleton gateway config, any name matches). */
  has(type: string, name: string): boolean;
}

export interface ProjectIndex {
  manifests: readonly Manifest[];
  /** The config's composed gateway configs and their fragments (empty when nothing is composed). */
  composition: Composition;
  /** Live state, only under `plan` (see LiveView); undefined under `check`. */
  live?: LiveView;
  byType(typeOrPrefix: string): Manifest[];
  /** Manifests of one type with one name (more than one is a duplicate). */
  named(type: string, name: string): Manifest[];
  /** Every integration with this address, in repository order. */
  integration(address: string): IntegrationRef[];
  integrations(): IntegrationRef[];
  /** Every integration address, for "did you mean". */
  addresses(): string[];
}

export function buildProjectIndex(manifests: readonly Manifest[], composition: Composition = NO_COMPOSITION): ProjectIndex {
  const byTypeMap = new Map<string, Manifest[]>();
  // Most keys have one value: it is held alone, not in a list of its own (tens of thousands of lists in a large project).
  const byKey = new Map<string, OneOrMore<Manifest>>();
  const integrations = new Map<string, OneOrMore<Ref>>();
  const all: IntegrationRef[] = [];
  for (const m of manifests) {
    if (!m.type) continue;
    push(byTypeMap, m.type, m);
    if (m.name !== undefined) add(byKey, manifestKey(m.type, m.name), m);
    const data = m.data as Record<string, unknown>;
    if (m.type.startsWith('provider-account/') && m.name && Array.isArray(data.integrations)) {
      data.integrations.forEach((item, index) => {
        if (!isRecord(item) || typeof item.name !== 'string') return;
        const ref = new Ref(flatJoin(m.name as string, '/', item.name), m, index, typeof item.type === 'string' ? item.type : undefined, item.name, item);
        add(integrations, ref.address, ref);
        all.push(ref);
        // Virtual models may also be called by their slug.
        if (typeof item.slug === 'string' && item.slug) add(integrations, item.slug, ref);
      });
    }
  }
  return {
    manifests,
    composition,
    byType: (t) => (t.endsWith('/*')
      ? [...byTypeMap].filter(([k]) => k.startsWith(t.slice(0, -1))).flatMap(([, v]) => v)
      : byTypeMap.get(t) ?? []),
    named: (type, name) => listOf(byKey.get(manifestKey(type, name))),
    integration: (address) => listOf(integrations.get(address)),
    integrations: () => all,
    addresses: () => [...integrations.keys()],
  };
}

/** One value, or the list of several (a value is never itself an array). */
type OneOrMore<V extends object> = V | V[];

function add<V extends object>(map: Map<string, OneOrMore<V>>, key: string, value: V) {
  const held = map.get(key);
  if (held === undefined) map.set(key, value);
  else if (Array.isArray(held)) held.push(value);
  else map.set(key, [held, value]);
}

/** The values held under a key, as a new list (a caller, a custom rule among them, may change it). */
function listOf<V extends object>(held: OneOrMore<V> | undefined): V[] {
  return held === undefined ? [] : Array.isArray(held) ? held.slice() : [held];
}

function manifestKey(type: string, name: string): string {
  return flatJoin(type, '\u0000', name);
}

/**
 * `a + sep + b` as one flat string. V8 makes a longer `+` or template literal a pair of pointers to its parts (a
 * "cons" string); used as a map key it is then copied flat and the pair kept besides, 32 bytes more for each of the
 * index's tens of thousands of keys. Array.prototype.join writes the flat string directly.
 */
function flatJoin(a: string, sep: string, b: string): string {
  return [a, b].join(sep);
}

/**
 * An integration of the index. A repository holds tens of thousands of them and keeps them to the end of the run:
 * the path is made when asked for (findings and related information), not held by each.
 */
class Ref implements IntegrationRef {
  constructor(
    readonly address: string, readonly account: Manifest, readonly index: number, readonly type: string | undefined,
    readonly name: string, readonly data: Record<string, unknown>,
  ) {}

  get path(): JsonPath {
    return ['integrations', this.index];
  }
}

/** The same project index with live state attached (used by `plan` before it runs the rules). */
export function withLive(project: ProjectIndex, live: LiveView): ProjectIndex {
  return { ...project, live };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
