// Project: what an `<account>/<integration>` address (or a virtual-model slug) resolves to: its kind and model types.
import { isRecord } from '../core/jsonpath.ts';
import type { IntegrationRef, ProjectIndex } from './index.ts';
import { integrationTypesOf, isAddressedAccountType } from './integration-types.ts';

export type IntegrationKind = 'model' | 'virtual-model' | 'guardrail' | 'mcp-server' | 'other';

/** Account types whose integrations are not models. */
const GROUP_KINDS: Readonly<Record<string, IntegrationKind>> = {
  'provider-account/virtual-model': 'virtual-model',
  'provider-account/guardrail-config-group': 'guardrail',
  'provider-account/mcp-server-group': 'mcp-server',
};

/** The kind of an integration in the repository (see kindOfTypes). */
export function kindOf(ref: IntegrationRef): IntegrationKind {
  return kindOfTypes(ref.type, ref.account.type);
}

/** The kind of an integration, from its own type or, when that is missing or odd, from its account's type. */
export function kindOfTypes(integrationType: string | undefined, accountType: string | undefined): IntegrationKind {
  const t = integrationType ?? '';
  if (t === 'integration/model/virtual') return 'virtual-model';
  if (t.startsWith('integration/model/')) return 'model';
  if (t.startsWith('integration/guardrail-config/')) return 'guardrail';
  if (t.startsWith('integration/mcp-server/')) return 'mcp-server';
  return accountKind(accountType);
}

/** The stand-alone MCP server manifest types (a virtual MCP server may name any of them). */
export const MCP_SERVER_TYPES: readonly string[] = ['mcp-server/remote', 'mcp-server/openapi', 'mcp-server/stdio', 'mcp-server/virtual', 'mcp-server/tfy-managed'];

/** What the integrations of an account type are (by the account alone). */
export function accountKind(accountType: string | undefined): IntegrationKind {
  if (!accountType?.startsWith('provider-account/')) return 'other';
  if (Object.hasOwn(GROUP_KINDS, accountType)) return GROUP_KINDS[accountType];
  // Infrastructure accounts (clusters, registries, secret stores...) hold integrations nobody calls by address; an
  // account type tfy-lint has no schema for gets the benefit of the doubt.
  return integrationTypesOf(accountType) === undefined || isAddressedAccountType(accountType) ? 'model' : 'other';
}

export const KIND_NAMES: Readonly<Record<IntegrationKind, string>> = {
  model: 'model', 'virtual-model': 'virtual model', guardrail: 'guardrail', 'mcp-server': 'MCP server', other: 'non-model integration',
};

/** The default of `model_types` in the schemas of model integrations and virtual models. */
export const DEFAULT_MODEL_TYPES: readonly string[] = ['chat'];

