// Property: composing a rule list from fragments is the same as writing it as one document: the same composed rules,
// and rule-shadowing finds the same rules unreachable, now reported in the fragments that hold them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildDesiredState } from '../../src/compile/compose.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { resolveComposition } from '../../src/project/composition.ts';
import { lint } from '../rules/harness.ts';

const SUBJECTS = ['team:alpha', 'team:beta', 'virtualaccount:batch', 'user:ana@acme.com'];
const MODELS = ['acct/gpt-4o', 'acct/o1', 'acct/embed'];
const when = fc.record({
  subjects: fc.option(fc.subarray(SUBJECTS, { minLength: 1 }), { nil: undefined }),
  models: fc.option(fc.subarray(MODELS, { minLength: 1 }), { nil: undefined }),
  metadata: fc.option(fc.constantFrom({ env: 'prod' }, { env: 'dev' }), { nil: undefined }),
}).map((w) => Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)));

/** 1 to 12 rules with unique ids, cut into 1 to 4 fragments (a cut may leave a fragment empty). */
const scenario = fc.record({
  whens: fc.array(when, { minLength: 1, maxLength: 12 }),
  cuts: fc.array(fc.nat(12), { minLength: 0, maxLength: 3 }),
}).map(({ whens, cuts }) => {
  const rules = whens.map((w, i) => ({ id: `rule-${i}`, when: w, limit_to: 10 + i, unit: 'requests_per_minute' }));
  const at = [...new Set(cuts.map((c) => c % (rules.length + 1)))].sort((a, b) => a - b);
  const parts: (typeof rules)[] = [];
  let from = 0;
  for (const c of [...at, rules.length]) { parts.push(rules.slice(from, c)); from = c; }
  return { rules, parts };
});

const doc = (name: string, rules: unknown[]) => stringify({ type: 'gateway-rate-limiting-config', name, rules });
const unreachable = (findings: string[]) => findings.map((f) => /rule "([^"]+)" (is unreachable|matches every request but is not last)/.exec(f)).filter(Boolean).map((m) => `${m![1]} ${m![2]}`).sort();

describe('compose: fragments behave as one document', () => {
  it('same composed rules, same unreachable rules, each reported in its own fragment', () => {
    let withFindings = 0;
    fc.assert(fc.property(scenario, ({ rules, parts }) => {
      const fragments: Record<string, string> = {};
      parts.forEach((p, i) => { fragments[`rl/part-${String(i).padStart(2, '0')}.yaml`] = doc(`part-${i}`, p); });
      const compose = [{ type: 'gateway-rate-limiting-config', name: 'tenant', from: ['rl/*.yaml'] }];

      const manifests = Object.entries(fragments).flatMap(([path, text]) => parseSource({ path, text }).manifests);
      const composition = resolveComposition(manifests, compose, { file: 'tfy-lint.config.yaml' });
      expect(composition.diagnostics).toEqual([]);
      const [composed] = buildDesiredState(manifests, composition).documents;
      expect(composed.data.rules).toEqual(rules);

      const single = lint('rule-shadowing', { 'one.yaml': doc('tenant', rules) }).findings;
      const split = lint('rule-shadowing', fragments, 'error', compose);
      expect(unreachable(split.findings)).toEqual(unreachable(single));
      if (unreachable(single).length && parts.filter((p) => p.length).length > 1) withFindings++;
      for (const d of split.diagnostics.filter((x) => x.ruleId === 'rule-shadowing')) {
        const id = /rule "([^"]+)"/.exec(d.message)?.[1];
        const owner = parts.findIndex((p) => p.some((r) => r.id === id));
        expect(d.file).toBe(`rl/part-${String(owner).padStart(2, '0')}.yaml`);
      }
    }), { numRuns: 150 });
    // The property is only worth something if hidden rules across several fragments came up.
    expect(withFindings).toBeGreaterThan(10);
  });
});
