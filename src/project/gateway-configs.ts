// Project: facts about the gateway configs shared by several rules: singleton types, the applies-per vocabulary,
// budget units and periods, and a canonical form of a rule's `when` for comparing rules.
import { isRecord } from '../core/jsonpath.ts';
import { setOwn } from '../core/own.ts';

/**
 * Gateway config types the platform keeps once per tenant (fetched by type, not by name). Two documents of one of
 * these types in a repository overwrite each other on apply, unless tfy-lint composes them (DESIGN.md §5).
 */
export const SINGLETON_GATEWAY_TYPES: readonly string[] = [
  'gateway-load-balancing-config',
  'gateway-rate-limiting-config',
  'gateway-budget-config',
  'gateway-guardrails-config',
  'gateway-otel-config',
  'gateway-global-settings',
  'gateway-data-access-config',
  'gateway-data-routing-config',
  'gateway-metadata-config',
  'gateway-logging-config',
];

/** The fixed values of `rate_limit_applies_per` / `budget_applies_per`; `metadata.<key>` is the open-ended one. */
export const APPLIES_PER_ENTITIES: readonly string[] = ['user', 'model', 'virtualaccount'];
export const APPLIES_PER_METADATA_PREFIX = 'metadata.';

export interface AppliesPerField {
  field: 'rate_limit_applies_per' | 'budget_applies_per';
  /** How many values the platform accepts in one rule. */
  max: number;
}

export const APPLIES_PER_BY_TYPE: Readonly<Record<string, AppliesPerField>> = {
  'gateway-rate-limiting-config': { field: 'rate_limit_applies_per', max: 2 },
  'gateway-budget-config': { field: 'budget_applies_per', max: 1 },
};

/** Whether a value is in the applies-per vocabulary: user, model, virtualaccount or metadata.<key>. */
export function isAppliesPerValue(v: string): boolean {
  return APPLIES_PER_ENTITIES.includes(v) || (v.startsWith(APPLIES_PER_METADATA_PREFIX) && /^\S+$/.test(v.slice(APPLIES_PER_METADATA_PREFIX.length)));
}

export type BudgetPeriod = 'day' | 'week' | 'month' | 'quarter';
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month', 'quarter'];

/** A V1 budget unit split into what it counts and over which period (`cost_per_week` -> cost, week). */
export function parseBudgetUnit(unit: unknown): { measure: 'cost' | 'tokens'; period: BudgetPeriod } | undefined {
  if (typeof unit !== 'string') return undefined;
  const m = /^(cost|tokens)_per_(day|week|month|quarter)$/.exec(unit);
  return m ? { measure: m[1] as 'cost' | 'tokens', period: m[2] as BudgetPeriod } : undefined;
}

/** The cost limit keys of a Budget V2 `limits` object, shortest period first. */
export const BUDGET_V2_LIMIT_KEYS: readonly string[] = BUDGET_PERIODS.map((p) => `cost_per_${p}`);

/**
 * A canonical string for a gateway rule's `when` (subjects, models, metadata; ANDed): list order and duplicates do
 * not matter, and an absent or empty list or mapping means "any". Undefined when `when` is not a mapping.
 */
export function canonicalWhen(when: unknown): string | undefined {
  if (when === undefined || when === null) return '{}';
  if (!isRecord(when)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(when).sort()) {
    const v = when[key];
    if (Array.isArray(v)) {
      if (v.length) setOwn(out, key, [...new Set(v.map((x) => JSON.stringify(x)))].sort());
    } else if (isRecord(v)) {
      if (Object.keys(v).length) setOwn(out, key, Object.keys(v).sort().map((k) => [k, JSON.stringify(v[k])]));
    } else if (v !== undefined && v !== null) {
      setOwn(out, key, JSON.stringify(v));
    }
  }
  return JSON.stringify(out);
}
