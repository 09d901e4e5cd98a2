// Rule budget-sanity: budget limits and alert thresholds that contradict each other or can never do their job.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { defineRule, type RuleContext } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';
import { BUDGET_PERIODS, BUDGET_V2_LIMIT_KEYS, canonicalWhen, parseBudgetUnit, type BudgetPeriod } from '../project/gateway-configs.ts';

const ADJECTIVE: Record<BudgetPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly' };
type Report = RuleContext['report'];

/** Thresholds out of order or repeated (the schema itself checks that each is within 0..100). */
function checkThresholds(report: Report, alerts: unknown, base: JsonPath) {
  if (!isRecord(alerts) || !Array.isArray(alerts.thresholds)) return;
  const list = alerts.thresholds as unknown[];
  const seen = new Set<number>();
  let previous: number | undefined;
  list.forEach((t, i) => {
    if (typeof t !== 'number') return;
    const path = [...base, 'alerts', 'thresholds', i];
    if (seen.has(t)) {
      report({ messageId: 'thresholdRepeated', path, at: 'value', severity: 'warning', data: { value: t } });
      return;
    }
    seen.add(t);
    if (previous !== undefined && t < previous) {
      report({ messageId: 'thresholdOrder', path, at: 'value', severity: 'warning', data: { value: t, previous } });
    }
    previous = previous === undefined ? t : Math.max(previous, t);
  });
}

/** A V2 `limits` object: each limit above zero, and a shorter period never above a longer one. */
function checkLimitsV2(report: Report, limits: unknown, base: JsonPath) {
  if (!isRecord(limits)) return;
  const set: { key: string; value: number }[] = [];
  for (const key of BUDGET_V2_LIMIT_KEYS) {
    const value = limits[key];
    if (typeof value !== 'number') continue;
    if (value <= 0) report({ messageId: 'limitNotPositive', path: [...base, key], at: 'value', data: { field: key, value } });
    else set.push({ key, value });
  }
  set.forEach((shorter, i) => {
    const longer = set.slice(i + 1).find((l) => l.value < shorter.value);
    if (longer) {
      report({
        messageId: 'limitsOrder', path: [...base, shorter.key], at: 'value',
        data: { field: shorter.key, value: shorter.value, other: longer.key, otherValue: longer.value },
      });
    }
  });
}

interface V1Rule { manifest: Manifest; index: number; id: string; limit: number; measure: 'cost' | 'tokens'; period: BudgetPeriod }

