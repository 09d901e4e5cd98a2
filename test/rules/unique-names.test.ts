import { describe, expect, it } from 'vitest';
import { lint, type Files } from './harness.ts';

const openai = (name: string, ...models: string[]) => `type: provider-account/openai
name: ${name}
auth_data: {type: api-key, api_key: "tfy-secret://acme:llm:openai"}
integrations:
${models.map((m) => `  - type: integration/model/openai\n    name: ${m}\n    model_id: ${m}\n`).join('')}`;

const anthropic = (name: string) => `type: provider-account/anthropic
name: ${name}
auth_data: {type: api-key, api_key: "tfy-secret://acme:llm:anthropic"}
integrations: []
`;

const virtualModels = (name: string, ...slugs: string[]) => `type: provider-account/virtual-model
name: ${name}
integrations:
${slugs.map((s, i) => `  - type: integration/model/virtual
    name: vm-${i}
    slug: ${s}
    routing_config: {type: priority-based-routing, load_balance_targets: [{target: openai-main/gpt-4o}]}
`).join('')}`;

const mcp = (type: string, name: string) => `type: mcp-server/${type}
name: ${name}
description: tools
collaborators: [{subject: "team:platform", role_id: mcp-server-manager}]
url: https://mcp.example.com/mcp
`;

const rateLimits = (name: string) => `type: gateway-rate-limiting-config
name: ${name}
rules: []
`;

describe('unique-names', () => {
  it.each<[string, Files]>([
    ['distinct accounts', { 'a.yaml': openai('openai-main', 'gpt-4o'), 'b.yaml': openai('openai-eu', 'gpt-4o'), 'c.yaml': anthropic('anthropic-main') }],
    ['one name in different infrastructure accounts is not an address clash', {
      'a.yaml': 'type: provider-account/aws\nname: prod\nintegrations: []\n',
      'b.yaml': 'type: provider-account/slack\nname: prod\nintegrations: []\n',
    }],
    ['distinct integration names and slugs', { 'vm.yaml': virtualModels('chat', 'fast', 'smart'), 'vm2.yaml': virtualModels('chat-eu', 'fast-eu') }],
    ['one singleton of each type', { 'rl.yaml': rateLimits('tenant-rate-limits'), 'lb.yaml': 'type: gateway-load-balancing-config\nname: lb\nrules: []\n' }],
    ['distinct MCP servers', { 'a.yaml': mcp('remote', 'github'), 'b.yaml': mcp('remote', 'notion') }],
    ['an API response envelope is not a second config', {
      'rl.yaml': rateLimits('tenant-rate-limits'),
      'response.yaml': 'id: x\ntenantName: acme\ntype: gateway-rate-limiting-config\nmanifest:\n  name: old\n  type: gateway-rate-limiting-config\n  rules: []\ncreatedAt: now\n',
    }],
    ['documents without names', { 'a.yaml': 'type: team\nmembers: []\n', 'b.yaml': 'type: team\nmembers: []\n' }],
    ['integrations that are not a list', { 'a.yaml': 'type: provider-account/openai\nname: x\nintegrations: 5\n' }],
  ])('accepts %s', (_name, files) => {
    expect(lint('unique-names', files).findings).toEqual([]);
  });

  it.each<[string, Files, string[]]>([
    ['a provider account defined twice', { 'a.yaml': openai('openai-main', 'gpt-4o'), 'b.yaml': openai('openai-main', 'o3') },
      ['b.yaml:2:7 error provider-account/openai "openai-main" is already defined in a.yaml; applying both makes the later overwrite the earlier']],
    ['two documents of one file', { 'teams.yaml': 'type: team\nname: ml\nmembers: []\n---\ntype: team\nname: ml\nmembers: []\n' },
      ['teams.yaml:6:7 error team "ml" is already defined in teams.yaml; applying both makes the later overwrite the earlier']],
    ['accounts of two providers with one name (a warning)', { 'a.yaml': openai('llm-main', 'gpt-4o'), 'b.yaml': anthropic('llm-main') },
      ['b.yaml:2:7 warning provider account name "llm-main" (provider-account/anthropic) is also used by a provider-account/openai account in a.yaml; addresses "llm-main/<integration>" are ambiguous']],
    ['an integration name repeated in an account', { 'a.yaml': openai('openai-main', 'gpt-4o', 'o3', 'gpt-4o') },
      ['a.yaml:12:11 error integration "gpt-4o" appears more than once in this account (first at integrations[0])']],
    ['a virtual-model slug used twice', { 'a.yaml': virtualModels('chat', 'fast'), 'b.yaml': virtualModels('chat-eu', 'fast') },
      ['b.yaml:6:11 error virtual-model slug "fast" is already used in a.yaml']],
    ['an MCP server name used by two kinds', { 'a.yaml': mcp('remote', 'github'), 'b.yaml': mcp('openapi', 'github') },
      ['b.yaml:2:7 error MCP server "github" is already defined in a.yaml as a mcp-server/remote; applying both makes the later overwrite the earlier']],
    ['a second singleton config', { 'a.yaml': rateLimits('platform'), 'b.yaml': rateLimits('teams') },
      ['b.yaml:1:7 error a second gateway-rate-limiting-config (the first is in a.yaml); the platform keeps one per tenant, so applying both makes the later replace the earlier']],
    ['a third singleton config', { 'a.yaml': rateLimits('x'), 'b.yaml': rateLimits('y'), 'c.yaml': rateLimits('z') }, [
      'b.yaml:1:7 error a second gateway-rate-limiting-config (the first is in a.yaml); the platform keeps one per tenant, so applying both makes the later replace the earlier',
      'c.yaml:1:7 error a second gateway-rate-limiting-config (the first is in a.yaml); the platform keeps one per tenant, so applying both makes the later replace the earlier',
    ]],
    ['two global settings', { 'a.yaml': 'type: gateway-global-settings\n', 'b.yaml': 'type: gateway-global-settings\n' },
      ['b.yaml:1:7 error a second gateway-global-settings (the first is in a.yaml); the platform keeps one per tenant, so applying both makes the later replace the earlier']],
  ])('reports %s', (_name, files, expected) => {
    expect(lint('unique-names', files).findings).toEqual(expected);
  });

  it('points the duplicate at the first definition', () => {
    const run = lint('unique-names', { 'a.yaml': openai('openai-main', 'gpt-4o'), 'b.yaml': openai('openai-main', 'o3') });
    expect(run.diagnostics[0].related).toEqual([{
      file: 'a.yaml', range: expect.objectContaining({ start: { line: 2, column: 1 } }), message: '"openai-main" is first defined here',
    }]);
  });

  it('accepts several documents of a singleton type the project composes (a compose entry)', () => {
    const files = { 'gateway/rate-limiting/a.yaml': rateLimits('a'), 'gateway/rate-limiting/b.yaml': rateLimits('b'), 'gateway/budget/a.yaml': 'type: gateway-budget-config\nname: a\nrules: []\n', 'gateway/budget/b.yaml': 'type: gateway-budget-config\nname: b\nrules: []\n' };
    expect(lint('unique-names', files, 'error', [{ type: 'gateway-rate-limiting-config', name: 'tenant', from: ['gateway/rate-limiting/*.yaml'] }]).findings).toEqual([
      'gateway/budget/b.yaml:1:7 error a second gateway-budget-config (the first is in gateway/budget/a.yaml); the platform keeps one per tenant, so applying both makes the later replace the earlier',
    ]);
  });

  it('rejects options that are not its own', () => {
    expect(() => lint('unique-names', { 'a.yaml': rateLimits('a') }, ['error', { composed: true }])).toThrow();
  });
});
