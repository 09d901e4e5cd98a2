import { describe, expect, it } from 'vitest';
import { computeEffects, describeClass, ruleListEffects } from '../../src/plan/effects.ts';
import { computeDrift } from '../../src/plan/drift.ts';
import { effectLines, outcomeChange } from '../../src/report/plan-lines.ts';
import { desired, live, schemas } from './support.ts';

const rl = (rules: Record<string, unknown>[]) => ({ type: 'gateway-rate-limiting-config', name: 'limits', rules });
const limit = (id: string, when: Record<string, unknown>, limitTo: number, per?: string[]) => ({
  id, when, limit_to: limitTo, unit: 'requests_per_minute', ...(per ? { rate_limit_applies_per: per } : {}),
});
/** Each class as "description: before rule -> after rule: outcome change". */
const lines = (type: string, before: unknown, after: unknown) => computeEffects(type, before, after).flatMap((e) => effectLines(e, '->', 100).lines);

describe('computeEffects: rate limits', () => {
  it('lists the requests whose limit changes, in the words of the limit', () => {
    expect(lines('gateway-rate-limiting-config',
      rl([limit('ml', { subjects: ['team:ml'] }, 300, ['user']), limit('all', {}, 60)]),
      rl([limit('ml', { subjects: ['team:ml'] }, 120, ['user']), limit('all', {}, 60)]),
    )).toEqual(['requests from team:ml: rule "ml": limit 300 rpm per user -> 120 rpm per user']);
  });

  it('says a reorder that changes no request\'s rule is only a reorder', () => {
    const a = limit('a', { subjects: ['team:a'] }, 10);
    const b = limit('b', { subjects: ['team:b'] }, 20);
    const [e] = computeEffects('gateway-rate-limiting-config', rl([a, b, limit('all', {}, 5)]), rl([b, a, limit('all', {}, 5)]));
    expect(e).toMatchObject({ classes: [], note: 'reordered' });
    expect(effectLines(e, '->').notes).toEqual(['reordered, no request changes its rule']);
  });

  it('lists the requests a reorder hands to another rule', () => {
    const team = limit('team', { subjects: ['team:a'] }, 10);
    const model = limit('model', { models: ['m1'] }, 20);
    expect(lines('gateway-rate-limiting-config', rl([team, model]), rl([model, team]))).toEqual([
      'requests from team:a for "m1": rule "team" -> rule "model": limit 10 rpm -> 20 rpm',
    ]);
  });

  it('says when the rules changed but no request notices (a rule no request reaches)', () => {
    const [e] = computeEffects('gateway-rate-limiting-config',
      rl([limit('all', {}, 5), limit('dead', { subjects: ['team:a'] }, 10)]),
      rl([limit('all', {}, 5), limit('dead', { subjects: ['team:a'] }, 99)]));
    expect(e).toMatchObject({ classes: [], note: 'unchanged' });
  });

  it('names "no rule" where a request had no limit, and splits by metadata values the rules name', () => {
    expect(lines('gateway-rate-limiting-config', rl([]), rl([limit('prod', { metadata: { env: 'prod' } }, 50)]))).toEqual([
      'requests with metadata env=prod: no rule -> rule "prod": no limit -> limit 50 rpm',
    ]);
  });

  it('does not analyse a list whose conditions it cannot read, and says why', () => {
    const [e] = computeEffects('gateway-rate-limiting-config', rl([limit('a', { subjects: 'team:a' }, 1)]), rl([limit('a', {}, 2)]));
    expect(e.notAnalysed).toBe('live: the `when` of rule "a" is not one tfy-lint can read');
    expect(e.classes).toEqual([]);
  });

  it('stops at the class limit on long lists and says it was cut short', () => {
    const many = Array.from({ length: 1000 }, (_, i) => limit(`u${i}`, { subjects: [`user:u${i}@x.io`], models: [`m${i % 50}`] }, 10));
    const e = ruleListEffects('rate-limit', [...many, limit('all', {}, 5)], [...many, limit('all', {}, 6)], { maxClasses: 200 });
    expect(e.cutShort).toEqual({ limit: 'classes', value: 200 });
    expect(e.considered).toBe(200);
    expect(e.classes.length).toBeGreaterThan(0);
    expect(effectLines(e, '->').notes.at(-1)).toBe('analysis cut short after 200 classes of requests: the classes shown change, others may too');
    const bySteps = ruleListEffects('rate-limit', [...many, limit('all', {}, 5)], [...many, limit('all', {}, 6)], { maxSteps: 20_000 });
    expect(bySteps.cutShort).toEqual({ limit: 'steps', value: 20_000 });
  });
});

