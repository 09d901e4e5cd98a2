// applyLevels: the order apply sends a plan in, derived from what the documents name (table tests on computed plans).
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/plan.ts';
import { applyLevels, typeTier, usedNames } from '../../src/plan/order.ts';
import type { Change } from '../../src/plan/types.ts';
import { desired, live, schemas } from './support.ts';

const account = (name: string, models: string[], type = 'provider-account/openai') => ({
  type, name, auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:keys:OPENAI' },
  integrations: models.map((m) => ({ type: 'integration/model/openai', name: m, model_id: m })),
});
const vm = (name: string, targets: string[]) => ({
  type: 'provider-account/virtual-model', name,
  integrations: [{ type: 'integration/model/virtual', name: 'default', routing_config: { type: 'weight-based-routing', load_balance_targets: targets.map((target) => ({ target, weight: Math.floor(100 / targets.length) })) } }],
});
const lb = (targets: string[]) => ({ type: 'gateway-load-balancing-config', name: 'lb', rules: [{ id: 'r', type: 'weight-based-routing', when: {}, load_balance_targets: targets.map((target) => ({ target, weight: 100 })) }] });

function levels(want: Record<string, unknown>[], have: Record<string, unknown>[] = []): string[][] {
  const plan = computePlan(desired({ 'a.yaml': want }), live(have), schemas, { prune: true });
  return applyLevels(plan.changes).map((l) => l.map((c: Change) => `${c.action[0]} ${c.name}`));
}

describe('applyLevels', () => {
  it('creates what is routed to before what routes to it, in the usual tiers', () => {
    expect(levels([lb(['chat/default']), vm('chat', ['openai-main/gpt-4o']), account('openai-main', ['gpt-4o']), { type: 'team', name: 'platform', members: ['a@acme.example'] }]))
      .toEqual([['c platform'], ['c openai-main'], ['c chat'], ['c lb']]);
  });

  it('a virtual model that routes to another virtual model goes one level after it', () => {
    expect(levels([vm('outer', ['inner/default']), vm('inner', ['openai-main/gpt-4o']), account('openai-main', ['gpt-4o'])]))
      .toEqual([['c openai-main'], ['c inner'], ['c outer']]);
  });

  it('independent changes of one tier share a level, in plan order', () => {
    expect(levels([account('b-acct', ['m']), account('a-acct', ['m'])])).toEqual([['c a-acct', 'c b-acct']]);
  });

  it('deletes after every create and update, in the reverse order (what routes first)', () => {
    const have = [account('old', ['gpt-4o']), vm('legacy', ['old/gpt-4o']), account('keep', ['m'])];
    expect(levels([account('keep', ['m', 'n']), vm('chat', ['keep/m'])], have)).toEqual([['u keep'], ['c chat'], ['d legacy'], ['d old']]);
  });

  it('an update that stops routing to an integration goes before the account update that drops it, against the tiers', () => {
    const have = [account('openai-main', ['gpt-4o', 'gpt-4o-mini']), vm('chat', ['openai-main/gpt-4o-mini'])];
    expect(levels([account('openai-main', ['gpt-4o']), vm('chat', ['openai-main/gpt-4o'])], have)).toEqual([['u chat'], ['u openai-main']]);
  });

  it('an integration added to an account goes before the update that starts routing to it', () => {
    const have = [account('openai-main', ['gpt-4o']), vm('chat', ['openai-main/gpt-4o'])];
    expect(levels([account('openai-main', ['gpt-4o', 'gpt-4o-mini']), vm('chat', ['openai-main/gpt-4o-mini'])], have)).toEqual([['u openai-main'], ['u chat']]);
  });

  it('a cycle does not hang or lose a change', () => {
    const a = { action: 'create', type: 'provider-account/virtual-model', name: 'a', fields: [], after: vm('a', ['b/default']) } as Change;
    const b = { action: 'create', type: 'provider-account/virtual-model', name: 'b', fields: [], after: vm('b', ['a/default']) } as Change;
    expect(applyLevels([a, b]).flat().map((c) => c.name).sort()).toEqual(['a', 'b']);
  });

  it('2,000 changes in one pass', () => {
    const changes: Change[] = [];
    for (let i = 0; i < 1000; i++) {
      changes.push({ action: 'create', type: 'provider-account/openai', name: `acct-${i}`, fields: [], after: account(`acct-${i}`, ['m']) });
      changes.push({ action: 'create', type: 'provider-account/virtual-model', name: `vm-${i}`, fields: [], after: vm(`vm-${i}`, [`acct-${i}/m`]) });
    }
    const out = applyLevels(changes);
    expect(out.map((l) => l.length)).toEqual([1000, 1000]);
  });

  it('names: routing targets, rule models, subjects, secret groups, owning teams', () => {
    expect([...usedNames({
      collaborators: [{ subject: 'team:platform', role_id: 'x' }],
      auth_data: { api_key: 'tfy-secret://acme:llm-keys:OPENAI' },
      ownedBy: { team: 'research' },
      rules: [{ when: { subjects: ['virtualaccount:batch'], models: ['openai-main/gpt-4o'] }, load_balance_targets: [{ target: 'a/b' }] }],
    })].sort()).toEqual(['address:a/b', 'address:openai-main/gpt-4o', 'secret-group:llm-keys', 'team:platform', 'team:research', 'virtualaccount:batch']);
    expect([typeTier('secret-group'), typeTier('provider-account/groq'), typeTier('provider-account/virtual-model'), typeTier('mcp-server/remote'), typeTier('gateway-budget-config')]).toEqual([0, 1, 2, 3, 4]);
  });
});
