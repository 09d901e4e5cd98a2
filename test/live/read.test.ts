import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformClient } from '../../src/live/client.ts';
import { ALL_KINDS, kindOf, kindsFor } from '../../src/live/kinds.ts';
import { maskValue } from '../../src/core/mask.ts';
import { fingerprintOf, normalise } from '../../src/live/normalise.ts';
import { readLiveState } from '../../src/live/read.ts';
import { makeLiveState, parseSnapshot, restrictKinds, serializeSnapshot, SnapshotError, liveResource } from '../../src/live/state.ts';
import { liveView } from '../../src/live/view.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';
import { DEFAULT_TOKEN, FakePlatform } from '../support/fake-platform.ts';

const schemas = loadSchemaSet();
const RAW_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789T3BlbkFJ';
let fake: FakePlatform;

beforeAll(async () => {
  fake = await FakePlatform.start({ maxPageSize: 100 });
  const accounts = Array.from({ length: 250 }, (_, i) => ({
    type: 'provider-account/openai', name: `openai-${String(i).padStart(3, '0')}`,
    auth_data: { type: 'api-key', api_key: i === 7 ? RAW_KEY : 'tfy-secret://acme:llm-keys:OPENAI' },
    integrations: [{ type: 'integration/model/openai', name: 'gpt-4o', model_id: 'gpt-4o' }],
  }));
  fake.seed([
    ...accounts,
    { type: 'provider-account/virtual-model', name: 'chat', integrations: [{ type: 'integration/model/virtual', name: 'default', slug: 'chat-default',
      routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target: 'openai-000/gpt-4o', weight: 100 }] } }] },
    { type: 'gateway-rate-limiting-config', name: 'limits', rules: [{ id: 'all', when: {}, limit_to: 10, unit: 'requests_per_minute' }] },
    { type: 'team', name: 'platform', members: ['a@acme.example'] },
    { type: 'virtual-account', name: 'batch', permissions: [{ resource_fqn: 'acme:openai:openai-000', resource_type: 'provider-account', role_id: 'provider-account-access' }] },
    { type: 'mcp-server/remote', name: 'docs-search', description: 'Docs', url: 'https://mcp.acme.example/mcp', collaborators: [] },
    { type: 'secret-group', name: 'llm-keys', integration_fqn: 'acme:aws:aws-1:secret-store:sm', collaborators: [] },
    { type: 'tenant-budget-config', name: 'monthly', mode: 'enforce', limits: { cost_per_month: 100 }, applies_to: { type: 'aggregate' }, when: {} },
  ]);
});
afterAll(() => fake.close());

function client() {
  return new PlatformClient({ baseUrl: fake.url, token: DEFAULT_TOKEN, backoffMs: 1, sleep: async () => {} });
}

describe('readLiveState', () => {
  it('reads each kind with one list call (plus pages), never one call per resource', async () => {
    fake.log.length = 0;
    const c = client();
    const { state, notes } = await readLiveState(c, ALL_KINDS, schemas);
    expect(notes).toEqual([]);
    // 251 provider accounts at 100 a page: 3 calls; one call per other kind.
    expect(c.requestCount).toBe(3 + (ALL_KINDS.length - 1));
    expect(fake.log.filter((r) => r.path === '/api/svc/v1/provider-accounts')).toHaveLength(3);
    expect(state.resources).toHaveLength(251 + 6);
    expect(state.kinds).toEqual(ALL_KINDS);
  });

  it('keeps the manifest, drops server-only fields and masks secret values that are not references', async () => {
    const { state } = await readLiveState(client(), ['provider-account'], schemas);
    const a7 = state.resources.find((r) => r.name === 'openai-007');
    expect(a7?.id).toMatch(/^pro_/);
    expect(a7?.fqn).toBe('acme:openai:openai-007');
    expect(a7?.manifest).toEqual({
      auth_data: { api_key: maskValue(RAW_KEY), type: 'api-key' }, collaborators: [],
      integrations: [{ model_id: 'gpt-4o', model_types: ['chat'], name: 'gpt-4o', type: 'integration/model/openai' }],
      name: 'openai-007', type: 'provider-account/openai',
    });
    expect(serializeSnapshot(state)).not.toContain(RAW_KEY);
    expect(serializeSnapshot(state)).not.toContain(RAW_KEY.slice(8, 30));
  });

  it('a missing gateway config is none, and Budget V2 configs come as a list', async () => {
    const { state } = await readLiveState(client(), ['gateway-budget-config', 'tenant-budget-config', 'gateway-rate-limiting-config'], schemas);
    expect(state.resources.map((r) => `${r.type}/${r.name}`)).toEqual(['gateway-rate-limiting-config/limits', 'tenant-budget-config/monthly']);
  });

  it('with skipForbidden, leaves out a kind the platform refuses, with a note', async () => {
    fake.inject({ path: '/api/svc/v1/secret-groups', status: 403, body: { statusCode: 403, message: 'Forbidden' } });
    const { state, notes } = await readLiveState(client(), ['team', 'secret-group'], schemas, { skipForbidden: true });
    expect(state.kinds).toEqual(['team']);
    expect(notes).toEqual(['secret-group left out: GET /api/svc/v1/secret-groups: 403 Forbidden: Forbidden; the API key lacks the permission to read this; ask for a role that can read it']);
  });
});

