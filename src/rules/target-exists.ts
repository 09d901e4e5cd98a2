// Rule target-exists: every routing target, rule model, guardrail selector and virtual MCP source names something defined.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { closest, didYouMean, orList } from '../core/text.ts';
import { defineRule, type RuleContext } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';
import {
  accountKind, addressCatalog, ExternalAddresses, KIND_NAMES, kindOf, kindOfTypes, MCP_SERVER_TYPES, modelTypesOf, splitAddress,
  type AddressCatalog, type IntegrationKind,
} from '../project/addresses.ts';
import type { IntegrationRef } from '../project/index.ts';
import { targetLists, WILDCARD } from '../project/routing.ts';

/** The guardrail lists of a gateway-guardrails-config rule, each of `<group>/<guardrail>` selectors. */
const GUARDRAIL_LISTS = ['llm_input_guardrails', 'llm_output_guardrails', 'mcp_tool_pre_invoke_guardrails', 'mcp_tool_post_invoke_guardrails'];

/** What a reference must resolve to. */
type Want =
  /** A routing target: a real model (a virtual model cannot be one). */
  | 'target'
  /** A model a request may name: a model or a virtual model. */
  | 'requested'
  | 'guardrail'
  /** A server of an MCP server group, as `<group>/<server>`. */
  | 'mcp-group-server'
  /** The source of a stand-alone virtual MCP server: an MCP server manifest's name, or `<group>/<server>`. */
  | 'mcp-server';

const WHAT: Record<Want, string> = {
  target: 'target', requested: 'model', guardrail: 'guardrail', 'mcp-group-server': 'MCP server', 'mcp-server': 'MCP server',
};

const ACCEPTS: Record<Want, readonly IntegrationKind[]> = {
  target: ['model', 'virtual-model'], requested: ['model', 'virtual-model'], guardrail: ['guardrail'],
  'mcp-group-server': ['mcp-server'], 'mcp-server': ['mcp-server'],
};

/** What the account part of an address names, per wanted kind. */
const GROUP: Record<Want, { kind: IntegrationKind; noun: string; item: string }> = {
  target: { kind: 'model', noun: 'provider account', item: 'model' },
  requested: { kind: 'model', noun: 'provider account', item: 'model' },
  guardrail: { kind: 'guardrail', noun: 'guardrail group', item: 'guardrail' },
  'mcp-group-server': { kind: 'mcp-server', noun: 'MCP server group', item: 'server' },
  'mcp-server': { kind: 'mcp-server', noun: 'MCP server group', item: 'server' },
};

interface Scope {
  manifest: Manifest;
  ctx: RuleContext;
  catalog: AddressCatalog;
  external: ExternalAddresses;
}

/** The virtual model a target belongs to, for the model-types comparison. */
interface VirtualModelOwner { name: string; types: readonly string[] }

function check(scope: Scope, value: unknown, path: JsonPath, want: Want, owner?: VirtualModelOwner) {
  if (typeof value !== 'string' || value === '') return; // the schema reports wrong types
  if (want === 'requested' && value === WILDCARD) return;
  const { ctx, catalog, external } = scope;
  const what = WHAT[want];

  if (want === 'mcp-server' && !value.includes('/')) {
    const live = ctx.project.live;
    if (catalog.mcpServers.has(value) || external.has(value) || MCP_SERVER_TYPES.some((t) => live?.has(t, value))) return;
    ctx.report({
      messageId: 'missing', path, at: 'value',
      data: { what, address: value, where: whereDefined(ctx), reason: 'no MCP server manifest has this name', suggestion: didYouMean(value, [...catalog.mcpServers, ...external.list()]) },
    });
    return;
  }

  const found = resolve(scope, value);
  if (found === 'external') return;
  if (!found) {
    ctx.report({ messageId: 'missing', path, at: 'value', data: { what, address: value, where: whereDefined(ctx), reason: reasonMissing(value, want, scope), suggestion: suggest(value, want, scope) } });
    return;
  }
  const kind = found.kind;
  if (!ACCEPTS[want].includes(kind)) {
    ctx.report({ messageId: 'wrongKind', path, at: 'value', data: { what, address: value, actual: KIND_NAMES[kind], expected: want === 'target' || want === 'requested' ? 'model' : KIND_NAMES[ACCEPTS[want][0]] } });
    return;
  }
  if (want === 'target' && kind === 'virtual-model') {
    ctx.report({ messageId: 'nested', path, at: 'value', data: { address: value } });
    return;
  }
  if (owner && kind === 'model') {
    const served = modelTypesOf(found.data);
    if (!served) return;
    const missing = owner.types.filter((t) => !served.includes(t));
    if (missing.length) {
      const ref = found.ref;
      ctx.report({
        messageId: 'modelTypes', path, at: 'value', severity: 'warning',
        data: { address: value, served: served.map((t) => `"${t}"`).join(', '), vm: owner.name, missing: orList(missing) },
        related: ref ? [{ manifest: ref.account, path: [...ref.path, 'model_types' in ref.data ? 'model_types' : 'name'], message: `"${value}" is defined here` }] : undefined,
      });
    }
  }
}

