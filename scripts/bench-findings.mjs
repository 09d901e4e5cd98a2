#!/usr/bin/env node
// Benchmark (npm run bench:findings): what 50,000 findings cost `tfy-lint check` on top of the same run without them.
// Two twin repositories of 500 OpenAI accounts with 100 integrations each; in one, every integration misspells a key
// (`model_type` for `model_types`: an unknown property, 50,000 schema findings). Both are checked with every report
// format written at once (--format X --output-file F for each), as `npm run bench` does (its "Findings-heavy
// repository" section); then each format alone. Paired runs, medians. Prints figures, asserts nothing about time
// (exit 2 only when the bench cannot run).
//
//   node scripts/bench-findings.mjs [--runs 5] [--cli dist/cli.js] [--no-per-format]
//
// --cli names another build to measure (e.g. a copy of dist/ from before a change, to compare the two).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeMisspeltKeyRepo } from './findings-repo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, cli: { type: 'string' }, 'no-per-format': { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const CLI = values.cli ? resolve(values.cli) : join(root, 'dist', 'cli.js');
const TARGET_SECONDS = 2;
if (!Number.isInteger(runs) || runs < 1) { console.error('--runs takes a whole number of at least 1'); process.exit(2); }
if (!existsSync(CLI)) { console.error(`${CLI} is missing: run npm run build`); process.exit(2); }

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** CPU time (user + system) of the children waited for so far, in ms (Linux: /proc), or undefined. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

/** One check run: its wall time and CPU time in ms (a shared machine's load shows in the first far more). */
function check(cwd, formats, outDir) {
  const args = [CLI, 'check', '.', '--no-cache', ...formats.flatMap((f) => ['--format', f, '--output-file', join(outDir, `report.${f}`)])];
  const cpu0 = childrenCpuMs();
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu1 = childrenCpuMs();
  if (r.status !== 0 && r.status !== 1) { console.error(`check in ${cwd} exited ${r.status}: ${r.stderr}`); process.exit(2); }
  return { ms, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

const tmp = mkdtempSync(join(os.tmpdir(), 'tfy-bench-findings-'));
// Interrupted, the bench still removes its repositories and reports.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { rmSync(tmp, { recursive: true, force: true }); process.exit(130); });
try {
  const clean = join(tmp, 'clean');
  const heavy = join(tmp, 'heavy');
  writeMisspeltKeyRepo(clean, { files: 500, integrations: 100, defect: false });
  writeMisspeltKeyRepo(heavy, { files: 500, integrations: 100, defect: true });
  const formats = (() => {
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'no-such-format'], { cwd: clean, encoding: 'utf8' });
    const m = /use ([a-z, -]+)\n/.exec(r.stderr);
    return m ? m[1].replace(/ or /g, ', ').split(',').map((s) => s.trim()).filter(Boolean) : ['stylish', 'json'];
  })();
  const out = (name) => join(tmp, `out-${name}`);
  check(clean, formats, tmp); // warm the file system cache
  const cleanRuns = [];
  const heavyRuns = [];
  for (let i = 0; i < runs; i++) {
    cleanRuns.push(check(clean, formats, out('clean')));
    heavyRuns.push(check(heavy, formats, out('heavy')));
  }
  const found = JSON.parse(readFileSync(join(out('heavy'), 'report.json'), 'utf8')).diagnostics.length
    - JSON.parse(readFileSync(join(out('clean'), 'report.json'), 'utf8')).diagnostics.length;
  const wall = (list) => median(list.map((r) => r.ms));
  const cpu = (list) => (list.every((r) => r.cpu !== undefined) ? median(list.map((r) => r.cpu)) : undefined);
  const extra = wall(heavyRuns) - wall(cleanRuns);
  const row = (label, list) => `  ${label.padEnd(22)}${secs(wall(list)).padStart(8)}${cpu(list) === undefined ? '' : `  (CPU ${secs(cpu(list))})`}   runs: ${list.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}`;
  console.log(`${found} more findings in the heavy twin (500 files); ${runs} paired runs; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}; ${CLI}`);
  console.log(`All formats at once (${formats.join(', ')}): wall time, medians`);
  console.log(row('without the findings', cleanRuns));
  console.log(row('with them', heavyRuns));
  const cpuExtra = cpu(heavyRuns) === undefined ? '' : `  (CPU ${secs(cpu(heavyRuns) - cpu(cleanRuns))})`;
  console.log(`  ${'difference'.padEnd(22)}${secs(extra).padStart(8)}${cpuExtra}   target <= ${TARGET_SECONDS} s: ${extra / 1000 <= TARGET_SECONDS ? 'met' : 'not met'}`);
  if (!values['no-per-format']) {
    console.log('Each format alone (median difference with and without the findings):');
    for (const f of formats) {
      const c = [];
      const h = [];
      for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
        c.push(check(clean, [f], out('clean')));
        h.push(check(heavy, [f], out('heavy')));
      }
      const cpuDiff = cpu(h) === undefined ? '' : `  (CPU ${secs(cpu(h) - cpu(c))})`;
      console.log(`  ${f.padEnd(8)} ${secs(wall(h) - wall(c)).padStart(8)}${cpuDiff}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
