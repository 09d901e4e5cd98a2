import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normaliseBaseUrl, parseRetryAfter, PlatformClient, PlatformError, type ClientOptions } from '../../src/live/client.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

let fake: FakePlatform;
const ACCOUNTS = Array.from({ length: 7 }, (_, i) => ({
  type: i % 2 ? 'provider-account/openai' : 'provider-account/groq', name: `acct-${i}`,
  integrations: [{ type: i % 2 ? 'integration/model/openai' : 'integration/model/groq', name: 'm', model_id: 'm' }],
}));

beforeAll(async () => {
  fake = await FakePlatform.start({ maxPageSize: 3, readOnlyToken: 'read-only-key-000000' });
  fake.seed(ACCOUNTS);
});
afterAll(() => fake.close());
afterEach(() => { fake.clearFaults(); fake.log.length = 0; });

/** A client with tiny backoffs and a recorded sleep, so retries take no time. */
function client(extra: Partial<ClientOptions> = {}) {
  const sleeps: number[] = [];
  const c = new PlatformClient({
    baseUrl: `${fake.url}/`, token: DEFAULT_TOKEN, backoffMs: 1, maxBackoffMs: 4, timeoutMs: 2000,
    sleep: async (ms) => { sleeps.push(ms); }, ...extra,
  });
  return { c, sleeps };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformError);
    return e as PlatformError;
  }
  throw new Error('expected the call to fail');
}

const LIST = '/api/svc/v1/provider-accounts';

describe('PlatformClient', () => {
  it('normalises the base URL and refuses what is not http(s)', () => {
    expect(normaliseBaseUrl('https://acme.truefoundry.cloud//')).toBe('https://acme.truefoundry.cloud');
    expect(() => normaliseBaseUrl('acme.truefoundry.cloud')).toThrow(/is not a URL/);
    expect(() => normaliseBaseUrl('ftp://acme')).toThrow(/must be http/);
  });

  it('reads every page of a list, stepping by the page size the platform really returns', async () => {
    const { c } = client({ pageSize: 100 });
    const items = await c.listAll(LIST);
    expect(items.map((x) => (x as { name: string }).name)).toEqual(ACCOUNTS.map((a) => a.name));
    const offsets = fake.requests(LIST).map((r) => r.query.offset);
    expect(offsets).toEqual(['0', '3', '6']);
    expect(fake.requests(LIST).every((r) => r.query.type === undefined)).toBe(true);
  });

  it('sends the key as a Bearer token; a 401 is one line with the status and the platform message, without the key', async () => {
    const { c } = client({ token: 'wrong-key-123456789' });
    const e = await failure(c.listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: 401 Unauthorized: Unauthorized: the API key is missing, invalid or expired; check TFY_API_KEY (it may be missing, mistyped or expired)`);
    expect(e.message).not.toContain('wrong-key');
    expect(e.status).toBe(401);
    expect(fake.log).toHaveLength(1); // not retried
  });

  it('reports 403 and 404 with the platform message and a hint', async () => {
    const ro = new PlatformClient({ baseUrl: fake.url, token: 'read-only-key-000000', retries: 0 });
    const e403 = await failure(ro.request('PUT', '/api/svc/v1/apply', { body: { manifest: ACCOUNTS[0] } }));
    expect(e403.message).toMatch(/^PUT \/api\/svc\/v1\/apply: 403 Forbidden: Forbidden: this key may not apply manifests; the API key lacks/);
    const { c } = client();
    const e404 = await failure(c.request('GET', '/api/svc/v1/nothing-here'));
    expect(e404.message).toMatch(/^GET \/api\/svc\/v1\/nothing-here: 404 Not Found: Cannot GET \/api\/svc\/v1\/nothing-here; is http:\/\/127\.0\.0\.1:\d+ the control-plane URL/);
  });

  it('treats a status the caller allows as an answer', async () => {
    const { c } = client();
    const r = await c.request('GET', '/api/svc/v1/llm-gateway/config/gateway-budget-config', { allowStatus: [404] });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ statusCode: 404 });
  });

  it('retries reads after 5xx and 429 with growing, jittered delays, honouring Retry-After', async () => {
    fake.inject({ path: LIST, status: 503, times: 2 });
    fake.inject({ path: LIST, status: 429, retryAfter: '2' });
    const { c, sleeps } = client({ random: () => 1 });
    const items = await c.listAll(LIST);
    expect(items).toHaveLength(7);
    expect(sleeps).toEqual([1, 2, 2000]);
    expect(fake.requests(LIST).map((r) => r.status)).toEqual([503, 503, 429, 200, 200, 200]);
  });

  it('retries a dropped connection and a slow answer (timeout)', async () => {
    fake.inject({ path: LIST, drop: true });
    fake.inject({ path: LIST, delayMs: 400 });
    const { c, sleeps } = client({ timeoutMs: 150 });
    expect(await c.listAll(LIST)).toHaveLength(7);
    expect(sleeps).toHaveLength(2);
  });

  it('gives up after the retries with a clean one-line error', async () => {
    fake.inject({ path: LIST, status: 500, times: 10 });
    const { c } = client({ retries: 2 });
    const e = await failure(c.listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: 500 Internal Server Error: injected fault 500 (after 3 attempts)`);
    fake.clearFaults();
    fake.inject({ path: LIST, delayMs: 300, times: 10 });
    const slow = await failure(client({ retries: 1, timeoutMs: 100 }).c.listAll(LIST));
    expect(slow.message).toBe(`GET ${LIST}: no complete answer within 100 ms (after 2 attempts)`);
  });

  it('fails at once when Retry-After asks for more than the longest wait allowed', async () => {
    fake.inject({ path: LIST, status: 429, retryAfter: '3600' });
    const { c, sleeps } = client();
    const e = await failure(c.listAll(LIST));
    expect(e.message).toMatch(/429 Too Many Requests: injected fault 429: the platform asks to wait 3600 s \(Retry-After\), longer than 60 s/);
    expect(sleeps).toEqual([]);
  });

  it('does not retry writes', async () => {
    fake.inject({ path: '/api/svc/v1/apply', status: 503 });
    const { c } = client();
    const e = await failure(c.request('PUT', '/api/svc/v1/apply', { body: { manifest: ACCOUNTS[0] } }));
    expect(e.status).toBe(503);
    expect(fake.requests('/api/svc/v1/apply')).toHaveLength(1);
  });

  it('cannot reach a closed port: a one-line error after retries', async () => {
    const c = new PlatformClient({ baseUrl: 'http://127.0.0.1:9', token: DEFAULT_TOKEN, retries: 1, backoffMs: 1, sleep: async () => {} });
    const e = await failure(c.request('GET', LIST));
    expect(e.message).toMatch(/^GET \/api\/svc\/v1\/provider-accounts: cannot reach http:\/\/127\.0\.0\.1:9: .*\(after 2 attempts\)$/);
    expect(e.message).not.toContain('\n');
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      active++;
      peak = Math.max(peak, active);
      try {
        await new Promise((r) => setTimeout(r, 10));
        return await fetch(input, init);
      } finally {
        active--;
      }
    };
    const { c } = client({ fetch: counting, concurrency: 2, pageSize: 1 });
    await Promise.all([c.listAll(LIST), c.listAll(LIST), c.request('GET', '/api/svc/v1/virtual-accounts')]);
    expect(peak).toBe(2);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
