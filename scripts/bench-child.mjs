// Bench preload: `node --import ./scripts/bench-child.mjs SCRIPT ...` writes the process's peak RSS (KiB, from
// process.resourceUsage().maxRSS) and its CPU time (user + system of all its threads, µs) as JSON to the file named by
// TFY_BENCH_RSS_FILE when the process exits, whatever the script does with its exit code or output. Used by
// scripts/bench.mjs.
import { writeFileSync } from 'node:fs';

const out = process.env.TFY_BENCH_RSS_FILE;
if (out) {
  delete process.env.TFY_BENCH_RSS_FILE; // not for any process the script starts
  process.on('exit', (code) => {
    const u = process.resourceUsage();
    writeFileSync(out, `${JSON.stringify({ maxRSS: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime, code })}\n`);
  });
}
