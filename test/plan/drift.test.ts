import { describe, expect, it } from 'vitest';
import { computeDrift, globToRegExp, IGNORE_UNMANAGED } from '../../src/plan/drift.ts';
import { liveResource, makeLiveState, parseSnapshot, serializeSnapshot, type LiveMeta } from '../../src/live/state.ts';
import { ALL_KINDS } from '../../src/live/kinds.ts';
import { desired, live, schemas } from './support.ts';

const openai = (name: string, integrations: Record<string, unknown>[]) => ({
  type: 'provider-account/openai', name,
  integrations: integrations.map((i) => ({ type: 'integration/model/openai', model_id: i.name, ...i })),
});
const rl = (rules: Record<string, unknown>[]) => ({ type: 'gateway-rate-limiting-config', name: 'limits', rules });
const rule = (id: string, limit = 10) => ({ id, when: { subjects: [`team:${id}`] }, limit_to: limit, unit: 'requests_per_minute' });

/** A live state whose resources carry history, as the live client reads it. */
function liveWithHistory(entries: { manifest: Record<string, unknown>; meta?: LiveMeta }[]) {
  return makeLiveState('test', ALL_KINDS, entries.map((e, i) => {
    const r = liveResource(e.manifest, schemas, { id: `id_${i}`, history: e.meta });
    if (!r) throw new Error('bad manifest');
    return r;
  }));
}

describe('computeDrift', () => {
  it('agrees when the platform holds what the repository says', () => {
    const d = computeDrift(desired({ 'a.yaml': [openai('a', [{ name: 'gpt-4o' }]), rl([rule('x')])] }), live([openai('a', [{ name: 'gpt-4o' }]), rl([rule('x')])]), schemas);
    expect(d.inSync).toBe(true);
    expect(d.items).toEqual([]);
    expect(d.plan.changes).toEqual([]);
    expect(d.plan.unchanged).toBe(2);
  });

  it('reports a changed field with when and by whom the platform says the resource was changed', () => {
    const state = liveWithHistory([{
      manifest: rl([rule('x', 500)]),
      meta: { createdAt: '2026-11-01T09:00:00.000Z', updatedAt: '2026-12-01T14:03:00.000Z', createdBy: 'user:alice@example.com' },
    }]);
    const d = computeDrift(desired({ 'rl.yaml': rl([rule('x', 10)]) }), state, schemas);
    expect(d.inSync).toBe(false);
    expect(d.items).toHaveLength(1);
    expect(d.items[0]).toMatchObject({
      kind: 'changed', type: 'gateway-rate-limiting-config', name: 'limits',
      live: { updatedAt: '2026-12-01T14:03:00.000Z', createdAt: '2026-11-01T09:00:00.000Z', createdBy: 'user:alice@example.com' },
    });
    expect(d.items[0].change?.fields.map((f) => [f.path, f.before, f.after])).toEqual([['rules[id=x].limit_to', 500, 10]]);
    expect(d.plan.summary).toEqual({ create: 0, update: 1, delete: 0 });
  });

  it('gives the history of each integration that differs', () => {
    const state = liveWithHistory([{
      manifest: openai('a', [{ name: 'gpt-4o', model_id: 'gpt-4o-mini' }, { name: 'other' }]),
      meta: { updatedAt: '2026-12-02T00:00:00Z', integrations: { 'gpt-4o': { updatedAt: '2026-12-03T00:00:00Z', createdBy: 'user:bob@example.com' }, other: { updatedAt: '2026-01-01T00:00:00Z' } } },
    }]);
    const d = computeDrift(desired({ 'a.yaml': openai('a', [{ name: 'gpt-4o' }, { name: 'other' }]) }), state, schemas);
    expect(d.items[0].integrations).toEqual({ 'gpt-4o': { updatedAt: '2026-12-03T00:00:00Z', createdBy: 'user:bob@example.com' } });
  });

  it('reports live resources the repository does not define as created outside git, unless told to leave them out', () => {
    const state = liveWithHistory([
      { manifest: openai('a', [{ name: 'm' }]) },
      { manifest: openai('stray', [{ name: 'm' }]), meta: { createdAt: '2026-12-01T00:00:00Z', createdBy: 'user:carol@example.com' } },
    ]);
    const repo = desired({ 'a.yaml': openai('a', [{ name: 'm' }]) });
    const d = computeDrift(repo, state, schemas);
    expect(d.items).toEqual([{ kind: 'created-outside-git', type: 'provider-account/openai', name: 'stray', live: { createdAt: '2026-12-01T00:00:00Z', createdBy: 'user:carol@example.com' } }]);
    expect(d.plan.unmanaged).toEqual([{ type: 'provider-account/openai', name: 'stray' }]);
    expect(d.plan.changes).toEqual([]);
    const quiet = computeDrift(repo, state, schemas, { ignoreUnmanaged: true });
    expect(quiet.inSync).toBe(true);
    expect(quiet.plan.unmanaged).toEqual([]);
    expect(quiet.ignored).toEqual([{ type: 'provider-account/openai', name: 'stray', by: IGNORE_UNMANAGED }]);
  });

  it('reports resources the platform no longer has as deleted outside git, with the create that restores them', () => {
    const d = computeDrift(desired({ 'a.yaml': [openai('a', [{ name: 'm' }]), openai('gone', [{ name: 'm' }])] }), live([openai('a', [{ name: 'm' }])]), schemas);
    expect(d.items.map((i) => [i.kind, i.name, i.change?.action])).toEqual([['deleted-outside-git', 'gone', 'create']]);
    expect(d.plan.summary.create).toBe(1);
  });

  it('leaves out fields and resources matched by drift.ignore, and counts a resource left with nothing as agreeing', () => {
    const repo = desired({ 'a.yaml': [rl([rule('x', 10), rule('ui-hotfix', 5)]), openai('a', [{ name: 'm1' }, { name: 'm2' }])] });
    const state = live([rl([rule('x', 10), rule('ui-hotfix', 50)]), openai('a', [{ name: 'm1', model_id: 'changed' }, { name: 'm2', model_id: 'changed' }]), openai('hand-made', [])]);
    const d = computeDrift(repo, state, schemas, {
      ignore: ['gateway-rate-limiting-config/*/rules[id=ui-*]', 'provider-account/*/a/integrations[name=m1]', 'provider-account/**/hand-*'],
    });
    expect(d.ignored).toEqual([
      { type: 'provider-account/openai', name: 'a', path: 'integrations[name=m1].model_id', by: 'provider-account/*/a/integrations[name=m1]' },
      { type: 'gateway-rate-limiting-config', name: 'limits', path: 'rules[id=ui-hotfix].limit_to', by: 'gateway-rate-limiting-config/*/rules[id=ui-*]' },
      { type: 'provider-account/openai', name: 'hand-made', by: 'provider-account/**/hand-*' },
    ]);
    expect(d.items.map((i) => [i.kind, i.name, i.change?.fields.map((f) => f.path)])).toEqual([['changed', 'a', ['integrations[name=m2].model_id']]]);
    expect(d.plan.unchanged).toBe(1);
    expect(d.plan.summary.update).toBe(1);
  });

  it('has a fingerprint that follows the drift itself, not the platform timestamps', () => {
    const repo = desired({ 'rl.yaml': rl([rule('x', 10)]) });
    const at = (updatedAt: string, limit: number) => computeDrift(repo, liveWithHistory([{ manifest: rl([rule('x', limit)]), meta: { updatedAt } }]), schemas).fingerprint;
    expect(at('2026-12-01T00:00:00Z', 500)).toBe(at('2026-12-05T00:00:00Z', 500));
    expect(at('2026-12-01T00:00:00Z', 500)).not.toBe(at('2026-12-01T00:00:00Z', 400));
    expect(computeDrift(repo, live([rl([rule('x', 10)])]), schemas).fingerprint).toBe(computeDrift(repo, live([rl([rule('x', 10)])]), schemas).fingerprint);
  });
});

