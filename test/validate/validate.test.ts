import { describe, expect, it } from 'vitest';
import { loadSchemaSet, validateManifest } from '../../src/validate/index.ts';
import { parseText } from '../helpers.ts';

const schemas = loadSchemaSet();
function check(text: string): string[] {
  const { manifests, diagnostics } = parseText(text);
  expect(diagnostics).toEqual([]);
  return manifests.flatMap((m) => validateManifest(m, schemas)).map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`);
}

const groq = (extra = '') => `type: provider-account/groq\nname: groq-main\nauth_data:\n  type: api-key\n  api_key: tfy-secret://acme:keys:GROQ\nintegrations: []\n${extra}`;

describe('validateManifest', () => {
  it.each([
    ['a valid account', groq(), []],
    ['an unknown top-level key, with the closest allowed key', groq('colaborators: []\n'), ['7:1 unknown property "colaborators" (provider-account/groq) (did you mean "collaborators"?)']],
    ['a missing required property at the key of its object', 'type: provider-account/groq\nname: groq-main\nintegrations: []\n', ['1:1 missing required property "auth_data" (provider-account/groq)']],
    ['a wrong enum with suggestions', 'type: provider-account/groq\nname: groq-main\nauth_data: {type: apikey, api_key: x}\nintegrations: []\n', ['3:19 "type" is "apikey", which is not allowed; expected "api-key" (did you mean "api-key"?)']],
    ['a pattern explained in words', groq().replace('name: groq-main', 'name: 9groq'), ['2:7 "name" is "9groq", which is not 3 to 32 characters: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit']],
    ['a type error with the value', 'type: gateway-rate-limiting-config\nname: rl\nrules:\n  - id: r1\n    when: {}\n    limit_to: 1.5\n    unit: requests_per_minute\n', ['6:15 "limit_to" must be a whole number, not a number (1.5)']],
    ['a list where a mapping belongs, at its key', 'type: gateway-rate-limiting-config\nname: rl\nrules:\n  - id: r1\n    when: []\n    limit_to: 1\n    unit: requests_per_minute\n', ['5:5 "when" must be a mapping, not a list']],
    ['the gateway config name the platform requires', 'type: gateway-budget-config\nrules: []\n', ['1:1 missing required property "name"']],
    ['one error for an integration of the wrong type, not a cascade', 'type: provider-account/aws-bedrock\nname: bedrock-main\nregion: us-east-1\nintegrations:\n  - type: integration/model/aws-bedrock\n    name: c\n    modelId: x\n',
      ['5:11 "integration/model/aws-bedrock" is not a type the platform accepts; use "integration/model/bedrock"']],
    ['a discriminated union checks only the chosen branch', 'type: provider-account/aws-bedrock\nname: bedrock-main\nregion: us-east-1\nauth_data:\n  type: assumed-role-based\n  access_key_id: x\nintegrations: []\n',
      ['4:1 missing required property "assumed_role_arn" in auth_data (assumed-role-based)', '6:3 unknown property "access_key_id" in auth_data (assumed-role-based)']],
    ['an unknown union member', 'type: provider-account/aws-bedrock\nname: bedrock-main\nregion: us-east-1\nauth_data: {type: irsa}\nintegrations: []\n',
      ['4:19 "type" is "irsa", which is not allowed; expected one of "access-key-based", "assumed-role-based" or "api-key"']],
    ['numbers where strings belong get a quoting hint', 'type: provider-account/virtual-model\nname: vm-chat\nintegrations:\n  - type: integration/model/virtual\n    name: model\n    routing_config:\n      type: priority-based-routing\n      load_balance_targets:\n        - target: a/b\n          fallback_status_codes: [429]\n',
      ['10:35 integrations[0].routing_config.load_balance_targets[0].fallback_status_codes[0] must be a string, not a whole number (429)']],
    ['a document without type', 'name: x\n', ['1:1 missing required property "type": tfy-lint cannot tell which manifest this is']],
    ['an unknown type with suggestions', 'type: provider-account/openia\n', ['1:7 unknown manifest type "provider-account/openia" (did you mean "provider-account/openai"?)']],
    ['a known wrong type with the right one', 'type: provider-account/nvidia-nim\n', ['1:7 "provider-account/nvidia-nim" is not a type the platform accepts; use "provider-account/self-hosted-model"']],
    ['a list document', '- a\n', ['1:1 a manifest must be a mapping with a "type" key, but this document is a list']],
    ['an API response envelope', 'id: "1"\ntenantName: acme\ntype: gateway-rate-limiting-config\nmanifest:\n  type: gateway-rate-limiting-config\n  name: rl\n  rules: []\n',
      ['4:1 this document is an API response (the platform\'s record of a resource), not a manifest: a manifest file holds only what is under "manifest"']],
  ])('%s', (_name, text, expected) => {
    expect(check(text)).toEqual(expected);
  });

  it('never shows the value of a credential field in a message', () => {
    const raw = 'gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';
    const text = `type: provider-account/groq\nname: groq-main\nauth_data:\n  type: api-key\n  api_key: "${raw} "\nintegrations: []\n`;
    const out = check(text);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('"api_key" is "gsk_…EFGH"');
    expect(out.join('\n')).not.toContain(raw);
  });

  it('gives every diagnostic the document, path and a hint where it helps', () => {
    const { manifests } = parseText(`---\n${groq('extra: 1\n')}`, 'p/groq.yaml');
    const [d] = validateManifest(manifests[0], schemas);
    expect(d).toMatchObject({ ruleId: 'schema', severity: 'error', file: 'p/groq.yaml', docIndex: 0, path: ['extra'], hint: expect.stringContaining('Allowed here: type, name, auth_data') });
  });
});
