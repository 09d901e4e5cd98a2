// Writes a repository whose check yields exactly `rules * 2` schema findings: gateway rate-limit rules, each with an
// unknown property (`colour`, at its key) and a unit the schema does not allow (at its value). Shared by
// scripts/bench-findings.mjs and the test that checks every one of those findings is reported at its place.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the repository into `dir`; returns the expected findings as "file line:column ruleId" strings. */
export function writeFindingsRepo(dir, { files, rulesPerFile }) {
  mkdirSync(dir, { recursive: true });
  const expected = [];
  const from = [];
  for (let f = 0; f < files; f++) {
    const name = `limits-${String(f).padStart(3, '0')}.yaml`;
    from.push(name);
    const lines = ['type: gateway-rate-limiting-config', `name: limits-${f}`, 'rules:'];
    for (let i = 0; i < rulesPerFile; i++) {
      const first = lines.length + 1;
      lines.push(`  - id: rule-${f}-${i}`, `    when: {metadata: {tenant: t-${f}-${i}}}`, '    limit_to: 10', '    unit: per_fortnight', '    colour: blue');
      expected.push(`${name} ${first + 3}:11 schema`, `${name} ${first + 4}:5 schema`);
    }
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  }
  // One composed config from every file (the platform has one rate-limiting config per tenant).
  writeFileSync(join(dir, 'tfy-lint.config.yaml'), `compose:\n  - type: gateway-rate-limiting-config\n    name: all-limits\n    from: ["limits-*.yaml"]\n`);
  return expected.sort();
}
