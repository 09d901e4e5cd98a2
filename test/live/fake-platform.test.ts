// The fake platform itself: writes behave as DOMAIN.md §2 describes, so that a later `apply` can be tested against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

let fake: FakePlatform;
beforeAll(async () => { fake = await FakePlatform.start({ readOnlyToken: 'reader-0123456789' }); });
afterAll(() => fake.close());

async function call(method: string, path: string, body?: unknown, token = DEFAULT_TOKEN) {
  const res = await fetch(fake.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

const account = { type: 'provider-account/openai', name: 'openai-main', integrations: [{ type: 'integration/model/openai', name: 'gpt-4o', model_id: 'gpt-4o' }] };

describe('fake platform writes', () => {
  it('apply creates, then updates (with the manifest before), and a dry run changes nothing', async () => {
    const created = await call('PUT', '/api/svc/v1/apply', { manifest: account });
    expect(created).toMatchObject({ status: 200, body: { action: 'CREATE', data: { name: 'openai-main', fqn: 'acme:openai:openai-main' } } });
    const dry = await call('PUT', '/api/svc/v1/apply', { manifest: { ...account, integrations: [] }, dryRun: true });
    expect(dry.body.action).toBe('UPDATE');
    expect(fake.stored('provider-account/openai', 'openai-main')?.integrations).toHaveLength(1);
    const updated = await call('PUT', '/api/svc/v1/apply', { manifest: { ...account, base_url: 'https://proxy.example' } });
    expect(updated.body).toMatchObject({ action: 'UPDATE', existingManifest: { name: 'openai-main' } });
    // Defaults echoed back.
    expect(fake.stored('provider-account/openai', 'openai-main')).toMatchObject({ collaborators: [], integrations: [{ model_types: ['chat'] }] });
  });

  it('answers errors in the HttpError shape: 400, 401, 403, 404, 409, 422', async () => {
    expect(await call('PUT', '/api/svc/v1/apply', { manifest: { type: 'gateway-rate-limiting-config', rules: [] } }))
      .toEqual({ status: 400, body: { statusCode: 400, message: 'Manifest does not have a name field' } });
    expect((await call('GET', '/api/svc/v1/provider-accounts', undefined, 'nope')).status).toBe(401);
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: account }, 'reader-0123456789')).status).toBe(403);
    expect((await call('GET', '/api/svc/v1/llm-gateway/config/gateway-budget-config')).body).toEqual({ statusCode: 404, message: 'No gateway-budget-config found for tenant acme' });
    expect((await call('PUT', '/api/svc/v1/apply', { manifest: { ...account, type: 'provider-account/groq' } })).status).toBe(409);
    const bad = await call('PUT', '/api/svc/v1/apply', { manifest: { ...account, auth_data: { type: 'api-key', api_key: 'tfy-secret://only-one-part' } } });
    expect(bad).toEqual({ status: 422, body: { statusCode: 422, message: 'Invalid secret reference at auth_data.api_key: expected tfy-secret://<owner>:<group>:<key>', code: 'VALIDATION_ERROR' } });
  });

  it('deletes by type and name, then answers 404', async () => {
    expect(await call('POST', '/api/svc/v1/delete', { manifest: account })).toEqual({ status: 200, body: {} });
    expect((await call('POST', '/api/svc/v1/delete', { manifest: account })).status).toBe(404);
  });

  it('ignores the type filter of the provider-account list', async () => {
    await call('PUT', '/api/svc/v1/apply', { manifest: account });
    await call('PUT', '/api/svc/v1/apply', { manifest: { type: 'provider-account/groq', name: 'groq-x', integrations: [] } });
    const r = await call('GET', '/api/svc/v1/provider-accounts?type=groq');
    expect((r.body.data as { provider: string }[]).map((a) => a.provider).sort()).toEqual(['groq', 'openai']);
    expect(r.body.pagination).toEqual({ total: 2, offset: 0, limit: 100 });
  });
});
