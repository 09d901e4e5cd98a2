// Rule routing-weights: weights, priorities and sticky routing of load-balance targets make sense for their strategy.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { defineRule, type RuleContext } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';
import { targetLists, type TargetList } from '../project/routing.ts';

const STICKY_TTL = { min: 1800, max: 86400 };

/**
 * The fields that make two entries for one target behave differently (a variant rather than a repeat): other
 * request parameters or headers, other eligible requests, or another place in a priority fallback chain.
 */
const VARIANT_FIELDS = ['override_params', 'headers_override', 'metadata_match', 'priority'];

interface Scope { manifest: Manifest; report: RuleContext['report'] }

/** One member of a routing pool: a load-balance target, or a pooled custom endpoint. */
interface Member {
  data: Record<string, unknown>;
  /** Path of the member object. */
  path: JsonPath;
  /** `"openai-main/gpt-4o"`, for lists in messages. */
  name: string;
  /** `target "openai-main/gpt-4o"`, for messages. */
  label: string;
  weight: unknown;
  /** Path of the weight / priority, relative to the member. */
  weightAt: JsonPath;
  priority: unknown;
  priorityAt: JsonPath;
}

interface Pool { owner: string; listPath: JsonPath; members: Member[] }

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function poolOf(list: TargetList): Pool {
  const listPath = [...list.path, 'load_balance_targets'];
  const members: Member[] = [];
  list.targets.forEach((t, i) => {
    if (!isRecord(t)) return;
    const name = typeof t.target === 'string' ? `"${t.target}"` : `load_balance_targets[${i}]`;
    members.push({
      data: t, path: [...listPath, i], name, label: `target ${name}`,
      weight: t.weight, weightAt: ['weight'], priority: t.priority, priorityAt: ['priority'],
    });
  });
  return { owner: list.owner, listPath, members };
}

function checkList(list: TargetList, scope: Scope) {
  const { report } = scope;
  const strategy = list.strategy;
  const pool = poolOf(list);

  // Sticky routing: only weight-based routing keeps a session on one target, for 30 minutes to a day.
  const sticky = list.holder.sticky_routing;
  if (sticky !== undefined && strategy !== undefined && strategy !== 'weight-based-routing') {
    report({ messageId: 'stickyNotWeight', path: [...list.path, 'sticky_routing'], data: { owner: list.owner, strategy }, overlapsSchema: true });
  } else if (isRecord(sticky) && isNumber(sticky.ttl_seconds) && (sticky.ttl_seconds < STICKY_TTL.min || sticky.ttl_seconds > STICKY_TTL.max)) {
    report({ messageId: 'stickyTtl', path: [...list.path, 'sticky_routing', 'ttl_seconds'], at: 'value', data: { ttl: sticky.ttl_seconds }, overlapsSchema: true });
  }

  if (strategy !== undefined) {
    for (const m of pool.members) {
      if (strategy !== 'weight-based-routing' && m.data.weight !== undefined) {
        report({ messageId: 'weightUnused', path: [...m.path, 'weight'], data: { target: m.label, strategy }, overlapsSchema: true });
      }
      if (strategy !== 'priority-based-routing' && m.data.priority !== undefined) {
        report({ messageId: 'priorityUnused', path: [...m.path, 'priority'], data: { target: m.label, strategy }, overlapsSchema: true });
      }
      if (strategy !== 'priority-based-routing' && m.data.sla_cutoff !== undefined) {
        report({ messageId: 'slaNotPriority', path: [...m.path, 'sla_cutoff'], data: { target: m.label, strategy }, overlapsSchema: true });
      }
    }
  }

  checkDuplicates(pool, scope);
  if (strategy === 'weight-based-routing') checkWeights(pool, scope, true);
  if (strategy === 'priority-based-routing') checkPriorities(pool, scope);
}

