// A platform (or a proxy in front of it) that misbehaves: the client, plan and dump never crash, never loop, never
// wait forever, never read without bound, and never print the API key, whole or in part.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlatformClient, PlatformError, type ClientOptions } from '../../src/live/client.ts';
import { readLiveState } from '../../src/live/read.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';
import { REPO, runCli } from '../helpers.ts';
import { FakePlatform, type Misbehaviour } from '../support/fake-platform.ts';

const TOKEN = 'tfy-pat-Zq81mKx2Lr5Wv7Ts9Yb3Nc6Hd0Jf4Gp';
const LIST = '/api/svc/v1/provider-accounts';
const schemas = loadSchemaSet();
const ACCOUNTS = Array.from({ length: 7 }, (_, i) => ({
  type: 'provider-account/groq', name: `groq-${i}`, auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:keys:GROQ' },
  integrations: [{ type: 'integration/model/groq', name: 'llama', model_id: 'llama-3.3-70b-versatile' }],
}));

let fake: FakePlatform;
/** Another host (another origin) that records whether anything reached it, and with which Authorization header. */
let elsewhere: Server;
let elsewhereUrl: string;
const reachedElsewhere: (string | undefined)[] = [];

beforeAll(async () => {
  fake = await FakePlatform.start({ token: TOKEN, maxPageSize: 3 });
  fake.seed(ACCOUNTS);
  elsewhere = createServer((req, res) => { reachedElsewhere.push(req.headers.authorization); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"data": []}'); });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fake.close();
  elsewhere.closeAllConnections();
  await new Promise<void>((r) => elsewhere.close(() => r()));
});
afterEach(() => { fake.clearFaults(); fake.log.length = 0; reachedElsewhere.length = 0; });

/** Every 8-character stretch of the key: none may appear in any output. */
const KEY_PARTS = Array.from({ length: TOKEN.length - 7 }, (_, i) => TOKEN.slice(i, i + 8));

function expectNoKey(text: string): void {
  for (const part of KEY_PARTS) expect(text).not.toContain(part);
}

function client(extra: Partial<ClientOptions> = {}) {
  return new PlatformClient({ baseUrl: fake.url, token: TOKEN, backoffMs: 1, maxBackoffMs: 2, timeoutMs: 5000, retries: 2, ...extra });
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformError);
    const err = e as PlatformError;
    expect(err.message).not.toContain('\n');
    expectNoKey(err.message);
    return err;
  }
  throw new Error('expected the call to fail');
}

const names = (items: unknown[]) => items.map((x) => (x as { name: string }).name);

