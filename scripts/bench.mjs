#!/usr/bin/env node
// Benchmark (npm run bench): prints figures for `tfy-lint check` on generated corpora and asserts nothing about time.
//
//   node scripts/bench.mjs [--sizes 1000,10000] [--runs 3] [--json]
//
// For each size it generates (or reuses) bench-corpus/<N> with ../shared/bench/gen-corpus.mjs (seed 1), then runs,
// each in a fresh node process, alternately `--runs` times:
//   floor   scripts/bench-floor.mjs: glob, read and parse every YAML file with positions (yaml, YAML 1.1), nothing else
//   schema  the same check with the corpus's config plus `extends: []` (no rule pack): schema validation alone
//   check   node dist/cli.js check <corpus> --format json --output-file <tmp> (exit 1 expected: planted defects)
// and reports the median wall time (measured here) and the largest peak RSS (each child records its own maxRSS at
// exit through the scripts/bench-child.mjs preload). Then it times start-up (`check` of one small manifest against
// `node -e ''`) and counts the findings of the largest corpus's report by rule beside the planted defects.
// The targets printed beside the ratios are goals to compare against, not checks: the exit code is 0 whatever the
// figures, and 2 only when the bench itself cannot run (no generator, failed build, a child failing).
// --json also prints every figure as JSON on stdout; the text report then goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATOR = join(root, '..', 'shared', 'bench', 'gen-corpus.mjs');
const CLI = join(root, 'dist', 'cli.js');
const FLOOR = join(root, 'scripts', 'bench-floor.mjs');
const PRELOAD = pathToFileURL(join(root, 'scripts', 'bench-child.mjs')).href;
const SEED = '1';
const DEFAULT_DEFECT_RATE = 0.02;
const TARGETS = { time: 1.3, rss: 1.5, startup: 2.5, rules: 1.3 };
const STARTUP_RUNS = 15;
const STARTUP_WARMUP = 2;

const USAGE = `usage: node scripts/bench.mjs [--sizes 1000,10000] [--runs 3] [--json]

  --sizes LIST  corpus sizes in files, comma-separated (default 1000,10000)
  --runs N      runs of the floor and of check per size (default 3); median time, largest peak RSS
  --json        also print the figures as JSON on stdout (the text report then goes to stderr)
`;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

let opts;
try {
  opts = parseArgs({
    options: { sizes: { type: 'string', default: '1000,10000' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  }).values;
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) { process.stdout.write(USAGE); process.exit(0); }
const sizes = opts.sizes.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^[1-9]\d*$/.test(s) ? Number(s) : fail(`--sizes takes positive whole numbers, not "${s}"`)));
if (sizes.length === 0) fail('--sizes is empty');
if (!/^[1-9]\d*$/.test(opts.runs)) fail(`--runs takes a positive whole number, not "${opts.runs}"`);
const runs = Number(opts.runs);
const out = opts.json ? process.stderr : process.stdout;
const say = (line = '') => out.write(`${line}\n`);
for (const s of [process.stdout, process.stderr]) s.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

if (!existsSync(GENERATOR)) fail(`the corpus generator is needed but was not found at ${GENERATOR} (../shared/bench/gen-corpus.mjs from the repository root)`);

// ---- formatting ----
const int = (n) => n.toLocaleString('en-US');
const secs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
// Two decimals, or three when two would round onto the target and hide which side of it the ratio is.
const ratioOf = (r, target) => `${r.toFixed(Number(r.toFixed(2)) === target && r !== target ? 3 : 2)}x`;
const verdict = (r, target) => `target <= ${target}x, ${r <= target ? 'met' : 'not met'}`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

