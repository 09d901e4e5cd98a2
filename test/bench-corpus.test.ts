// The benchmark corpus (../shared/bench/gen-corpus.mjs) with its compose config: check finds every planted defect,
// by the rule meant for it, and nothing else but findings the generator's own reference lint cannot see.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, DEFAULT_MAX_FILE_SIZE, type PipelineResult } from '../src/project/pipeline.ts';
import { REPO, SHARED } from './helpers.ts';

const GENERATOR = join(SHARED, 'bench', 'gen-corpus.mjs');
const present = existsSync(GENERATOR);

interface Planted { file: string; doc: number; kind: string; schema_level: boolean; path: (string | number)[]; shadowed_by?: { file: string; id: string } }

/** The rules a planted defect must be found by (schema-level ones by the schema). */
const RULE_OF_KIND: Record<string, string[]> = {
  'raw-secret': ['no-raw-secrets'],
  'unknown-field': ['schema'],
  'bad-name': ['schema'],
  'trailing-slash-url': ['schema'],
  'missing-target': ['target-exists'],
  'weights-not-100': ['routing-weights'],
  'rule-shadowed': ['rule-shadowing'],
  'bad-status-code': ['schema', 'status-codes'],
};

describe.runIf(present)('the benchmark corpus, composed as its tfy-lint.config.yaml says', () => {
  let dir: string;
  let result: PipelineResult;
  let planted: Planted[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfy-bench-corpus-'));
    execFileSync(process.execPath, [GENERATOR, join(dir, 'c'), '--files', '1000', '--seed', '1'], { cwd: REPO, stdio: 'ignore' });
    planted = JSON.parse(readFileSync(join(dir, 'c', '.corpus-manifest.json'), 'utf8')).planted_defects;
    result = runPipeline({ cwd: dir, paths: ['c'], maxFileSize: DEFAULT_MAX_FILE_SIZE });
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const at = (p: { file: string; doc: number }) => `${p.file}#${p.doc}`;

  it('composes each gateway type into one config, with no finding about the composition', () => {
    expect(result.diagnostics.filter((d) => d.ruleId === 'compose' || d.ruleId === 'unique-names')).toEqual([]);
    expect(result.project.composition.configs.map((c) => c.entry.name).sort()).toEqual(['tenant-budgets', 'tenant-load-balancing', 'tenant-rate-limits']);
  });

  it('finds every planted defect, by its rule, in its document', () => {
    expect(planted.length).toBeGreaterThan(20);
    for (const p of planted) {
      const found = result.diagnostics.filter((d) => at({ file: d.file, doc: d.docIndex }) === at(p));
      expect(found.map((d) => d.ruleId).filter((r) => RULE_OF_KIND[p.kind].includes(r)), `${p.kind} in ${at(p)}`).not.toEqual([]);
    }
  });

  it('reports a planted shadowed rule in its fragment, with the covering rule in the fragment that holds it', () => {
    const shadowed = planted.filter((p) => p.kind === 'rule-shadowed');
    expect(shadowed.length).toBeGreaterThan(0);
    for (const p of shadowed) {
      const d = result.diagnostics.find((x) => x.ruleId === 'rule-shadowing' && x.file === p.file && x.docIndex === p.doc);
      expect(d?.related?.map((r) => r.file), at(p)).toContain(p.shadowed_by?.file);
    }
  });

  it('reports nothing else but deprecated types and rules that several earlier rules cover together', () => {
    const defective = new Set(planted.map(at));
    const others = result.diagnostics.filter((d) => !defective.has(at({ file: d.file, doc: d.docIndex })));
    for (const d of others) {
      if (d.ruleId === 'deprecated') {
        expect(d.severity).toBe('info');
        continue;
      }
      // The generator's reference lint compares a rule with each earlier rule alone; a rule whose requests are split
      // between two earlier rules (subjects [a, b] after a rule for a and one for b) is unreachable all the same.
      expect(d.ruleId, d.message).toBe('rule-shadowing');
      expect(d.message).toMatch(/is taken first by rules "[^"]+"(, "[^"]+")* and "[^"]+"/);
      expect(d.related?.length).toBeGreaterThanOrEqual(2);
    }
  });
});

if (!present) console.warn(`benchmark corpus tests skipped: ${GENERATOR} is not beside this checkout`);