function checkDuplicates(pool: Pool, scope: Scope) {
  const first = new Map<string, Member>();
  for (const m of pool.members) {
    const target = m.data.target;
    if (typeof target !== 'string') continue;
    const earlier = first.get(target);
    if (!earlier) { first.set(target, m); continue; }
    const variant = VARIANT_FIELDS.some((k) => JSON.stringify(m.data[k]) !== JSON.stringify(earlier.data[k]));
    scope.report({
      messageId: variant ? 'duplicateVariant' : 'duplicateTarget', path: [...m.path, 'target'], at: 'value',
      severity: variant ? 'warning' : undefined,
      data: { target, owner: pool.owner, first: earlier.path[earlier.path.length - 1] },
      related: [{ manifest: scope.manifest, path: [...earlier.path, 'target'], message: `"${target}" first listed here` }],
    });
  }
}

/** Weights: each 0..100 and together 100 (with each member's effective share, so the real split is visible). */
function checkWeights(pool: Pool, scope: Scope, required: boolean) {
  if (pool.members.length === 0) return;
  let complete = true;
  for (const m of pool.members) {
    const path = [...m.path, ...m.weightAt];
    if (m.weight === undefined) {
      if (required) scope.report({ messageId: 'missingWeight', path, data: { target: m.label, owner: pool.owner }, overlapsSchema: true });
      complete = false;
    } else if (!isNumber(m.weight)) {
      complete = false; // the wrong type is the schema's to report
    } else if (m.weight < 0 || m.weight > 100) {
      scope.report({ messageId: 'weightRange', path, at: 'value', data: { weight: m.weight, target: m.label } });
    }
  }
  if (!complete) return;
  const weights = pool.members.map((m) => m.weight as number);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) < 1e-9) return;
  const shares = pool.members.map((m, k) => `${m.name} ${weights[k]}${sum > 0 ? ` (${round((weights[k] / sum) * 100)}%)` : ''}`).join(', ');
  scope.report({
    messageId: 'weightSum', path: pool.listPath, data: { owner: pool.owner, sum: round(sum, 3), shares },
    hint: sum > 0 ? undefined : 'With every weight at 0 no target can receive traffic. Give the targets weights that add up to 100.',
  });
}

/** Priorities: whole numbers from 0 (the default), one per member unless sharing is meant. */
function checkPriorities(pool: Pool, scope: Scope) {
  const byPriority = new Map<number, Member>();
  for (const m of pool.members) {
    const explicit = m.priority !== undefined;
    const prio = explicit ? m.priority : 0;
    if (!isNumber(prio)) continue;
    const path = explicit ? [...m.path, ...m.priorityAt] : m.path;
    if (prio < 0) {
      scope.report({ messageId: 'priorityNegative', path, at: 'value', data: { priority: prio, target: m.label }, overlapsSchema: true });
      continue;
    }
    const earlier = byPriority.get(prio);
    if (!earlier) { byPriority.set(prio, m); continue; }
    scope.report({
      messageId: 'equalPriority', path, at: explicit ? 'value' : 'key', severity: 'warning',
      data: { target: m.name, other: earlier.name, priority: `${prio}${explicit ? '' : ' (the default)'}`, owner: pool.owner },
      related: [{ manifest: scope.manifest, path: earlier.path, message: `${earlier.name} has priority ${prio} too` }],
    });
  }
}

/**
 * Custom endpoints pooled by the account's `routing_type` form one pool: each endpoint's `loadbalancing_config`
 * carries its weight or priority ("weights across all endpoints in the account must sum to 100", DOMAIN.md §1.2).
 * Endpoints without a weight are left out of the sum (whether they join the pool is not documented).
 */
function checkCustomEndpoints(data: Record<string, unknown>, scope: Scope) {
  if (!Array.isArray(data.integrations) || (data.routing_type !== 'weight' && data.routing_type !== 'priority')) return;
  const members: Member[] = [];
  data.integrations.forEach((e, i) => {
    if (!isRecord(e) || !isRecord(e.loadbalancing_config)) return;
    const lb = e.loadbalancing_config;
    const name = typeof e.name === 'string' ? `"${e.name}"` : `integrations[${i}]`;
    members.push({
      data: e, path: ['integrations', i], name, label: `endpoint ${name}`,
      weight: lb.weight, weightAt: ['loadbalancing_config', 'weight'], priority: lb.priority, priorityAt: ['loadbalancing_config', 'priority'],
    });
  });
  const name = typeof data.name === 'string' ? `the endpoints of "${data.name}"` : 'the endpoints';
  if (data.routing_type === 'weight') {
    checkWeights({ owner: name, listPath: ['integrations'], members: members.filter((m) => m.weight !== undefined) }, scope, false);
  } else {
    checkPriorities({ owner: name, listPath: ['integrations'], members }, scope);
  }
}

