// Property tests of the planner: plan(x, x) is empty, and applying a plan's changes to the live state gives the desired state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resourceKey } from '../../src/live/kinds.ts';
import { normalise } from '../../src/live/normalise.ts';
import { applyFieldChanges } from '../../src/plan/apply-changes.ts';
import { computePlan } from '../../src/plan/plan.ts';
import { desired, live, schemas } from './support.ts';

type Doc = Record<string, unknown>;

const ACCOUNTS = ['acct-a', 'acct-b', 'acct-c', 'acct-d'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'o1', 'embed'];
const secret = fc.oneof(fc.constant('tfy-secret://acme:keys:OPENAI'), fc.constant('tfy-secret://acme:keys:OTHER'),
  fc.constant('sk-proj-AAAAbbbbCCCCddddEEEEffff0000T3BlbkFJ1111'), fc.constant('sk-proj-ZZZZyyyyXXXXwwwwVVVVuuuu9999T3BlbkFJ8888'));
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const compact = (o: Doc): Doc => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const integration = fc.record({
  name: fc.constantFrom(...MODELS),
  model_id: fc.constantFrom('gpt-4o', 'gpt-4o-2024-08-06', 'o1', 'text-embedding-3-small'),
  model_types: optional(fc.subarray(['chat', 'embedding', 'responses'], { minLength: 1 })),
  cost: optional(fc.constant({ metric: 'public_cost' })),
}).map((i) => compact({ type: 'integration/model/openai', ...i }));

const openaiAccount = fc.record({
  name: fc.constantFrom(...ACCOUNTS),
  auth: optional(secret),
  base_url: optional(fc.constantFrom('https://proxy.acme.example/v1', 'https://other.acme.example')),
  collaborators: optional(fc.subarray([
    { subject: 'team:platform', role_id: 'provider-account-manager' }, { subject: 'team:everyone', role_id: 'provider-account-access' },
  ])),
  integrations: fc.uniqueArray(integration, { selector: (i) => i.name, maxLength: 4 }),
}).map(({ name, auth, ...rest }) => compact({ type: 'provider-account/openai', name, ...(auth ? { auth_data: { type: 'api-key', api_key: auth } } : {}), ...rest }));

const rateRule = fc.record({
  id: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5'),
  when: fc.record({ subjects: optional(fc.subarray(['team:a', 'team:b', 'user:x@acme.example'])), models: optional(fc.subarray(['acct-a/gpt-4o', 'acct-b/o1'])) }).map(compact),
  limit_to: fc.integer({ min: 1, max: 1000 }),
  unit: fc.constantFrom('requests_per_minute', 'tokens_per_day'),
  rate_limit_applies_per: optional(fc.subarray(['user', 'model'], { minLength: 1 })),
}).map(compact);

const rateLimits = fc.record({
  name: fc.constantFrom('limits', 'tenant-limits'),
  rules: fc.uniqueArray(rateRule, { selector: (r) => r.id as string, maxLength: 5 }),
}).map((r) => ({ type: 'gateway-rate-limiting-config', ...r }));

const virtualModel = fc.record({
  name: fc.constantFrom('chat', 'embed'),
  integrations: fc.uniqueArray(fc.record({
    name: fc.constantFrom('balanced', 'default'),
    targets: fc.uniqueArray(fc.record({ target: fc.constantFrom('acct-a/gpt-4o', 'acct-b/gpt-4o', 'acct-c/o1'), weight: fc.integer({ min: 0, max: 100 }) }),
      { selector: (t) => t.target, minLength: 1, maxLength: 3 }),
  }), { selector: (i) => i.name, maxLength: 2 }),
}).map((v) => ({
  type: 'provider-account/virtual-model', name: v.name,
  integrations: v.integrations.map((i) => ({ type: 'integration/model/virtual', name: i.name, routing_config: { type: 'weight-based-routing', load_balance_targets: i.targets } })),
}));

const team = fc.record({ name: fc.constantFrom('platform', 'research'), members: fc.subarray(['a@acme.example', 'b@acme.example', 'c@acme.example']) })
  .map((t) => ({ type: 'team', ...t }));

/** A set of documents, one per type and name (one per singleton type). */
const documents = fc.array(fc.oneof(openaiAccount, rateLimits, virtualModel, team), { maxLength: 8 }).map((docs) => {
  const seen = new Set<string>();
  return docs.filter((d) => {
    const k = resourceKey(d.type as string, d.name as string);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
});

/** What the platform echoes for a document: defaults filled, empty containers added, integration order and key order changed. */
function echoed(d: Doc): Doc {
  const out = structuredClone(d);
  if (Array.isArray(out.integrations)) {
    out.integrations = [...out.integrations].reverse().map((i) => {
      const x = { ...(i as Doc) };
      if (x.type === 'integration/model/openai' && x.model_types === undefined) x.model_types = ['chat'];
      return Object.fromEntries(Object.entries(x).reverse());
    });
  }
  if (Array.isArray(out.rules)) out.rules = out.rules.map((r) => ({ ...(r as Doc), when: { metadata: {}, subjects: [], models: [], ...((r as Doc).when as Doc) } }));
  if (Array.isArray(out.collaborators)) out.collaborators = [...out.collaborators].reverse();
  return { id: 'srv-1', createdAt: '2026-01-01T00:00:00Z', ...out };
}

const file = (docs: Doc[]): Record<string, Doc[]> => (docs.length ? { 'repo.yaml': docs } : {});

describe('planner properties', () => {
  it('plan(x, x) is empty, even when the platform echoes defaults, empty containers and another order', () => {
    fc.assert(fc.property(documents, fc.boolean(), (docs, echo) => {
      const plan = computePlan(desired(file(docs)), live(echo ? docs.map(echoed) : docs), schemas, { prune: true });
      expect(plan.changes).toEqual([]);
      expect(plan.unmanaged).toEqual([]);
      expect(plan.unchanged).toBe(docs.length);
    }), { numRuns: 150 });
  });

  it('applying a plan\'s changes to the live state gives the desired state', () => {
    fc.assert(fc.property(documents, documents, fc.boolean(), (want, have, prune) => {
      const docs = desired(file(want));
      const state = live(have);
      const plan = computePlan(docs, state, schemas, { prune });
      const world = new Map(state.resources.map((r) => [resourceKey(r.type, r.name), normalise(r.manifest, schemas)]));
      for (const c of plan.changes) {
        const key = resourceKey(c.type, c.name);
        if (c.action === 'delete') { world.delete(key); continue; }
        const next = applyFieldChanges(c.action === 'create' ? {} : (world.get(key) as Doc), c.fields);
        expect(next).toEqual(c.after);
        world.set(key, next);
      }
      for (const d of docs) expect(world.get(resourceKey(d.type, d.name))).toEqual(normalise(d.data, schemas));
      const refused = plan.diagnostics.some((x) => x.message.includes('refusing to plan deleting'));
      if (prune && !refused) expect(world.size).toBe(docs.length + state.resources.filter((r) => !plan.scope.includes(r.type)).length);
      // And planning again against the result finds nothing to do.
      const after = live([...world.entries()].map(([, m]) => m));
      expect(computePlan(docs, after, schemas, { prune }).changes.filter((c) => c.action !== 'delete')).toEqual([]);
    }), { numRuns: 200 });
  });
});