/** Where a name was looked for: the repository, and under `plan` the platform when its integrations were read. */
function whereDefined(ctx: RuleContext): string {
  const live = ctx.project.live;
  return live && (live.kinds.includes('provider-account') || live.kinds.includes('mcp-server')) ? 'in the repository or on the platform' : 'in the repository';
}

interface Resolved { kind: IntegrationKind; data: Record<string, unknown>; ref?: IntegrationRef }

/**
 * What an address names: an integration of the repository, else one of the live state (under `plan`), else
 * 'external' when configured as existing elsewhere (nothing more is known about it then).
 */
function resolve(scope: Scope, address: string): Resolved | 'external' | undefined {
  const ref = scope.ctx.project.integration(address)[0];
  if (ref) return { kind: kindOf(ref), data: ref.data, ref };
  const live = scope.ctx.project.live?.integration(address);
  if (live) return { kind: kindOfTypes(live.type, live.accountType), data: live.data };
  return scope.external.has(address) ? 'external' : undefined;
}

function reasonMissing(address: string, want: Want, scope: Scope): string {
  const parts = splitAddress(address);
  const group = GROUP[want];
  if (!parts) return want === 'target' || want === 'requested' ? 'it is neither <account>/<model> nor a virtual-model slug' : `it is not of the form <group>/<${group.item}>`;
  const types = scope.catalog.accountTypes(parts.account);
  if (types.length === 0) {
    const prefix = `${parts.account}/`;
    const onPlatform = scope.ctx.project.live?.addresses().some((a) => a.startsWith(prefix));
    return onPlatform ? `${group.noun} "${parts.account}" has no ${group.item} "${parts.name}"` : `there is no ${group.noun} "${parts.account}"`;
  }
  if (types.some((t) => accountKind(t) === group.kind || (group.kind === 'model' && accountKind(t) === 'virtual-model'))) {
    return `${group.noun} "${parts.account}" has no ${group.item} "${parts.name}"`;
  }
  return `"${parts.account}" is a ${types[0]}, not a ${group.noun}`;
}

/**
 * "Did you mean" the closest addresses, else what the named account does hold. Candidates are the integrations of
 * the accounts whose names are close (a typo in the account) and the integrations of the same name in other accounts
 * (the wrong account), so that a miss costs little even with thousands of integrations.
 */
function suggest(address: string, want: Want, scope: Scope): string {
  const { catalog, external } = scope;
  const kinds: IntegrationKind[] = want === 'requested' ? ['model', 'virtual-model'] : [GROUP[want].kind];
  const parts = splitAddress(address);
  const candidates = new Set<string>(external.list());
  const live = scope.ctx.project.live;
  const held: string[] = [];
  if (parts) {
    const like = catalog.accountsLike(parts.account, kinds);
    const accounts = new Set(closest(parts.account, like.length ? like : plausible(parts.account, catalog.accountsHolding(kinds)), 3));
    accounts.add(parts.account);
    for (const account of accounts) {
      for (const i of catalog.integrationsOf(account)) {
        if (!kinds.includes(i.kind)) continue;
        candidates.add(`${account}/${i.name}`);
        if (account === parts.account) held.push(`"${i.name}"`);
      }
    }
    for (const a of catalog.named(parts.name, kinds)) candidates.add(a);
    // Live integrations (under `plan`) of the same accounts, or of the same name.
    for (const a of live?.addresses() ?? []) {
      const p = splitAddress(a);
      if (!p || !(accounts.has(p.account) || p.name === parts.name)) continue;
      const li = live?.integration(a);
      if (li && kinds.includes(kindOfTypes(li.type, li.accountType))) candidates.add(a);
    }
  } else {
    for (const slug of catalog.slugs(kinds)) candidates.add(slug);
  }
  const near = didYouMean(address, candidates);
  if (near || held.length === 0) return near;
  return ` (it has ${held.slice(0, 5).join(', ')}${held.length > 5 ? ` and ${held.length - 5} more` : ''})`;
}

/**
 * The names `closest` could accept for `word` (length within its edit-distance bound, or one a prefix of the other):
 * a cheap filter, so that a miss in a repository with thousands of accounts stays fast.
 */
function plausible(word: string, names: readonly string[]): string[] {
  const max = Math.max(2, Math.floor(word.length / 3));
  const w = word.toLowerCase();
  return names.filter((n) => Math.abs(n.length - word.length) <= max || n.toLowerCase().startsWith(w) || w.startsWith(n.toLowerCase()));
}

