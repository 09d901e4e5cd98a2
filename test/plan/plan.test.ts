import { describe, expect, it } from 'vitest';
import { maskValue } from '../../src/core/mask.ts';
import { applyFieldChanges } from '../../src/plan/apply-changes.ts';
import { computePlan, dependencyRank } from '../../src/plan/plan.ts';
import { desired, live, schemas } from './support.ts';

const openai = (name: string, integrations: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  type: 'provider-account/openai', name, ...extra,
  integrations: integrations.map((i) => ({ type: 'integration/model/openai', model_id: i.name, ...i })),
});
const rl = (rules: Record<string, unknown>[], name = 'limits') => ({ type: 'gateway-rate-limiting-config', name, rules });
const rule = (id: string, limit = 10) => ({ id, when: { subjects: [`team:${id}`] }, limit_to: limit, unit: 'requests_per_minute' });

describe('computePlan: matching and changes', () => {
  it('creates what is only in the repository, updates what differs, leaves equal resources alone', () => {
    const plan = computePlan(
      desired({ 'a.yaml': [openai('a', [{ name: 'gpt-4o' }]), openai('b', [{ name: 'gpt-4o', model_id: 'gpt-4o-2024' }]), openai('c', [{ name: 'x' }])] }),
      live([openai('b', [{ name: 'gpt-4o' }]), openai('c', [{ name: 'x' }])]),
      schemas,
    );
    expect(plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual(['create a', 'update b']);
    expect(plan.changes[1].fields).toEqual([{ path: 'integrations[name=gpt-4o].model_id', segments: ['integrations', { key: 'name', value: 'gpt-4o' }, 'model_id'], kind: 'change', before: 'gpt-4o', after: 'gpt-4o-2024' }]);
    expect(plan.summary).toEqual({ create: 1, update: 1, delete: 0 });
    expect(plan.unchanged).toBe(1);
    expect(plan.changes[0].source).toEqual({ file: 'a.yaml', docIndex: 0, line: 1 });
  });

  it('compares normal forms: defaults, empty containers, server-only fields, integration order and set order do not count', () => {
    const plan = computePlan(
      desired({ 'a.yaml': openai('a', [{ name: 'one' }, { name: 'two', model_types: ['embedding'] }], { collaborators: [{ subject: 'team:x', role_id: 'provider-account-manager' }, { subject: 'team:y', role_id: 'provider-account-access' }] }) }),
      live([{
        ...openai('a', [{ name: 'two', model_types: ['embedding'], authorized_subjects: [] }, { name: 'one', model_types: ['chat'], id: 'i1', fqn: 'acme:openai:a:model:one' }]),
        id: 'p1', fqn: 'acme:openai:a', createdAt: '2026-01-01T00:00:00Z', tenantName: 'acme',
        collaborators: [{ role_id: 'provider-account-access', subject: 'team:y' }, { subject: 'team:x', role_id: 'provider-account-manager' }],
      }]),
      schemas,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toBe(1);
  });

  it('matches singleton gateway configs by type: a new name is a field change', () => {
    const plan = computePlan(desired({ 'rl.yaml': rl([rule('a')], 'new-name') }), live([rl([rule('a')], 'old-name')]), schemas);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ action: 'update', type: 'gateway-rate-limiting-config', name: 'new-name' });
    expect(plan.changes[0].fields.map((f) => [f.path, f.before, f.after])).toEqual([['name', 'old-name', 'new-name']]);
  });

  it('shows rule reordering as the fewest moves, with 1-based positions', () => {
    const plan = computePlan(
      desired({ 'rl.yaml': rl([rule('d'), rule('a'), rule('b'), rule('c'), rule('e')]) }),
      live([rl([rule('a'), rule('b'), rule('c'), rule('d'), rule('e')])]),
      schemas,
    );
    expect(plan.changes[0].fields.map((f) => `${f.kind} ${f.path} ${f.before}->${f.after}`)).toEqual(['move rules[id=d] 4->1']);
  });

  it('adds, removes and changes rules by id in one list', () => {
    const plan = computePlan(desired({ 'rl.yaml': rl([rule('a', 20), rule('new')]) }), live([rl([rule('a'), rule('old')])]), schemas);
    expect(plan.changes[0].fields.map((f) => `${f.kind} ${f.path}`)).toEqual(['change rules[id=a].limit_to', 'add rules[id=new]', 'remove rules[id=old]']);
  });

  it('masks secret values on both sides: equal raw values are no change, and neither value is in the plan', () => {
    const raw1 = 'sk-proj-AAAAbbbbCCCCddddEEEEffff0000T3BlbkFJ1111';
    const raw2 = 'sk-proj-ZZZZyyyyXXXXwwwwVVVVuuuu9999T3BlbkFJ8888';
    const doc = (key: string) => openai('a', [], { auth_data: { type: 'api-key', api_key: key } });
    expect(computePlan(desired({ 'a.yaml': doc(raw1) }), live([doc(raw1)]), schemas).changes).toEqual([]);
    const plan = computePlan(desired({ 'a.yaml': doc(raw2) }), live([doc(raw1)]), schemas);
    expect(plan.changes[0].fields).toMatchObject([{ path: 'auth_data.api_key', before: maskValue(raw1), after: maskValue(raw2) }]);
    expect(JSON.stringify(plan)).not.toMatch(/AAAAbbbb|ZZZZyyyy/);
  });

  it('shows traffic shares of weight-based routing before and after', () => {
    const vm = (weights: Record<string, number>) => ({
      type: 'provider-account/virtual-model', name: 'chat',
      integrations: [{ type: 'integration/model/virtual', name: 'w', routing_config: { type: 'weight-based-routing',
        load_balance_targets: Object.entries(weights).map(([target, weight]) => ({ target, weight })) } }],
    });
    const plan = computePlan(desired({ 'vm.yaml': vm({ 'a/x': 1, 'b/x': 2 }) }), live([vm({ 'a/x': 50, 'c/x': 50 })]), schemas);
    expect(plan.changes[0].shares).toEqual([{
      path: 'integrations[name=w].routing_config',
      targets: [{ target: 'a/x', before: 50, after: 33.3 }, { target: 'b/x', after: 66.7 }, { target: 'c/x', before: 50 }],
    }]);
  });

  it('orders changes by dependency, deletes last in reverse order', () => {
    expect(dependencyRank('secret-group')).toBeLessThan(dependencyRank('provider-account/openai'));
    expect(dependencyRank('provider-account/openai')).toBeLessThan(dependencyRank('provider-account/virtual-model'));
    expect(dependencyRank('provider-account/virtual-model')).toBeLessThan(dependencyRank('gateway-load-balancing-config'));
    const vm = { type: 'provider-account/virtual-model', name: 'vm', integrations: [] };
    const plan = computePlan(
      desired({ 'a.yaml': [rl([rule('a')]), vm, openai('new', []), openai('kept', [])] }),
      live([openai('gone', []), { ...vm, name: 'vm-gone' }, openai('kept', [])]),
      schemas, { prune: true },
    );
    expect(plan.changes.map((c) => `${c.action} ${c.type}`)).toEqual([
      'create provider-account/openai', 'create provider-account/virtual-model', 'create gateway-rate-limiting-config',
      'delete provider-account/virtual-model', 'delete provider-account/openai',
    ]);
  });
});

