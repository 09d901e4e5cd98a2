#!/usr/bin/env node
// Benchmark (npm run bench): prints figures for `tfy-lint check` on generated corpora and asserts nothing about time.
//
//   node scripts/bench.mjs [--sizes 100,1000,10000] [--runs 3] [--compare spectral [--spectral-runs 1]] [--json]
//
// For each size it generates (or reuses) bench-corpus/<N> with ../shared/bench/gen-corpus.mjs (seed 1), then runs,
// each in a fresh node process, alternately `--runs` times (paired runs: each round runs every variant once):
//   floor          scripts/bench-floor.mjs: glob, read and parse every YAML file with positions (yaml + LineCounter,
//                  YAML 1.1) and convert it to JS (toJS), nothing else
//   schema only    check --no-cache with the corpus's config plus `extends: []` (no rule pack)
//   check cold     check with an empty cache folder (the first run: parses everything, writes the cache)
//   check --no-cache  check that neither reads nor writes a cache
//   check warm     check again with the cache the cold run wrote (nothing changed)
//   pre-commit cold / warm   check of one file named on the command line, with an empty cache / the warm one
//   pre-commit edited        the same file with a comment added just before (the usual hook run), warm cache; the
//                            file is put back afterwards
// and reports the median wall time (measured here) and the largest peak RSS (each child records its own maxRSS at
// exit through the scripts/bench-child.mjs preload). Then it times start-up (`check` of one small manifest against
// `node -e ''`, cold and warm), the cost of 50,000 findings in every report format, and counts the findings of the
// largest corpus's report by rule beside the planted defects. --compare spectral also runs Spectral
// (@stoplight/spectral-cli) with a ruleset applying tfy-lint's JSON Schema of each type to the documents of that type
// (scripts/spectral-ruleset.mjs) beside check on the 1,000-file corpus written one document per file (Spectral reads
// one document per file): --spectral-runs runs of Spectral (default 1: it takes most of a minute) interleaved with
// --runs runs of check --no-cache and of check with the schemas alone; it prints the ratios of the median wall times
// and compares Spectral's findings with check's schema findings, document by document.
// The targets printed beside the ratios are goals to compare against, not checks: the exit code is 0 whatever the
// figures, and 2 only when the bench itself cannot run (no generator, failed build, a child failing).
// --json also prints every figure as JSON on stdout; the text report then goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildRuleset } from './spectral-ruleset.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATOR = join(root, '..', 'shared', 'bench', 'gen-corpus.mjs');
const CLI = join(root, 'dist', 'cli.js');
const FLOOR = join(root, 'scripts', 'bench-floor.mjs');
const PRELOAD = pathToFileURL(join(root, 'scripts', 'bench-child.mjs')).href;
const SEED = '1';
const DEFAULT_DEFECT_RATE = 0.02;
/** Goals (issue #14): ratios to the floor, to a bare `node -e ''`, and Spectral's time over check's. */
const TARGETS = { cold: 0.6, rss: 1.2, warm: 0.25, preCommitWarm: 4, preCommitCold: 0.6, startup: 2, findingsSeconds: 2, spectral: 50, rules: 1.3 };
const FINDINGS_TARGET = 50_000;
const STARTUP_RUNS = 15;
const STARTUP_WARMUP = 2;

const USAGE = `usage: node scripts/bench.mjs [--sizes 100,1000,10000] [--runs 3] [--compare spectral [--spectral-runs 1]] [--json]

  --sizes LIST        corpus sizes in files, comma-separated (default 100,1000,10000)
  --runs N            paired runs of each variant per size (default 3); median time, largest peak RSS
  --compare spectral  also time Spectral (@stoplight/spectral-cli, each type's tfy-lint schema applied to the
                      documents of that type) beside check on the 1,000-file corpus, one document per file
  --spectral-runs N   runs of Spectral with --compare spectral (default 1; most of a minute each), interleaved
                      with the --runs runs of check there (more if N is larger); ratio of the median wall times
  --json              also print the figures as JSON on stdout (the text report then goes to stderr)
`;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

