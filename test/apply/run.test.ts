// runApply, the entry point the CLI and the GitHub Action share: explicit inputs, progress and confirm callbacks.
import { afterEach, describe, expect, it } from 'vitest';
import { runApply, type ApplyEvent } from '../../src/apply/index.ts';
import { PlatformClient } from '../../src/live/client.ts';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { desired, schemas } from '../plan/support.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

let fake: FakePlatform | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

const account = (name: string) => ({
  type: 'provider-account/openai', name, auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:keys:OPENAI' },
  integrations: [{ type: 'integration/model/openai', name: 'gpt-4o', model_id: 'gpt-4o' }],
});
const vm = { type: 'provider-account/virtual-model', name: 'chat', integrations: [{ type: 'integration/model/virtual', name: 'default', routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target: 'acct-a/gpt-4o', weight: 50 }, { target: 'acct-d/gpt-4o', weight: 50 }] } }] };
const docs = () => desired({ 'a.yaml': [account('acct-a'), account('acct-b'), account('acct-c'), account('acct-d'), vm] });

function client(concurrency = 4) {
  return new PlatformClient({ baseUrl: (fake as FakePlatform).url, token: DEFAULT_TOKEN, concurrency, backoffMs: 1 });
}

describe('runApply', () => {
  it('reports results in plan order within a level whatever the timing, and keeps at most `concurrency` requests in flight', async () => {
    fake = await FakePlatform.start({ latencyMs: 20 });
    fake.inject({ method: 'PUT', path: '/api/svc/v1/apply', delayMs: 300 });
    const events: ApplyEvent[] = [];
    let asked = 0;
    const outcome = await runApply(
      { client: client(2), schemas, findings: [], source: { desired: docs() }, options: { concurrency: 2, toolVersion: 'test' } },
      { progress: (e) => events.push(e), confirm: async () => { asked++; return true; } },
    );
    expect(outcome).toMatchObject({ status: 'applied', exitCode: 0, report: { converged: true, levels: 2, summary: { applied: 5 } } });
    expect(asked).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['plan', 'start', 'result', 'result', 'result', 'result', 'result', 'verify']);
    expect(events.filter((e) => e.type === 'result').map((e) => (e as { result: { name: string } }).result.name)).toEqual(['acct-a', 'acct-b', 'acct-c', 'acct-d', 'chat']);
    // acct-a was slow: the platform stored it after the others of its level.
    expect(fake.writes.map((w) => w.name).indexOf('acct-a')).toBeGreaterThan(fake.writes.map((w) => w.name).indexOf('acct-b'));
    expect(fake.maxInFlight).toBe(2);
  });

  it('sends nothing when the confirmation is refused, or when the project has errors', async () => {
    fake = await FakePlatform.start();
    const cancelled = await runApply({ client: client(), schemas, findings: [], source: { desired: docs() }, options: { toolVersion: 'test' } }, { confirm: async () => false });
    expect(cancelled).toMatchObject({ status: 'cancelled', exitCode: 1, report: { summary: { notAttempted: 5 }, converged: null } });
    const error: Diagnostic = { ruleId: 'schema', severity: 'error', message: 'bad', file: 'a.yaml', docIndex: 0, path: [], range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
    const findings = await runApply({ client: client(), schemas, findings: [error], source: { desired: docs() }, options: { toolVersion: 'test' } });
    expect(findings).toMatchObject({ status: 'findings', exitCode: 1, problems: [error] });
    expect(fake.writes).toEqual([]);
    expect(fake.log.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('keeps the report when the platform cannot be read again after the writes', async () => {
    fake = await FakePlatform.start();
    let wrote = false;
    const flaky: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT') wrote = true;
      else if (wrote) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET', message: 'socket hang up' } });
      return fetch(input, init);
    };
    const c = new PlatformClient({ baseUrl: fake.url, token: DEFAULT_TOKEN, retries: 1, backoffMs: 1, fetch: flaky });
    const outcome = await runApply({ client: c, schemas, findings: [], source: { desired: desired({ 'a.yaml': account('acct-a') }) }, options: { toolVersion: 'test' } });
    expect(outcome).toMatchObject({ status: 'applied', exitCode: 0, report: { converged: null, summary: { applied: 1 } } });
    expect(outcome.problems.map((p) => p.message)).toEqual([
      `every change was applied, but the platform could not be read again to compare: GET /api/svc/v1/provider-accounts: cannot reach ${fake.url}: socket hang up (ECONNRESET) (after 2 attempts)`,
    ]);
  });

  it('sends an account update in two steps when it both adds what a virtual model starts routing to and drops what it stops routing to', async () => {
    fake = await FakePlatform.start();
    const acct = (model: string) => ({ ...account('acct-b'), integrations: [{ type: 'integration/model/openai', name: model, model_id: model }] });
    const route = (target: string) => ({ ...vm, integrations: [{ ...vm.integrations[0], routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target, weight: 100 }] } }] });
    fake.seed([acct('m2'), route('acct-b/m2')]);
    const events: ApplyEvent[] = [];
    const outcome = await runApply({ client: client(), schemas, findings: [], source: { desired: desired({ 'a.yaml': [acct('m3'), route('acct-b/m3')] }) }, options: { toolVersion: 'test' } }, { progress: (e) => events.push(e) });
    expect(outcome).toMatchObject({ status: 'applied', report: { converged: true, summary: { applied: 2, failed: 0 } } });
    expect(outcome.report.results.map((r) => `${r.name}${r.interim ? ' (keeps m2)' : ''}`)).toEqual(['acct-b (keeps m2)', 'chat', 'acct-b']);
    expect(fake.writes.map((w) => w.name)).toEqual(['acct-b', 'chat', 'acct-b']);
    expect((fake.stored('provider-account/openai', 'acct-b')?.integrations as { name: string }[]).map((i) => i.name)).toEqual(['m3']);
  });

  it('says which fields the platform stored differently from what was sent', async () => {
    fake = await FakePlatform.start({
      storeTransform: (m) => (m.type === 'provider-account/openai' ? { ...m, integrations: (m.integrations as Record<string, unknown>[]).map((i) => ({ ...i, model_id: String(i.model_id).toUpperCase() })) } : m),
    });
    const outcome = await runApply({ client: client(), schemas, findings: [], source: { desired: desired({ 'a.yaml': account('acct-a') }) }, options: { toolVersion: 'test' } });
    expect(outcome.status).toBe('applied');
    expect(outcome.report.converged).toBe(false);
    expect(outcome.report.differences).toEqual([
      { type: 'provider-account/openai', name: 'acct-a', path: 'integrations[name=gpt-4o].model_id', sent: 'gpt-4o', stored: 'GPT-4O' },
    ]);
  });
});
