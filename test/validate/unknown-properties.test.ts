// Unknown properties in many list items: each finding names its own key and the allowed key closest to it, also
// when the same schema refuses many keys (what the schema allows is worked out once per schema and reused).
import { describe, expect, it } from 'vitest';
import { loadSchemaSet, validateManifest } from '../../src/validate/index.ts';
import { parseText } from '../helpers.ts';

const schemas = loadSchemaSet();
function messages(text: string): string[] {
  const { manifests, diagnostics } = parseText(text);
  expect(diagnostics).toEqual([]);
  return manifests.flatMap((m) => validateManifest(m, schemas)).map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message} | ${d.hint}`);
}

const account = (integrations: string[]) => [
  'type: provider-account/openai', 'name: acct', 'auth_data:', '  type: api-key', '  api_key: tfy-secret://acme:llm-keys:K', 'integrations:',
  ...integrations.flatMap((extra, i) => ['  - type: integration/model/openai', `    name: m${i}`, `    model_id: gpt-${i}`, '    model_types: [chat]', `    ${extra}: x`]),
].join('\n');

describe('unknown properties', () => {
  it('suggest, item after item, the allowed key closest to each misspelling', () => {
    const keys = ['model_type', 'colour', 'model_type', 'modle_id', 'colour', 'names', 'model_type'];
    const found = messages(account(keys));
    const allowed = 'Allowed here: type, name, model_id, model_types, cost, authorized_subjects.';
    const near: Record<string, string> = { model_type: ' (did you mean "model_types"?)', modle_id: ' (did you mean "model_id"?)', names: ' (did you mean "name"?)', colour: '' };
    expect(found).toEqual(keys.map((k, i) => `${11 + 5 * i}:5 unknown property "${k}" in integrations[${i}] (integration/model/openai)${near[k]} | ${allowed}`));
  });
  it('suggest from the schema that refused the key', () => {
    const found = messages(`${account(['model_typ'])}\ncollaborators: [{subject: "team:a", role_id: provider-account-manager, role: x}]\nmodel_typ: 1\n`);
    expect(found.map((m) => m.split(' | ')[0]).sort()).toEqual([
      '11:5 unknown property "model_typ" in integrations[0] (integration/model/openai) (did you mean "model_types"?)',
      '12:72 unknown property "role" in collaborators[0] (did you mean "role_id"?)',
      '13:1 unknown property "model_typ" (provider-account/openai)',
    ]);
  });
});
