// Repositories with many findings, shared by scripts/bench-findings.mjs and the tests.
// writeFindingsRepo: a repository whose check yields exactly `files * modelsPerFile * 2` schema findings: OpenAI
// provider accounts whose model integrations each carry an unknown property (`colour`, reported at its key) and a
// model type the platform does not know (reported at its value); the test that checks every one of those findings is
// reported at its place uses it. writeMisspeltKeyRepo: the findings-heavy repository of the benchmarks.
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

/**
 * Writes the findings-heavy repository of `npm run bench` (and its clean twin): `files` OpenAI accounts with
 * `integrations` model integrations each; with `defect`, every integration spells `model_types` as `model_type` (an
 * unknown property: one schema finding per integration), so the only difference between the twins is those findings.
 */
export function writeMisspeltKeyRepo(dir, { files, integrations, defect }) {
  mkdirSync(join(dir, 'providers'), { recursive: true });
  for (let a = 0; a < files; a++) {
    const lines = ['type: provider-account/openai', `name: acct-${a}`, 'auth_data:', '  type: api-key', `  api_key: tfy-secret://acme:keys:K${a}`,
      'collaborators:', '  - subject: team:platform', '    role_id: provider-account-manager', 'integrations:'];
    for (let k = 0; k < integrations; k++) {
      lines.push('  - type: integration/model/openai', `    name: model-${k}`, `    model_id: gpt-${k}`, `    ${defect ? 'model_type' : 'model_types'}: [chat]`);
    }
    writeFileSync(join(dir, 'providers', `acct-${String(a).padStart(3, '0')}.yaml`), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(dir, 'tfy-lint.config.yaml'), 'ignore: []\n');
}
