import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

const account = (collaborators: string, type = 'provider-account/openai') => `type: ${type}
name: openai-main
auth_data:
  type: api-key
  api_key: tfy-secret://acme:llm-keys:OPENAI
integrations: []
${collaborators}`;

const mcp = (collaborators: string) => `type: mcp-server/remote
name: analytics
description: Analytics tools
url: https://mcp.example.com/mcp
${collaborators}`;

const rateLimits = (subjects: string) => `type: gateway-rate-limiting-config
name: limits
rules:
  - id: r1
    when:
      subjects: ${subjects}
    limit_to: 10
    unit: requests_per_minute
`;

const guardrails = (inList: string, notIn: string) => `type: gateway-guardrails-config
name: guardrails
rules:
  - id: pii
    when:
      target:
        operator: or
        conditions:
          model: {condition: in, values: ["*"]}
      subjects:
        operator: and
        conditions:
          in: ${inList}
          not_in: ${notIn}
    llm_input_guardrails: [pii-group/pii]
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
`;

const VALID: [string, string][] = [
  ['a manager team and access for everyone', account('collaborators:\n  - subject: team:platform\n    role_id: provider-account-manager\n  - subject: team:everyone\n    role_id: provider-account-access\n')],
  ['a manager user and a virtual account', account('collaborators:\n  - subject: user:jane@example.com\n    role_id: provider-account-manager\n  - subject: virtualaccount:ci-bot\n    role_id: provider-account-access\n')],
  ['provider-account roles on a virtual model group', account('collaborators:\n  - subject: team:platform\n    role_id: provider-account-manager\n', 'provider-account/virtual-model')],
  ['MCP server roles', mcp('collaborators:\n  - subject: team:platform\n    role_id: mcp-server-manager\n  - subject: team:everyone\n    role_id: mcp-server-user\n')],
  ['provider-account roles on an MCP server group', 'type: provider-account/mcp-server-group\nname: tools\nintegrations: []\ncollaborators:\n  - subject: team:platform\n    role_id: provider-account-manager\n'],
  ['an agent with access for everyone', 'type: agent\nname: helper\ndescription: Helps\ncollaborators:\n  - subject: team:everyone\n    role_id: agent-access\n'],
  ['a secret group with an admin', 'type: secret-group\nname: llm-keys\nintegration_fqn: internal:aws:aws-1:secret-store:sm\ncollaborators:\n  - subject: team:platform\n    role_id: secret-group-admin\n'],
  ['an infrastructure account (takes no collaborators)', 'type: provider-account/slack\nname: alerts\nintegrations: []\n'],
  ['an entry whose role key is misspelt (the schema reports it; no guess about managers)', account('collaborators:\n  - subject: team:platform\n    roleId: provider-account-manager\n')],
  ['rule subjects of every kind', rateLimits('["user:bob@example.com", "team:backend", "virtualaccount:va-james"]')],
  ['a rule without subjects', 'type: gateway-budget-config\nname: budgets\nrules:\n  - id: all\n    when: {}\n    limit_to: 100\n    unit: cost_per_day\n'],
  ['guardrail subject conditions', guardrails('["user:alice@example.com", "team:data"]', '["user:bob@example.com"]')],
];