describe('computePlan: unmanaged resources and --prune', () => {
  const repo = desired({ 'a.yaml': [openai('a', [])] });
  const state = live([openai('a', []), openai('stray', []), { type: 'provider-account/groq', name: 'other-type', integrations: [] }, { type: 'team', name: 't', members: [] }]);

  it('lists live resources of the repository\'s types that it does not define, without deleting them', () => {
    const plan = computePlan(repo, state, schemas);
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged).toEqual([{ type: 'provider-account/openai', name: 'stray' }]);
    expect(plan.scope).toEqual(['provider-account/openai']);
  });

  it('deletes them with prune (only types the repository holds)', () => {
    const plan = computePlan(repo, state, schemas, { prune: true });
    expect(plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual(['delete stray']);
    expect(plan.unmanaged).toEqual([]);
  });

  it('never plans deleting everything when the repository matches nothing live', () => {
    const plan = computePlan(desired({ 'x.yaml': openai('unrelated', []) }), live([openai('a', []), openai('b', [])]), schemas, { prune: true });
    expect(plan.changes.map((c) => c.action)).toEqual(['create']);
    expect(plan.diagnostics.map((d) => d.message)).toEqual(['the repository matches none of the 2 live resources of its types: refusing to plan deleting all of them']);
    expect(plan.unmanaged).toHaveLength(2);
  });

  it('an empty repository reads and deletes nothing', () => {
    const plan = computePlan([], live([openai('a', [])]), schemas, { prune: true });
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged).toEqual([]);
  });

  it('is an error to delete an account, or drop an integration, that something staying still routes to', () => {
    const vm = { type: 'provider-account/virtual-model', name: 'chat', integrations: [{ type: 'integration/model/virtual', name: 'v',
      routing_config: { type: 'priority-based-routing', load_balance_targets: [{ target: 'old/gpt-4' }, { target: 'a/o1' }] } }] };
    const lb = { type: 'gateway-load-balancing-config', name: 'lb', rules: [{ id: 'r', type: 'weight-based-routing', when: {}, load_balance_targets: [{ target: 'old/gpt-4', weight: 100 }] }] };
    const plan = computePlan(
      desired({ 'a.yaml': [openai('a', [{ name: 'gpt-4o' }]), vm] }),
      live([openai('a', [{ name: 'gpt-4o' }, { name: 'o1' }]), openai('old', [{ name: 'gpt-4' }]), vm, lb]),
      schemas, { prune: true },
    );
    expect(plan.diagnostics.map((d) => `${d.file}:${d.range.start.line}: ${d.message}`)).toEqual([
      'a.yaml:16: provider-account/openai "old" is deleted by this plan (--prune), but provider-account/virtual-model "chat" still routes to "old/gpt-4"',
      'a.yaml:17: integration "a/o1" is removed from provider-account/openai "a" by this plan, but provider-account/virtual-model "chat" still routes to "a/o1"',
      'live:gateway-load-balancing-config:1: provider-account/openai "old" is deleted by this plan (--prune), but the live gateway-load-balancing-config (not in the repository) still routes to "old/gpt-4"',
    ]);
    expect(plan.diagnostics.every((d) => d.severity === 'error' && d.ruleId === 'plan')).toBe(true);
  });
});

