// Fuzz target: runs one case through the real command line (check in every report format, plan, build) or through the
// planner, and returns what broke an invariant. Runs inside a worker (see runner.ts), so a case that hangs is stopped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { buildDesiredState } from '../../src/compile/compose.ts';
import { resolveComposition } from '../../src/project/composition.ts';
import { ALL_KINDS, kindOf, resourceKey } from '../../src/live/kinds.ts';
import { normalise, stableJson } from '../../src/live/normalise.ts';
import { liveResource, makeLiveState } from '../../src/live/state.ts';
import { applyFieldChanges } from '../../src/plan/apply-changes.ts';
import { computePlan } from '../../src/plan/plan.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { formatPlanJson } from '../../src/report/plan-json.ts';
import { formatPlanMarkdown } from '../../src/report/plan-markdown.ts';
import { formatPlanText } from '../../src/report/plan-text.ts';
import { FORMATS } from '../../src/report/types.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';
import { stringify } from 'yaml';

type Doc = Record<string, unknown>;

/** A project of YAML files (mutated fixtures, corpus files or generated text) with secret values planted in it. */
export interface PipelineCase { kind: 'pipeline'; files: { path: string; text: string }[]; secrets: string[] }
/** Desired documents and a live state (as manifests), for the planner's invariants. */
export interface PlanCase { kind: 'plan'; desired: Doc[]; live: Doc[]; liveKinds: string[]; prune: boolean }
export type FuzzCase = PipelineCase | PlanCase;

/** Every 8-character stretch of a secret, except those that the redacted form (first and last 4 characters) may show. */
export function secretParts(secret: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) parts.push(secret.slice(i, i + 8));
  return parts;
}

/** The outputs that hold any part of a planted secret, by name. */
export function leaks(outputs: Record<string, string>, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    const parts = secretParts(s);
    for (const [name, text] of Object.entries(outputs)) {
      const part = parts.find((p) => text.includes(p));
      if (part) found.push(`${name} shows "${part}" of the secret ${s.slice(0, 4)}…`);
    }
  }
  return found;
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; written: Map<string, string> }> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const io: Io = {
    cwd, env: { NO_COLOR: '1' },
    stdout: { write: (s) => { stdout += s; }, isTTY: false },
    stderr: { write: (s) => { stderr += s; }, isTTY: false },
    writeFile: (p, t) => { written.set(p, t); },
    replaceDir: () => { throw new Error('not used'); },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, written };
}

/** The lines of a text as the parser counts them (only "\n" ends a line). */
function lineLengths(text: string): number[] {
  return text.split('\n').map((l) => l.length);
}

interface JsonDiagnostic { ruleId: string; file: string; line: number; column: number; endLine: number; endColumn: number; message: string }

function positionProblems(report: string, files: Map<string, string>): string[] {
  const problems: string[] = [];
  let parsed: { diagnostics: JsonDiagnostic[] };
  try {
    parsed = JSON.parse(report);
  } catch {
    return ['the JSON report is not JSON'];
  }
  for (const d of parsed.diagnostics) {
    const text = files.get(d.file);
    if (text === undefined) { problems.push(`a finding in a file that is not in the project: ${d.file}`); continue; }
    const lengths = lineLengths(text);
    const inside = (line: number, column: number) => Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lengths.length
      && column >= 1 && column <= lengths[line - 1] + 1;
    const where = `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} (${d.ruleId}: ${d.message.slice(0, 80)})`;
    if (!inside(d.line, d.column)) problems.push(`start outside the file: ${where}`);
    else if (!inside(d.endLine, d.endColumn)) problems.push(`end outside the file: ${where}`);
    else if (d.endLine < d.line || (d.endLine === d.line && d.endColumn < d.column)) problems.push(`end before start: ${where}`);
  }
  return problems;
}

const EMPTY_LIVE = `${JSON.stringify({ version: 1, kinds: ALL_KINDS, resources: [] })}\n`;