describe('answers that are not the platform\'s JSON', () => {
  it('a proxy\'s HTML 502 page: retried, then one line naming the page, without its HTML', async () => {
    fake.misbehave({ kind: 'html', path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: 502 Bad Gateway: an HTML page ("502 Bad Gateway"), from a proxy or web server rather than the platform's API (after 3 attempts)`);
    expect(fake.requests(LIST)).toHaveLength(3);
  });

  it('a plain-text error from a proxy is quoted, cut to one short line', async () => {
    fake.misbehave({ kind: 'text', status: 503, path: LIST, body: 'upstream connect error or disconnect/reset before headers.\nreset reason: connection termination' });
    const e = await failure(client({ retries: 0 }).listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: 503 Service Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: connect…" (text/plain)`);
    expect(e.status).toBe(503);
  });

  it('a truncated JSON body is retried (a dropped connection), then reported as cut short', async () => {
    fake.misbehave({ kind: 'truncated', path: LIST, times: 1 });
    expect(names(await client().listAll(LIST))).toEqual(ACCOUNTS.map((a) => a.name));
    fake.misbehave({ kind: 'truncated', path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toMatch(new RegExp(`^GET ${LIST}: the answer \\(200\\) is not JSON: JSON cut short after \\d+(\\.\\d)? (bytes|KiB) \\(after 3 attempts\\); is the base URL the control plane`));
  });

  it('a 200 HTML page (a web UI or a sign-in page) is not taken for data', async () => {
    fake.misbehave({ kind: 'html-200', path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: the answer (200) is not JSON: an HTML page ("Sign in"), from a proxy or web server rather than the platform's API; is the base URL the control plane (https://<org>.truefoundry.cloud)?`);
    expect(fake.requests(LIST)).toHaveLength(1);
  });

  it('JSON nested without end is refused before anything walks it', async () => {
    fake.misbehave({ kind: 'deep', depth: 100_000, path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: the answer (200) nests JSON more than 256 levels deep`);
  });

  it('fields the client does not know are ignored: the same live state as without them', async () => {
    const plain = await readLiveState(client(), ['provider-account', 'team'], schemas);
    fake.misbehave({ kind: 'extra-fields' });
    const extra = await readLiveState(client(), ['provider-account', 'team'], schemas);
    expect(extra.state.fingerprint).toBe(plain.state.fingerprint);
    expect(extra.state.resources.map((r) => r.name)).toEqual(plain.state.resources.map((r) => r.name));
  });

  it('an answer of an unexpected shape is one line naming what came', async () => {
    fake.misbehave({ kind: 'message', status: 200, message: 'ok', path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: unexpected answer: an object with "statusCode", "message" (expected {"data": [...]})`);
  });
});

describe('pagination that lies', () => {
  it.each([
    ['a total too high', 5],
    ['a total too low', -4],
    ['a total of 0', -7],
  ])('%s: the list is read to its first short page, complete and once', async (_, delta) => {
    fake.misbehave({ kind: 'total', delta, path: LIST });
    expect(names(await client().listAll(LIST))).toEqual(ACCOUNTS.map((a) => a.name));
    expect(fake.requests(LIST).length).toBeLessThanOrEqual(4);
  });

  it('pages that repeat (the offset ignored): an error, not a loop and not a silently short list', async () => {
    fake.misbehave({ kind: 'ignore-offset', path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: the page at offset 3 holds only items already read (the platform's pagination does not advance); the list cannot be read completely`);
  });

  it('pages that never end: stopped at the item bound with an error', async () => {
    fake.misbehave({ kind: 'endless', path: LIST });
    const e = await failure(client({ maxListItems: 30 }).listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: more than 30 items and the pages do not end; the list is not read further`);
    expect(fake.requests(LIST).length).toBeLessThanOrEqual(12);
  });
});

describe('redirects', () => {
  it('to another host: not followed, so the key goes nowhere else; the message says where it pointed', async () => {
    fake.misbehave({ kind: 'redirect', to: `${elsewhereUrl}/api/svc/v1/provider-accounts?token=${TOKEN}`, path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: 302 redirect to ${elsewhereUrl}/api/svc/v1/provider-accounts, another host than ${fake.url}; tfy-lint does not follow it, so that the API key is sent to no other host; if ${elsewhereUrl} is the control plane, set TFY_BASE_URL (or --base-url) to it`);
    expect(reachedElsewhere).toEqual([]);
  });

  it('within the same host: followed (a moved path), the method kept', async () => {
    fake.misbehave({ kind: 'redirect', status: 308, to: '/api/svc/v1/teams/user', path: '/api/svc/v1/teams', times: 1 });
    fake.seed([{ type: 'team', name: 'platform', members: ['a@acme.example'] }]);
    const r = await client().request('GET', '/api/svc/v1/teams');
    expect(r.status).toBe(200);
    expect(names((r.body as { data: unknown[] }).data)).toEqual(['platform']);
  });

  it('a redirect loop on the same host ends after a few hops', async () => {
    fake.misbehave({ kind: 'redirect', to: LIST, path: LIST });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: 302 more than 5 redirects (the last to ${fake.url}${LIST})`);
  });
});

describe('keys the platform refuses', () => {
  it('401 for an expired key: says to check TFY_API_KEY, and never prints the key even when the platform echoes it', async () => {
    fake.misbehave({ kind: 'message', status: 401, message: `token expired: ${TOKEN} (prefix ${TOKEN.slice(0, 14)}…, ends ${TOKEN.slice(-10)})` });
    const e = await failure(client().listAll(LIST));
    expect(e.status).toBe(401);
    expect(e.message).toBe(`GET ${LIST}: 401 Unauthorized: token expired: *** (prefix ***…, ends ***); check TFY_API_KEY (it may be missing, mistyped or expired)`);
    expect(fake.requests(LIST)).toHaveLength(1);
  });

  it('403 says the key lacks a permission, for a read and for a write', async () => {
    fake.misbehave({ kind: 'message', status: 403, message: 'Forbidden' });
    expect((await failure(client().listAll(LIST))).message).toBe(`GET ${LIST}: 403 Forbidden: Forbidden; the API key lacks the permission to read this; ask for a role that can read it`);
    const w = await failure(client().request('PUT', '/api/svc/v1/apply', { body: { manifest: ACCOUNTS[0] } }));
    expect(w.message).toBe('PUT /api/svc/v1/apply: 403 Forbidden: Forbidden; the API key lacks the permission to change this; ask for a role that can write it');
  });

  it('a platform message is one printable line: terminal escapes dropped, secret-shaped values redacted', async () => {
    const raw = 'sk-proj-Wq3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1XcT3BlbkFJ';
    fake.misbehave({ kind: 'message', status: 422, message: `bad\u001b[2J\u001b]0;pwned\u0007 key\r\n"${raw}" in auth_data` });
    const e = await failure(client().request('PUT', '/api/svc/v1/apply', { body: {} }));
    expect(e.message).toBe('PUT /api/svc/v1/apply: 422 Unprocessable Entity: bad[2J]0;pwned key "sk-p…FJ" in auth_data'.replace('sk-p…FJ', `${raw.slice(0, 4)}…${raw.slice(-4)}`));
    expect(e.message).not.toContain(raw.slice(4, 12));
  });
});

describe('slow and huge answers', () => {
  it('a server that trickles bytes forever is stopped by the time allowed for the whole answer', async () => {
    fake.misbehave({ kind: 'trickle', intervalMs: 20, path: LIST });
    const e = await failure(client({ timeoutMs: 300, retries: 0 }).listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: no complete answer within 300 ms`);
    expect(e.code).toBe('TIMEOUT');
  });

  it('retries stop at the deadline of the call, whatever the retry count', async () => {
    fake.misbehave({ kind: 'trickle', intervalMs: 20, path: LIST });
    const e = await failure(client({ timeoutMs: 200, deadlineMs: 500, retries: 50 }).listAll(LIST));
    expect(e.message).toMatch(new RegExp(`^GET ${LIST}: no complete answer within \\d+ ms \\(after \\d attempts?; no time left within the 500 ms allowed for this call\\)$`));
    expect(fake.requests(LIST).length).toBeLessThan(10);
  });

  it('a body that never ends is cut at the size cap, with a clear error', async () => {
    fake.misbehave({ kind: 'huge', path: LIST });
    const e = await failure(client({ maxResponseBytes: 1024 * 1024 }).listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: the answer is more than 1 MiB, more than the 1 MiB tfy-lint reads; is the base URL the control plane (https://<org>.truefoundry.cloud)?`);
    expect(fake.requests(LIST)).toHaveLength(1);
  });

  it('a body announced larger than the cap is refused before it is read', async () => {
    fake.misbehave({ kind: 'huge', path: LIST, bytes: 500 * 1024 * 1024, announce: true });
    const e = await failure(client().listAll(LIST));
    expect(e.message).toBe(`GET ${LIST}: the answer is 500 MiB, more than the 64 MiB tfy-lint reads; is the base URL the control plane (https://<org>.truefoundry.cloud)?`);
  });

  it('one failed read cancels the others in flight instead of waiting for them', async () => {
    fake.misbehave({ kind: 'trickle', intervalMs: 50, path: '/api/svc/v1/teams/user' });
    fake.misbehave({ kind: 'message', status: 401, message: 'expired', path: LIST });
    const c = client({ timeoutMs: 60_000 });
    const e = await failure(readLiveState(c, ['provider-account', 'team'], schemas));
    expect(e.status).toBe(401);
    // The trickling read was stopped, not left running until its 60 s timeout.
    const stopped = await c.request('GET', '/api/svc/v1/teams/user').then(() => 'answered', (x: Error) => x.message);
    expect(stopped).toBe('GET /api/svc/v1/teams/user: cancelled (another request to the platform failed)');
  });
});

/** plan and dump, end to end, each misbehaviour: exit 2 and one clean line on stderr, never a crash, never the key. */
describe('plan and dump against a misbehaving platform', () => {
  const cases: [string, Misbehaviour, RegExp][] = [
    ['HTML 502', { kind: 'html' }, /502 Bad Gateway: an HTML page \("502 Bad Gateway"\)/],
    ['truncated JSON', { kind: 'truncated' }, /is not JSON: JSON cut short/],
    ['a sign-in page', { kind: 'html-200' }, /is not JSON: an HTML page \("Sign in"\)/],
    ['repeated pages', { kind: 'ignore-offset', path: LIST }, /pagination does not advance/],
    ['a redirect to another host', { kind: 'redirect', to: 'https://login.example.com/sso' }, /redirect to https:\/\/login\.example\.com\/sso, another host/],
    ['an expired key', { kind: 'message', status: 401, message: `key ${TOKEN} expired` }, /401 Unauthorized: key \*\*\* expired; check TFY_API_KEY/],
    ['a trickling answer', { kind: 'trickle', intervalMs: 20 }, /no complete answer within 300 ms/],
    ['a huge answer', { kind: 'huge', bytes: 200 * 1024 * 1024, announce: true }, /the answer is 200 MiB, more than the 64 MiB tfy-lint reads/],
    ['JSON nested without end', { kind: 'deep', depth: 50_000 }, /nests JSON more than 256 levels deep/],
  ];
  const env = () => ({ TFY_BASE_URL: fake.url, TFY_API_KEY: TOKEN, TFY_LINT_BACKOFF_MS: '1' });
  const commands: [string, string[]][] = [
    ['plan', ['plan', 'examples/acme-gateway', '--timeout', '0.3', '--retries', '1']],
    ['dump', ['dump', '--json', '--timeout', '0.3', '--retries', '1']],
  ];

  for (const [command, argv] of commands) {
    it.each(cases)(`${command}: %s`, async (_, m, expected) => {
      fake.misbehave(m);
      const run = await runCli(argv, REPO, env());
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^tfy-lint: [^\n]+\n$/);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(run.stderr).toMatch(expected);
      for (const text of [run.stdout, run.stderr, ...run.written.values()]) expectNoKey(text);
    });
  }

  it('plan reads a platform whose pagination lies about the total and adds unknown fields as if it did not', async () => {
    const honest = await runCli(['plan', 'examples/acme-gateway', '--format', 'json'], REPO, env());
    for (const m of [{ kind: 'total', delta: 9 }, { kind: 'total', delta: -2 }, { kind: 'extra-fields' }] as Misbehaviour[]) {
      fake.clearFaults();
      fake.misbehave(m);
      const bent = await runCli(['plan', 'examples/acme-gateway', '--format', 'json'], REPO, env());
      expect(bent.code).toBe(honest.code);
      expect(JSON.parse(bent.stdout).changes).toEqual(JSON.parse(honest.stdout).changes);
    }
  });
});

/** apply (merged from its branch): its writes go through the same request layer. */
describe('apply against a platform that misbehaves on writes', () => {
  const env = () => ({ TFY_BASE_URL: fake.url, TFY_API_KEY: TOKEN, TFY_LINT_BACKOFF_MS: '1' });
  const WRITE = '/api/svc/v1/apply';
  const cases: [string, Misbehaviour, RegExp][] = [
    ['HTML 502', { kind: 'html', method: 'PUT', path: WRITE }, /502 Bad Gateway: an HTML page \("502 Bad Gateway"\)/],
    ['a truncated answer', { kind: 'truncated', method: 'PUT', path: WRITE }, /is not JSON: JSON cut short/],
    ['a redirect to another host', { kind: 'redirect', method: 'PUT', path: WRITE, to: 'https://login.example.com/sso' }, /redirect to https:\/\/login\.example\.com\/sso, another host/],
    ['an expired key echoed back', { kind: 'message', method: 'PUT', path: WRITE, status: 401, message: `key ${TOKEN} expired` }, /401 Unauthorized: key \*\*\* expired; check TFY_API_KEY/],
    // apply retries its PUTs (they are idempotent); the call's deadline still ends them.
    ['a trickling answer', { kind: 'trickle', method: 'PUT', path: WRITE, intervalMs: 20 }, /no complete answer within \d+ ms \(after \d attempts?; no time left within the 1\.2 s allowed for this call\)/],
    ['a huge answer', { kind: 'huge', method: 'PUT', path: WRITE, bytes: 200 * 1024 * 1024, announce: true }, /the answer is 200 MiB/],
  ];
  it.each(cases)('%s: the failed change is reported, without a crash and without the key', async (_, m, expected) => {
    fake.misbehave(m);
    const run = await runCli(['apply', 'examples/acme-gateway', '--yes', '--timeout', '0.3'], REPO, env());
    expect([1, 2]).toContain(run.code);
    const all = `${run.stdout}\n${run.stderr}`;
    expect(all).not.toMatch(/internal error|\n\s+at /);
    expect(all).toMatch(expected);
    for (const text of [run.stdout, run.stderr, ...run.written.values()]) expectNoKey(text);
  });
});
