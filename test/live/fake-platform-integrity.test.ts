// The fake platform's referential integrity and write faults: the platform apply is tested against must refuse what
// the real one refuses, or a wrong order would pass unnoticed.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

let fake: FakePlatform;
beforeEach(async () => { await fake?.close(); fake = await FakePlatform.start(); });
afterAll(() => fake.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(fake.url + path, { method, headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

const account = { type: 'provider-account/openai', name: 'openai-main', integrations: [
  { type: 'integration/model/openai', name: 'gpt-4o', model_id: 'gpt-4o' },
  { type: 'integration/model/openai', name: 'gpt-4o-mini', model_id: 'gpt-4o-mini' },
] };
const vm = (target: string) => ({ type: 'provider-account/virtual-model', name: 'chat', integrations: [
  { type: 'integration/model/virtual', name: 'default', routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target, weight: 100 }] } },
] });
const lb = (target: string) => ({ type: 'gateway-load-balancing-config', name: 'lb', rules: [{ id: 'r', type: 'weight-based-routing', when: {}, load_balance_targets: [{ target, weight: 100 }] }] });

describe('fake platform: referential integrity', () => {
  it('422 for a virtual model or gateway config that routes to a missing integration (dry runs too)', async () => {
    expect(await call('PUT', '/api/svc/v1/apply', { manifest: vm('openai-main/gpt-4o') })).toMatchObject({
      status: 422, body: { message: 'provider-account/virtual-model "chat" routes to "openai-main/gpt-4o", which does not exist' },
    });
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: lb('openai-main/gpt-4o'), dryRun: true })).status).toBe(422);
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: account })).status).toBe(200);
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: vm('openai-main/gpt-4o') })).status).toBe(200);
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: lb('openai-main/gpt-4o-mini') })).status).toBe(200);
  });

  it('409 for deleting an account, or dropping an integration, that something still routes to', async () => {
    fake.seed([account, vm('openai-main/gpt-4o')]);
    expect(await call('POST', '/api/svc/v1/delete', { manifest: { type: account.type, name: account.name } })).toMatchObject({
      status: 409, body: { message: 'provider-account/openai "openai-main" cannot be deleted: provider-account/virtual-model "chat" still routes to "openai-main/gpt-4o"' },
    });
    const dropped = { ...account, integrations: account.integrations.slice(1) };
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: dropped })).status).toBe(409);
    // Dropping the one nothing routes to is fine; so is deleting once nothing routes there.
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: { ...account, integrations: account.integrations.slice(0, 1) } })).status).toBe(200);
    expect((await call('POST', '/api/svc/v1/delete', { manifest: { type: 'provider-account/virtual-model', name: 'chat' } })).status).toBe(200);
    expect((await call('POST', '/api/svc/v1/delete', { manifest: { type: account.type, name: account.name } })).status).toBe(200);
    expect(fake.writes.map((w) => `${w.op} ${w.name}`)).toEqual(['apply openai-main', 'delete chat', 'delete openai-main']);
  });

  it('refuses matching writes for good, and serves a lost-answer write (stored, no answer)', async () => {
    fake.refuse({ name: 'openai-main', status: 422, message: 'quota' });
    expect(await call('PUT', '/api/svc/v1/apply', { manifest: account })).toMatchObject({ status: 422, body: { message: 'quota' } });
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: account })).status).toBe(422);
    fake.clearFaults();
    fake.inject({ method: 'PUT', lose: true });
    await expect(call('PUT', '/api/svc/v1/apply', { manifest: account })).rejects.toThrow();
    expect(fake.stored('provider-account/openai', 'openai-main')).toBeDefined();
    expect(fake.log.map((r) => r.status)).toEqual([422, 422, -2]);
  });
});
