import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_TYPES_BY_ACCOUNT } from '../../src/core/generated/integration-types.ts';
import { accountTypesFor, integrationTypesOf, isAddressedAccountType } from '../../src/project/integration-types.ts';
import { runCli } from '../helpers.ts';
import { lint } from './harness.ts';

const account = (accountType: string, integrationType: string) => `type: ${accountType}
name: main
integrations:
  - type: ${integrationType}
    name: m
    model_id: m
`;

describe('integration-type-match', () => {
  it.each([
    ['provider-account/aws-bedrock', 'integration/model/bedrock'],
    ['provider-account/google-vertex', 'integration/model/vertex'],
    ['provider-account/google-gemini', 'integration/model/gemini'],
    ['provider-account/azure-openai', 'integration/model/azure-openai'],
    ['provider-account/mistral-ai', 'integration/model/mistral-ai'],
    ['provider-account/virtual-model', 'integration/model/virtual'],
    ['provider-account/guardrail-config-group', 'integration/guardrail-config/tfy-pii'],
    ['provider-account/mcp-server-group', 'integration/mcp-server/remote'],
    ['provider-account/custom-endpoint', 'integration/model/custom-endpoint'],
    // Misspelt or retired types: the schema's own error (with its "did you mean") covers them.
    ['provider-account/aws-bedrock', 'integration/model/aws-bedrock'],
    ['provider-account/groq', 'integration/model/grok'],
    ['provider-account/custom', 'integration/model/custom'],
    // An account type tfy-lint has no schema for: the schema reports the account's type.
    ['provider-account/google', 'integration/model/vertex'],
  ])('accepts %s with %s (or leaves it to the schema)', (accountType, integrationType) => {
    expect(lint('integration-type-match', account(accountType, integrationType)).findings).toEqual([]);
  });

  it.each([
    ['provider-account/groq', 'integration/model/openai',
      '4:11 error "integration/model/openai" is an integration of provider-account/openai, not of provider-account/groq; move this entry to a provider-account/openai account, or change its type to "integration/model/groq"'],
    ['provider-account/google-vertex', 'integration/model/gemini',
      '4:11 error "integration/model/gemini" is an integration of provider-account/google-gemini, not of provider-account/google-vertex; move this entry to a provider-account/google-gemini account, or change its type to "integration/model/vertex"'],
    ['provider-account/virtual-model', 'integration/model/openai',
      '4:11 error "integration/model/openai" is an integration of provider-account/openai, not of provider-account/virtual-model; move this entry to a provider-account/openai account, or change its type to "integration/model/virtual"'],
    ['provider-account/guardrail-config-group', 'integration/mcp-server/remote',
      '4:11 error "integration/mcp-server/remote" is an integration of provider-account/mcp-server-group, not of provider-account/guardrail-config-group; move this entry to a provider-account/mcp-server-group account'],
    ['provider-account/openai', 'integration/guardrail-config/openai-moderations',
      '4:11 error "integration/guardrail-config/openai-moderations" is an integration of provider-account/guardrail-config-group, not of provider-account/openai; move this entry to a provider-account/guardrail-config-group account, or change its type to "integration/model/openai"'],
  ])('reports %s holding %s', (accountType, integrationType, expected) => {
    expect(lint('integration-type-match', account(accountType, integrationType)).findings).toEqual([expected]);
  });

  it('points at an account of the right provider when the repository has one', () => {
    const run = lint('integration-type-match', {
      'providers/groq.yaml': account('provider-account/groq', 'integration/model/openai'),
      'providers/openai.yaml': account('provider-account/openai', 'integration/model/openai').replace('name: main', 'name: openai-main'),
    });
    expect(run.findings).toHaveLength(1);
    expect(run.diagnostics[0].related).toEqual([{
      file: 'providers/openai.yaml', range: expect.objectContaining({ start: { line: 1, column: 1 } }),
      message: 'provider-account/openai account "openai-main" is defined here',
    }]);
  });

  it('under check, one finding stands at the place the schema also rejects: the schema\'s', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tfy-type-match-'));
    writeFileSync(join(root, 'groq.yaml'), `type: provider-account/groq
name: groq-main
auth_data: {type: api-key, api_key: "tfy-secret://acme:llm:groq"}
collaborators: [{subject: "team:platform", role_id: provider-account-manager}]
integrations:
  - type: integration/model/openai
    name: gpt-4o
    model_id: gpt-4o
`);
    writeFileSync(join(root, 'tfy-lint.config.yaml'), 'extends: []\nrules:\n  integration-type-match: error\n');
    const out = JSON.parse((await runCli(['check', '--format', 'json'], root)).stdout).diagnostics as { ruleId: string; file: string; line: number }[];
    expect(out.map((d) => `${d.file}:${d.line} ${d.ruleId}`)).toEqual(['groq.yaml:6 schema']);
  });

  it('checks every entry and survives schema-invalid shapes', () => {
    const text = `type: provider-account/anthropic
name: main
integrations:
  - type: integration/model/anthropic
    name: claude
  - null
  - type: 42
  - name: no-type
  - type: integration/model/bedrock
    name: claude-on-bedrock
`;
    expect(lint('integration-type-match', text).findings).toEqual([
      '9:11 error "integration/model/bedrock" is an integration of provider-account/aws-bedrock, not of provider-account/anthropic; move this entry to a provider-account/aws-bedrock account, or change its type to "integration/model/anthropic"',
    ]);
    expect(lint('integration-type-match', 'type: provider-account/openai\nname: x\nintegrations: {}\n').findings).toEqual([]);
  });
});

describe('the provider-account -> integration type map', () => {
  it('is derived from the schemas (node scripts/gen-integration-types.mjs)', async () => {
    // @ts-expect-error: a plain ESM script without type declarations
    const { generate } = await import('../../scripts/gen-integration-types.mjs');
    const { readFileSync } = await import('node:fs');
    const current = readFileSync(new URL('../../src/core/generated/integration-types.ts', import.meta.url), 'utf8');
    expect(current).toBe((generate as () => string)());
  });

  it('knows the pairs DOMAIN.md names, and which accounts are addressed as <account>/<integration>', () => {
    expect(integrationTypesOf('provider-account/aws-bedrock')).toEqual(['integration/model/bedrock']);
    expect(integrationTypesOf('provider-account/google-vertex')).toEqual(['integration/model/vertex']);
    expect(integrationTypesOf('provider-account/nvidia-nim')).toBeUndefined();
    expect(accountTypesFor('integration/model/gemini')).toEqual(['provider-account/google-gemini']);
    expect(accountTypesFor('integration/model/nope')).toEqual([]);
    expect(Object.keys(INTEGRATION_TYPES_BY_ACCOUNT).length).toBeGreaterThan(40);
    expect(isAddressedAccountType('provider-account/openai')).toBe(true);
    expect(isAddressedAccountType('provider-account/guardrail-config-group')).toBe(true);
    expect(isAddressedAccountType('provider-account/mcp-server-group')).toBe(true);
    expect(isAddressedAccountType('provider-account/aws')).toBe(false);
    expect(isAddressedAccountType('provider-account/slack')).toBe(false);
  });
});