// ---- child processes ----
const tmp = mkdtempSync(join(os.tmpdir(), 'tfy-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
let rssSeq = 0;

/** Runs `node [--import preload] ...args` to completion; wall time in ms, peak RSS in KiB when measured. */
function runNode(args, { cwd = root, rss = true, okCodes = [0] } = {}) {
  const rssFile = join(tmp, `rss-${++rssSeq}.json`);
  const nodeArgs = rss ? ['--import', PRELOAD, ...args] : args;
  const env = rss ? { ...process.env, TFY_BENCH_RSS_FILE: rssFile } : process.env;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, nodeArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const shown = `node ${args.map((a) => (a.startsWith(root) ? relative(root, a) : a)).join(' ')}`;
  if (r.error) fail(`${shown}: ${r.error.message}`);
  if (!okCodes.includes(r.status)) {
    const why = r.status === null ? `was killed by ${r.signal}` : `exited ${r.status}`;
    fail(`${shown} ${why}${r.stderr.length ? `:\n${r.stderr.toString().trimEnd()}` : ''}`);
  }
  let maxRSS;
  if (rss) {
    try {
      maxRSS = JSON.parse(readFileSync(rssFile, 'utf8')).maxRSS;
    } catch {
      fail(`${shown}: the child did not record its peak RSS`);
    }
  }
  return { ms, maxRSS, code: r.status, stdout: r.stdout.toString() };
}

// ---- 1. dist/ up to date ----
function newestFile(dir) {
  let best = { path: undefined, mtimeMs: 0 };
  if (!existsSync(dir)) return best;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    const cand = ent.isDirectory() ? newestFile(p) : ent.isFile() ? { path: p, mtimeMs: statSync(p).mtimeMs } : best;
    if (cand.mtimeMs > best.mtimeMs) best = cand;
  }
  return best;
}

const yamlVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'yaml', 'package.json'), 'utf8')).version;
const cpus = os.cpus();
say(`tfy-lint bench: node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} (${cpus[0]?.model.trim() ?? 'unknown'}), `
  + `${mib(os.totalmem() / 1024)} RAM, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; yaml ${yamlVersion}; runs ${runs}`);

{
  const newest = [newestFile(join(root, 'src')), newestFile(join(root, 'schemas'))].reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : undefined;
  if (built === undefined || newest.mtimeMs > built) {
    say(`dist/cli.js ${built === undefined ? 'is missing' : `is older than ${relative(root, newest.path)}`}: running node scripts/build.mjs`);
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) fail(`node scripts/build.mjs failed (${r.status ?? r.signal}):\n${`${r.stdout}${r.stderr}`.trimEnd()}`);
    say(`  ${r.stdout.toString().trim()}`);
  } else {
    say('dist/cli.js is up to date');
  }
}

// ---- 2. corpora ----
function corpus(n) {
  const rel = `bench-corpus/${n}`;
  const dir = join(root, rel);
  const manifestPath = join(dir, '.corpus-manifest.json');
  const read = () => JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (existsSync(manifestPath)) {
    try {
      const m = read();
      if (m.files === n && String(m.seed) === SEED && !m.split_multidoc && m.defect_rate === DEFAULT_DEFECT_RATE && m.yaml_version === yamlVersion) {
        say(`${rel}: reusing the corpus there (${int(n)} files, seed ${SEED})`);
        return { rel, dir, manifest: m };
      }
    } catch { /* unreadable manifest: generate again */ }
  }
  mkdirSync(join(root, 'bench-corpus'), { recursive: true });
  const args = [relative(root, GENERATOR), rel, '--files', String(n), '--seed', SEED, '--force'];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) fail(`node ${args.join(' ')} failed (${r.status ?? r.signal}):\n${`${r.stdout}${r.stderr}`.trimEnd()}`);
  say(`${rel}: generated in ${secs(Number(process.hrtime.bigint() - t0) / 1e6)} (node ${args.join(' ')})`);
  return { rel, dir, manifest: read() };
}

const corpora = sizes.map(corpus);

