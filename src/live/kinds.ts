// Live: which manifest types the platform lets tfy-lint read, grouped by the list call that returns them.

/** Gateway configs read with GET /api/svc/v1/llm-gateway/config/{type} (DOMAIN.md §2.4). */
export const GATEWAY_CONFIG_TYPES: readonly string[] = [
  'gateway-load-balancing-config',
  'gateway-rate-limiting-config',
  'gateway-budget-config',
  'gateway-guardrails-config',
  'gateway-fallback-config',
  'gateway-otel-config',
  'gateway-global-settings',
  'gateway-data-access-config',
  'gateway-data-routing-config',
  'tenant-budget-config',
  'team-budget-config',
];

/** Gateway configs the platform keeps once per tenant: matched by type alone, never deleted by a plan. */
export const SINGLETON_TYPES: ReadonlySet<string> = new Set(GATEWAY_CONFIG_TYPES.filter((t) => t.startsWith('gateway-')));

/**
 * A kind is one list call: `provider-account` (every provider-account/* type, paginated), `mcp-server`
 * (every mcp-server/* type), `virtual-account`, `team`, `secret-group`, or one gateway config type.
 */
export type LiveKind = string;

export const LIST_KINDS: readonly LiveKind[] = ['provider-account', 'mcp-server', 'virtual-account', 'team', 'secret-group'];
export const ALL_KINDS: readonly LiveKind[] = [...LIST_KINDS, ...GATEWAY_CONFIG_TYPES];

/** The kind whose list call returns documents of `type`, or undefined when tfy-lint cannot read that type. */
export function kindOf(type: string): LiveKind | undefined {
  if (type.startsWith('provider-account/')) return 'provider-account';
  if (type.startsWith('mcp-server/')) return 'mcp-server';
  if (type === 'virtual-account' || type === 'team' || type === 'secret-group') return type;
  if (GATEWAY_CONFIG_TYPES.includes(type)) return type;
  return undefined;
}

/** The kinds to read for a set of manifest types (plus any kinds given as such), in a stable order. */
export function kindsFor(types: Iterable<string>, alsoKinds: Iterable<LiveKind> = []): LiveKind[] {
  const wanted = new Set<LiveKind>(alsoKinds);
  for (const t of types) {
    const k = kindOf(t);
    if (k) wanted.add(k);
  }
  return ALL_KINDS.filter((k) => wanted.has(k));
}

/** Kinds whose documents route to provider-account integrations (targets, model lists, guardrail selectors). */
export const REFERENCING_KINDS: readonly LiveKind[] = [
  'provider-account', 'mcp-server', 'gateway-load-balancing-config', 'gateway-rate-limiting-config', 'gateway-budget-config',
  'gateway-guardrails-config',
];

/** Types matched by type alone (singletons) get their type as key; the others type + name. */
export function resourceKey(type: string, name: string): string {
  return SINGLETON_TYPES.has(type) ? type : `${type}/${name}`;
}
