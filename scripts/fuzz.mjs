#!/usr/bin/env node
// Fuzz campaign: runs the fuzz properties of test/fuzz/ with many more cases than the normal suite, saves every failing
// case under fixtures/fuzz/seeds/ (replayed by the suite from then on) and prints what it found.
//
// usage: npm run fuzz [-- --runs N] [-- --seed S]      (or TFY_FUZZ_RUNS / TFY_FUZZ_SEED)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const runs = option('runs') ?? process.env.TFY_FUZZ_RUNS ?? '400';
const seed = option('seed') ?? process.env.TFY_FUZZ_SEED ?? String(Date.now() % 2 ** 31);
if (!/^\d+$/.test(runs) || !/^\d+$/.test(seed)) {
  process.stderr.write('fuzz: --runs and --seed take whole numbers\n');
  process.exit(2);
}
process.stdout.write(`fuzz campaign: ${runs} cases per property, seed ${seed} (repeat with: npm run fuzz -- --runs ${runs} --seed ${seed})\n`);
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', 'test/fuzz', '--testTimeout', '0', '--reporter', 'dot'], {
  cwd: root, stdio: 'inherit',
  env: { ...process.env, TFY_FUZZ_CAMPAIGN: '1', TFY_FUZZ_RUNS: runs, TFY_FUZZ_SEED: seed },
});
process.exit(r.status ?? 1);
