// Property: for random first-match rule lists and random requests, the rule the effects analysis says takes a request
// (before and after) is the rule a direct first-match evaluation picks, and every request whose rule or limit changes
// lies in a listed class.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffValues } from '../../src/plan/diff.ts';
import { classContains, computeEffects, ruleListEffects } from '../../src/plan/effects.ts';

interface Rule { id: string; when: { subjects?: string[]; models?: string[]; metadata?: Record<string, string> }; limit_to: number; unit: string }
interface Req { subject?: string; model?: string; metadata: Record<string, string> }

const SUBJECTS = ['team:a', 'team:b', 'user:c@x.io', '*'];
const MODELS = ['m1', 'm2', 'm3'];

const when = fc.record({
  subjects: fc.uniqueArray(fc.constantFrom(...SUBJECTS), { minLength: 1, maxLength: 3 }),
  models: fc.uniqueArray(fc.constantFrom(...MODELS), { minLength: 1, maxLength: 2 }),
  metadata: fc.oneof(fc.record({ env: fc.constantFrom('prod', 'dev') }), fc.record({ tier: fc.constant('gold') }), fc.record({ env: fc.constantFrom('prod', 'dev'), tier: fc.constant('gold') })),
}, { requiredKeys: [] });

const ruleBody = fc.record({ when, limit_to: fc.constantFrom(10, 20) });

/** A list of rules with distinct ids drawn from r0..r6. */
const ruleList = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 6 }), ruleBody), { maxLength: 7, selector: ([i]) => i })
  .map((xs) => xs.map(([i, b]): Rule => ({ id: `r${i}`, ...b, unit: 'requests_per_minute' })));

/** Before and after: two independent lists, or the same rules in another order, or a few rules edited. */
const listPair = fc.oneof(
  fc.tuple(ruleList, ruleList),
  ruleList.chain((b) => fc.shuffledSubarray(b, { minLength: b.length, maxLength: b.length }).map((a) => [b, a] as [Rule[], Rule[]])),
  ruleList.chain((b) => fc.array(fc.tuple(fc.nat(), ruleBody), { maxLength: 2 }).map((edits) => {
    const a = b.map((r) => ({ ...r }));
    for (const [at, body] of edits) if (a.length) a[at % a.length] = { ...a[at % a.length], ...body };
    return [b, a] as [Rule[], Rule[]];
  })),
);

const request = fc.record({
  subject: fc.constantFrom('team:a', 'team:b', 'user:c@x.io', 'team:zzz', undefined),
  model: fc.constantFrom('m1', 'm2', 'm3', 'm9', undefined),
  metadata: fc.record({ env: fc.constantFrom('prod', 'dev', 'staging'), tier: fc.constantFrom('gold', 'silver') }, { requiredKeys: [] }),
});

/** First match, written out directly from the documented semantics (absent = any, "*" = any, metadata must equal). */
function direct(list: Rule[], r: Req): { rule: Rule; position: number } | undefined {
  for (const [i, rule] of list.entries()) {
    const w = rule.when;
    if (w.subjects && !w.subjects.includes('*') && (r.subject === undefined || !w.subjects.includes(r.subject))) continue;
    if (w.models && (r.model === undefined || !w.models.includes(r.model))) continue;
    if (w.metadata && Object.entries(w.metadata).some(([k, v]) => r.metadata[k] !== v)) continue;
    return { rule, position: i + 1 };
  }
  return undefined;
}

describe('effects of a rule-list change, against a direct first-match evaluation', () => {
  it('names the rule a direct evaluation picks for every request in a listed class, and lists every request that changes', () => {
    fc.assert(fc.property(listPair, fc.array(request, { minLength: 1, maxLength: 30 }), ([before, after], requests) => {
      const effects = ruleListEffects('rate-limit', before, after);
      expect(effects.cutShort).toBeUndefined();
      // The plan passes its own field changes to say which rules differ: the same classes either way.
      const viaPlan = computeEffects('gateway-rate-limiting-config', { rules: before }, { rules: after }, {}, diffValues({ rules: before }, { rules: after }));
      expect(viaPlan[0]?.classes ?? []).toEqual(effects.classes);
      for (const r of requests) {
        const sample = { subject: r.subject, model: r.model, metadata: new Map(Object.entries(r.metadata)) };
        const b = direct(before, r);
        const a = direct(after, r);
        const containing = effects.classes.filter((c) => classContains(c.request, sample));
        for (const c of containing) {
          expect(c.before.rule?.id).toBe(b?.rule.id);
          expect(c.before.rule?.position).toBe(b?.position);
          expect(c.after.rule?.id).toBe(a?.rule.id);
          expect(c.after.rule?.position).toBe(a?.position);
        }
        const changes = b?.rule.id !== a?.rule.id || b?.rule.limit_to !== a?.rule.limit_to;
        expect(containing.length > 0).toBe(changes);
      }
    }), { numRuns: 400 });
  });
});
