import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

const rateLimit = (values: string) => `type: gateway-rate-limiting-config
name: tenant-rate-limits
rules:
  - id: per-user
    when: {}
    limit_to: 100
    unit: requests_per_minute
    rate_limit_applies_per: ${values}
`;

const budget = (values: string) => `type: gateway-budget-config
name: tenant-budgets
rules:
  - id: per-user
    when: {}
    limit_to: 100
    unit: cost_per_day
    budget_applies_per: ${values}
`;

describe('applies-per', () => {
  it.each([
    ['rate limit, one entity', rateLimit('[user]')],
    ['rate limit, two entities', rateLimit('[user, model]')],
    ['rate limit, virtual account and metadata', rateLimit('[virtualaccount, metadata.project_id]')],
    ['rate limit, two metadata keys', rateLimit('["metadata.app", "metadata.env"]')],
    ['rate limit, empty list', rateLimit('[]')],
    ['budget, one entity', budget('[model]')],
    ['budget, a metadata key', budget('[metadata.cost_center]')],
    ['budget, block list', budget('\n      - virtualaccount')],
    ['a rule without the field', 'type: gateway-rate-limiting-config\nname: x\nrules:\n  - id: a\n    when: {}\n    limit_to: 1\n    unit: requests_per_day\n'],
    ['schema-invalid shapes are left to the schema', rateLimit('user')],
    ['non-string items are left to the schema', rateLimit('[1, true]')],
    ['a document without rules', 'type: gateway-budget-config\nname: x\n'],
    ['rules that are not a list', 'type: gateway-budget-config\nname: x\nrules: {a: 1}\n'],
  ])('accepts %s', (_name, text) => {
    expect(lint('applies-per', text).findings).toEqual([]);
  });

  it.each([
    ['three rate-limit values', rateLimit('[user, model, virtualaccount]'),
      ['8:5 error rate_limit_applies_per has 3 values ("user", "model", "virtualaccount"); the platform accepts at most 2']],
    ['two budget values', budget('[user, model]'),
      ['8:5 error budget_applies_per has 2 values ("user", "model"); the platform accepts at most 1']],
    ['virtual_account', rateLimit('[virtual_account]'),
      ['8:30 error rate_limit_applies_per value "virtual_account" is not user, model, virtualaccount or metadata.<key> (did you mean "virtualaccount"?)']],
    ['users', budget('[users]'),
      ['8:26 error budget_applies_per value "users" is not user, model, virtualaccount or metadata.<key> (did you mean "user"?)']],
    ['upper case', rateLimit('[Model]'),
      ['8:30 error rate_limit_applies_per value "Model" is not user, model, virtualaccount or metadata.<key> (did you mean "model"?)']],
    ['a legacy placeholder', rateLimit('["{user}"]'),
      ['8:30 error rate_limit_applies_per value "{user}" is not user, model, virtualaccount or metadata.<key> (did you mean "user"?)']],
    ['metadata with another separator', rateLimit('[metadata_project]'),
      ['8:30 error rate_limit_applies_per value "metadata_project" is not user, model, virtualaccount or metadata.<key> (did you mean "metadata.project"?)']],
    ['something else', rateLimit('[region]'),
      ['8:30 error rate_limit_applies_per value "region" is not user, model, virtualaccount or metadata.<key>']],
    ['metadata without a key', rateLimit('[metadata]'),
      ['8:30 error rate_limit_applies_per value "metadata" names no metadata key; write metadata.<key>, e.g. metadata.project_id']],
    ['metadata with an empty key', budget('["metadata."]'),
      ['8:26 error budget_applies_per value "metadata." names no metadata key; write metadata.<key>, e.g. metadata.project_id']],
    ['team in a budget (a warning: examples use it)', budget('["team"]'),
      ['8:26 warning budget_applies_per value "team" is not in the platform\'s vocabulary (user, model, virtualaccount or metadata.<key>)']],
    ['team in a rate limit', rateLimit('[team]'),
      ['8:30 error rate_limit_applies_per value "team" is not in the platform\'s vocabulary (user, model, virtualaccount or metadata.<key>)']],
    ['a repeat', rateLimit('[user, user]'),
      ['8:36 error rate_limit_applies_per lists "user" more than once']],
    ['a repeat in a block list', budget('\n      - model\n      - model'),
      ['10:9 error budget_applies_per lists "model" more than once']],
  ])('reports %s', (_name, text, expected) => {
    expect(lint('applies-per', text).findings).toEqual(expected);
  });

  it('checks every rule of the list', () => {
    const text = `type: gateway-rate-limiting-config
name: tenant-rate-limits
rules:
  - id: ok
    when: {}
    limit_to: 1
    unit: requests_per_day
    rate_limit_applies_per: [user]
  - id: bad
    when: {}
    limit_to: 1
    unit: requests_per_day
    rate_limit_applies_per: [usr]
`;
    expect(lint('applies-per', text).findings).toEqual([
      '13:30 error rate_limit_applies_per value "usr" is not user, model, virtualaccount or metadata.<key> (did you mean "user"?)',
    ]);
  });

  it('fixes a near miss in place, keeping quotes', () => {
    const text = rateLimit('["virtual_account", users]   # per caller');
    const { fixed } = lint('applies-per', text);
    expect(fixed['example.yaml']).toBe(rateLimit('["virtualaccount", user]   # per caller'));
    expect(lint('applies-per', fixed['example.yaml']).findings).toEqual([]);
  });

  it('does not fix a value without a clear suggestion', () => {
    const text = rateLimit('[region, team]');
    expect(lint('applies-per', text).fixed['example.yaml']).toBe(text);
  });
});
