import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/yaml.ts';
import { analyseRuleOrder, describeRequest, type RuleEntry } from '../../src/project/routing.ts';
import { lint } from './harness.ts';

/** A rate-limiting config from rule lines ("id | when-flow-mapping"), one rule per entry. */
const rateLimits = (...rules: string[]) => `name: limits
type: gateway-rate-limiting-config
rules:
${rules.map((r) => {
  const [id, when, extra] = r.split(' | ');
  return `  - id: ${id}\n    when: ${when}\n    limit_to: 10\n    unit: requests_per_minute\n${extra ? `    ${extra}\n` : ''}`;
}).join('')}`;

/** A load-balancing config in the same style; rules differ in their single target. */
const routing = (...rules: string[]) => `name: routing
type: gateway-load-balancing-config
rules:
${rules.map((r, i) => {
  const [id, when, target] = r.split(' | ');
  return `  - id: ${id}\n    type: weight-based-routing\n    when: ${when}\n    load_balance_targets:\n      - target: ${target ?? `acct/model-${i}`}\n        weight: 100\n`;
}).join('')}`;

describe('rule-shadowing', () => {
  it.each([
    ['specific rules before the catch-all', rateLimits('team-a | {subjects: [team:a]}', 'everyone | {}')],
    ['a team never covers a user (membership is unknown offline)', rateLimits('team-a | {subjects: [team:a]}', 'user-b | {subjects: [user:b]}')],
    ['different metadata values', rateLimits('prod | {metadata: {env: prod}}', 'dev | {metadata: {env: dev}}')],
    ['an earlier rule with extra conditions', rateLimits('a-prod | {models: [m/a], metadata: {env: prod}}', 'a | {models: [m/a]}')],
    ['an empty list hides nothing', rateLimits('nobody | {subjects: []}', 'user-b | {subjects: [user:b]}')],
    ['the union of earlier rules leaves a gap', rateLimits('a1 | {subjects: [user:a], models: [m/1]}', 'b2 | {subjects: [user:b], models: [m/2]}', 'ab | {subjects: [user:a, user:b], models: [m/1, m/2]}')],
    ['guardrails: rule order has no documented meaning, so a catch-all first is fine', `name: guardrails
type: gateway-guardrails-config
rules:
  - id: everything
    when: {}
    llm_input_guardrails: [pii/redact]
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
  - id: gpt
    when: {target: {operator: or, conditions: {model: {values: [openai/gpt-4o]}}}}
    llm_input_guardrails: [moderation/strict]
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
`],
    ['schema-invalid rules are left alone', rateLimits('broken | [not, a, mapping]', 'odd | {subjects: user:b}', 'fine | {}')],
  ])('accepts %s', (_name, text) => {
    expect(lint('rule-shadowing', text).findings).toEqual([]);
  });

  it.each([
    ['a rule covered by one earlier rule', rateLimits('team-a | {subjects: [team:a], models: [m/1, m/2]}', 'team-a-m1 | {subjects: [team:a], models: [m/1], metadata: {env: prod}}'), [
      '9:5 error rule "team-a-m1" is unreachable: every request it matches (e.g. a request from team:a for "m/1" with metadata env=prod) is taken first by rule "team-a", so its limit never applies',
    ]],
    ['a rule covered by two earlier rules together', rateLimits('bot | {subjects: [virtualaccount:bot]}', 'etl | {subjects: [virtualaccount:etl]}', 'both | {subjects: [virtualaccount:etl, virtualaccount:bot]}'), [
      '13:5 error rule "both" is unreachable: every request it matches (e.g. a request from virtualaccount:etl) is taken first by rules "bot" and "etl", so its limit never applies',
    ]],
    ['a "*" wildcard covers every model', routing('all-models | {subjects: [team:a], models: ["*"]}', 'one-model | {subjects: [team:a], models: [m/1]}'), [
      '12:5 error rule "one-model" is unreachable: every request it matches (e.g. a request from team:a for "m/1") is taken first by rule "all-models", so its targets never receive traffic',
    ]],
    ['a catch-all that is not last', rateLimits('default | {}', 'team-a | {subjects: [team:a]}', 'user-b | {subjects: [user:b]}'), [
      '5:5 error rule "default" matches every request but is not last: the 2 rules after it can never match',
      '9:5 error rule "team-a" is unreachable: every request it matches (e.g. a request from team:a) is taken first by rule "default", so its limit never applies',
      '13:5 error rule "user-b" is unreachable: every request it matches (e.g. a request from user:b) is taken first by rule "default", so its limit never applies',
    ]],
    ['a rule counted per entity is still a catch-all: matching is by `when` alone', rateLimits('per-project | {} | rate_limit_applies_per: [metadata.project]', 'fallback | {}'), [
      '5:5 error rule "per-project" matches every request but is not last: the 1 rule after it can never match',
      '10:5 error rule "fallback" is unreachable: every request it matches (e.g. any request) is taken first by rule "per-project", so its limit never applies',
    ]],
    ['duplicate rule ids', routing('chat | {models: [m/1]}', 'chat | {models: [m/2]}'), [
      '10:9 error rule id "chat" is used again (first at rules[0])',
    ]],
    ['budgets: the first match decides allow/block', `name: budgets
type: gateway-budget-config
rules:
  - id: all-users
    when: {}
    limit_to: 100
    unit: cost_per_day
  - id: production
    when: {metadata: {environment: production}}
    limit_to: 200
    unit: cost_per_day
`, [
      '5:5 error rule "all-users" matches every request but is not last: the 1 rule after it can never match',
      '9:5 error rule "production" is unreachable: every request it matches (e.g. a request with metadata environment=production) is taken first by rule "all-users", so its limit never blocks a request (cost is still tracked against it)',
    ]],
    ['guardrails: duplicate ids', `name: guardrails
type: gateway-guardrails-config
rules:
  - id: pii
    when: {}
    llm_input_guardrails: [pii/redact]
    llm_output_guardrails: []
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
  - id: pii
    when: {}
    llm_input_guardrails: []
    llm_output_guardrails: [pii/redact]
    mcp_tool_pre_invoke_guardrails: []
    mcp_tool_post_invoke_guardrails: []
`, [
      '10:9 error rule id "pii" is used again (first at rules[0])',
    ]],
  ])('reports %s', (_name, text, expected) => {
    expect(lint('rule-shadowing', text).findings).toEqual(expected);
  });

  it('names the covering rules with related locations', () => {
    const run = lint('rule-shadowing', rateLimits('bot | {subjects: [virtualaccount:bot]}', 'etl | {subjects: [virtualaccount:etl]}', 'both | {subjects: [virtualaccount:etl, virtualaccount:bot]}'));
    expect(run.diagnostics[0].related?.map((r) => `${r.range.start.line}:${r.range.start.column} ${r.message}`)).toEqual([
      '4:5 "bot" takes part of the requests of "both"',
      '8:5 "etl" takes part of the requests of "both"',
    ]);
  });

  it('reports partial overlaps with a different outcome only when asked, as info', () => {
    const text = routing('team-a-gpt | {subjects: [team:a], models: [m/gpt]}', 'gpt-prod | {models: [m/gpt], metadata: {env: prod}}');
    expect(lint('rule-shadowing', text).findings).toEqual([]);
    expect(lint('rule-shadowing', text, ['error', { reportOverlaps: true }]).findings).toEqual([
      '12:5 info rule "gpt-prod" overlaps earlier rule "team-a-gpt" with a different outcome: a request from team:a for "m/gpt" with metadata env=prod is taken by "team-a-gpt", not by this rule',
    ]);
    // Same outcome: nothing changes for the shared requests.
    const same = routing('team-a-gpt | {subjects: [team:a], models: [m/gpt]} | acct/x', 'gpt-prod | {models: [m/gpt], metadata: {env: prod}} | acct/x');
    expect(lint('rule-shadowing', same, ['error', { reportOverlaps: true }]).findings).toEqual([]);
    // An exception before the general rule (the earlier rule inside the later one) is the intended order.
    const exceptionFirst = routing('team-a-gpt | {subjects: [team:a], models: [m/gpt]}', 'gpt | {models: [m/gpt, m/other]}', 'default | {}');
    expect(lint('rule-shadowing', exceptionFirst, ['error', { reportOverlaps: true }]).findings).toEqual([]);
  });

  it('never shows a credential-like metadata value in an example request', () => {
    const text = rateLimits('all | {}', 'keyed | {metadata: {api_key: sk-proj-abcdefghijklmnopqrstuvwxyz123456}}');
    const run = lint('rule-shadowing', text);
    expect(run.findings).toHaveLength(2);
    expect(JSON.stringify(run.diagnostics)).not.toContain('abcdefghijklmnop');
  });

  it('analyses an ordered list spanning several documents (as composition will pass it)', () => {
    const teams = parseSource({ path: 'teams.yaml', text: rateLimits('team-a | {subjects: [team:a]}') }).manifests[0];
    const defaults = parseSource({ path: 'defaults.yaml', text: rateLimits('team-a | {}', 'team-a-prod | {subjects: [team:a], metadata: {env: prod}}') }).manifests[0];
    const list: RuleEntry[] = [{ manifest: teams, index: 0 }, { manifest: defaults, index: 0 }, { manifest: defaults, index: 1 }];
    const findings = analyseRuleOrder(list).map((f) => {
      const where = `${f.rule.manifest.file}#${f.rule.index}`;
      if (f.kind === 'shadowed') return `${f.kind} ${where} by ${f.by.map((b) => `${b.rule.manifest.file}#${b.rule.index}`).join(',')}: ${describeRequest(f.example)}`;
      if (f.kind === 'duplicateId') return `${f.kind} ${where} first ${f.first.manifest.file}#${f.first.index}`;
      return `${f.kind} ${where}`;
    });
    expect(findings).toEqual([
      'duplicateId defaults.yaml#0 first teams.yaml#0',
      'shadowed defaults.yaml#1 by teams.yaml#0: a request from team:a with metadata env=prod',
      'catchAllNotLast defaults.yaml#0',
    ]);
  });
});