function checkManifest(scope: Scope) {
  const { manifest } = scope;
  const data = manifest.data;
  if (!isRecord(data)) return;
  const type = manifest.type;

  const eachString = (list: unknown, path: JsonPath, want: Want) => {
    if (Array.isArray(list)) list.forEach((v, i) => check(scope, v, [...path, i], want));
  };

  if (type === 'gateway-load-balancing-config' || type === 'gateway-rate-limiting-config' || type === 'gateway-budget-config') {
    if (Array.isArray(data.rules)) {
      data.rules.forEach((rule, r) => {
        if (isRecord(rule) && isRecord(rule.when)) eachString(rule.when.models, ['rules', r, 'when', 'models'], 'requested');
      });
    }
  }

  for (const list of targetLists(manifest)) {
    const vm = list.virtualModel;
    const types = vm ? modelTypesOf(vm.data) : undefined;
    const owner = vm && types && typeof vm.data.name === 'string'
      ? { name: `${manifest.name ?? '?'}/${vm.data.name}`, types } : undefined;
    list.targets.forEach((t, i) => {
      if (isRecord(t)) check(scope, t.target, [...list.path, 'load_balance_targets', i, 'target'], 'target', owner);
    });
  }

  if (type === 'gateway-guardrails-config' && Array.isArray(data.rules)) {
    data.rules.forEach((rule, r) => {
      if (!isRecord(rule)) return;
      for (const key of GUARDRAIL_LISTS) eachString(rule[key], ['rules', r, key], 'guardrail');
      const when = rule.when;
      const conditions = isRecord(when) && isRecord(when.target) && isRecord(when.target.conditions) ? when.target.conditions : undefined;
      const at = ['rules', r, 'when', 'target', 'conditions'];
      if (isRecord(conditions?.model)) eachString(conditions.model.values, [...at, 'model', 'values'], 'requested');
      // MCP servers by name, or `server:tool` for one tool of a server; the server part must exist.
      if (isRecord(conditions?.mcpServers) && Array.isArray(conditions.mcpServers.values)) {
        conditions.mcpServers.values.forEach((v, i) => {
          check(scope, typeof v === 'string' && v.includes(':') ? v.slice(0, v.indexOf(':')) : v, [...at, 'mcpServers', 'values', i], 'mcp-server');
        });
      }
      if (isRecord(conditions?.mcpTools) && Array.isArray(conditions.mcpTools.values)) {
        conditions.mcpTools.values.forEach((v, i) => {
          if (isRecord(v)) check(scope, v.name, [...at, 'mcpTools', 'values', i, 'name'], 'mcp-server');
        });
      }
    });
  }

  if (type === 'mcp-server/virtual' && Array.isArray(data.servers)) {
    data.servers.forEach((s, i) => {
      if (isRecord(s)) check(scope, s.name, ['servers', i, 'name'], 'mcp-server');
    });
  }

  if (type === 'provider-account/mcp-server-group' && Array.isArray(data.integrations)) {
    data.integrations.forEach((integration, i) => {
      if (!isRecord(integration) || integration.type !== 'integration/mcp-server/virtual' || !Array.isArray(integration.servers)) return;
      integration.servers.forEach((s, j) => {
        if (isRecord(s)) check(scope, s.name, ['integrations', i, 'servers', j, 'name'], 'mcp-group-server');
      });
    });
  }
}

export default defineRule({
  id: 'target-exists',
  meta: {
    description: 'Routing targets, rule models, guardrail selectors, the MCP servers of guardrail targets and virtual MCP sources name integrations defined in the repository; targets are real models of the right types',
    appliesTo: [
      'gateway-load-balancing-config', 'gateway-rate-limiting-config', 'gateway-budget-config', 'gateway-guardrails-config',
      'provider-account/virtual-model', 'provider-account/mcp-server-group', 'mcp-server/virtual',
    ],
    needs: 'project',
    recommended: 'error',
    messages: {
      missing: '{{what}} "{{address}}" is not defined {{where}}: {{reason}}{{suggestion}}',
      wrongKind: '{{what}} "{{address}}" is a {{actual}}, not a {{expected}}',
      nested: 'target "{{address}}" is a virtual model; targets must be real models (virtual models do not nest)',
      modelTypes: 'target "{{address}}" serves {{served}}, but virtual model "{{vm}}" is also declared for {{missing}}',
    },
    options: {
      type: 'object',
      properties: {
        externalAddresses: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Addresses that exist outside this repository: <account>/<integration>, <account>/* (every integration of an account), or an MCP server name.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { externalAddresses: [] },
  },
  hints: {
    missing: 'The platform resolves these names when it routes a request; a name that matches nothing fails requests (or is rejected on apply). Fix the spelling, add the integration, or, when it is managed elsewhere, list it under the rule option externalAddresses (under tfy-lint plan, integrations that exist on the platform count as defined).',
    wrongKind: 'Each field takes one kind of integration: targets and rule models name models, guardrail lists name guardrails of a guardrail-config-group, virtual MCP servers name MCP servers.',
    nested: 'Virtual models route to real models only; the platform does not resolve one virtual model through another. Point this target at the underlying <account>/<model>, or copy the inner routing here.',
    modelTypes: 'Requests of a type the target does not serve fail when routed to it. Route only to models that serve every type the virtual model declares, or narrow its model_types.',
  },
  check(manifest, ctx) {
    const extra = Array.isArray(ctx.options.externalAddresses) ? ctx.options.externalAddresses.filter((a): a is string => typeof a === 'string') : [];
    checkManifest({ manifest, ctx, catalog: addressCatalog(ctx.project), external: new ExternalAddresses(extra) });
  },
});