describe('drift.ignore globs', () => {
  it.each([
    ['provider-account/*/main', 'provider-account/openai/main', true],
    ['provider-account/*', 'provider-account/openai/main', false],
    ['provider-account/**', 'provider-account/openai/main', true],
    ['team/a?c', 'team/abc', true],
    ['team/a?c', 'team/a/c', false],
    ['x/**/y', 'x/y', true],
    ['gateway-budget-config/*/rules[id=a].limit_to', 'gateway-budget-config/b/rules[id=a].limit_to', true],
    ['gateway-budget-config/*/rules[id=a]', 'gateway-budget-config/b/rules[id=ab]', false],
    ['a.b/c', 'aXb/c', false],
  ])('%s against %s: %s', (glob, text, want) => {
    expect(globToRegExp(glob).test(text)).toBe(want);
  });
});

describe('live history in snapshots', () => {
  it('keeps meta through a snapshot round trip and never lets it change a fingerprint', () => {
    const withMeta = liveResource(rl([rule('x')]), schemas, { history: { updatedAt: '2026-12-01T00:00:00Z', createdBy: 'user:a@b.co' } });
    const without = liveResource(rl([rule('x')]), schemas);
    expect(withMeta?.fingerprint).toBe(without?.fingerprint);
    const state = makeLiveState('t', ALL_KINDS, [withMeta!]);
    const back = parseSnapshot(serializeSnapshot(state), 'snap.json', schemas);
    expect(back.resources[0].meta).toEqual({ updatedAt: '2026-12-01T00:00:00Z', createdBy: 'user:a@b.co' });
    expect(back.fingerprint).toBe(state.fingerprint);
  });
});