describe('rule-shadowing on a composed config', () => {
  const frag = (name: string, rules: string) => `type: gateway-rate-limiting-config\nname: ${name}\nrules:\n${rules}`;
  const rule = (id: string, when: string) => `  - id: ${id}\n    when: ${when}\n    limit_to: 1\n    unit: requests_per_minute\n`;
  const files = {
    'rl/a.yaml': frag('a', rule('alpha-all', '{subjects: [team:alpha]}') + rule('shared', '{subjects: [team:alpha-ops]}')),
    'rl/b.yaml': frag('b', rule('alpha-gpt', '{subjects: [team:alpha], models: [m/gpt]}') + rule('shared', '{subjects: [team:beta]}')),
  };
  const compose = [{ type: 'gateway-rate-limiting-config', name: 'tenant', from: ['rl/*.yaml'] }];
  it('a rule covered by a rule of an earlier fragment is reported in its own fragment, pointing at the other', () => {
    const run = lint('rule-shadowing', files, 'error', compose);
    expect(run.findings).toEqual([
      'rl/a.yaml:8:9 error rule id "shared" is also used in rl/b.yaml (rules[1]), a fragment of the same composed config',
      'rl/b.yaml:5:5 error rule "alpha-gpt" is unreachable: every request it matches (e.g. a request from team:alpha for "m/gpt") is taken first by rule "alpha-all", so its limit never applies',
      'rl/b.yaml:8:9 error rule id "shared" is also used in rl/a.yaml (rules[1]), a fragment of the same composed config',
    ]);
    const shadow = run.diagnostics.find((d) => d.message.includes('unreachable'));
    expect(shadow?.related?.map((r) => `${r.file}:${r.range.start.line}`)).toEqual(['rl/a.yaml:4']);
  });
  it('the other order (b before a) hides nothing; the same fragments without compose are separate lists', () => {
    expect(lint('rule-shadowing', files, 'error', [{ ...compose[0], from: ['rl/b.yaml', 'rl/a.yaml'] }]).findings.filter((f) => f.includes('unreachable'))).toEqual([]);
    expect(lint('rule-shadowing', files).findings).toEqual([]);
  });
});
