// Property: from any consistent live state, apply reaches any consistent desired state against a platform that
// enforces references (no 422, no 409: the order is right), and the platform then equals the repository.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApply } from '../../src/apply/index.ts';
import { PlatformClient } from '../../src/live/client.ts';
import { desired, schemas } from '../plan/support.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

type Doc = Record<string, unknown>;
const ACCOUNTS = ['acct-a', 'acct-b', 'acct-c'];
const MODELS = ['m1', 'm2', 'm3'];
const VMS = ['vm-x', 'vm-y', 'vm-z'];

const account = (name: string, models: string[]): Doc => ({
  type: 'provider-account/openai', name, auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:keys:OPENAI' },
  integrations: models.map((m) => ({ type: 'integration/model/openai', name: m, model_id: m })),
});
const vm = (name: string, target: string): Doc => ({
  type: 'provider-account/virtual-model', name,
  integrations: [{ type: 'integration/model/virtual', name: 'default', routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target, weight: 100 }] } }],
});

/** A consistent state: a base account and virtual model always there, others optional, every target existing. */
const state = fc.record({
  accounts: fc.tuple(...ACCOUNTS.map(() => fc.option(fc.subarray(MODELS, { minLength: 1 }), { nil: undefined }))),
  vms: fc.tuple(...VMS.map(() => fc.option(fc.nat(100), { nil: undefined }))),
}).map(({ accounts, vms }) => {
  const docs: Doc[] = [account('base', ['m0'])];
  const targets = ['base/m0'];
  accounts.forEach((models, i) => {
    if (!models) return;
    docs.push(account(ACCOUNTS[i], models));
    for (const m of models) targets.push(`${ACCOUNTS[i]}/${m}`);
  });
  docs.push(vm('vm-base', 'base/m0'));
  vms.forEach((pick, i) => { if (pick !== undefined) docs.push(vm(VMS[i], targets[pick % targets.length])); });
  // A virtual model may also route to another one.
  if (vms[0] !== undefined && vms[1] !== undefined) docs.push(vm('vm-chain', `${VMS[0]}/default`));
  return docs;
});

let fake: FakePlatform;
beforeAll(async () => { fake = await FakePlatform.start(); });
afterAll(() => fake.close());

describe('apply converges', () => {
  it('any consistent live state to any consistent desired state, in an order the platform accepts', async () => {
    await fc.assert(fc.asyncProperty(state, state, async (before, after) => {
      // Start from `before` (stored through the API, so the start is itself reachable in order).
      for (const m of fake.allStored()) await fetch(`${fake.url}/api/svc/v1/delete`, { method: 'POST', headers: { authorization: `Bearer ${DEFAULT_TOKEN}` }, body: JSON.stringify({ manifest: { type: m.type, name: m.name } }) });
      fake.seed(before);
      const client = new PlatformClient({ baseUrl: fake.url, token: DEFAULT_TOKEN, retries: 0 });
      const outcome = await runApply({ client, schemas, findings: [], source: { desired: desired({ 'a.yaml': after }) }, options: { prune: true, maxDeletes: 100, toolVersion: 't' } });
      expect(outcome.report.results.filter((r) => r.status === 'failed')).toEqual([]);
      expect(outcome.status === 'applied' || outcome.status === 'no-changes').toBe(true);
      if (outcome.status === 'applied') expect(outcome.report.converged).toBe(true);
      const again = await runApply({ client, schemas, findings: [], source: { desired: desired({ 'a.yaml': after }) }, options: { prune: true, maxDeletes: 100, toolVersion: 't' } });
      expect(again.status).toBe('no-changes');
    }), { numRuns: 25 });
  });
});