// ---- 3. floor and check per size ----
const results = [];
let lastReport;
for (const c of corpora) {
  const m = c.manifest;
  // One untimed floor run first, so that every timed run reads the corpus from the page cache.
  runNode([FLOOR, c.dir]);
  const floor = [];
  const check = [];
  const schemaOnly = [];
  // The same config with no rule pack: schema validation alone (plus composition), the yardstick for the rules' cost.
  const cfgPath = join(c.dir, 'tfy-lint.config.yaml');
  const schemaCfg = join(tmp, `schema-only-${m.files}.yaml`);
  writeFileSync(schemaCfg, `${existsSync(cfgPath) ? readFileSync(cfgPath, 'utf8') : ''}\nextends: []\n`);
  for (let i = 0; i < runs; i++) {
    floor.push(runNode([FLOOR, c.dir]));
    schemaOnly.push(runNode([CLI, 'check', c.rel, '--config', schemaCfg, '--format', 'json', '--output-file', join(tmp, `schema-${m.files}.json`)], { okCodes: [0, 1] }));
    const report = join(tmp, `report-${m.files}.json`);
    check.push(runNode([CLI, 'check', c.rel, '--format', 'json', '--output-file', report], { okCodes: [0, 1] }));
    if (!lastReport || m.files >= lastReport.corpus.manifest.files) lastReport = { corpus: c, path: report };
  }
  const floorSeen = JSON.parse(floor[0].stdout);
  const f = { ms: median(floor.map((r) => r.ms)), rssKiB: Math.max(...floor.map((r) => r.maxRSS)), runsMs: floor.map((r) => r.ms) };
  const so = { ms: median(schemaOnly.map((r) => r.ms)), rssKiB: Math.max(...schemaOnly.map((r) => r.maxRSS)), runsMs: schemaOnly.map((r) => r.ms) };
  const k = { ms: median(check.map((r) => r.ms)), rssKiB: Math.max(...check.map((r) => r.maxRSS)), runsMs: check.map((r) => r.ms), exitCodes: check.map((r) => r.code) };
  results.push({
    size: m.files, corpus: c.rel, files: m.files, documents: m.documents, bytes: m.bytes,
    floorParsed: floorSeen,
    floor: f, schemaOnly: so, check: k, rulesRatio: k.ms / so.ms,
    checkFilesPerSec: m.files / (k.ms / 1000), checkDocumentsPerSec: m.documents / (k.ms / 1000), checkMBPerSec: m.bytes / 1e6 / (k.ms / 1000),
    timeRatio: k.ms / f.ms, rssRatio: k.rssKiB / f.rssKiB,
  });
}

say();
say(`Throughput (median wall time of ${runs} run${runs === 1 ? '' : 's'}, largest peak RSS; each run a fresh node process)`);
for (const r of results) {
  say();
  say(`${r.corpus}: ${int(r.files)} files, ${int(r.documents)} documents, ${(r.bytes / 1e6).toFixed(2)} MB of YAML`);
  say(`  ${pad('', 22)}${lpad('wall', 9)}${lpad('peak RSS', 12)}   runs`);
  say(`  ${pad('floor (yaml parse)', 22)}${lpad(secs(r.floor.ms), 9)}${lpad(mib(r.floor.rssKiB), 12)}   ${r.floor.runsMs.map(secs).join(', ')}`);
  say(`  ${pad('check, schema only', 22)}${lpad(secs(r.schemaOnly.ms), 9)}${lpad(mib(r.schemaOnly.rssKiB), 12)}   ${r.schemaOnly.runsMs.map(secs).join(', ')}`);
  say(`  ${pad('tfy-lint check', 22)}${lpad(secs(r.check.ms), 9)}${lpad(mib(r.check.rssKiB), 12)}   ${r.check.runsMs.map(secs).join(', ')}`);
  say(`  check/floor time   ${ratioOf(r.timeRatio, TARGETS.time)}  (${verdict(r.timeRatio, TARGETS.time)})`);
  say(`  check/schema-only  ${ratioOf(r.rulesRatio, TARGETS.rules)}  (${verdict(r.rulesRatio, TARGETS.rules)}; the cost of every rule)`);
  say(`  check/floor RSS    ${ratioOf(r.rssRatio, TARGETS.rss)}  (${verdict(r.rssRatio, TARGETS.rss)})`);
  say(`  check throughput   ${int(Math.round(r.checkFilesPerSec))} files/s, ${int(Math.round(r.checkDocumentsPerSec))} documents/s, ${r.checkMBPerSec.toFixed(2)} MB/s`);
  const fp = r.floorParsed;
  say(`  (the floor parsed ${int(fp.files)} files, ${int(fp.documents)} documents, ${(fp.bytes / 1e6).toFixed(2)} MB, tfy-lint.config.yaml included)`);
}