describe('computePlan: what cannot be compared', () => {
  it('documents of types without a list call, and kinds the live state lacks, are listed and not planned', () => {
    const plan = computePlan(
      desired({ 'a.yaml': [{ type: 'role', name: 'r', displayName: 'R', description: 'd', resourceType: 'tenant', permissions: [] }, { type: 'team', name: 't', members: [] }] }),
      live([], ['provider-account']),
      schemas,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.notCompared).toEqual([
      { type: 'role', name: 'r', reason: 'tfy-lint cannot read this type from the platform' },
      { type: 'team', name: 't', reason: 'the live state does not include team' },
    ]);
    expect(plan.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('two documents of a singleton type are an error and neither is planned', () => {
    const plan = computePlan(desired({ 'a.yaml': rl([rule('a')], 'one'), 'b.yaml': rl([rule('b')], 'two') }), live([]), schemas);
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics.map((d) => `${d.file} ${d.severity} ${d.message}`)).toEqual([
      'a.yaml error 2 documents of the singleton gateway-rate-limiting-config: the platform keeps one, so each would replace the other',
      'b.yaml error 2 documents of the singleton gateway-rate-limiting-config: the platform keeps one, so each would replace the other',
    ]);
  });

  it('composes fragments into one config and locates a rule in its own fragment', () => {
    const docs = desired({
      'gw/teams/b.yaml': rl([rule('b1')], 'frag-b'),
      'gw/teams/a.yaml': rl([rule('a1'), rule('a2')], 'frag-a'),
      'gw/defaults.yaml': rl([rule('z')], 'frag-z'),
    }, [{ type: 'gateway-rate-limiting-config', name: 'tenant-limits', from: ['gw/teams/*.yaml', 'gw/defaults.yaml'] }]);
    expect(docs).toHaveLength(1);
    expect(docs[0].name).toBe('tenant-limits');
    expect((docs[0].data.rules as { id: string }[]).map((r) => r.id)).toEqual(['a1', 'a2', 'b1', 'z']);
    expect(docs[0].locate(['rules', 2, 'limit_to'])).toMatchObject({ file: 'gw/teams/b.yaml' });
    expect(docs[0].fragments?.map((f) => f.file)).toEqual(['gw/teams/a.yaml', 'gw/teams/b.yaml', 'gw/defaults.yaml']);
  });
});

describe('applyFieldChanges', () => {
  it('turns the live normal form into the desired one, moves included', () => {
    const before = rl([rule('a'), rule('b'), rule('c'), rule('d')]);
    const after = rl([rule('c'), rule('a', 99), rule('new'), rule('b')]);
    const plan = computePlan(desired({ 'rl.yaml': after }), live([before]), schemas);
    const c = plan.changes[0];
    expect(applyFieldChanges(c.before as Record<string, unknown>, c.fields)).toEqual(c.after);
  });
});
