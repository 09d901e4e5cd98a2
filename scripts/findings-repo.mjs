// Writes a repository whose check yields exactly `files * modelsPerFile * 2` schema findings: OpenAI provider
// accounts whose model integrations each carry an unknown property (`colour`, reported at its key) and a model type
// the platform does not know (reported at its value). Shared by scripts/bench-findings.mjs and the test that checks
// every one of those findings is reported at its place.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the repository into `dir`; returns the expected findings as sorted "file line:column ruleId" strings. */
export function writeFindingsRepo(dir, { files, modelsPerFile }) {
  mkdirSync(dir, { recursive: true });
  const expected = [];
  for (let f = 0; f < files; f++) {
    const name = `openai-${String(f).padStart(3, '0')}.yaml`;
    const lines = [
      'type: provider-account/openai', `name: openai-${f}`,
      'auth_data: {type: api-key, api_key: "tfy-secret://acme:llm-keys:openai"}',
      'collaborators: [{subject: "team:platform", role_id: provider-account-manager}]',
      'integrations:',
    ];
    for (let i = 0; i < modelsPerFile; i++) {
      const first = lines.length + 1;
      lines.push(`  - type: integration/model/openai`, `    name: model-${i}`, `    model_id: model-${i}`, '    model_types: [chatty]', '    colour: blue');
      expected.push(`${name} ${first + 3}:19 schema`, `${name} ${first + 4}:5 schema`);
    }
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  }
  return expected.sort();
}
