#!/usr/bin/env node
// Benchmark: `tfy-lint apply` of --changes changes against the fake platform (test/support/fake-platform.ts on
// 127.0.0.1, referential integrity on) answering every request after --latency ms. Prints figures; asserts nothing.
//
//   node scripts/bench-apply.mjs [--changes 2000] [--latency 20] [--concurrency 4] [--json] [--profile DIR]
//
// --profile DIR writes a CPU profile of the apply process to DIR (node --cpu-prof).
//
// It writes a repository of --changes/2 provider accounts (one model each) and as many virtual models, each routing
// to its own account (two dependency levels), bundles the fake platform with esbuild, then runs in fresh node
// processes against an empty platform:
//   plan   node dist/cli.js plan  <repo> --format json          (the plan's own time: reads, check, diff)
//   apply  node dist/cli.js apply <repo> --yes --format json    (check, plan, 2,000 writes, read again, compare)
// and compares the apply's time with the bound: 2 x (levels + changes / concurrency) x latency + plan time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { timedRun } from './bench-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.js');
const TOKEN = 'bench-token-0123456789abcdef';

const { values: opts } = parseArgs({
  options: {
    changes: { type: 'string', default: '2000' }, latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' }, json: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const changes = Number(opts.changes);
const latency = Number(opts.latency);
const concurrency = Number(opts.concurrency);
const out = opts.json ? process.stderr : process.stdout;
const say = (s = '') => out.write(`${s}\n`);
const fail = (m) => { process.stderr.write(`bench-apply: ${m}\n`); process.exit(2); };

// 1. The CLI bundle, the fake platform bundle, and the repository.
say('building dist/ (node scripts/build.mjs)');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
if (build.status !== 0) fail(`build failed:\n${build.stdout}${build.stderr}`);
mkdirSync(join(root, 'tmp'), { recursive: true });
const work = mkdtempSync(join(root, 'tmp', 'bench-apply-'));
const { build: esbuild } = await import('esbuild');
await esbuild({ entryPoints: [join(root, 'test', 'support', 'fake-platform.ts')], bundle: true, platform: 'node', format: 'esm', outfile: join(work, 'fake.mjs'), logLevel: 'warning' });
const { FakePlatform } = await import(pathToFileURL(join(work, 'fake.mjs')).href);

const repo = join(work, 'repo');
const pairs = Math.ceil(changes / 2);
mkdirSync(join(repo, 'providers'), { recursive: true });
mkdirSync(join(repo, 'virtual-models'), { recursive: true });
for (let i = 0; i < pairs; i++) {
  const n = String(i).padStart(5, '0');
  writeFileSync(join(repo, 'providers', `acct-${n}.yaml`), [
    'type: provider-account/openai', `name: acct-${n}`, 'auth_data:', '  type: api-key', '  api_key: tfy-secret://acme:llm-keys:OPENAI_API_KEY',
    'collaborators:', '  - subject: team:everyone', '    role_id: provider-account-access',
    'integrations:', '  - type: integration/model/openai', '    name: gpt-4o', '    model_id: gpt-4o', '',
  ].join('\n'));
  writeFileSync(join(repo, 'virtual-models', `vm-${n}.yaml`), [
    'type: provider-account/virtual-model', `name: vm-${n}`,
    'collaborators:', '  - subject: team:everyone', '    role_id: provider-account-access',
    'integrations:', '  - type: integration/model/virtual', '    name: default', '    routing_config:', '      type: weight-based-routing',
    '      load_balance_targets:', `        - target: acct-${n}/gpt-4o`, '          weight: 100', '',
  ].join('\n'));
}

// 2. Timed runs, each in a fresh process (the fake platform answers from this one, so spawn is async).
function run(args, env = {}) {
  const prof = opts.profile && args[0] === 'apply' ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [];
  return timedRun({ cli: CLI, cwd: root, args, env, nodeArgs: prof });
}
const fake = await FakePlatform.start({ token: TOKEN, latencyMs: latency });
const env = { TFY_BASE_URL: fake.url, TFY_API_KEY: TOKEN };
say(`repository: ${pairs} provider accounts and ${pairs} virtual models (${pairs * 2} changes on an empty platform), latency ${latency} ms a request`);
const plan = await run(['plan', repo, '--format', 'json', '--concurrency', String(concurrency)], env);
if (plan.code !== 0) fail(`plan failed (${plan.code}): ${plan.stderr.slice(0, 2000)}`);
const planned = JSON.parse(plan.stdout);
fake.log.length = 0;
const apply = await run(['apply', repo, '--yes', '--format', 'json', '--concurrency', String(concurrency)], env);
if (apply.code !== 0) fail(`apply failed (${apply.code}): ${apply.stderr.slice(0, 2000)}`);
const report = JSON.parse(apply.stdout);
const requests = fake.log.length;
const writes = fake.log.filter((r) => r.method !== 'GET').length;
await fake.close();
rmSync(work, { recursive: true, force: true });

const n = report.results.length;
const floor = (report.levels + n / concurrency) * latency;
const bound = 2 * floor + plan.ms;
// Inside the apply process: its own plan (check, read, diff, levels) beside the sending and the comparison.
const t = report.timings;
const beforeSend = apply.ms - t.sendMs - t.verifyMs;
const figures = {
  changes: n, planned: planned.summary, levels: report.levels, concurrency, latencyMs: latency,
  applied: report.summary.applied, converged: report.converged, requests, writes,
  planMs: Math.round(plan.ms), applyMs: Math.round(apply.ms), floorMs: Math.round(floor), boundMs: Math.round(bound),
  met: apply.ms <= bound, phases: { ...t, startCheckReadPlanMs: Math.round(beforeSend) },
  sendWithinTwiceFloor: t.sendMs + t.verifyMs <= 2 * floor, node: process.version, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Number(x.toFixed(1))),
};
say(`plan:  ${figures.planMs} ms (${planned.summary.create} to add)`);
say(`apply: ${figures.applyMs} ms: ${report.summary.applied} applied in ${report.levels} levels, converged ${report.converged}; ${requests} requests (${writes} writes)`);
say(`floor (levels + changes/concurrency) x latency: ${figures.floorMs} ms; bound 2 x floor + plan: ${figures.boundMs} ms: ${figures.met ? 'met' : 'NOT met'} (apply/bound ${(apply.ms / bound).toFixed(2)})`);
say(`apply phases: start+check+read+plan ${Math.round(beforeSend)} ms (read ${t.readMs}, plan ${t.planMs}), send ${t.sendMs} ms, read again and compare ${t.verifyMs} ms;`
  + ` send+compare vs 2 x floor: ${t.sendMs + t.verifyMs} <= ${Math.round(2 * floor)}: ${figures.sendWithinTwiceFloor ? 'met' : 'NOT met'}`);
say(`machine: ${figures.cpus} cpus, load average ${figures.loadavg.join(' ')}`);
if (opts.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
