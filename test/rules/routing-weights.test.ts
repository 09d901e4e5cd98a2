import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

/** A virtual model with one routing config; targets are YAML flow mappings, one per line. */
const vm = (strategy: string, ...targets: string[]) => `name: chat-models
type: provider-account/virtual-model
integrations:
  - name: chat
    type: integration/model/virtual
    routing_config:
      type: ${strategy}
      load_balance_targets:
${targets.map((t) => `        - ${t}\n`).join('')}`;

const lb = (strategy: string, extra: string, ...targets: string[]) => `name: routing
type: gateway-load-balancing-config
rules:
  - id: chat
    type: ${strategy}
    when: {models: [chat]}
${extra}    load_balance_targets:
${targets.map((t) => `      - ${t}\n`).join('')}`;

describe('routing-weights', () => {
  it.each([
    ['weights adding up to 100', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 70}', '{target: azure-main/gpt-4o, weight: 30}')],
    ['a single target at 100', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 100}')],
    ['distinct priorities', vm('priority-based-routing', '{target: openai-main/gpt-4o, priority: 0}', '{target: azure-main/gpt-4o, priority: 1, sla_cutoff: {time_per_output_token_ms: 50}}')],
    ['latency-based targets without weights', vm('latency-based-routing', '{target: openai-main/gpt-4o}', '{target: azure-main/gpt-4o}')],
    ['sticky routing on weight-based routing', lb('weight-based-routing', '    sticky_routing: {ttl_seconds: 3600, session_identifiers: [{source: headers, key: x-user-id}]}\n', '{target: openai-main/gpt-4o, weight: 50}', '{target: azure-main/gpt-4o, weight: 50}')],
    ['custom endpoints whose weights add up to 100', `name: speech
type: provider-account/custom-endpoint
routing_type: weight
integrations:
  - {type: integration/model/custom-endpoint, name: east, base_url: https://east.example.com, loadbalancing_config: {weight: 60}}
  - {type: integration/model/custom-endpoint, name: west, base_url: https://west.example.com, loadbalancing_config: {weight: 40}}
`],
  ])('accepts %s', (_name, text) => {
    expect(lint('routing-weights', text).findings).toEqual([]);
  });

  it.each([
    ['weights that do not add up to 100', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 50}', '{target: azure-main/gpt-4o, weight: 40}'), [
      '8:7 error weights of virtual model "chat" add up to 90, not 100: "openai-main/gpt-4o" 50 (55.6%), "azure-main/gpt-4o" 40 (44.4%)',
    ]],
    ['a weight above 100', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 150}', '{target: azure-main/gpt-4o, weight: 0}'), [
      '8:7 error weights of virtual model "chat" add up to 150, not 100: "openai-main/gpt-4o" 150 (100%), "azure-main/gpt-4o" 0 (0%)',
      '9:48 error weight 150 of target "openai-main/gpt-4o" is outside 0-100',
    ]],
    ['a missing weight (the schema reports it too)', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 100}', '{target: azure-main/gpt-4o}'), [
      '10:12 error target "azure-main/gpt-4o" of virtual model "chat" has no weight; with weight-based routing every target needs one',
    ]],
    ['a target listed twice', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 50}', '{target: openai-main/gpt-4o, weight: 50}'), [
      '10:20 error target "openai-main/gpt-4o" is listed twice in virtual model "chat" (first at load_balance_targets[0])',
    ]],
    ['a target listed twice with different parameters', vm('weight-based-routing', '{target: openai-main/gpt-4o, weight: 50}', '{target: openai-main/gpt-4o, weight: 50, override_params: {temperature: 0}}'), [
      '10:20 warning target "openai-main/gpt-4o" is listed twice in virtual model "chat" (first at load_balance_targets[0]), with different settings',
    ]],
    ['two targets with one priority', vm('priority-based-routing', '{target: openai-main/gpt-4o, priority: 0}', '{target: azure-main/gpt-4o, priority: 0}'), [
      '10:49 warning "openai-main/gpt-4o" and "azure-main/gpt-4o" of virtual model "chat" have the same priority 0',
    ]],
    ['two targets with the default priority', vm('priority-based-routing', '{target: openai-main/gpt-4o}', '{target: azure-main/gpt-4o}'), [
      '10:11 warning "openai-main/gpt-4o" and "azure-main/gpt-4o" of virtual model "chat" have the same priority 0 (the default)',
    ]],
    ['fields of another strategy (the schema reports these too)', lb('latency-based-routing', '    sticky_routing: {ttl_seconds: 3600, session_identifiers: []}\n', '{target: openai-main/gpt-4o, weight: 50, sla_cutoff: {time_per_output_token_ms: 50}}'), [
      '7:5 error sticky_routing on rule "chat" has no effect with latency-based-routing; only weight-based routing keeps sessions on a target',
      '9:38 error weight on target "openai-main/gpt-4o" has no effect with latency-based-routing',
      '9:50 error sla_cutoff on target "openai-main/gpt-4o" has no effect with latency-based-routing; only priority-based routing uses it',
    ]],
    ['a sticky TTL out of range and a negative priority (the schema reports these too)', `${lb('weight-based-routing', '    sticky_routing: {ttl_seconds: 60, session_identifiers: []}\n', '{target: openai-main/gpt-4o, weight: 100}')}${vm('priority-based-routing', '{target: azure-main/gpt-4o, priority: -1}').replace(/^/, '---\n')}`, [
      '7:35 error sticky_routing.ttl_seconds is 60; it must be between 1800 (30 minutes) and 86400 (one day)',
      '19:49 error priority -1 of target "azure-main/gpt-4o" is negative; priorities start at 0 (tried first)',
    ]],
    ['custom endpoints whose weights do not add up', `name: speech
type: provider-account/custom-endpoint
routing_type: weight
integrations:
  - {type: integration/model/custom-endpoint, name: east, base_url: https://east.example.com, loadbalancing_config: {weight: 60}}
  - {type: integration/model/custom-endpoint, name: west, base_url: https://west.example.com, loadbalancing_config: {weight: 60}}
`, [
      '4:1 error weights of the endpoints of "speech" add up to 120, not 100: "east" 60 (50%), "west" 60 (50%)',
    ]],
  ])('reports %s', (_name, text, expected) => {
    expect(lint('routing-weights', text).findings).toEqual(expected);
  });
});