let opts;
try {
  opts = parseArgs({
    options: { sizes: { type: 'string', default: '100,1000,10000' }, runs: { type: 'string', default: '3' }, compare: { type: 'string' }, 'spectral-runs': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
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
if (opts.compare !== undefined && opts.compare !== 'spectral') fail(`--compare takes spectral, not "${opts.compare}"`);
if (opts['spectral-runs'] !== undefined && opts.compare !== 'spectral') fail('--spectral-runs goes with --compare spectral');
if (opts['spectral-runs'] !== undefined && !/^[1-9]\d*$/.test(opts['spectral-runs'])) fail(`--spectral-runs takes a positive whole number, not "${opts['spectral-runs']}"`);
const spectralRuns = Number(opts['spectral-runs'] ?? 1);
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

/**
 * Runs `node [--import preload] ...args` to completion; wall time in ms, and when measured, peak RSS in KiB and CPU
 * time in ms (of that process, all its threads).
 */
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
  let cpuMs;
  if (rss) {
    try {
      const rec = JSON.parse(readFileSync(rssFile, 'utf8'));
      maxRSS = rec.maxRSS;
      cpuMs = rec.cpuUs / 1000;
    } catch {
      fail(`${shown}: the child did not record its peak RSS`);
    }
  }
  return { ms, maxRSS, cpuMs, code: r.status, stdout: r.stdout.toString() };
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
function corpus(n, split = false) {
  const rel = `bench-corpus/${n}${split ? '-split' : ''}`;
  const dir = join(root, rel);
  const manifestPath = join(dir, '.corpus-manifest.json');
  const read = () => JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (existsSync(manifestPath)) {
    try {
      const m = read();
      if ((m.requested_files ?? m.files) === n && String(m.seed) === SEED && Boolean(m.split_multidoc) === split && m.defect_rate === DEFAULT_DEFECT_RATE && m.yaml_version === yamlVersion) {
        say(`${rel}: reusing the corpus there (${int(n)} files, seed ${SEED})`);
        return { rel, dir, manifest: m };
      }
    } catch { /* unreadable manifest: generate again */ }
  }
  mkdirSync(join(root, 'bench-corpus'), { recursive: true });
  const args = [relative(root, GENERATOR), rel, '--files', String(n), '--seed', SEED, '--force', ...(split ? ['--split-multidoc'] : [])];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) fail(`node ${args.join(' ')} failed (${r.status ?? r.signal}):\n${`${r.stdout}${r.stderr}`.trimEnd()}`);
  say(`${rel}: generated in ${secs(Number(process.hrtime.bigint() - t0) / 1e6)} (node ${args.join(' ')})`);
  const manifest = read();
  if (split) writeFileSync(manifestPath, JSON.stringify({ ...manifest, requested_files: n }, null, 2));
  return { rel, dir, manifest: { ...manifest, requested_files: n } };
}

const corpora = sizes.map((n) => corpus(n));

// ---- 3. floor and check per size ----
const results = [];
let lastReport;
/** A file of the corpus to name on the command line as a pre-commit hook does: a provider account in the middle. */
function preCommitFile(c) {
  const list = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (/\.ya?ml$/.test(e.name) && e.name !== 'tfy-lint.config.yaml') list.push(join(d, e.name));
    }
  };
  walk(join(c.dir, 'providers'));
  list.sort();
  return relative(root, list[list.length >> 1]);
}
const stats = (rs) => ({ ms: median(rs.map((r) => r.ms)), rssKiB: Math.max(...rs.map((r) => r.maxRSS ?? 0)), runsMs: rs.map((r) => r.ms), cpuMs: median(rs.map((r) => r.cpuMs ?? 0)) });
let cacheSeq = 0;
const freshCacheDir = () => join(tmp, `cache-${++cacheSeq}`);

for (const c of corpora) {
  const m = c.manifest;
  // One untimed floor run first, so that every timed run reads the corpus from the page cache.
  runNode([FLOOR, c.dir]);
  const v = { floor: [], schemaOnly: [], cold: [], noCache: [], warm: [], preCold: [], preWarm: [], preEdited: [] };
  // The same config with no rule pack: schema validation alone (plus composition), the yardstick for the rules' cost.
  const cfgPath = join(c.dir, 'tfy-lint.config.yaml');
  const schemaCfg = join(tmp, `schema-only-${m.files}.yaml`);
  writeFileSync(schemaCfg, `${existsSync(cfgPath) ? readFileSync(cfgPath, 'utf8') : ''}\nextends: []\n`);
  const one = preCommitFile(c);
  const report = join(tmp, `report-${m.files}.json`);
  const check = (extra, out = report) => [CLI, 'check', ...extra, '--format', 'json', '--output-file', out];
  for (let i = 0; i < runs; i++) {
    v.floor.push(runNode([FLOOR, c.dir]));
    v.schemaOnly.push(runNode(check([c.rel, '--no-cache', '--config', schemaCfg], join(tmp, 'schema.json')), { okCodes: [0, 1] }));
    const cache = freshCacheDir();
    v.cold.push(runNode(check([c.rel, '--cache-location', `${cache}/`]), { okCodes: [0, 1] }));
    v.noCache.push(runNode(check([c.rel, '--no-cache'], join(tmp, 'nocache.json')), { okCodes: [0, 1] }));
    v.warm.push(runNode(check([c.rel, '--cache-location', `${cache}/`], join(tmp, 'warm.json')), { okCodes: [0, 1] }));
    v.preCold.push(runNode(check([one, '--cache-location', `${freshCacheDir()}/`], join(tmp, 'pre.json')), { okCodes: [0, 1] }));
    v.preWarm.push(runNode(check([one, '--cache-location', `${cache}/`], join(tmp, 'pre.json')), { okCodes: [0, 1] }));
    // The usual pre-commit run: the file it names was just edited (a comment added), the rest is as the cache has it.
    const original = readFileSync(join(root, one), 'utf8');
    writeFileSync(join(root, one), `${original}# edited for the bench\n`);
    try {
      v.preEdited.push(runNode(check([one, '--cache-location', `${cache}/`], join(tmp, 'pre.json')), { okCodes: [0, 1] }));
    } finally {
      writeFileSync(join(root, one), original);
    }
    if (!lastReport || m.files >= lastReport.corpus.manifest.files) lastReport = { corpus: c, path: report };
  }
  // The warm run must report exactly what the cold one did.
  const same = readFileSync(report, 'utf8') === readFileSync(join(tmp, 'warm.json'), 'utf8') && readFileSync(report, 'utf8') === readFileSync(join(tmp, 'nocache.json'), 'utf8');
  if (!same) fail(`${c.rel}: the warm, cold and --no-cache runs of check reported different findings`);
  const floorSeen = JSON.parse(v.floor[0].stdout);
  const f = stats(v.floor);
  const r = Object.fromEntries(Object.entries(v).map(([k, rs]) => [k, stats(rs)]));
  results.push({
    size: m.requested_files ?? m.files, corpus: c.rel, files: m.files, documents: m.documents, bytes: m.bytes, preCommitFile: one,
    floorParsed: floorSeen, ...r,
    ratios: {
      cold: r.cold.ms / f.ms, noCache: r.noCache.ms / f.ms, warm: r.warm.ms / f.ms, preCommitCold: r.preCold.ms / f.ms,
      rss: r.cold.rssKiB / f.rssKiB, rssNoCache: r.noCache.rssKiB / f.rssKiB, rules: r.noCache.ms / r.schemaOnly.ms,
    },
    checkFilesPerSec: m.files / (r.cold.ms / 1000),
  });
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
collaborators:
  - subject: team:platform
    role_id: provider-account-manager
`);
const bare = [];
const startCold = [];
const startWarm = [];
let startCode;
const startCache = join(tmp, 'startup-cache');
for (let i = 0; i < STARTUP_WARMUP + STARTUP_RUNS; i++) {
  const b = runNode(['-e', ''], { cwd: startDir, rss: false });
  const cold = runNode([CLI, 'check', startFile, '--cache-location', `${join(tmp, `startup-cold-${i}`)}/`], { cwd: startDir, rss: false, okCodes: [0, 1] });
  const warm = runNode([CLI, 'check', startFile, '--cache-location', `${startCache}/`], { cwd: startDir, rss: false, okCodes: [0, 1] });
  startCode = cold.code;
  if (i >= STARTUP_WARMUP) { bare.push(b.ms); startCold.push(cold.ms); startWarm.push(warm.ms); }
}
const nodeMs = median(bare);
const startup = { nodeMs, coldMs: median(startCold), warmMs: median(startWarm), ratio: median(startCold) / nodeMs, warmRatio: median(startWarm) / nodeMs, checkExitCode: startCode };
for (const r of results) r.ratios.preCommitWarm = r.preWarm.ms / nodeMs;

// ---- 5. 50,000 findings ----
// 500 OpenAI accounts of 100 integrations each; in the "findings" copy every integration carries a misspelt key
// (an unknown property, reported at its line), so the only difference between the two runs is 50,000 findings,
// reported in every format at once.
const formats = (() => {
  const r = spawnSync(process.execPath, [CLI, 'check', startFile, '--no-cache', '--format', 'no-such-format'], { cwd: startDir });
  const m = /use ([a-z, -]+)\n/.exec(r.stderr.toString());
  return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : ['stylish', 'json'];
})();
function writeFindingsRepo(dir, defect) {
  for (let a = 0; a < 500; a++) {
    const lines = [`type: provider-account/openai`, `name: acct-${a}`, 'auth_data:', '  type: api-key', `  api_key: tfy-secret://acme:keys:K${a}`,
      'collaborators:', '  - subject: team:platform', '    role_id: provider-account-manager', 'integrations:'];
    for (let k = 0; k < 100; k++) {
      lines.push('  - type: integration/model/openai', `    name: model-${k}`, `    model_id: gpt-${k}`, `    ${defect ? 'model_type' : 'model_types'}: [chat]`);
    }
    mkdirSync(join(dir, 'providers'), { recursive: true });
    writeFileSync(join(dir, 'providers', `acct-${String(a).padStart(3, '0')}.yaml`), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(dir, 'tfy-lint.config.yaml'), 'ignore: []\n');
}
const cleanRepo = join(tmp, 'findings-clean');
const heavyRepo = join(tmp, 'findings-heavy');
writeFindingsRepo(cleanRepo, false);
writeFindingsRepo(heavyRepo, true);
const formatArgs = (dir) => formats.flatMap((f) => ['--format', f, '--output-file', join(tmp, `findings-${basename(dir)}.${f}`)]);
const fClean = [];
const fHeavy = [];
for (let i = 0; i < runs; i++) {
  fClean.push(runNode([CLI, 'check', '.', '--no-cache', ...formatArgs(cleanRepo)], { cwd: cleanRepo, okCodes: [0, 1] }));
  fHeavy.push(runNode([CLI, 'check', '.', '--no-cache', ...formatArgs(heavyRepo)], { cwd: heavyRepo, okCodes: [0, 1] }));
}
const heavyCount = JSON.parse(readFileSync(join(tmp, 'findings-findings-heavy.json'), 'utf8')).diagnostics.length;
const findings = { count: heavyCount, formats, cleanMs: median(fClean.map((r) => r.ms)), heavyMs: median(fHeavy.map((r) => r.ms)) };
findings.extraSeconds = (findings.heavyMs - findings.cleanMs) / 1000;