// ---- 4. start-up ----
const startDir = mkdtempSync(join(tmp, 'startup-'));
const startFile = join(startDir, 'openai-main.yaml');
writeFileSync(startFile, `type: provider-account/openai
name: openai-main
auth_data:
  type: api-key
  api_key: tfy-secret://acme:llm-keys:OPENAI_API_KEY
integrations:
  - type: integration/model/openai
    name: gpt-4o
    model_id: gpt-4o
`);
const bare = [];
const cli = [];
let startCode;
for (let i = 0; i < STARTUP_WARMUP + STARTUP_RUNS; i++) {
  const b = runNode(['-e', ''], { cwd: startDir, rss: false });
  const c = runNode([CLI, 'check', startFile], { cwd: startDir, rss: false, okCodes: [0, 1] });
  startCode = c.code;
  if (i >= STARTUP_WARMUP) { bare.push(b.ms); cli.push(c.ms); }
}
const startup = { nodeMs: median(bare), checkMs: median(cli), ratio: median(cli) / median(bare), checkExitCode: startCode };
say();
say(`Start-up (median of ${STARTUP_RUNS} runs after ${STARTUP_WARMUP} warm-up runs)`);
say(`  node -e ''                              ${lpad(secs(startup.nodeMs), 8)}`);
say(`  node dist/cli.js check openai-main.yaml ${lpad(secs(startup.checkMs), 8)}${startCode === 0 ? '' : `  (exit ${startCode}: the file had findings)`}`);
say(`  check/node         ${ratioOf(startup.ratio, TARGETS.startup)}  (${verdict(startup.ratio, TARGETS.startup)})`);

// ---- 5. findings against planted defects ----
const report = JSON.parse(readFileSync(lastReport.path, 'utf8'));
const byRule = {};
for (const d of report.diagnostics) byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
const planted = lastReport.corpus.manifest.defects_by_kind ?? {};
const names = [...new Set([...Object.keys(byRule), ...Object.keys(planted)])].sort();
const w = Math.max(24, ...names.map((n) => n.length + 2));
say();
say(`Findings in the report of ${lastReport.corpus.rel} (${int(report.summary?.files ?? 0)} files, ${int(report.summary?.documents ?? 0)} documents checked; `
  + `${int(report.summary?.errors ?? 0)} errors, ${int(report.summary?.warnings ?? 0)} warnings, ${int(report.summary?.infos ?? 0)} infos)`);
say(`  ${pad('ruleId / defect kind', w)}${lpad('findings', 9)}${lpad('planted', 9)}`);
for (const n of names) say(`  ${pad(n, w)}${lpad(byRule[n] ?? '-', 9)}${lpad(planted[n] ?? '-', 9)}`);
const m = lastReport.corpus.manifest;
say(`  ${pad('total', w)}${lpad(report.diagnostics.length, 9)}${lpad(m.defects, 9)}   (${m.schema_level_defects} planted defects are schema-level)`);
say('  (findings count diagnostics, planted counts documents with a defect: one defect can give several findings)');

if (opts.json) {
  process.stdout.write(`${JSON.stringify({
    node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: cpus.length, cpuModel: cpus[0]?.model.trim(), yaml: yamlVersion,
    runs, targets: TARGETS, sizes: results, startup: { ...startup, runs: STARTUP_RUNS, warmup: STARTUP_WARMUP },
    findings: { corpus: lastReport.corpus.rel, summary: report.summary, byRuleId: byRule, plantedByKind: planted, planted: m.defects, plantedSchemaLevel: m.schema_level_defects },
  }, null, 2)}\n`);
}
