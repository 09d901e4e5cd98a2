#!/usr/bin/env node
// Benchmark: `tfy-lint plan` against the fake platform (test/support/fake-platform.ts on 127.0.0.1) beside `tfy-lint
// check` on the same generated repository. Prints figures; asserts nothing about time.
//
//   node scripts/bench-plan.mjs [--resources 2000] [--runs 3] [--json]
//
// It generates a clean corpus (../shared/bench/gen-corpus.mjs, seed 1, no planted defects) big enough for about
// --resources platform resources (provider accounts and virtual-model groups, plus the composed gateway configs),
// bundles the fake platform with esbuild, seeds it with the corpus's desired state slightly changed (about 5% of the
// accounts with another model id, 1% missing, a few extra accounts), then runs, each in a fresh node process,
// alternately --runs times:
//   check  node dist/cli.js check <corpus> --format json
//   plan   node dist/cli.js plan  <corpus> --format json   (TFY_BASE_URL = the fake platform)
// and reports median wall times, their ratio, and the list requests the plan made, by endpoint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { timedRun } from './bench-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATOR = join(root, '..', 'shared', 'bench', 'gen-corpus.mjs');
const CLI = join(root, 'dist', 'cli.js');
const TOKEN = 'bench-token-0123456789abcdef';

