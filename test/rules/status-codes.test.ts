import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

/** A virtual model with one target whose retry and fallback lists are given as YAML flow sequences. */
const vm = (onStatus: string, fallback = '["429", "503"]') => `name: chat-models
type: provider-account/virtual-model
integrations:
  - name: chat
    type: integration/model/virtual
    routing_config:
      type: priority-based-routing
      load_balance_targets:
        - target: openai-main/gpt-4o
          retry_config:
            attempts: 2
            on_status_codes: ${onStatus}
          fallback_status_codes: ${fallback}
`;

describe('status-codes', () => {
  it.each([
    ['["429", "500", "502", "503"]', undefined],
    ['["408", "429", "504"]', '["400", "401", "403", "404", "408", "429", "500", "502", "503", "504"]'],
    ['[]', '[]'],
  ])('accepts on_status_codes %s', (on, fallback) => {
    expect(lint('status-codes', vm(on, fallback)).findings).toEqual([]);
  });

  it.each([
    ['"5xx" (a class, not a code)', vm('["5xx"]'), [
      '12:31 error status code "5xx" in retry_config.on_status_codes is a class, not a code; list the codes themselves, e.g. "500", "502", "503", "504"',
    ]],
    ['"4290" and "99" (not 3-digit codes in range)', vm('["4290", "099", "abc"]'), [
      '12:31 error status code "4290" in retry_config.on_status_codes is not an HTTP status code (three digits, 100-599)',
      '12:39 error status code "099" in retry_config.on_status_codes is not an HTTP status code (three digits, 100-599)',
      '12:46 error status code "abc" in retry_config.on_status_codes is not an HTTP status code (three digits, 100-599)',
    ]],
    ['a number out of range (lint-level, beyond the schema\'s type error)', vm('[4290]'), [
      '12:31 error status code "4290" in retry_config.on_status_codes is not an HTTP status code (three digits, 100-599)',
    ]],
    ['a valid code as a number (the schema reports it too; fixable)', vm('[429]'), [
      '12:31 error status code 429 in retry_config.on_status_codes is a number; write it as a string: "429"',
    ]],
    ['retrying on a client error', vm('["401", "429"]'), [
      '12:31 warning retrying on "401" (Unauthorized) repeats a request the provider has already refused; a retry only helps for 408 and 429',
    ]],
    ['a success status', vm('["503"]', '["200", "503"]'), [
      '13:35 warning status code "200" in fallback_status_codes is not an error status, so no failed request carries it',
    ]],
    ['a duplicate code', vm('["503", "503"]'), [
      '12:38 warning status code "503" is listed twice in retry_config.on_status_codes',
    ]],
    ['spaces around a code', vm('[" 503"]'), [
      '12:31 error status code " 503" in retry_config.on_status_codes has spaces around it; write "503"',
    ]],
  ])('reports %s', (_name, text, expected) => {
    expect(lint('status-codes', text).findings).toEqual(expected);
  });

  it('quotes numbers and trims spaces with --fix', () => {
    const { fixed } = lint('status-codes', vm('[429, " 503"]'));
    expect(fixed['example.yaml']).toBe(vm('["429", "503"]'));
  });

  it('checks load-balancing configs, custom endpoints and the global retry settings too', () => {
    const files = {
      'lb.yaml': `name: routing
type: gateway-load-balancing-config
rules:
  - id: chat
    type: latency-based-routing
    when: {models: [chat]}
    load_balance_targets:
      - target: openai-main/gpt-4o
        fallback_status_codes: ["50x"]
`,
      'endpoints.yaml': `name: speech
type: provider-account/custom-endpoint
routing_type: priority
integrations:
  - type: integration/model/custom-endpoint
    name: primary
    base_url: https://speech.example.com
    loadbalancing_config:
      priority: 0
      fallback_status_codes: ["5XX"]
`,
      'settings.yaml': `type: gateway-global-settings
retry_settings:
  attempts: 2
  on_status_codes: ["404"]
`,
    };
    expect(lint('status-codes', files).findings).toEqual([
      'endpoints.yaml:10:31 error status code "5XX" in fallback_status_codes is a class, not a code; list the codes themselves, e.g. "500", "502", "503", "504"',
      'lb.yaml:9:33 error status code "50x" in fallback_status_codes is not an HTTP status code (three digits, 100-599)',
      'settings.yaml:4:21 warning retrying on "404" (Not Found) repeats a request the provider has already refused; a retry only helps for 408 and 429',
    ]);
  });
});