/** An integration's `model_types` (the default when absent), or undefined when it is not a list of strings. */
export function modelTypesOf(integration: Record<string, unknown>): readonly string[] | undefined {
  const v = integration.model_types;
  if (v === undefined) return DEFAULT_MODEL_TYPES;
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** The parts of an address: `<account>/<integration>` (split at the first "/"), or undefined for a bare name. */
export function splitAddress(address: string): { account: string; name: string } | undefined {
  const i = address.indexOf('/');
  return i > 0 && i < address.length - 1 ? { account: address.slice(0, i), name: address.slice(i + 1) } : undefined;
}

/**
 * Addresses known to exist outside the repository (from configuration, and under `plan` from live state): exact
 * addresses, `<account>/*` for every integration of an account, and bare MCP server names.
 */
export class ExternalAddresses {
  private readonly exact = new Set<string>();
  private readonly accounts = new Set<string>();

  constructor(addresses: Iterable<string> = []) {
    for (const a of addresses) {
      if (a.endsWith('/*')) this.accounts.add(a.slice(0, -2));
      else this.exact.add(a);
    }
  }

  has(address: string): boolean {
    if (this.exact.has(address)) return true;
    const parts = splitAddress(address);
    return parts !== undefined && this.accounts.has(parts.account);
  }

  list(): string[] {
    return [...this.exact];
  }
}

/** Per project, computed once: integrations by account and by name, account types, MCP server names. */
export interface AddressCatalog {
  /** The types of the provider accounts with this name. */
  accountTypes(name: string): string[];
  /** Names of the accounts holding at least one integration of one of these kinds. */
  accountsHolding(kinds: readonly IntegrationKind[]): string[];
  /**
   * Up to `limit` accounts holding integrations of these kinds whose names share the most `-`/`_`/`.`-separated
   * words with `name` (a cheap shortlist for "did you mean" among thousands of accounts).
   */
  accountsLike(name: string, kinds: readonly IntegrationKind[], limit?: number): string[];
  /** The integrations of the accounts with this name, by name and kind. */
  integrationsOf(account: string): readonly { name: string; kind: IntegrationKind }[];
  /** Addresses of the integrations of these kinds with this integration name, in any account. */
  named(name: string, kinds: readonly IntegrationKind[]): string[];
  /** Slugs of the integrations of these kinds (virtual models). */
  slugs(kinds: readonly IntegrationKind[]): string[];
  /** Names of stand-alone MCP server manifests (`mcp-server/*`). */
  mcpServers: ReadonlySet<string>;
}

const catalogs = new WeakMap<ProjectIndex, AddressCatalog>();

/**
 * The project's catalog, made once per project and in parts, each when first asked for: most of it serves only
 * "did you mean" for names that resolve to nothing, which a clean repository never asks. It indexes the project's
 * integration entries themselves (no copies of them), since a large repository holds tens of thousands.
 */
export function addressCatalog(project: ProjectIndex): AddressCatalog {
  let c = catalogs.get(project);
  if (c) return c;
  const kinds = new Map<IntegrationRef, IntegrationKind>();
  const kind = (ref: IntegrationRef): IntegrationKind => {
    let k = kinds.get(ref);
    if (k === undefined) kinds.set(ref, (k = kindOf(ref)));
    return k;
  };
  let byAccount: Map<string, IntegrationRef[]> | undefined;
  let byName: Map<string, IntegrationRef[]> | undefined;
  const integrations = () => {
    if (!byAccount || !byName) {
      byAccount = new Map();
      byName = new Map();
      for (const ref of project.integrations()) {
        push(byAccount, ref.account.name ?? '', ref);
        push(byName, ref.name, ref);
      }
    }
    return { byAccount, byName };
  };
  let accounts: Map<string, string[]> | undefined;
  let mcpServers: Set<string> | undefined;
  const manifests = () => {
    if (!accounts || !mcpServers) {
      accounts = new Map();
      mcpServers = new Set();
      for (const m of project.manifests) {
        if (!m.type || typeof m.name !== 'string') continue;
        if (m.type.startsWith('provider-account/')) push(accounts, m.name, m.type);
        else if (m.type.startsWith('mcp-server/')) mcpServers.add(m.name);
      }
    }
    return { accounts, mcpServers };
  };
  const holding = new Map<string, string[]>();
  let byWord: Map<string, string[]> | undefined;
  const slugOf = (ref: IntegrationRef) => (isRecord(ref.data) && typeof ref.data.slug === 'string' && ref.data.slug ? ref.data.slug : undefined);
  c = {
    accountTypes: (name) => manifests().accounts.get(name) ?? [],
    accountsHolding: (wanted) => {
      const key = [...wanted].sort().join(',');
      let names = holding.get(key);
      if (!names) {
        names = [...integrations().byAccount].filter(([, list]) => list.some((r) => wanted.includes(kind(r)))).map(([a]) => a);
        holding.set(key, names);
      }
      return names;
    },
    accountsLike: (name, wanted, limit = 50) => {
      const { byAccount: all } = integrations();
      if (!byWord) {
        byWord = new Map();
        for (const account of all.keys()) for (const w of new Set(words(account))) push(byWord, w, account);
      }
      const shared = new Map<string, number>();
      for (const w of new Set(words(name))) for (const a of byWord.get(w) ?? []) shared.set(a, (shared.get(a) ?? 0) + 1);
      return [...shared]
        .filter(([a]) => (all.get(a) ?? []).some((r) => wanted.includes(kind(r))))
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .slice(0, limit).map(([a]) => a);
    },
    integrationsOf: (account) => (integrations().byAccount.get(account) ?? []).map((r) => ({ name: r.name, kind: kind(r) })),
    named: (name, wanted) => (integrations().byName.get(name) ?? []).filter((r) => wanted.includes(kind(r))).map((r) => r.address),
    slugs: (wanted) => project.integrations().flatMap((r) => {
      const slug = slugOf(r);
      return slug !== undefined && wanted.includes(kind(r)) ? [slug] : [];
    }),
    get mcpServers() { return manifests().mcpServers; },
  };
  catalogs.set(project, c);
  return c;
}

function words(name: string): string[] {
  return name.toLowerCase().split(/[-_.]+/).filter((w) => w.length >= 2);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