const { values: opts } = parseArgs({
  options: { resources: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
});
const wanted = Number(opts.resources);
const runs = Number(opts.runs);
const out = opts.json ? process.stderr : process.stdout;
const say = (s = '') => out.write(`${s}\n`);
const fail = (m) => { process.stderr.write(`bench-plan: ${m}\n`); process.exit(2); };
if (!existsSync(GENERATOR)) fail(`the corpus generator is needed but was not found at ${GENERATOR}`);

// 1. The bundle and a corpus. About 0.95 platform resources per generated file (composed configs count once).
say('building dist/ (node scripts/build.mjs)');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
if (build.status !== 0) fail(`build failed:\n${build.stdout}${build.stderr}`);
const files = Math.ceil(wanted / 0.95);
const corpus = join(root, 'bench-corpus', `plan-${files}`);
if (!existsSync(join(corpus, '.corpus-manifest.json'))) {
  say(`generating ${corpus} (${files} files, no planted defects)`);
  const g = spawnSync(process.execPath, [GENERATOR, corpus, '--files', String(files), '--seed', '1', '--defect-rate', '0', '--force'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  if (g.status !== 0) fail(`corpus generation failed:\n${g.stdout}${g.stderr}`);
}

// 2. The fake platform and the repository's desired state, bundled from the TypeScript sources.
// Inside the package (tmp/ is ignored), so that the bundled sources find schemas/ as they do from src/.
mkdirSync(join(root, 'tmp'), { recursive: true });
const work = mkdtempSync(join(root, 'tmp', 'bench-plan-'));
const { build: esbuild } = await import('esbuild');
const entry = `
export { FakePlatform } from ${JSON.stringify(join(root, 'test', 'support', 'fake-platform.ts'))};
export { loadProject } from ${JSON.stringify(join(root, 'src', 'project', 'pipeline.ts'))};
export { buildDesiredState } from ${JSON.stringify(join(root, 'src', 'compile', 'compose.ts'))};
`;
await esbuild({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: join(work, 'support.mjs'),
  logLevel: 'warning', banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } });
const { FakePlatform, loadProject, buildDesiredState } = await import(pathToFileURL(join(work, 'support.mjs')).href);
const loaded = loadProject({ cwd: root, paths: [corpus], maxFileSize: 10 * 1024 * 1024 });
const desired = buildDesiredState(loaded.manifests, loaded.composition).documents;
const live = [];
desired.forEach((d, i) => {
  const rules = Array.isArray(d.data.rules) && d.data.rules.length > 2;
  if (i % 100 === 7 && !rules) return; // missing on the platform: a create
  const m = structuredClone(d.data);
  if (i % 20 === 3 && Array.isArray(m.integrations) && m.integrations[0]?.model_id) m.integrations[0].model_id += '-previous'; // an update
  if (rules) {
    // The composed gateway configs differ too (a rule in the middle edited, the first moved last), so that the plan
    // analyses who is affected on their long rule lists.
    const r = m.rules[Math.floor(m.rules.length / 2)];
    if (typeof r.limit_to === 'number') r.limit_to += 1;
    else if (typeof r.load_balance_targets?.[0]?.weight === 'number') { r.load_balance_targets[0].weight += 10; if (r.load_balance_targets[1]) r.load_balance_targets[1].weight = Math.max(0, (r.load_balance_targets[1].weight ?? 0) - 10); }
    m.rules.push(m.rules.shift());
  }
  live.push(m);
});
for (let i = 0; i < 10; i++) live.push({ type: 'provider-account/groq', name: `stray-${i}`, integrations: [] }); // unmanaged
const fake = await FakePlatform.start({ token: TOKEN });
fake.seed(live);

// 3. Timed runs, alternating, each in a fresh process (the fake platform answers from this one, so spawn is async).
function run(args, env = {}) {
  return timedRun({ cli: CLI, cwd: root, args, env });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const times = { check: [], plan: [] };
let lastPlan;
let requests = [];
for (let i = 0; i < runs; i++) {
  const c = await run(['check', corpus, '--format', 'json']);
  if (c.code === 2) fail(`check failed: ${c.stderr}`);
  times.check.push(c.ms);
  fake.log.length = 0;
  const p = await run(['plan', corpus, '--format', 'json'], { TFY_BASE_URL: fake.url, TFY_API_KEY: TOKEN });
  if (p.code === 2 || !p.stdout.startsWith('{')) fail(`plan failed (${p.code}): ${p.stderr}`);
  times.plan.push(p.ms);
  lastPlan = JSON.parse(p.stdout);
  requests = [...fake.log];
}
await fake.close();
rmSync(work, { recursive: true, force: true });

const byPath = {};
for (const r of requests) byPath[r.path] = (byPath[r.path] ?? 0) + 1;
const checkMs = median(times.check);
const planMs = median(times.plan);
const figures = {
  corpus, files, resourcesDesired: desired.length, resourcesLive: live.length,
  plan: { ...lastPlan.summary, computed: lastPlan.computed !== false, errors: lastPlan.diagnostics.filter((d) => d.severity === 'error').length },
  requests: { total: requests.length, byPath },
  checkMs: Math.round(checkMs), planMs: Math.round(planMs), ratio: Number((planMs / checkMs).toFixed(2)),
  node: process.version, cpus: os.cpus().length,
};
say('');
say(`repository: ${files} files, ${desired.length} resources to plan (${live.length} on the fake platform)`);
say(`plan: ${figures.plan.create} to add, ${figures.plan.update} to change, ${figures.plan.delete} to destroy, ${figures.plan.unchanged} unchanged`);
const effects = lastPlan.changes.flatMap((c) => (c.effects ?? []).map((e) => ({ type: c.type, ...e })));
say(`effects: ${effects.map((e) => `${e.type} ${e.path}: ${e.classes.length} classes changed of ${e.considered} considered${e.cutShort ? ` (cut short at ${e.cutShort.value} ${e.cutShort.limit})` : ''}${e.note ? ` (${e.note})` : ''}`).join('; ') || 'none'}`);
say(`requests made by plan: ${requests.length} (${Object.entries(byPath).map(([p, n]) => `${p.replace('/api/svc/v1/', '')} ${n}`).join(', ')})`);
say(`check: ${checkMs.toFixed(0)} ms   plan: ${planMs.toFixed(0)} ms   plan/check: ${figures.ratio}x (median of ${runs}; target <= 3x, ${figures.ratio <= 3 ? 'met' : 'not met'})`);
if (opts.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
