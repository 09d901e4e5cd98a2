import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/lint/config.ts';
import { runLint } from '../../src/lint/engine.ts';
import { resolveSettings } from '../../src/lint/policies.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { buildProjectIndex, withLive, type LiveIntegration, type LiveView } from '../../src/project/index.ts';
import { REGISTRY } from '../../src/rules/index.ts';
import { loadSchemaSet } from '../../src/validate/index.ts';
import { lint, type Files } from './harness.ts';

/** The repository's integrations: two model accounts, a virtual model, a guardrail group and MCP servers. */
const REPO: Files = {
  'providers/openai.yaml': `name: openai-main
type: provider-account/openai
auth_data: {type: api-key, api_key: tfy-secret://acme:llm:openai}
integrations:
  - {type: integration/model/openai, name: gpt-4o, model_id: gpt-4o}
  - {type: integration/model/openai, name: text-embedding-3-small, model_id: text-embedding-3-small, model_types: [embedding]}
`,
  'providers/azure.yaml': `name: azure-main
type: provider-account/azure-openai
azure_endpoint: https://acme.openai.azure.com
auth_data: {type: api-key, api_key: tfy-secret://acme:llm:azure}
integrations:
  - {type: integration/model/azure-openai, name: gpt-4o, model_id: gpt-4o, api_version: 2024-10-21}
`,
  'virtual/chat.yaml': `name: chat-models
type: provider-account/virtual-model
integrations:
  - name: chat
    type: integration/model/virtual
    slug: chat
    routing_config:
      type: weight-based-routing
      load_balance_targets:
        - {target: openai-main/gpt-4o, weight: 50}
        - {target: azure-main/gpt-4o, weight: 50}
`,
  'guardrails/pii.yaml': `name: pii
type: provider-account/guardrail-config-group
integrations:
  - {type: integration/guardrail-config/tfy-pii, name: redact, operation: mutate, enforcing_strategy: enforce, config: {}}
`,
  'mcp/servers.yaml': `name: tools
type: provider-account/mcp-server-group
integrations:
  - {type: integration/mcp-server/remote, name: github, description: GitHub, url: https://mcp.example.com/github, transport: streamable-http}
---
name: linear-mcp
type: mcp-server/remote
description: Linear
url: https://mcp.linear.app/mcp
collaborators: [{subject: team:everyone, role_id: mcp-server-user}]
`,
};

const withFile = (text: string, name = 'check.yaml'): Files => ({ ...REPO, [name]: text });
const only = (findings: string[], file = 'check.yaml') => findings.filter((f) => f.startsWith(`${file}:`));

const lbRule = (when: string, ...targets: string[]) => `name: routing
type: gateway-load-balancing-config
rules:
  - id: chat
    type: latency-based-routing
    when: ${when}
    load_balance_targets:
${targets.map((t) => `      - target: ${t}\n`).join('')}`;