const INVALID: [string, string, string[]][] = [
  ['no collaborators at all', account(''),
    ['1:1 warning provider account "openai-main" has no collaborators, so no other user can see or use it']],
  ['an empty list', account('collaborators: []\n'),
    ['7:1 warning no collaborator of provider account "openai-main" has a manager role ("provider-account-manager")']],
  ['access roles only', account('collaborators:\n  - subject: team:everyone\n    role_id: provider-account-access\n'),
    ['7:1 warning no collaborator of provider account "openai-main" has a manager role ("provider-account-manager")']],
  ['team:everyone as manager', account('collaborators:\n  - subject: team:everyone\n    role_id: provider-account-manager\n'),
    ['8:14 warning "team:everyone" is provider-account-manager of provider account "openai-main": every user of the tenant can change or delete it']],
  ['a role of another kind', account('collaborators:\n  - subject: team:platform\n    role_id: mcp-server-manager\n'), [
    '7:1 warning no collaborator of provider account "openai-main" has a manager role ("provider-account-manager")',
    '9:14 warning role "mcp-server-manager" is not a role of provider accounts (it belongs to MCP servers); use "provider-account-manager" or "provider-account-access"',
  ]],
  ['a misspelt role', mcp('collaborators:\n  - subject: team:platform\n    role_id: mcp-server-manger\n'), [
    '5:1 warning no collaborator of MCP server "analytics" has a manager role ("mcp-server-manager")',
    '7:14 warning role "mcp-server-manger" is not a role of MCP servers; use "mcp-server-manager" or "mcp-server-user" (did you mean "mcp-server-manager"?)',
  ]],
  ['an unknown role', mcp('collaborators:\n  - subject: team:platform\n    role_id: mcp-server-manager\n  - subject: user:dev@example.com\n    role_id: viewer\n'),
    ['9:14 warning role "viewer" is not a role of MCP servers; use "mcp-server-manager" or "mcp-server-user"']],
  ['subjects of the wrong shape', account(`collaborators:
  - subject: team:platform
    role_id: provider-account-manager
  - subject: user:<USER_EMAIL>
    role_id: provider-account-access
  - subject: user:jane
    role_id: provider-account-access
  - subject: group:ml
    role_id: provider-account-access
  - subject: bob@example.com
    role_id: provider-account-access
  - subject: "team:"
    role_id: provider-account-access
  - subject: team:a
    role_id: provider-account-access
`), [
    '10:14 warning subject "user:<USER_EMAIL>" is an unfilled placeholder',
    '12:14 warning user subject "user:jane" is not an e-mail address',
    '14:14 warning subject "group:ml" is not user:<email>, team:<name> or virtualaccount:<name>',
    '16:14 warning subject "bob@example.com" has no kind prefix; write "user:bob@example.com"',
    '18:14 warning subject "team:" names no team',
    '20:14 warning team subject "team:a" is not a valid name (3 to 36 letters, digits, "-" or "_", starting with a letter)',
  ]],
  ['the old virtual-account spelling in a rule', rateLimits('["virtual-account:va-james", "teams:backend"]'), [
    '6:18 warning subject "virtual-account:va-james" is misspelt; the platform writes it "virtualaccount:va-james"',
    '6:46 warning subject "teams:backend" is misspelt; the platform writes it "team:backend"',
  ]],
  ['"*" as a rule subject (info)', rateLimits('["*"]'),
    ['6:18 info subject "*" is not part of the subject vocabulary; leave "subjects" out to match every caller']],
  ['guardrail subject conditions', guardrails('["user:alice"]', '["virtual_account:ci"]'), [
    '13:16 warning user subject "user:alice" is not an e-mail address',
    '14:20 warning subject "virtual_account:ci" is misspelt; the platform writes it "virtualaccount:ci"',
  ]],
  ['missing collaborators on an MCP server', mcp(''),
    ['1:1 warning MCP server "analytics" has no collaborators, so no other user can see or use it']],
];

describe('collaborators', () => {
  it.each(VALID)('accepts %s', (_name, text) => {
    expect(lint('collaborators', text, 'warn').findings).toEqual([]);
  });

  it.each(INVALID)('reports %s', (_name, text, expected) => {
    expect(lint('collaborators', text, 'warn').findings).toEqual(expected);
  });

  it('fixes misspelt subject kinds and bare e-mail addresses', () => {
    const text = rateLimits('["virtual-account:va-james", "bob@example.com"]');
    const { fixed } = lint('collaborators', text);
    expect(fixed['example.yaml']).toBe(rateLimits('["virtualaccount:va-james", "user:bob@example.com"]'));
    expect(lint('collaborators', fixed['example.yaml']).findings).toEqual([]);
  });

  it('never throws on documents of the wrong shape', () => {
    for (const text of [
      'type: provider-account/openai\ncollaborators: 3\n', 'type: provider-account/openai\ncollaborators: [1, [2], {subject: 4}]\n',
      'type: gateway-rate-limiting-config\nrules: {a: 1}\n', 'type: gateway-guardrails-config\nrules: [{when: {subjects: {conditions: [1]}}}]\n',
      'type: gateway-load-balancing-config\nrules: [null, {when: []}, {when: {subjects: [1, null]}}]\n',
    ]) expect(() => lint('collaborators', text)).not.toThrow();
  });
});