describe('computeEffects: budgets and load balancing', () => {
  const budget = (rules: Record<string, unknown>[]) => ({ type: 'gateway-budget-config', name: 'b', rules });
  it('says a zero budget blocks, and names the rule', () => {
    expect(lines('gateway-budget-config',
      budget([{ id: 'team-a', when: { subjects: ['team:a'] }, limit_to: 50, unit: 'cost_per_day' }]),
      budget([{ id: 'freeze-all', when: {}, limit_to: 0, unit: 'cost_per_day' }, { id: 'team-a', when: { subjects: ['team:a'] }, limit_to: 50, unit: 'cost_per_day' }]),
    )).toEqual([
      'requests from team:a: rule "team-a" -> rule "freeze-all": budget 50 USD/day -> blocked by "freeze-all"',
      'requests from any other subject: no rule -> rule "freeze-all": no budget -> blocked by "freeze-all"',
    ]);
  });

  it('says an audit-only budget never blocks', () => {
    expect(lines('gateway-budget-config',
      budget([{ id: 'x', when: {}, limit_to: 10, unit: 'cost_per_month' }]),
      budget([{ id: 'x', when: {}, limit_to: 10, unit: 'cost_per_month', audit_mode: true }]),
    )).toEqual(['every request: rule "x": budget 10 USD/month -> 10 USD/month (audit only: never blocks)']);
  });

  const lb = (rules: Record<string, unknown>[]) => ({ type: 'gateway-load-balancing-config', name: 'lb', rules });
  const split = (a: number, b: number, extra: Record<string, unknown> = {}) => ({
    id: 'split', type: 'weight-based-routing', when: { models: ['gpt-4o'] },
    load_balance_targets: [{ target: 'openai/gpt-4o', weight: a, ...extra }, { target: 'azure/gpt-4o', weight: b }],
  });

  it('shows a new weight split as shares', () => {
    expect(lines('gateway-load-balancing-config', lb([split(70, 30)]), lb([split(50, 50)]))).toEqual([
      'requests for "gpt-4o": rule "split": routed 70/30 -> 50/50 across openai/gpt-4o, azure/gpt-4o',
    ]);
  });

  it('splits requests by the metadata a target matches on', () => {
    expect(lines('gateway-load-balancing-config', lb([split(70, 30)]), lb([split(70, 30, { metadata_match: { tier: 'gold' } })]))).toEqual([
      'requests for "gpt-4o" with metadata tier not gold: rule "split": routed 70/30 across openai/gpt-4o, azure/gpt-4o -> routed to azure/gpt-4o',
    ]);
  });

  it('leaves out what no request notices (retry settings) and says so', () => {
    const [e] = computeEffects('gateway-load-balancing-config', lb([split(70, 30)]), lb([split(70, 30, { retry_config: { attempts: 3 } })]));
    expect(e).toMatchObject({ classes: [], note: 'unchanged' });
  });
});

describe('computeEffects: virtual models', () => {
  const vm = (targets: Record<string, unknown>[], type = 'weight-based-routing') => ({
    type: 'provider-account/virtual-model', name: 'chat',
    integrations: [{ type: 'integration/model/virtual', name: 'balanced', routing_config: { type, load_balance_targets: targets } }],
  });
  it('describes each virtual model whose routing changes', () => {
    expect(lines('provider-account/virtual-model',
      vm([{ target: 'a/x', weight: 70 }, { target: 'b/y', weight: 30 }]),
      vm([{ target: 'a/x', priority: 1 }, { target: 'b/y', priority: 0 }], 'priority-based-routing'),
    )).toEqual(['requests for "chat/balanced": routed 70/30 across a/x, b/y -> routed to b/y, falling back to a/x']);
  });
});

describe('describing classes', () => {
  it('redacts a metadata value shaped like a credential', () => {
    const text = describeClass({ metadata: { api_key: { is: 'sk-proj-QwErTyUiOpAsDfGhJkLzXcVbNm0123456789' } } });
    expect(text).not.toContain('QwErTyUiOpAsDfGhJkLzXcVbNm0123456789');
    expect(text).toMatch(/^requests with metadata api_key=/);
  });

  it('joins outcomes that share a word', () => {
    expect(outcomeChange({ text: 'limit 300 rpm per user' }, { text: 'limit 120 rpm per user' }, '→')).toBe('limit 300 rpm per user → 120 rpm per user');
    expect(outcomeChange({ text: 'budget 50 USD/day' }, { text: 'blocked by "freeze-all"' }, '→')).toBe('budget 50 USD/day → blocked by "freeze-all"');
    expect(outcomeChange({ text: 'limit 5 rpm' }, { text: 'limit 5 rpm' }, '→')).toBe('limit 5 rpm (the same, under another rule)');
  });
});

describe('effects in drift', () => {
  it('describe undoing only the drift that is not ignored (hand-managed rules stay)', () => {
    const repo = desired({ 'rl.yaml': rl([limit('ml', { subjects: ['team:ml'] }, 300), limit('all', {}, 60)]) });
    const state = live([rl([limit('incident-1', { models: ['m1'] }, 1), limit('ml', { subjects: ['team:ml'] }, 120), limit('all', {}, 60)])]);
    const all = computeDrift(repo, state, schemas);
    expect(all.items[0].change?.effects?.[0].classes.map((c) => c.description)).toEqual(['requests from team:ml for "m1"', 'requests from team:ml for any other model', 'requests from any other subject for "m1"']);
    const kept = computeDrift(repo, state, schemas, { ignore: ['gateway-rate-limiting-config/*/rules[id=incident-*]'] });
    expect(kept.items[0].change?.effects?.[0].classes.map((c) => `${c.description}: ${c.before.text} -> ${c.after.text}`)).toEqual([
      'requests from team:ml for any other model: limit 120 rpm -> limit 300 rpm',
    ]);
  });
});