export default defineRule({
  id: 'budget-sanity',
  meta: {
    description: 'Budget limits: above zero, a shorter period never above a longer one for the same requests; alert thresholds ascending without repeats',
    appliesTo: ['gateway-budget-config', 'tenant-budget-config', 'team-budget-config'],
    needs: 'project',
    checkReads: 'document',
    recommended: 'error',
    messages: {
      periodOrder: '{{period}} {{measure}} {{limit}} of rule "{{id}}" is above the {{otherPeriod}} {{measure}} {{otherLimit}} of rule "{{otherId}}", which matches the same requests',
      limitsOrder: '{{field}} {{value}} is above {{other}} {{otherValue}}',
      limitNotPositive: '{{field}} is {{value}}; a budget must be above 0',
      thresholdOrder: 'alert threshold {{value}} comes after {{previous}}; list thresholds in ascending order',
      thresholdRepeated: 'alert threshold {{value}} is listed more than once',
    },
  },
  hints: {
    periodOrder: 'A day\'s budget larger than the week\'s (or a week\'s larger than the month\'s) for the same requests can never be used up: the longer period runs out first. Usually two values were swapped or a digit is missing; make the shorter period\'s limit the smaller one.',
    limitsOrder: 'A shorter period\'s limit above a longer period\'s can never be reached: the longer period runs out first. Usually two values were swapped; make each period\'s limit at most the next longer one\'s.',
    limitNotPositive: 'With a budget of 0 or less every matching request is over budget from the start. To block requests, remove access instead; to only track spend, use audit mode (audit_mode: true, or mode: audit in Budget V2) with a real limit.',
    thresholdOrder: 'Thresholds are percentages of the budget at which alerts fire, read from lowest to highest; an out-of-order list is usually a typo. Sort them, e.g. [75, 90, 95, 100].',
    thresholdRepeated: 'A repeated threshold does not send a second alert; remove the repeat.',
  },
  check(manifest, ctx) {
    const data = manifest.data;
    if (!isRecord(data)) return;
    if (manifest.type === 'gateway-budget-config') {
      if (!Array.isArray(data.rules)) return;
      data.rules.forEach((rule, r) => {
        if (!isRecord(rule)) return;
        if (typeof rule.limit_to === 'number' && rule.limit_to <= 0) {
          ctx.report({ messageId: 'limitNotPositive', path: ['rules', r, 'limit_to'], at: 'value', data: { field: 'limit_to', value: rule.limit_to } });
        }
        checkThresholds(ctx.report, rule.alerts, ['rules', r]);
      });
      return;
    }
    checkLimitsV2(ctx.report, data.limits, ['limits']);
    if (isRecord(data.applies_to) && Array.isArray(data.applies_to.overrides)) {
      data.applies_to.overrides.forEach((o, i) => {
        if (isRecord(o)) checkLimitsV2(ctx.report, o.limits, ['applies_to', 'overrides', i, 'limits']);
      });
    }
    checkThresholds(ctx.report, data.alerts, []);
  },
  // V1 rules of every gateway-budget-config document form one config on the platform (composed or not): compare
  // the periods of rules that match the same requests, split the same way and enforce alike.
  checkProject(project, ctx) {
    const groups = new Map<string, V1Rule[]>();
    for (const manifest of project.byType('gateway-budget-config')) {
      const data = manifest.data;
      if (!isRecord(data) || !Array.isArray(data.rules)) continue;
      data.rules.forEach((rule, index) => {
        if (!isRecord(rule) || typeof rule.limit_to !== 'number' || rule.limit_to <= 0) return;
        const unit = parseBudgetUnit(rule.unit);
        const when = canonicalWhen(rule.when);
        if (!unit || when === undefined) return;
        const per = Array.isArray(rule.budget_applies_per) ? [...new Set(rule.budget_applies_per.map(String))].sort() : [];
        const group = JSON.stringify([unit.measure, when, per, rule.audit_mode === true]);
        const entry: V1Rule = { manifest, index, id: typeof rule.id === 'string' ? rule.id : `#${index + 1}`, limit: rule.limit_to, measure: unit.measure, period: unit.period };
        const list = groups.get(group);
        if (list) list.push(entry);
        else groups.set(group, [entry]);
      });
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      for (const shorter of list) {
        const rank = BUDGET_PERIODS.indexOf(shorter.period);
        const longer = list
          .filter((o) => BUDGET_PERIODS.indexOf(o.period) > rank && o.limit < shorter.limit)
          .sort((a, b) => BUDGET_PERIODS.indexOf(a.period) - BUDGET_PERIODS.indexOf(b.period))[0];
        if (!longer) continue;
        const measure = shorter.measure === 'cost' ? 'budget' : 'token budget';
        ctx.report({
          manifest: shorter.manifest, messageId: 'periodOrder', path: ['rules', shorter.index, 'limit_to'], at: 'value',
          data: {
            period: ADJECTIVE[shorter.period], measure, limit: shorter.limit, id: shorter.id,
            otherPeriod: ADJECTIVE[longer.period], otherLimit: longer.limit, otherId: longer.id,
          },
          related: [{ manifest: longer.manifest, path: ['rules', longer.index, 'limit_to'], message: `the ${ADJECTIVE[longer.period]} limit of rule "${longer.id}"` }],
        });
      }
    }
  },
});