// ---- 6. Spectral ----
// The ruleset (scripts/spectral-ruleset.mjs): one rule per manifest type, selecting the documents of that type and
// validating them with that type's schema as `tfy-lint schema TYPE` prints it, plus a rule that "type" is known.
// Spectral builds a new ajv instance for every document it lints and compiles the schemas applied to it there, so
// this ruleset costs it one type's schema per document (30 to 50 ms of CPU a file); the combined schema
// (`tfy-lint schema`, all types in one, which the bench used before) cost it all of them per document, about 0.45 s
// a file. Spectral still takes most of a minute on the corpus, hence --spectral-runs (default 1) runs of it against
// max(--runs, --spectral-runs) runs of check: each round runs Spectral (while rounds of it remain), then
// check --no-cache and check with the schemas alone, so the timings share the same conditions; the ratios are of the
// medians.
let spectral;
if (opts.compare === 'spectral') {
  const SPECTRAL = join(root, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
  if (!existsSync(SPECTRAL)) fail('--compare spectral needs @stoplight/spectral-cli (a dev dependency): run npm install');
  const spectralVersion = JSON.parse(readFileSync(join(root, 'node_modules', '@stoplight', 'spectral-cli', 'package.json'), 'utf8')).version;
  const split = corpus(1000, true);
  const t0 = process.hrtime.bigint();
  let built;
  try {
    built = buildRuleset();
  } catch (e) {
    fail(`the Spectral ruleset could not be built: ${e.message}`);
  }
  const ruleset = join(tmp, 'spectral-ruleset.json');
  writeFileSync(ruleset, JSON.stringify(built.ruleset));
  say(`Spectral ruleset: ${built.types.length} types, one rule each plus the type check, written in ${secs(Number(process.hrtime.bigint() - t0) / 1e6)} (scripts/spectral-ruleset.mjs)`);
  // Spectral is given every YAML file of the corpus but the tfy-lint config (not a manifest: check reads it as its
  // configuration), as globs per top-level folder, which it expands itself.
  const tops = readdirSync(split.dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const globs = tops.map((t) => `${split.rel}/${t}/**/*.yaml`);
  const yamlFilesUnder = (d) => readdirSync(d, { withFileTypes: true })
    .reduce((n, e) => n + (e.isDirectory() ? yamlFilesUnder(join(d, e.name)) : e.isFile() && e.name.endsWith('.yaml') ? 1 : 0), 0);
  const spectralGiven = tops.reduce((n, t) => n + yamlFilesUnder(join(split.dir, t)), 0);
  const schemaCfg = join(tmp, 'schema-only-split.yaml');
  const cfgPath = join(split.dir, 'tfy-lint.config.yaml');
  writeFileSync(schemaCfg, `${existsSync(cfgPath) ? readFileSync(cfgPath, 'utf8') : ''}\nextends: []\n`);
  const spectralOut = join(tmp, 'spectral.json');
  runNode([FLOOR, split.dir]); // untimed: every timed run then reads the files from the page cache
  const sp = [];
  const full = [];
  const schemaOnly = [];
  const rounds = Math.max(runs, spectralRuns);
  const loadBefore = os.loadavg()[0];
  for (let i = 0; i < rounds; i++) {
    if (i < spectralRuns) sp.push(runNode([SPECTRAL, 'lint', ...globs, '--ruleset', ruleset, '--format', 'json', '--output', spectralOut, '--quiet'], { okCodes: [0, 1] }));
    full.push(runNode([CLI, 'check', split.rel, '--no-cache', '--format', 'json', '--output-file', join(tmp, 'split.json')], { okCodes: [0, 1] }));
    schemaOnly.push(runNode([CLI, 'check', split.rel, '--no-cache', '--config', schemaCfg, '--format', 'json', '--output-file', join(tmp, 'split-schema.json')], { okCodes: [0, 1] }));
  }
  // Findings: Spectral's against check's schema findings, by document (one file, one document here).
  const spResults = JSON.parse(readFileSync(spectralOut, 'utf8'));
  const ours = JSON.parse(readFileSync(join(tmp, 'split.json'), 'utf8'));
  const oursSchema = JSON.parse(readFileSync(join(tmp, 'split-schema.json'), 'utf8'));
  const countBy = (files) => { const m = new Map(); for (const f of files) m.set(f, (m.get(f) ?? 0) + 1); return m; };
  const spPerFile = countBy(spResults.map((r) => relative(root, r.source).split('\\').join('/')));
  const schemaFindings = ours.diagnostics.filter((d) => d.ruleId === 'schema');
  const ourPerFile = countBy(schemaFindings.map((d) => d.file));
  const spFiles = new Set(spPerFile.keys());
  const ourFiles = new Set(ourPerFile.keys());
  const countsDiffer = [...spFiles].filter((f) => ourFiles.has(f) && spPerFile.get(f) !== ourPerFile.get(f)).sort()
    .map((file) => ({ file, spectral: spPerFile.get(file), check: ourPerFile.get(file) }));
  const byCode = {};
  for (const r of spResults) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
  spectral = {
    corpus: split.rel, files: split.manifest.files, spectralVersion, globs, types: built.types.length, load: [loadBefore, os.loadavg()[0]],
    spectralRuns: sp.length, checkRuns: full.length,
    spectral: stats(sp), check: stats(full), checkSchemaOnly: stats(schemaOnly),
    spectralFindings: spResults.length, spectralFindingsByRule: byCode, spectralFiles: spFiles.size,
    checkFindings: ours.diagnostics.length, checkSchemaFindings: schemaFindings.length, checkSchemaOnlyFindings: oursSchema.diagnostics.length,
    checkSchemaFiles: ourFiles.size, checkFilesChecked: ours.summary?.files, spectralFilesGiven: spectralGiven,
    onlySpectral: [...spFiles].filter((f) => !ourFiles.has(f)).sort(), onlyCheck: [...ourFiles].filter((f) => !spFiles.has(f)).sort(), countsDiffer,
    plantedSchemaLevel: split.manifest.schema_level_defects,
  };
  spectral.ratio = spectral.spectral.ms / spectral.check.ms;
  spectral.ratioSchemaOnly = spectral.spectral.ms / spectral.checkSchemaOnly.ms;
  spectral.cpuRatio = spectral.spectral.cpuMs / spectral.check.cpuMs;
  spectral.cpuRatioSchemaOnly = spectral.spectral.cpuMs / spectral.checkSchemaOnly.cpuMs;
}

// ---- report ----
const at = (r, target) => `${ratioOf(r, target)}  (${verdict(r, target)})`;
const atLeast = (r, target) => `${r.toFixed(1)}x  (target >= ${target}x, ${r >= target ? 'met' : 'not met'})`;
say();
say(`Throughput (median wall time of ${runs} paired run${runs === 1 ? '' : 's'}, largest peak RSS; each run a fresh node process)`);
for (const r of results) {
  say();
  say(`${r.corpus}: ${int(r.files)} files, ${int(r.documents)} documents, ${(r.bytes / 1e6).toFixed(2)} MB of YAML`);
  say(`  ${pad('', 30)}${lpad('wall', 9)}${lpad('peak RSS', 12)}   runs`);
  const row = (name, x) => say(`  ${pad(name, 30)}${lpad(secs(x.ms), 9)}${lpad(mib(x.rssKiB), 12)}   ${x.runsMs.map(secs).join(', ')}`);
  row('floor (yaml parse + toJS)', r.floor);
  row('check, schema only, no cache', r.schemaOnly);
  row('check cold (empty cache)', r.cold);
  row('check --no-cache', r.noCache);
  row('check warm (nothing changed)', r.warm);
  row(`pre-commit cold: 1 file`, r.preCold);
  row(`pre-commit warm: 1 file`, r.preWarm);
  row(`pre-commit, 1 file just edited`, r.preEdited);
  say(`  cold / floor            ${at(r.ratios.cold, TARGETS.cold)}`);
  say(`  --no-cache / floor      ${at(r.ratios.noCache, TARGETS.cold)}`);
  say(`  cold RSS / floor RSS    ${at(r.ratios.rss, TARGETS.rss)}`);
  say(`  warm / floor            ${at(r.ratios.warm, TARGETS.warm)}`);
  say(`  pre-commit cold / floor ${at(r.ratios.preCommitCold, TARGETS.preCommitCold)}`);
  say(`  pre-commit warm / node  ${at(r.ratios.preCommitWarm, TARGETS.preCommitWarm)}  (node -e '' ${secs(startup.nodeMs)})`);
  say(`  pre-commit edited / node ${ratioOf(r.preEdited.ms / startup.nodeMs, 0)}  (no target: the named file changed, the rest is taken from the cache)`);
  say(`  rules / schema only     ${at(r.ratios.rules, TARGETS.rules)}  (--no-cache runs; the cost of every rule)`);
  say(`  (pre-commit file: ${r.preCommitFile}; the floor parsed ${int(r.floorParsed.files)} files, ${int(r.floorParsed.documents)} documents, tfy-lint.config.yaml included)`);
}

say();
say(`Start-up (median of ${STARTUP_RUNS} runs after ${STARTUP_WARMUP} warm-up runs)`);
say(`  node -e ''                                   ${lpad(secs(startup.nodeMs), 8)}`);
say(`  check openai-main.yaml, cold (empty cache)   ${lpad(secs(startup.coldMs), 8)}${startCode === 0 ? '' : `  (exit ${startCode})`}`);
say(`  check openai-main.yaml, warm                 ${lpad(secs(startup.warmMs), 8)}`);
say(`  cold / node        ${at(startup.ratio, TARGETS.startup)}`);
say(`  warm / node        ${at(startup.warmRatio, TARGETS.startup)}`);

say();
say(`Findings-heavy repository (500 files; median of ${runs} paired runs; formats ${formats.join(', ')} written in one run)`);
say(`  without findings   ${lpad(secs(findings.cleanMs), 8)}`);
say(`  with ${int(findings.count)} findings ${lpad(secs(findings.heavyMs), 8)}`);
say(`  difference         ${findings.extraSeconds.toFixed(2)} s  (target <= ${TARGETS.findingsSeconds} s for ${int(FINDINGS_TARGET)} findings, ${findings.extraSeconds <= TARGETS.findingsSeconds ? 'met' : 'not met'})`);

if (spectral) {
  const sx = spectral;
  const runsOf = (x) => x.runsMs.map(secs).join(', ');
  say();
  say(`Spectral ${sx.spectralVersion} beside check (${sx.corpus}: ${int(sx.files)} files, one document each; Spectral ${sx.spectralRuns} run${sx.spectralRuns === 1 ? '' : 's'}, `
    + `check ${sx.checkRuns} run${sx.checkRuns === 1 ? '' : 's'} of each kind, interleaved; median wall time, median CPU time, largest peak RSS; `
    + `load ${sx.load[0].toFixed(2)} before, ${sx.load[1].toFixed(2)} after)`);
  say(`  ${pad('', 42)}${lpad('wall', 9)}${lpad('CPU', 9)}${lpad('peak RSS', 12)}   wall of each run`);
  const srow = (name, x) => say(`  ${pad(name, 42)}${lpad(secs(x.ms), 9)}${lpad(secs(x.cpuMs), 9)}${lpad(mib(x.rssKiB), 12)}   ${runsOf(x)}`);
  srow(`spectral lint (${sx.types} types' schemas)`, sx.spectral);
  srow('check --no-cache (schemas and all rules)', sx.check);
  srow('check --no-cache, schemas only', sx.checkSchemaOnly);
  say(`  spectral / check                ${atLeast(sx.ratio, TARGETS.spectral)}  (wall time; CPU time ${sx.cpuRatio.toFixed(1)}x)`);
  say(`  spectral / check, schemas only  ${sx.ratioSchemaOnly.toFixed(1)}x  (the same work, schema validation alone; CPU time ${sx.cpuRatioSchemaOnly.toFixed(1)}x)`);
  say(`  findings: Spectral ${sx.spectralFindings} in ${sx.spectralFiles} files; check ${sx.checkFindings} (${sx.checkSchemaFindings} from the schemas, in ${sx.checkSchemaFiles} files; `
    + `${sx.checkSchemaOnlyFindings} with the schemas only); ${sx.plantedSchemaLevel} schema-level defects planted`);
  if (sx.spectralFilesGiven !== sx.checkFilesChecked) say(`  (the files differ: Spectral's globs match ${int(sx.spectralFilesGiven)}, check checked ${int(sx.checkFilesChecked ?? 0)})`);
  if (sx.onlySpectral.length === 0 && sx.onlyCheck.length === 0) say(`  Spectral's findings and check's schema findings are in the same ${sx.spectralFiles} files`);
  else say('  files with findings from one of them only:');
  for (const f of sx.onlySpectral) say(`    Spectral only: ${f}`);
  for (const f of sx.onlyCheck) say(`    check only:    ${f}`);
  if (sx.countsDiffer.length) say(`  files where the counts differ (Spectral / check's schema findings; e.g. Spectral also reports a failed if/then):`);
  for (const d of sx.countsDiffer) say(`    ${d.spectral} / ${d.check}  ${d.file}`);
}

// ---- findings against planted defects ----
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
    runs, targets: TARGETS, sizes: results, startup: { ...startup, runs: STARTUP_RUNS, warmup: STARTUP_WARMUP }, findingsHeavy: findings, spectral,
    findings: { corpus: lastReport.corpus.rel, summary: report.summary, byRuleId: byRule, plantedByKind: planted, planted: m.defects, plantedSchemaLevel: m.schema_level_defects },
  }, null, 2)}\n`);
}
