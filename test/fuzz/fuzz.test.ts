// Property-based fuzzing (fast-check): mutated and generated YAML through check, plan and build, and random desired/live
// pairs through the planner. Each case runs in a worker with a time budget, so a hang is a finding, not a stuck run.
// In the normal suite each property runs a few dozen cases with a fixed seed; `npm run fuzz` runs a long campaign
// (TFY_FUZZ_RUNS, TFY_FUZZ_SEED), saves every failing case under fixtures/fuzz/seeds/ and prints what it found.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseTexts, pipelineCase, planCase, planDocuments, type BaseText } from './cases.ts';
import { FuzzRunner, loadSeeds, saveSeed } from './runner.ts';
import type { FuzzCase } from './target.ts';

const CAMPAIGN = process.env.TFY_FUZZ_CAMPAIGN === '1';
const SEED = Number(process.env.TFY_FUZZ_SEED ?? (CAMPAIGN ? Date.now() % 2 ** 31 : 13));
const RUNS = process.env.TFY_FUZZ_RUNS ? Number(process.env.TFY_FUZZ_RUNS) : undefined;

let runner: FuzzRunner;
let bases: BaseText[];

beforeAll(() => {
  runner = new FuzzRunner();
  bases = baseTexts();
});
afterAll(() => runner.close());

/** Runs `runs` cases drawn with the seed; returns the failures (saved to the seed corpus in a campaign). */
async function campaign(name: string, arb: fc.Arbitrary<FuzzCase>, runs: number): Promise<string[]> {
  const failures: string[] = [];
  const cases = fc.sample(arb, { numRuns: runs, seed: SEED });
  const times: number[] = [];
  for (const [i, c] of cases.entries()) {
    const outcome = await runner.run(c);
    times.push(outcome.ms);
    if (outcome.problems.length === 0) continue;
    const saved = CAMPAIGN ? ` (saved as fixtures/fuzz/seeds/${saveSeed(c, outcome.problems)})` : '';
    failures.push(`${name} case ${i} of seed ${SEED}${saved}:\n  ${outcome.problems.join('\n  ')}\n  case: ${JSON.stringify(c).slice(0, 2000)}`);
  }
  if (CAMPAIGN) {
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    process.stdout.write(`fuzz ${name}: ${runs} cases, seed ${SEED}, ${failures.length} failing; per case median ${at(0.5)} ms, p99 ${at(0.99)} ms, slowest ${sorted[sorted.length - 1]} ms\n${failures.join('\n')}\n`);
  }
  return failures;
}

describe('fuzz', () => {
  it('the base corpus is there: fixtures, the benchmark corpus and the real-world corpus', () => {
    expect(bases.filter((b) => b.origin.startsWith('fixtures/')).length).toBeGreaterThan(20);
    expect(bases.filter((b) => b.origin.startsWith('bench/')).length).toBeGreaterThan(20);
  });

  it('check, plan and build on mutated and generated YAML: no crash, no hang, positions inside the file, no planted secret printed', async () => {
    expect(await campaign('pipeline', pipelineCase(bases), RUNS ?? 16)).toEqual([]);
  });

  it('the planner on random desired/live pairs: plan(x, x) empty, the changes give the desired state, nothing outside the project\'s types', async () => {
    const pool = planDocuments(bases);
    expect(pool.length).toBeGreaterThan(50);
    expect(await campaign('planner', planCase(pool), RUNS ?? 120)).toEqual([]);
  });

  it('every saved failure (fixtures/fuzz/seeds/) now passes', async () => {
    const seeds = loadSeeds();
    const failing: string[] = [];
    for (const s of seeds) {
      const outcome = await runner.run(s.case);
      if (outcome.problems.length) failing.push(`${s.name}: ${outcome.problems.join('; ')}`);
    }
    expect(failing).toEqual([]);
  });
});
