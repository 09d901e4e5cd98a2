#!/usr/bin/env node
// Benchmark (npm run bench:findings): how long `tfy-lint check` takes to report 50,000 findings in one repository,
// in each report format. Prints figures, asserts nothing about time (exit 2 only when the bench cannot run).
//
//   node scripts/bench-findings.mjs [--findings 50000] [--files 10]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFindingsRepo } from './findings-repo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.js');
const { values } = parseArgs({ options: { findings: { type: 'string', default: '50000' }, files: { type: 'string', default: '10' } } });
const findings = Number(values.findings);
const files = Number(values.files);
if (!existsSync(CLI)) { console.error('dist/cli.js is missing: run npm run build'); process.exit(2); }
const dir = mkdtempSync(join(os.tmpdir(), 'tfy-bench-findings-'));
try {
  const expected = writeFindingsRepo(dir, { files, modelsPerFile: Math.ceil(findings / 2 / files) });
  console.log(`${expected.length} findings in ${files} files (OpenAI accounts, two schema findings per model); ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  for (const format of ['json', 'stylish', 'github']) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', format], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 1) { console.error(`check --format ${format} exited ${r.status}: ${r.stderr}`); process.exit(2); }
    console.log(`  ${format.padEnd(8)} ${(ms / 1000).toFixed(2)} s  ${(r.stdout.length / 1024 / 1024).toFixed(1)} MiB of output`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
