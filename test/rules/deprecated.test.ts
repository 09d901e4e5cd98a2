import { describe, expect, it } from 'vitest';
import { lint, type Files } from './harness.ts';

const loadBalancing = (extra = '') => `type: gateway-load-balancing-config
name: tenant-routing
rules: []
${extra}`;

const budgetV1 = `type: gateway-budget-config
name: tenant-budgets
rules: []
`;

const rateLimit = (id: string, subjects = '[team:platform]') => `type: gateway-rate-limiting-config
name: tenant-rate-limits
rules:
  - id: "${id}"
    when:
      subjects: ${subjects}
    limit_to: 100
    unit: requests_per_day
`;

describe('deprecated', () => {
  it.each<[string, Files | string]>([
    ['a rate-limiting config with current ids and subjects', rateLimit('per-user-daily', '[virtualaccount:ci, "user:a@acme.example", team:ml]')],
    ['a Budget V2 config', 'type: tenant-budget-config\nname: b\nmode: enforce\nwhen: {}\napplies_to: {type: aggregate}\nlimits: {cost_per_month: 100}\n'],
    ['a virtual model', 'type: provider-account/virtual-model\nname: chat\nintegrations: []\ncollaborators: [{subject: "team:platform", role_id: provider-account-manager}]\n'],
    ['braces that are not a placeholder', rateLimit('{team}-daily')],
    ['an API response envelope of a deprecated type', 'id: x\ntype: gateway-budget-config\nmanifest:\n  name: b\n  type: gateway-budget-config\n  rules: []\ncreatedAt: now\n'],
    // Rule subjects and collaborators are the collaborators rule's (same finding, same fix): not repeated here.
    ['a virtual-account: rule subject', rateLimit('ci', '[virtual-account:ci-bot]')],
    ['a virtual-account: collaborator', 'type: provider-account/anthropic\nname: a\nintegrations: []\ncollaborators: [{subject: "virtual-account:x", role_id: provider-account-access}]\n'],
    ['schema-invalid shapes', 'type: gateway-rate-limiting-config\nname: x\nrules: [null, {id: 5}, {id: a, when: {subjects: "virtual-account:x"}}]\n'],
  ])('accepts %s', (_name, files) => {
    expect(lint('deprecated', files).findings).toEqual([]);
  });

  it.each<[string, Files | string, string[]]>([
    ['the load-balancing config', loadBalancing(), ['1:7 error gateway-load-balancing-config is deprecated in favour of virtual models']],
    ['Budget V1', budgetV1, ['1:7 error gateway-budget-config (Budget V1) is deprecated in favour of tenant-budget-config and team-budget-config (Budget V2)']],
    ['model_configs in a load-balancing config', loadBalancing('model_configs:\n  - model: openai-main/gpt-4o\n'), [
      '1:7 error gateway-load-balancing-config is deprecated in favour of virtual models',
      '4:1 error model_configs is a legacy block of the load-balancing config that the platform no longer reads',
    ]],
    ['a {user} rate-limit id', rateLimit('{user}-daily-limit'),
      ['4:9 error rule id "{user}-daily-limit" uses the legacy placeholder {user}, which no longer creates a limit per entity; use rate_limit_applies_per: ["user"]']],
    ['a {metadata.x} rate-limit id', rateLimit('per-{metadata.project}'),
      ['4:9 error rule id "per-{metadata.project}" uses the legacy placeholder {metadata.project}, which no longer creates a limit per entity; use rate_limit_applies_per: ["metadata.project"]']],
    ['a virtual-account: authorized subject', `type: provider-account/openai
name: openai-main
collaborators:
  - subject: virtual-account:deployer
    role_id: provider-account-access
integrations:
  - type: integration/model/openai
    name: gpt-4o
    model_id: gpt-4o
    authorized_subjects: [virtual-account:app]
`, ['10:27 error subject "virtual-account:app" uses the old "virtual-account:" spelling; write "virtualaccount:app"']],
  ])('reports %s', (_name, files, expected) => {
    expect(lint('deprecated', files).findings).toEqual(expected);
  });

  it('reports a deprecated type once per repository, at its first document', () => {
    const run = lint('deprecated', {
      'gateway/lb/defaults.yaml': loadBalancing(),
      'gateway/lb/teams/a.yaml': loadBalancing(),
      'gateway/lb/teams/b.yaml': loadBalancing(),
      'gateway/budget.yaml': budgetV1,
    });
    expect(run.findings).toEqual([
      'gateway/budget.yaml:1:7 error gateway-budget-config (Budget V1) is deprecated in favour of tenant-budget-config and team-budget-config (Budget V2)',
      'gateway/lb/defaults.yaml:1:7 error gateway-load-balancing-config is deprecated in favour of virtual models (3 documents; reported once, here)',
    ]);
  });

  it('is info in recommended and a warning in strict', () => {
    expect(lint('deprecated', budgetV1, 'info').findings).toEqual([
      '1:7 info gateway-budget-config (Budget V1) is deprecated in favour of tenant-budget-config and team-budget-config (Budget V2)',
    ]);
  });

  it('rewrites virtual-account: subjects with --fix', () => {
    const account = (subjects: string) => `type: provider-account/openai
name: openai-main
integrations:
  - type: integration/model/openai
    name: gpt-4o
    model_id: gpt-4o
    authorized_subjects: ${subjects}
`;
    const { fixed } = lint('deprecated', account('["virtual-account:ci-bot", team:ml]   # CI'));
    expect(fixed['example.yaml']).toBe(account('["virtualaccount:ci-bot", team:ml]   # CI'));
  });
});
