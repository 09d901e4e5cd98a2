import { describe, expect, it } from 'vitest';
import { lint, type Files } from './harness.ts';

const GROUP = `type: provider-account/guardrail-config-group
name: checks
integrations:
  - {type: integration/guardrail-config/custom, name: on-request, operation: validate, enforcing_strategy: enforce, target: request, config: {url: "https://g.example.com/a"}}
  - {type: integration/guardrail-config/custom, name: on-response, operation: validate, enforcing_strategy: enforce, target: response, config: {url: "https://g.example.com/b"}}
  - {type: integration/guardrail-config/patronus, name: patronus, operation: validate, enforcing_strategy: audit, auth_data: {type: api-key, api_key: "tfy-secret://acme:guard-keys:patronus"}, config: {}}
  - {type: integration/guardrail-config/tfy-pii, name: pii, enforcing_strategy: enforce, config: {}}
`;

const rule = (when: string, lists: Partial<Record<'in' | 'out' | 'pre' | 'post', string>> = {}) => `type: gateway-guardrails-config
name: guardrails
rules:
  - id: r1
    when: ${when}
    llm_input_guardrails: ${lists.in ?? '[]'}
    llm_output_guardrails: ${lists.out ?? '[]'}
    mcp_tool_pre_invoke_guardrails: ${lists.pre ?? '[]'}
    mcp_tool_post_invoke_guardrails: ${lists.post ?? '[]'}
`;
const ALL_MODELS = '{target: {operator: or, conditions: {model: {values: ["*"]}}}}';
const files = (text: string): Files => ({ 'groups.yaml': GROUP, 'check.yaml': text });
const findings = (text: string) => lint('guardrail-reach', files(text)).findings;

describe('guardrail-reach', () => {
  it.each([
    ['a rule for every model with an input guardrail', rule(ALL_MODELS, { in: '[checks/pii]' })],
    ['guardrails in the phase they check', rule(ALL_MODELS, { in: '[checks/on-request]', out: '[checks/on-response, checks/patronus]', pre: '[checks/on-request]', post: '[checks/on-response]' })],
    ['an empty "in" list beside a condition that matches', rule('{target: {operator: or, conditions: {model: {values: []}, mcpServers: {values: [docs]}}}}', { pre: '[checks/pii]' })],
    ['a "not_in" empty list (matches everything)', rule('{target: {operator: or, conditions: {model: {condition: not_in, values: []}}}}', { in: '[checks/pii]' })],
    ['unknown selectors are left to target-exists', rule(ALL_MODELS, { out: '[nowhere/nothing]' })],
    ['a document without rules', 'type: gateway-guardrails-config\nname: g\n'],
  ])('accepts %s', (_name, text) => {
    expect(findings(text)).toEqual([]);
  });

  it.each([
    ['no when.target', rule('{}', { in: '[checks/pii]' }), ['check.yaml:5:5 error guardrails rule "r1" has no when.target conditions, so it applies to no request']],
    ['a target without conditions', rule('{target: {operator: or, conditions: {}}}', { in: '[checks/pii]' }),
      ['check.yaml:5:35 error guardrails rule "r1" has no when.target conditions, so it applies to no request']],
    ['only empty "in" lists', rule('{target: {operator: or, conditions: {model: {values: []}, mcpTools: {condition: in, values: []}}}}', { in: '[checks/pii]' }),
      ['check.yaml:5:64 error guardrails rule "r1" cannot match any request: when.target.conditions.model and when.target.conditions.mcpTools lists no value to match']],
    ['no guardrail at all', rule(ALL_MODELS), ['check.yaml:6:5 error guardrails rule "r1" runs no guardrail: all four guardrail lists are empty']],
    ['guardrails in the wrong phase', rule(ALL_MODELS, { in: '[checks/on-response, checks/patronus]', out: '[checks/on-request]', post: '[checks/on-request]' }), [
      'check.yaml:6:28 error guardrail "checks/on-response" checks only the response, so it never runs in llm_input_guardrails of rule "r1"',
      'check.yaml:6:48 error guardrail "checks/patronus" checks only the response, so it never runs in llm_input_guardrails of rule "r1"',
      'check.yaml:7:29 error guardrail "checks/on-request" checks only the request, so it never runs in llm_output_guardrails of rule "r1"',
      'check.yaml:9:39 error guardrail "checks/on-request" checks only the request, so it never runs in mcp_tool_post_invoke_guardrails of rule "r1"',
    ]],
  ])('reports %s', (_name, text, expected) => {
    expect(findings(text)).toEqual(expected);
  });

  it('points a wrong-phase finding at the guardrail\'s own target setting', () => {
    const run = lint('guardrail-reach', files(rule(ALL_MODELS, { out: '[checks/on-request]' })));
    const d = run.diagnostics.find((x) => x.ruleId === 'guardrail-reach');
    expect(d?.related?.map((r) => `${r.file}:${r.range.start.line}:${r.range.start.column} ${r.message}`)).toEqual(['groups.yaml:4:117 "checks/on-request" is set to check the request']);
  });
});