describe('target-exists', () => {
  it('accepts the repository itself', () => {
    expect(lint('target-exists', REPO).findings).toEqual([]);
  });

  it.each([
    ['load-balancing targets and models, "*" and a virtual-model slug', lbRule('{models: [openai-main/gpt-4o, chat-models/chat, chat, "*"]}', 'openai-main/gpt-4o', 'azure-main/gpt-4o')],
    ['rate-limit models naming a virtual model', `name: limits
type: gateway-rate-limiting-config
rules:
  - {id: chat, when: {models: [chat-models/chat]}, limit_to: 10, unit: requests_per_minute}
`],
    ['guardrail selectors and model values', `name: guardrails
type: gateway-guardrails-config
rules:
  - id: pii
    when: {target: {operator: or, conditions: {model: {values: ["*", openai-main/gpt-4o]}}}}
    llm_input_guardrails: [pii/redact]
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
`],
    ['MCP servers and tools named in a guardrail target', `name: guardrails
type: gateway-guardrails-config
rules:
  - id: tools
    when: {target: {operator: or, conditions: {mcpServers: {values: [linear-mcp, "tools/github:create_issue"]}, mcpTools: {condition: not_in, values: [{name: linear-mcp, enabled_tools: [delete]}]}}}}
    llm_input_guardrails: []
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: [pii/redact]
    mcp_tool_post_invoke_guardrails: []
`],
    ['virtual MCP servers of both forms', `name: dev-tools
type: mcp-server/virtual
description: Tools
servers: [{name: linear-mcp}, {name: tools/github}]
collaborators: [{subject: team:everyone, role_id: mcp-server-user}]
`],
  ])('accepts %s', (_name, text) => {
    expect(only(lint('target-exists', withFile(text)).findings)).toEqual([]);
  });

  it.each([
    ['an unknown account, with a near miss', lbRule('{models: [openai-main/gpt-4o]}', 'openai-mian/gpt-4o'), [
      'check.yaml:8:17 error target "openai-mian/gpt-4o" is not defined in the repository: there is no provider account "openai-mian" (did you mean "openai-main/gpt-4o"?)',
    ]],
    ['an unknown model of a known account', lbRule('{models: [openai-main/gpt4o]}', 'azure-main/gpt-4o-mini'), [
      'check.yaml:6:21 error model "openai-main/gpt4o" is not defined in the repository: provider account "openai-main" has no model "gpt4o" (did you mean "openai-main/gpt-4o"?)',
      'check.yaml:8:17 error target "azure-main/gpt-4o-mini" is not defined in the repository: provider account "azure-main" has no model "gpt-4o-mini" (did you mean "azure-main/gpt-4o"?)',
    ]],
    ['a virtual model as a target (no nesting)', lbRule('{models: [chat]}', 'chat-models/chat', 'chat'), [
      'check.yaml:8:17 error target "chat-models/chat" is a virtual model; targets must be real models (virtual models do not nest)',
      'check.yaml:9:17 error target "chat" is a virtual model; targets must be real models (virtual models do not nest)',
    ]],
    ['a guardrail as a target', lbRule('{models: [chat]}', 'pii/redact'), [
      'check.yaml:8:17 error target "pii/redact" is a guardrail, not a model',
    ]],
    ['a target of a virtual model that does not serve its model types', `name: embeddings
type: provider-account/virtual-model
integrations:
  - name: embed
    type: integration/model/virtual
    model_types: [embedding]
    routing_config:
      type: priority-based-routing
      load_balance_targets:
        - {target: openai-main/text-embedding-3-small, priority: 0}
        - {target: openai-main/gpt-4o, priority: 1}
`, [
      'check.yaml:11:20 warning target "openai-main/gpt-4o" serves "chat", but virtual model "embeddings/embed" is also declared for "embedding"',
    ]],
    ['guardrail selectors and model values that do not resolve', `name: guardrails
type: gateway-guardrails-config
rules:
  - id: pii
    when: {target: {operator: or, conditions: {model: {values: [openai-main/o3]}}}}
    llm_input_guardrails: [pii/redcat, openai-main/gpt-4o]
    llm_output_guardrails: [moderation/strict]
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
`, [
      'check.yaml:5:65 error model "openai-main/o3" is not defined in the repository: provider account "openai-main" has no model "o3" (it has "gpt-4o", "text-embedding-3-small")',
      'check.yaml:6:28 error guardrail "pii/redcat" is not defined in the repository: guardrail group "pii" has no guardrail "redcat" (did you mean "pii/redact"?)',
      'check.yaml:6:40 error guardrail "openai-main/gpt-4o" is a model, not a guardrail',
      'check.yaml:7:29 error guardrail "moderation/strict" is not defined in the repository: there is no guardrail group "moderation"',
    ]],
    ['MCP servers and tools of a guardrail target that do not resolve', `name: guardrails
type: gateway-guardrails-config
rules:
  - id: tools
    when: {target: {operator: or, conditions: {mcpServers: {values: [linear, "tools/gitlab:create_issue"]}, mcpTools: {values: [{name: linaer-mcp}]}}}}
    llm_input_guardrails: []
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: [pii/redact]
    mcp_tool_post_invoke_guardrails: []
`, [
      'check.yaml:5:70 error MCP server "linear" is not defined in the repository: no MCP server manifest has this name (did you mean "linear-mcp"?)',
      'check.yaml:5:78 error MCP server "tools/gitlab" is not defined in the repository: MCP server group "tools" has no server "gitlab" (did you mean "tools/github"?)',
      'check.yaml:5:136 error MCP server "linaer-mcp" is not defined in the repository: no MCP server manifest has this name (did you mean "linear-mcp"?)',
    ]],
    ['virtual MCP sources that do not resolve', `name: dev-tools
type: mcp-server/virtual
description: Tools
servers: [{name: linear}, {name: tools/gitlab}]
collaborators: [{subject: team:everyone, role_id: mcp-server-user}]
---
name: more-tools
type: provider-account/mcp-server-group
integrations:
  - type: integration/mcp-server/virtual
    name: bundle
    description: Bundle
    servers: [{name: tools/github}, {name: tools/jira}]
`, [
      'check.yaml:4:18 error MCP server "linear" is not defined in the repository: no MCP server manifest has this name (did you mean "linear-mcp"?)',
      'check.yaml:4:34 error MCP server "tools/gitlab" is not defined in the repository: MCP server group "tools" has no server "gitlab" (did you mean "tools/github"?)',
      'check.yaml:13:44 error MCP server "tools/jira" is not defined in the repository: MCP server group "tools" has no server "jira" (it has "github")',
    ]],
  ])('reports %s', (_name, text, expected) => {
    expect(only(lint('target-exists', withFile(text)).findings)).toEqual(expected);
  });

  it('counts addresses managed outside the repository (option externalAddresses)', () => {
    const text = lbRule('{models: [shared/gpt-4o]}', 'shared/gpt-4o', 'platform/claude', 'openai-main/o1');
    expect(only(lint('target-exists', withFile(text), ['error', { externalAddresses: ['shared/gpt-4o', 'platform/*'] }]).findings)).toEqual([
      'check.yaml:10:17 error target "openai-main/o1" is not defined in the repository: provider account "openai-main" has no model "o1" (it has "gpt-4o", "text-embedding-3-small")',
    ]);
  });

  it('under plan, integrations that exist on the platform count as defined', () => {
    const text = lbRule('{models: [live-openai/gpt-4o]}', 'live-openai/gpt-4o', 'live-vms/chat', 'live-openai/gpt4o');
    const manifests = parseSource({ path: 'check.yaml', text }).manifests;
    const integrations: LiveIntegration[] = [
      { address: 'live-openai/gpt-4o', accountType: 'provider-account/openai', accountName: 'live-openai', type: 'integration/model/openai', name: 'gpt-4o', data: {} },
      { address: 'live-vms/chat', accountType: 'provider-account/virtual-model', accountName: 'live-vms', type: 'integration/model/virtual', name: 'chat', data: {} },
    ];
    const live: LiveView = {
      kinds: ['provider-account'],
      hasIntegration: (a) => integrations.some((i) => i.address === a),
      integration: (a) => integrations.find((i) => i.address === a),
      addresses: () => integrations.map((i) => i.address),
      has: () => false,
    };
    const settings = resolveSettings('/', { ...EMPTY_CONFIG, extends: [], rules: { 'target-exists': 'error' } }, REGISTRY, loadSchemaSet());
    const run = runLint({ project: withLive(buildProjectIndex(manifests), live), registry: REGISTRY, settings, sources: new Map([['check.yaml', text]]), inScope: () => true });
    expect(run.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([
      '9:17 target "live-vms/chat" is a virtual model; targets must be real models (virtual models do not nest)',
      '10:17 target "live-openai/gpt4o" is not defined in the repository or on the platform: provider account "live-openai" has no model "gpt4o" (did you mean "live-openai/gpt-4o"?)',
    ]);
  });
});