/** check (every format), plan (text, markdown, saved JSON) and build (JSON) on the files; the problems found. */
export async function runPipelineCase(c: PipelineCase): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tfy-fuzz-'));
  const problems: string[] = [];
  try {
    const files = new Map<string, string>();
    for (const f of c.files) {
      const path = join(dir, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
      files.set(f.path, f.text);
    }
    writeFileSync(join(dir, 'live.json'), EMPTY_LIVE);
    const outputs: Record<string, string> = {};
    // One check writes every report format: stylish to stdout, each other one to its file (an --output-file pairs
    // with the --format at the same position).
    const others = FORMATS.filter((f) => f !== 'stylish');
    const argv = ['check', '.', ...others.flatMap((f) => ['-f', f]), '-f', 'stylish', ...others.flatMap((f) => ['-o', `report.${f}`])];
    const runs: [string, string[]][] = [
      ['check', argv],
      ['plan', ['plan', '.', '--live-state', 'live.json', '--out', 'plan.json']],
      ['plan-markdown', ['plan', '.', '--live-state', 'live.json', '-f', 'markdown']],
      ['build', ['build', '.', '-f', 'json']],
    ];
    for (const [name, args] of runs) {
      const r = await cli(args, dir);
      outputs[`${name} stdout`] = r.stdout;
      outputs[`${name} stderr`] = r.stderr;
      for (const [p, t] of r.written) outputs[`${name} ${p.slice(dir.length + 1)}`] = t;
      if (/internal error/.test(r.stderr)) problems.push(`${name} crashed: ${r.stderr.split('\n').slice(0, 6).join(' | ')}`);
      else if (name === 'check' && r.code !== 0 && r.code !== 1) problems.push(`check exited ${r.code}: ${r.stderr.trim()}`);
      if (name === 'check') {
        const json = r.written.get(join(dir, 'report.json'));
        if (json === undefined) problems.push('check wrote no JSON report');
        else problems.push(...positionProblems(json, files));
      }
    }
    problems.push(...leaks(outputs, c.secrets));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

let schemas: ReturnType<typeof loadSchemaSet> | undefined;

/**
 * The planner's invariants on one pair: plan(desired, desired) is empty; applying the plan's changes to the live state
 * gives the desired state; no change touches a type the project does not hold or a kind the live state lacks; every
 * rendering works.
 */
export function runPlanCase(c: PlanCase): string[] {
  schemas ??= loadSchemaSet();
  const problems: string[] = [];
  const yaml = c.desired.map((d) => stringify(d)).join('---\n');
  const manifests = parseSource({ path: 'desired.yaml', text: yaml }).manifests;
  const desired = buildDesiredState(manifests, resolveComposition(manifests, [], { file: 'tfy-lint.config.yaml' })).documents;
  const resources = c.live.map((m, i) => liveResource(m, schemas!, { id: `id_${i}` })).filter((r) => r !== undefined);
  const seen = new Set<string>();
  const unique = resources.filter((r) => { const k = resourceKey(r.type, r.name); if (seen.has(k)) return false; seen.add(k); return true; });
  const live = makeLiveState('fuzz', c.liveKinds, unique);

  // plan(x, x) is empty: the desired documents, as the platform would hold them.
  const same = makeLiveState('fuzz', ALL_KINDS, desired.map((d, i) => liveResource(d.data, schemas!, { id: `d_${i}` })).filter((r) => r !== undefined)
    .filter((r, i, all) => all.findIndex((x) => resourceKey(x.type, x.name) === resourceKey(r.type, r.name)) === i));
  const selfPlan = computePlan(desired, same, schemas, { prune: c.prune });
  if (selfPlan.changes.length) problems.push(`plan(x, x) is not empty: ${selfPlan.changes.map((ch) => `${ch.action} ${ch.type}/${ch.name} ${ch.fields.map((f) => f.path).join(',')}`).join('; ')}`);

  const plan = computePlan(desired, live, schemas, { prune: c.prune });
  const desiredTypes = new Set(desired.map((d) => d.type));
  for (const ch of plan.changes) {
    if (!desiredTypes.has(ch.type)) problems.push(`a change to ${ch.type}/${ch.name}, a type the project does not hold`);
    const kind = kindOf(ch.type);
    if (!kind || !live.kinds.includes(kind)) problems.push(`a change to ${ch.type}/${ch.name}, of a kind the live state was not read for`);
    if (ch.action === 'delete' && !c.prune) problems.push(`a delete of ${ch.type}/${ch.name} without prune`);
  }
  // Applying the changes to the live normal forms gives the desired normal forms.
  const world = new Map(live.resources.map((r) => [resourceKey(r.type, r.name), normalise(r.manifest, schemas!)]));
  try {
    for (const ch of plan.changes) {
      const key = resourceKey(ch.type, ch.name);
      if (ch.action === 'delete') { world.delete(key); continue; }
      world.set(key, applyFieldChanges(ch.action === 'create' ? {} : (world.get(key) as Doc), ch.fields));
    }
    const compared = new Set(plan.scope);
    for (const d of desired) {
      if (!compared.has(d.type) || plan.notCompared.some((n) => n.type === d.type && n.name === d.name)) continue;
      if (plan.diagnostics.some((x) => x.severity === 'error')) continue;
      const got = stableJson(world.get(resourceKey(d.type, d.name)));
      const want = stableJson(normalise(d.data, schemas));
      if (got !== want) problems.push(`applying the plan to ${d.type}/${d.name} gives ${got?.slice(0, 200)}, not ${want.slice(0, 200)}`);
    }
  } catch (e) {
    problems.push(`applying the plan's changes failed: ${(e as Error).message}`);
  }
  formatPlanText(plan, { color: true, display: (f) => f });
  formatPlanJson(plan, { documents: true });
  formatPlanMarkdown(plan, {});
  return problems;
}

export async function runCase(c: FuzzCase): Promise<string[]> {
  try {
    return c.kind === 'pipeline' ? await runPipelineCase(c) : runPlanCase(c);
  } catch (e) {
    return [`threw: ${(e as Error)?.stack ?? String(e)}`];
  }
}
