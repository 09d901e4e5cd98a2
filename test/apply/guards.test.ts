// What apply refuses before any write: protected resources, mass deletes, stale or foreign saved plans.
import { describe, expect, it } from 'vitest';
import { guardRefusals, parseSavedPlan, protectedBy, savedPlanRefusal, staleResources } from '../../src/apply/index.ts';
import { computePlan } from '../../src/plan/plan.ts';
import { planToJson } from '../../src/report/plan-json.ts';
import type { Change, Plan } from '../../src/plan/types.ts';
import { desired, live, schemas } from '../plan/support.ts';

const team = (name: string, members = ['a@acme.example']) => ({ type: 'team', name, members });

function planOf(want: Record<string, unknown>[], have: Record<string, unknown>[]): Plan {
  return computePlan(desired({ 'a.yaml': want }), live(have), schemas, { prune: true });
}

describe('guardRefusals', () => {
  const opts = { toolVersion: 't', prune: true };

  it.each([
    // [live teams, desired teams, --max-deletes, refused]
    [20, 15, undefined, false],   // 5 deletes of 20 = 25 %: not more than 5, not more than 25 %
    [8, 6, undefined, false],     // 2 of 8 = 25 %
    [6, 4, undefined, true],      // 2 of 6 = 33 %
    [6, 4, 2, false],             // ... unless --max-deletes 2
    [6, 4, 1, true],              // --max-deletes below the number of deletes
    [40, 34, undefined, true],    // 6 deletes: more than 5
    [40, 34, 6, false],
  ])('%i live, %i desired, --max-deletes %s: refused %s', (liveCount, desiredCount, maxDeletes, refused) => {
    const have = Array.from({ length: liveCount }, (_, i) => team(`team-${String(i).padStart(2, '0')}`));
    const plan = planOf(have.slice(0, desiredCount), have);
    expect(plan.summary.delete).toBe(liveCount - desiredCount);
    expect(guardRefusals(plan, { ...opts, maxDeletes }, false).length > 0).toBe(refused);
  });

  it('names protected resources and refuses deletes without --prune', () => {
    const plan = planOf([team('keep', ['b@acme.example'])], [team('keep'), team('old')]);
    expect(guardRefusals(plan, { toolVersion: 't', protect: ['team/kee*'] }, false)).toEqual([
      'team "keep" is protected (protect: "team/kee*" in the config): this plan would update it; protected resources are never changed by apply',
      'the plan deletes 1 resource: pass --prune to send deletes',
      // 1 of 2 live teams is more than 25 %.
      'the plan deletes 1 resource (50 % of the 2 live resources of the project\'s types): more than 5 or 25 % is refused unless --max-deletes 1 (or more) is given',
    ]);
    expect(protectedBy({ type: 'provider-account/openai', name: 'prod-x' }, ['provider-account/*/prod-*'])).toBe('provider-account/*/prod-*');
    expect(protectedBy({ type: 'provider-account/openai', name: 'dev-x' }, ['provider-account/*/prod-*'])).toBeUndefined();
  });
});

describe('saved plans', () => {
  function saved(plan: Plan, meta: Record<string, unknown> = {}) {
    return parseSavedPlan(JSON.stringify(planToJson(plan, { documents: true, meta: { kind: 'tfy-lint/plan', tool: { name: 'tfy-lint', version: '1.2.3' }, ...meta } })));
  }

  it('round-trips a plan with the documents to send', () => {
    const plan = planOf([team('a'), team('b', ['x@acme.example'])], [team('b')]);
    const s = saved(plan);
    expect(s.plan.changes.map((c: Change) => [c.action, c.name, c.manifest?.name, c.liveFingerprint !== undefined])).toEqual([['create', 'a', 'a', false], ['update', 'b', 'b', true]]);
    expect(s.toolVersion).toBe('1.2.3');
    expect(s.liveSource).toBe('test');
  });

  it('is stale when a changed resource moved, not when another did', () => {
    const have = [team('b'), team('other')];
    const s = saved(planOf([team('a'), team('b', ['x@acme.example']), team('other')], have)).plan;
    expect(staleResources(s, live(have))).toEqual([]);
    expect(staleResources(s, live([team('b'), team('other', ['changed@acme.example'])]))).toEqual([]);
    expect(staleResources(s, live([team('b', ['y@acme.example']), team('a')]))).toEqual([
      'stale plan: team "a" was created on the platform after the plan was saved (the plan would create it); plan again',
      'stale plan: team "b" was modified on the platform after the plan was saved (its fingerprint differs); plan again',
    ]);
    expect(staleResources(s, live([]))).toEqual(['stale plan: team "b" was deleted on the platform after the plan was saved (the plan would update it); plan again']);
  });

  it('refuses another version, another URL, a snapshot, and a plan saved with errors', () => {
    const plan = planOf([team('a')], []);
    const client = { baseUrl: 'https://acme.truefoundry.cloud' };
    expect(savedPlanRefusal(saved(plan), client, { toolVersion: '1.2.4' })).toMatch(/^the plan was saved by tfy-lint 1\.2\.3 and this is tfy-lint 1\.2\.4/);
    expect(savedPlanRefusal(saved(plan), client, { toolVersion: '1.2.3' })).toBe('the plan was computed against the snapshot test, not a platform: plan against https://acme.truefoundry.cloud (TFY_BASE_URL) to apply');
    const other = saved({ ...plan, liveSource: 'https://other.truefoundry.cloud' });
    expect(savedPlanRefusal(other, client, { toolVersion: '1.2.3' })).toBe('the plan was computed against https://other.truefoundry.cloud, not https://acme.truefoundry.cloud: apply it to the platform it was planned against, or plan again');
    const here = saved({ ...plan, liveSource: 'https://acme.truefoundry.cloud' });
    expect(savedPlanRefusal(here, client, { toolVersion: '1.2.3' })).toBeUndefined();
  });

  it.each([
    ['nope', /^not JSON/],
    ['{}', 'not a saved plan (expected "kind": "tfy-lint/plan"; write one with tfy-lint plan --out FILE)'],
    ['{"kind": "tfy-lint/plan", "version": 2}', 'unsupported plan format version 2 (this tfy-lint reads version 1)'],
    ['{"kind": "tfy-lint/plan", "version": 1, "tool": {"version": "1"}, "live": {"source": "x"}, "changes": [{"action": "create", "type": "team", "name": "a"}]}',
      'changes[0] (team "a") has no "manifest": the plan was saved by a tfy-lint without apply; plan again with --out'],
  ])('rejects %s', (text, message) => {
    expect(() => parseSavedPlan(text)).toThrow(message);
  });
});
