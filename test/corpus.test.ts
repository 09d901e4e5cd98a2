// The real-world corpus in ../shared: every file loads without a crash and gets the verdict the validation table
// predicts, or a better one documented here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/parse/yaml.ts';
import { loadSchemaSet, validateManifest } from '../src/validate/index.ts';
import { SHARED } from './helpers.ts';

const CORPUS = join(SHARED, 'corpus', 'real-world');
const TABLE = join(SHARED, 'corpus', 'real-world-validation.tsv');
const present = existsSync(TABLE);

type Verdict = 'VALID' | 'INVALID' | 'NO-SCHEMA' | 'YAML-ERROR';

/**
 * Where tfy-lint's verdict differs from the table's, and why tfy-lint's is the better one. The table validated
 * gateway configs with their top-level `name` removed and did not know the platform's wrong-type spellings.
 */
const BETTER: Record<string, { verdict: Verdict; why: string }> = {
  'budget-legacy-type-budget-config-gitops-sample.yaml': { verdict: 'INVALID', why: 'a known wrong type: tfy-lint names gateway-budget-config' },
  'data-access-config-gitops-sample.yaml': { verdict: 'INVALID', why: 'a known wrong type: tfy-lint names gateway-data-access-config' },
  'provider-account-google--skills-provider-manifests-3.yaml': { verdict: 'INVALID', why: 'a known wrong type: tfy-lint names google-vertex / google-gemini' },
  'provider-account-mistral--skills-provider-manifests-8.yaml': { verdict: 'INVALID', why: 'a known wrong type: tfy-lint names mistral-ai' },
  'agent-gitops-sample.yaml': { verdict: 'VALID', why: 'the agent type is known from the 2026-06 SDK (schemas/agent.schema.json), and this sample matches it' },
};

function tableRows(): { file: string; verdict: Verdict; paths: (string | number)[][] }[] {
  return readFileSync(TABLE, 'utf8').trim().split('\n').map((line) => {
    const [file, text] = line.split('\t');
    const body = text.replace(/^type=\S+: /, '');
    const verdict: Verdict = body.startsWith('VALID') ? 'VALID' : body.startsWith('INVALID') ? 'INVALID' : body.startsWith('NO-SCHEMA') ? 'NO-SCHEMA' : 'YAML-ERROR';
    const errors = verdict === 'INVALID' ? body.replace(/^.*?errors\): /, '').split(' | ') : [];
    // Each complete "path: message" entry names where the reference schema failed (the last may be cut short).
    const paths = errors.filter((e) => !e.endsWith('…') && /^[^ ]+: /.test(e)).map((e) => {
      const p = e.slice(0, e.indexOf(': '));
      const base = p === '<root>' ? [] : p.split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      return base;
    });
    return { file, verdict, paths };
  });
}

describe.runIf(present)('real-world corpus (../shared/corpus)', () => {
  const schemas = loadSchemaSet();
  const rows = present ? tableRows() : [];
  it('the table covers every corpus file', () => {
    expect(rows.map((r) => r.file).sort()).toEqual(readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort());
  });
  for (const row of rows) {
    it(`${row.file}: ${BETTER[row.file]?.verdict ?? row.verdict}`, () => {
      const text = readFileSync(join(CORPUS, row.file), 'utf8');
      const parsed = parseSource({ path: row.file, text });
      const diagnostics = [...parsed.diagnostics, ...parsed.manifests.flatMap((m) => validateManifest(m, schemas))];
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const typeErrors = errors.filter((d) => d.path.length === 1 && d.path[0] === 'type' && /unknown manifest type/.test(d.message));
      const ours: Verdict = errors.some((d) => d.ruleId === 'yaml-syntax') ? 'YAML-ERROR'
        : typeErrors.length ? 'NO-SCHEMA' : errors.length ? 'INVALID' : 'VALID';
      expect(ours).toBe(BETTER[row.file]?.verdict ?? row.verdict);
      // Every place the reference schema failed is reported (at that path or below it; envelopes under manifest).
      const envelope = errors.some((d) => d.path[0] === 'manifest' && d.path.length === 1);
      for (const p of row.paths) {
        const want = envelope ? ['manifest', ...p] : p;
        expect(errors.some((d) => want.every((seg, i) => d.path[i] === seg)), `an error at ${want.join('/') || '<root>'}`).toBe(true);
      }
    });
  }
});

if (!present) console.warn(`real-world corpus tests skipped: ${TABLE} is not beside this checkout`);
