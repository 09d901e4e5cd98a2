// Project: which integration types each provider-account type holds (derived from the schemas), and which accounts
// callers address as `<account>/<integration>`.
import { INTEGRATION_TYPES_BY_ACCOUNT } from '../core/generated/integration-types.ts';

const OWNERS: ReadonlyMap<string, readonly string[]> = (() => {
  const owners = new Map<string, string[]>();
  for (const [account, types] of Object.entries(INTEGRATION_TYPES_BY_ACCOUNT)) {
    for (const t of types) {
      const list = owners.get(t);
      if (list) list.push(account);
      else owners.set(t, [account]);
    }
  }
  return owners;
})();

/** The integration types a provider-account type accepts, or undefined when tfy-lint has no schema for it. */
export function integrationTypesOf(accountType: string): readonly string[] | undefined {
  return Object.hasOwn(INTEGRATION_TYPES_BY_ACCOUNT, accountType) ? INTEGRATION_TYPES_BY_ACCOUNT[accountType] : undefined;
}

/** The provider-account types whose `integrations` accept this integration type (empty when none does). */
export function accountTypesFor(integrationType: string): readonly string[] {
  return OWNERS.get(integrationType) ?? [];
}

/** Every provider-account type tfy-lint knows. */
export function knownAccountTypes(): string[] {
  return Object.keys(INTEGRATION_TYPES_BY_ACCOUNT);
}

/** Integration kinds the gateway routes to by `<account>/<integration>`: models, guardrails, MCP servers. */
const ADDRESSED = /^integration\/(model|guardrail-config|mcp-server)\//;

/**
 * Whether the gateway addresses this account's integrations as `<account>/<integration>` (model providers, virtual
 * models, guardrail groups, MCP server groups), as opposed to infrastructure accounts (clusters, registries, secret
 * stores, notification channels) whose integrations are referred to by FQN.
 */
export function isAddressedAccountType(accountType: string): boolean {
  return (integrationTypesOf(accountType) ?? []).some((t) => ADDRESSED.test(t));
}