export default defineRule({
  id: 'routing-weights',
  meta: {
    description: 'Load-balance targets fit their strategy: weights 0-100 adding up to 100, distinct priorities, no repeated target, sla_cutoff and sticky_routing only where they apply',
    appliesTo: ['gateway-load-balancing-config', 'provider-account/virtual-model', 'provider-account/custom-endpoint'],
    needs: 'document',
    recommended: 'error',
    messages: {
      weightSum: 'weights of {{owner}} add up to {{sum}}, not 100: {{shares}}',
      weightRange: 'weight {{weight}} of {{target}} is outside 0-100',
      missingWeight: '{{target}} of {{owner}} has no weight; with weight-based routing every target needs one',
      weightUnused: 'weight on {{target}} has no effect with {{strategy}}',
      priorityUnused: 'priority on {{target}} has no effect with {{strategy}}',
      slaNotPriority: 'sla_cutoff on {{target}} has no effect with {{strategy}}; only priority-based routing uses it',
      stickyNotWeight: 'sticky_routing on {{owner}} has no effect with {{strategy}}; only weight-based routing keeps sessions on a target',
      stickyTtl: 'sticky_routing.ttl_seconds is {{ttl}}; it must be between 1800 (30 minutes) and 86400 (one day)',
      priorityNegative: 'priority {{priority}} of {{target}} is negative; priorities start at 0 (tried first)',
      equalPriority: '{{other}} and {{target}} of {{owner}} have the same priority {{priority}}',
      duplicateTarget: 'target "{{target}}" is listed twice in {{owner}} (first at load_balance_targets[{{first}}])',
      duplicateVariant: 'target "{{target}}" is listed twice in {{owner}} (first at load_balance_targets[{{first}}]), with different settings',
    },
  },
  hints: {
    weightSum: 'Weights are percentages of the traffic: make them add up to exactly 100 so that each target gets the share written next to it.',
    weightRange: 'A weight is a percentage of the traffic, from 0 (none) to 100 (all of it).',
    missingWeight: 'Give the target a weight (0-100), and make the weights of the list add up to 100.',
    weightUnused: 'Only weight-based routing splits traffic by weight. Remove the weight, or switch the strategy to weight-based-routing.',
    priorityUnused: 'Only priority-based routing orders targets by priority. Remove it, or switch the strategy to priority-based-routing.',
    slaNotPriority: 'An SLA cutoff marks a priority target unhealthy so that the next priority takes over; other strategies ignore it. Remove it, or switch to priority-based-routing.',
    stickyNotWeight: 'Sticky routing pins a session to the target the weighted choice picked; latency- and priority-based routing choose targets another way. Remove sticky_routing or switch to weight-based-routing.',
    stickyTtl: 'The platform accepts a sticky-session TTL from 1800 to 86400 seconds.',
    priorityNegative: 'Priorities are whole numbers from 0: the lowest number is tried first, higher numbers are fallbacks.',
    equalPriority: 'The order among targets of one priority is not documented, so the fallback order is unclear. Give each target its own priority, unless sharing one is intended.',
    duplicateTarget: 'A target listed twice gets the traffic of both entries, and a fallback from one entry lands on the same model that just failed. Merge the entries.',
    duplicateVariant: 'The entries differ in override_params, headers_override, metadata_match or priority, which may be intended; but a fallback from one entry can land on the same model that just failed.',
  },
  check(manifest, ctx) {
    const scope: Scope = { manifest, report: ctx.report };
    if (manifest.type === 'provider-account/custom-endpoint') {
      if (isRecord(manifest.data)) checkCustomEndpoints(manifest.data, scope);
      return;
    }
    for (const list of targetLists(manifest)) checkList(list, scope);
  },
});