describe('snapshots', () => {
  it('round-trip, and fingerprints do not depend on key order, server defaults or server-only fields', async () => {
    const { state } = await readLiveState(client(), ['provider-account', 'team'], schemas);
    const again = parseSnapshot(serializeSnapshot(state), 'live.json', schemas);
    expect(again.resources).toEqual(state.resources);
    expect(again.fingerprint).toBe(state.fingerprint);
    const written = liveResource({ type: 'provider-account/openai', name: 'openai-001', auth_data: { type: 'api-key', api_key: 'tfy-secret://acme:llm-keys:OPENAI' },
      integrations: [{ name: 'gpt-4o', type: 'integration/model/openai', model_id: 'gpt-4o' }] }, schemas);
    expect(written?.fingerprint).toBe(state.resources.find((r) => r.name === 'openai-001')?.fingerprint);
  });

  it('refuses what it cannot read, with a reason', () => {
    expect(() => parseSnapshot('{', 'x', schemas)).toThrow(SnapshotError);
    expect(() => parseSnapshot('{"version":2,"resources":[]}', 'x', schemas)).toThrow(/unsupported snapshot version 2/);
    expect(() => parseSnapshot('{"version":1,"resources":[{}]}', 'x', schemas)).toThrow(/resources\[0\] has no "manifest"/);
    expect(() => parseSnapshot('{"version":1,"kinds":["nope"],"resources":[]}', 'x', schemas)).toThrow(/unknown kind "nope"/);
  });

  it('masks raw secrets written into a hand-made snapshot, and infers kinds when none are listed', () => {
    const s = parseSnapshot(JSON.stringify({ version: 1, resources: [{ manifest: { type: 'provider-account/groq', name: 'g', auth_data: { type: 'api-key', api_key: 'gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP' }, integrations: [] } }] }), 'x', schemas);
    expect(JSON.stringify(s)).not.toContain('gsk_abcdefghijklmnop');
    expect(s.kinds).toEqual(['provider-account']);
    expect(restrictKinds(s, ['team']).resources).toEqual([]);
  });

  it('an overall fingerprint changes with any resource', () => {
    const r1 = liveResource({ type: 'team', name: 'a', members: ['x@y'] }, schemas);
    const r2 = liveResource({ type: 'team', name: 'a', members: ['z@y'] }, schemas);
    expect(makeLiveState('s', ['team'], [r1!]).fingerprint).not.toBe(makeLiveState('s', ['team'], [r2!]).fingerprint);
    expect(fingerprintOf(normalise({ type: 'team', name: 'a', members: ['b', 'a'] }, schemas))).toBe(fingerprintOf(normalise({ type: 'team', name: 'a', members: ['a', 'b'] }, schemas)));
  });
});

describe('kinds and the live view', () => {
  it('maps types to the list call that returns them', () => {
    expect(kindOf('provider-account/openai')).toBe('provider-account');
    expect(kindOf('mcp-server/virtual')).toBe('mcp-server');
    expect(kindOf('gateway-budget-config')).toBe('gateway-budget-config');
    expect(kindOf('role')).toBeUndefined();
    expect(kindsFor(['gateway-rate-limiting-config', 'provider-account/groq', 'provider-account/openai', 'role'])).toEqual(['provider-account', 'gateway-rate-limiting-config']);
    expect(kindsFor(['team'], ['mcp-server', 'gateway-guardrails-config'])).toEqual(['mcp-server', 'team', 'gateway-guardrails-config']);
  });

  it('tells rules which integrations exist live, by address and by slug', async () => {
    const { state } = await readLiveState(client(), ['provider-account'], schemas);
    const view = liveView(state);
    expect(view.hasIntegration('openai-001/gpt-4o')).toBe(true);
    expect(view.hasIntegration('openai-001/gpt-5')).toBe(false);
    expect(view.integration('chat-default')).toMatchObject({ address: 'chat/default', accountType: 'provider-account/virtual-model', type: 'integration/model/virtual' });
    expect(view.has('provider-account/openai', 'openai-001')).toBe(true);
    expect(view.kinds).toEqual(['provider-account']);
  });
});
