// Action: the GitHub Action's edge beside the CLI: inputs in; annotations, job summary, sticky comment, SARIF,
// drift issue and outputs out. It calls the same stage functions as the CLI and never spawns it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { Ajv } from 'ajv';
import { runApply } from '../apply/apply.ts';
import { parseSavedPlan, SavedPlanError } from '../apply/saved.ts';
import type { ApplyEvent, ApplyOutcome } from '../apply/types.ts';
import { buildDesiredState } from '../compile/compose.ts';
import { countDiagnostics, severityAtLeast, sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { scrub } from '../core/mask.ts';
import { plural } from '../core/text.ts';
import type { Rule } from '../lint/rule.ts';
import { loadConfig } from '../lint/config.ts';
import { resolveTarget } from '../load/files.ts';
import { displayUrl, PlatformClient } from '../live/client.ts';
import { readLiveState } from '../live/read.ts';
import { makeLiveState } from '../live/state.ts';
import { computeDrift, type Drift } from '../plan/drift.ts';
import { checkWithLive, planProject, type LiveReader } from '../plan/project-plan.ts';
import type { Plan } from '../plan/types.ts';
import { DEFAULT_MAX_FILE_SIZE, lintProject, loadProject, type LoadedProject, type PipelineResult } from '../project/pipeline.ts';
import { formatApplySummary, formatResultLine } from '../report/apply-text.ts';
import { formatDriftMarkdown } from '../report/drift-markdown.ts';
import { formatPlanJson } from '../report/plan-json.ts';
import { formatPlanMarkdown } from '../report/plan-markdown.ts';
import { formatSarif } from '../report/sarif.ts';
import { loadSchemaSet, provideAjv, toolVersion } from '../validate/schemas.ts';
import { selectAnnotations } from './annotations.ts';
import { readContext, type GithubContext } from './context.ts';
import { syncDriftIssue } from './drift-issue.ts';
import { changedFiles, describeFailure, makeOctokit, ownLogin, upsertComment, type GitHub } from './github.ts';
import { readInputs, type ActionInputs } from './inputs.ts';
import { bytes, chars, code, COMMENT_MAX_CHARS, countsLine, escapeHtml, findingLines, fitFindings, SUMMARY_MAX_BYTES, truncate } from './markdown.ts';

// The bundle carries no node_modules: ajv is bundled and handed to the validator.
provideAjv(Ajv);

/** What a run found, in the form every output is rendered from. */
interface Outcome {
  title: string;
  /** Findings, files named relative to the workspace. */
  diagnostics: Diagnostic[];
  /** Findings inline comments silenced (SARIF reports them as suppressed). */
  suppressed: Diagnostic[];
  customRules: readonly Rule[];
  files: number;
  documents: number;
  plan?: Plan;
  drift?: Drift;
  apply?: ApplyOutcome;
  /** Lines said before the findings (a fallback, why there is no plan). */
  notes: string[];
  /** A plan, apply or drift error that fails the step whatever the findings. */
  failure?: string;
}

interface Run {
  inputs: ActionInputs;
  ctx: GithubContext;
  /** The working directory (the workspace, or working-directory in it). */
  cwd: string;
  /** The project folder relative to the workspace ('.' for the workspace itself). */
  projectPath: string;
  version: string;
  gh?: GitHub;
  clean: (s: string) => string;
}

const posix = (p: string) => p.split('\\').join('/');

export async function run(): Promise<void> {
  // Secrets first: nothing may be printed before the runner masks them.
  const secrets: string[] = [];
  for (const name of ['tfy-api-key', 'github-token']) {
    const v = core.getInput(name);
    if (v) { core.setSecret(v); secrets.push(v); }
  }
  const clean = (s: string) => scrub(s, secrets);
  try {
    const inputs = readInputs((n) => core.getInput(n));
    const ctx = readContext(process.env, process.cwd());
    const cwd = resolve(ctx.workspace, inputs.workingDirectory ?? '.');
    const version = toolVersion();
    await execute({
      inputs, ctx, cwd, version, clean,
      projectPath: posix(relative(ctx.workspace, resolve(cwd, inputs.path))) || '.',
      gh: inputs.githubToken ? makeOctokit(inputs.githubToken, ctx, version) : undefined,
    });
  } catch (e) {
    const expected = e instanceof Error && ['InputError', 'ContextError', 'UsageError', 'ConfigError', 'FatalError', 'PlatformError'].includes(e.name);
    core.setFailed(clean(expected ? `tfy-lint: ${(e as Error).message}` : `tfy-lint: internal error: ${(e as Error)?.stack ?? String(e)}`));
  }
}

async function execute(r: Run): Promise<void> {
  const { inputs, ctx, clean } = r;
  const outcome = await COMMANDS[inputs.command](r);
  outcome.title = `${outcome.title} · ${code(r.projectPath)}`;
  const counts = countDiagnostics(outcome.diagnostics);

  // SARIF first: the annotations' overflow notice and the summary point at it.
  let sarifFile = '';
  if (inputs.sarifFile) {
    const file = resolve(r.cwd, inputs.sarifFile);
    const inRepository = (d: Diagnostic) => !d.file.startsWith('live:') && !d.file.startsWith('(') && !d.file.startsWith('../');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, clean(formatSarif(
      { diagnostics: outcome.diagnostics.filter(inRepository), suppressed: outcome.suppressed.filter(inRepository), sources: new Map(), files: outcome.files, documents: outcome.documents, color: false },
      { version: r.version, customRules: outcome.customRules, category: r.projectPath === '.' ? 'tfy-lint/' : `tfy-lint/${r.projectPath}/` },
    )));
    sarifFile = inputs.sarifFile;
    core.info(`tfy-lint: SARIF written to ${inputs.sarifFile}`);
  }

  // Annotations.
  if (inputs.annotations) {
    let changed: Set<string> | undefined;
    if (ctx.pullRequest && r.gh && outcome.diagnostics.length > 0) {
      try {
        changed = await changedFiles(r.gh, ctx, ctx.pullRequest.number);
      } catch (e) {
        core.warning(clean(`${describeFailure(e, "listing the pull request's files")}; annotations are not ordered by changed files`));
      }
    }
    const selection = selectAnnotations(outcome.diagnostics, changed, `see the job summary${sarifFile ? ` and the SARIF file ${sarifFile}` : ''}`);
    for (const a of selection.annotations) {
      const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn, endLine: a.endLine, endColumn: a.endColumn };
      const message = clean(a.message);
      if (a.level === 'error') core.error(message, props);
      else if (a.level === 'warning') core.warning(message, props);
      else core.notice(message, props);
    }
    if (selection.overflow) core.notice(clean(selection.overflow.message), { title: selection.overflow.title });
  }
  for (const n of outcome.notes) core.info(clean(n));

  // Job summary.
  const beyondSummary = sarifFile ? `every finding is in the SARIF file ${sarifFile}` : 'run tfy-lint check locally for every finding';
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(clean(renderSummary(outcome, ctx, beyondSummary)), true).write();

  // Sticky comment (pull requests), drift issue (drift).
  let commentUrl = '';
  if (ctx.pullRequest && inputs.comment !== 'off') {
    if (!r.gh) core.warning('tfy-lint: no github-token: the pull-request comment is skipped');
    else commentUrl = (await stickyComment(r, outcome)) ?? '';
  }
  if (outcome.drift) await driftIssue(r, outcome, outcome.drift);

  // Outputs.
  // Drift's plan is what applying the repository would do to undo it; drift may also be resources created outside git.
  const plan = outcome.drift?.plan ?? outcome.plan;
  core.setOutput('errors', counts.errors);
  core.setOutput('warnings', counts.warnings);
  core.setOutput('infos', counts.infos);
  core.setOutput('has-changes', outcome.drift ? !outcome.drift.inSync : plan ? plan.changes.length > 0 : false);
  core.setOutput('create', plan?.summary.create ?? 0);
  core.setOutput('update', plan?.summary.update ?? 0);
  core.setOutput('delete', plan?.summary.delete ?? 0);
  core.setOutput('sarif-file', sarifFile);
  core.setOutput('plan-file', planFileOutput(r, outcome));
  core.setOutput('comment-url', commentUrl);

  // Exit.
  const failing = outcome.diagnostics.filter((d) => severityAtLeast(d.severity, inputs.failOn));
  if (outcome.failure) core.setFailed(clean(outcome.failure));
  else if (failing.length) core.setFailed(`tfy-lint: ${plural(failing.length, 'finding')} at or above "${inputs.failOn}" (${countsLine(outcome.diagnostics)})`);
  else core.info(`tfy-lint: ${countsLine(outcome.diagnostics)}; nothing at or above "${inputs.failOn}"`);
}

function planFileOutput(r: Run, outcome: Outcome): string {
  if (!r.inputs.planFile) return '';
  if (r.inputs.command === 'plan' && outcome.plan) return r.inputs.planFile;
  if (r.inputs.command === 'apply' && outcome.apply) return r.inputs.planFile;
  return '';
}

const COMMANDS: Record<ActionInputs['command'], (r: Run) => Promise<Outcome>> = {
  check: async (r) => check(r, loadFor(r)),
  plan: runPlan,
  apply: runApplyCommand,
  drift: runDrift,
};

function loadFor(r: Run): LoadedProject {
  return loadProject({ cwd: r.cwd, paths: [r.inputs.path], configPath: r.inputs.config, maxFileSize: DEFAULT_MAX_FILE_SIZE });
}

/** Findings name files relative to the workspace, as annotations, links and SARIF need them. */
function workspacePaths(r: Run, root: string): (file: string) => string {
  return (file) => (file.startsWith('live:') || file.startsWith('(') ? file : posix(relative(r.ctx.workspace, join(root, file))));
}

function onWorkspace(diagnostics: readonly Diagnostic[], toWorkspace: (f: string) => string): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, file: toWorkspace(d.file), related: d.related?.map((x) => ({ ...x, file: toWorkspace(x.file) })) }));
}

function outcomeOf(title: string, checked: PipelineResult, toWorkspace: (f: string) => string, diagnostics: readonly Diagnostic[] = checked.diagnostics): Outcome {
  return {
    title, diagnostics: onWorkspace(diagnostics, toWorkspace), suppressed: onWorkspace(checked.suppressed, toWorkspace),
    customRules: checked.customRules, files: checked.filesInScope, documents: checked.documentsInScope, notes: [],
  };
}

function check(r: Run, loaded: LoadedProject): Outcome {
  return outcomeOf('tfy-lint check', lintProject(loaded), workspacePaths(r, loaded.target.root));
}

/** The platform client, or why there is none (no key: a fork's pull request gets no secrets). */
function platform(r: Run): { client: PlatformClient; baseUrl: string } | { missing: string } {
  const baseUrl = r.inputs.tfyBaseUrl ?? nonEmpty(process.env.TFY_BASE_URL) ?? nonEmpty(process.env.TFY_HOST);
  if (!r.inputs.tfyApiKey) return { missing: 'no tfy-api-key (a pull request from a fork gets no secrets)' };
  if (!baseUrl) return { missing: 'no tfy-base-url (nor TFY_BASE_URL or TFY_HOST)' };
  return { client: new PlatformClient({ baseUrl, token: r.inputs.tfyApiKey }), baseUrl };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

function reader(client: PlatformClient, loaded: LoadedProject): LiveReader {
  return async (kinds, optional) => {
    const { state, notes, unread } = await readLiveState(client, kinds, loaded.schemas, { optional });
    for (const n of notes) core.info(`tfy-lint: note: ${n}`);
    return { state, unread };
  };
}

async function runPlan(r: Run): Promise<Outcome> {
  const loaded = loadFor(r);
  const p = platform(r);
  if ('missing' in p) {
    // Check what can be checked offline, and let the findings decide.
    core.notice(`tfy-lint: ${p.missing}: the plan is skipped and the project is checked offline`, { title: 'tfy-lint: offline check' });
    return { ...check(r, loaded), notes: [`Plan skipped: ${p.missing}; this is the offline check.`] };
  }
  const toWorkspace = workspacePaths(r, loaded.target.root);
  const planned = await planProject(loaded, reader(p.client, loaded), () => makeLiveState(displayUrl(p.baseUrl), [], []));
  const outcome = outcomeOf('tfy-lint plan', planned.checked, toWorkspace, planned.diagnostics);
  if (!planned.computed) return { ...outcome, notes: ['The plan was not computed: the project has errors (fix them, then plan again).'] };
  outcome.plan = { ...planned.plan, diagnostics: outcome.diagnostics };
  if (r.inputs.planFile) {
    const file = resolve(r.cwd, r.inputs.planFile);
    mkdirSync(dirname(file), { recursive: true });
    // The same file `tfy-lint plan --out` writes, so that either edge can apply it.
    writeFileSync(file, r.clean(formatPlanJson(planned.plan, {
      display: (f) => f, documents: true,
      meta: {
        kind: 'tfy-lint/plan',
        tool: { name: 'tfy-lint', version: r.version },
        repository: { root: posix(relative(r.cwd, loaded.target.root)) || '.', commit: process.env.GITHUB_SHA || null },
        createdAt: new Date().toISOString(),
      },
    })));
    core.info(`tfy-lint: plan saved to ${r.inputs.planFile}`);
  }
  return outcome;
}

async function runApplyCommand(r: Run): Promise<Outcome> {
  const p = platform(r);
  if ('missing' in p) throw new InputMissing(`apply needs the platform: ${p.missing}`);
  const schemas = loadSchemaSet();
  let outcome: Outcome;
  let source: Parameters<typeof runApply>[0]['source'];
  let findings: Diagnostic[] = [];
  let protect: string[];
  if (r.inputs.planFile) {
    // The reviewed plan, as `plan` saved it: applied only if nothing it changes moved on the platform since.
    const file = resolve(r.cwd, r.inputs.planFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputMissing(`cannot read the plan-file ${r.inputs.planFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (save it with command: plan and plan-file, and pass it on as an artifact)' : (e as Error).message}`);
    }
    try {
      source = { saved: parseSavedPlan(text) };
    } catch (e) {
      if (e instanceof SavedPlanError) throw new InputMissing(`the plan-file ${r.inputs.planFile} cannot be used: ${e.message}`);
      throw e;
    }
    const target = resolveTarget(r.cwd, [r.inputs.path]);
    protect = loadConfig(target.root, schemas, r.inputs.config ? { cwd: r.cwd, path: r.inputs.config } : undefined).protect;
    outcome = { title: 'tfy-lint apply', diagnostics: [], suppressed: [], customRules: [], files: 0, documents: 0, notes: [`Applying the reviewed plan ${r.inputs.planFile}.`] };
  } else {
    // No reviewed plan: plan now and apply it (as apply --yes does).
    const loaded = loadFor(r);
    const checked = lintProject(loaded);
    findings = checked.diagnostics;
    protect = loaded.config.protect;
    source = { desired: buildDesiredState(loaded.manifests, loaded.composition).documents };
    outcome = outcomeOf('tfy-lint apply', checked, workspacePaths(r, loaded.target.root));
  }
  const progress = (e: ApplyEvent) => {
    if (e.type === 'note') core.info(r.clean(`tfy-lint: note: ${e.message}`));
    else if (e.type === 'start') core.info(`tfy-lint: applying ${plural(e.changes, 'change')} in ${plural(e.levels, 'dependency level')}`);
    else if (e.type === 'result') core.info(r.clean(formatResultLine(e.result)));
  };
  const applied = await runApply({
    client: p.client, schemas, findings, source,
    options: { toolVersion: r.version, protect, concurrency: 4 },
  }, { progress });
  outcome.apply = applied;
  if (applied.plan) outcome.plan = applied.plan;
  const problems = onWorkspace(applied.problems.filter((d) => !findings.includes(d)), (f) => f);
  outcome.diagnostics = sortDiagnostics([...outcome.diagnostics, ...problems.filter((d) => !outcome.diagnostics.some((x) => x.message === d.message && x.file === d.file))]);
  const failure = {
    findings: 'tfy-lint: apply not started: the project has errors; nothing was sent',
    refused: 'tfy-lint: apply refused; nothing was sent',
    stale: 'tfy-lint: apply refused: the reviewed plan is stale (the platform changed since it was saved); plan again; nothing was sent',
    cancelled: 'tfy-lint: apply cancelled; nothing was sent',
    failed: `tfy-lint: apply failed: ${applied.report.summary.failed} failed, ${applied.report.summary.notAttempted} not attempted`,
  } as Record<string, string>;
  if (applied.exitCode !== 0) outcome.failure = failure[applied.status] ?? `tfy-lint: apply ended with status ${applied.status}`;
  return outcome;
}

/** A required input (or file it names) is missing or unusable: fails the step with one line. */
class InputMissing extends Error {
  override name = 'InputError';
}

async function runDrift(r: Run): Promise<Outcome> {
  const p = platform(r);
  if ('missing' in p) throw new InputMissing(`drift needs the platform: ${p.missing}`);
  const loaded = loadFor(r);
  const toWorkspace = workspacePaths(r, loaded.target.root);
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    const outcome = check(r, loaded);
    return { ...outcome, title: 'tfy-lint drift', notes: ['Drift was not computed: the project has errors (fix them, then run drift again).'] };
  }
  const read = await checkWithLive(loaded, reader(p.client, loaded), () => makeLiveState(displayUrl(p.baseUrl), [], []));
  // The project's files have no errors (checked above), so the live state was read.
  if (!read.computed) throw new Error('drift: the live state was not read');
  const { checked } = read;
  const computed = computeDrift(read.desired, read.live.state, loaded.schemas, { ignore: loaded.config.drift.ignore });
  const diagnostics = sortDiagnostics([...checked.diagnostics, ...computed.plan.diagnostics]);
  const outcome = outcomeOf('tfy-lint drift', checked, toWorkspace, diagnostics);
  outcome.drift = { ...computed, plan: { ...computed.plan, diagnostics: outcome.diagnostics } };
  return outcome;
}

async function driftIssue(r: Run, outcome: Outcome, drift: Drift): Promise<void> {
  const gh = r.gh;
  const where = `at commit ${commitLink(r.ctx)}${r.ctx.runUrl ? `, [run](${r.ctx.runUrl})` : ''}`;
  if (!gh) {
    if (!drift.inSync) outcome.failure = 'tfy-lint: the platform drifted from the repository and there is no github-token to open the drift issue';
    return;
  }
  try {
    const report = formatDriftMarkdown({ ...drift, plan: { ...drift.plan, diagnostics: [] } }, { title: `Drift of ${code(r.projectPath)}`, maxChars: 55_000 });
    const result = await syncDriftIssue(gh, r.ctx, {
      projectPath: r.projectPath, login: await ownLogin(gh), inSync: drift.inSync, fingerprint: drift.fingerprint,
      report: r.clean(`${report}\n_Checked ${where}._\n`), where,
    });
    if (result.action !== 'none') core.info(`tfy-lint: drift issue #${result.number} ${result.action}: ${result.url}`);
  } catch (e) {
    const message = describeFailure(e, 'updating the drift issue').replace('"permissions: pull-requests: write" (or "issues: write") to comment', '"permissions: issues: write"');
    // Drift nobody is told about is worse than a red run.
    if (!drift.inSync) outcome.failure = r.clean(`tfy-lint: the platform drifted from the repository, and ${message}`);
    else core.warning(r.clean(message));
  }
}

/** The plan's own Markdown (the findings are listed separately, with links). */
function planMarkdown(plan: Plan, maxChars: number): string {
  return formatPlanMarkdown({ ...plan, diagnostics: [] }, { title: 'Plan', maxChars });
}

function detailsMarkdown(outcome: Outcome, maxChars: number): string {
  const parts: string[] = [];
  if (outcome.apply && !['findings', 'refused', 'stale', 'no-changes', 'cancelled'].includes(outcome.apply.status)) {
    parts.push('### Apply', '', '```', formatApplySummary(outcome.apply).trimEnd().replace(/```/g, '`\u200b``'), '```', '');
  }
  if (outcome.drift) parts.push(formatDriftMarkdown({ ...outcome.drift, plan: { ...outcome.drift.plan, diagnostics: [] } }, { title: 'Drift', maxChars }));
  else if (outcome.plan) parts.push(planMarkdown(outcome.plan, maxChars));
  return parts.join('\n');
}

function commitLink(ctx: GithubContext): string {
  return ctx.sha ? `[${code(ctx.sha.slice(0, 7))}](${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/commit/${ctx.sha})` : 'this commit';
}

function heading(outcome: Outcome, ctx: GithubContext, level: string): string {
  return [`${level} ${outcome.title}`, '', `At commit ${commitLink(ctx)}: **${countsLine(outcome.diagnostics)}**.`, '',
    ...outcome.notes.flatMap((n) => [`> ${escapeHtml(n)}`, '']), ...(outcome.failure ? [`**${escapeHtml(outcome.failure)}**`, ''] : [])].join('\n');
}

function renderSummary(outcome: Outcome, ctx: GithubContext, pointer: string): string {
  const budget = bytes(SUMMARY_MAX_BYTES - 4096);
  const text = fitFindings(heading(outcome, ctx, '##'), findingLines(outcome.diagnostics, ctx), detailsMarkdown(outcome, 300_000), budget, pointer);
  return truncate(text, budget, pointer);
}

function commentMarker(projectPath: string): string {
  return `<!-- tfy-lint comment path=${encodeURIComponent(projectPath)} -->`;
}

async function stickyComment(r: Run, outcome: Outcome): Promise<string | undefined> {
  const { ctx, inputs, clean } = r;
  const gh = r.gh!;
  const marker = commentMarker(r.projectPath);
  const somethingToSay = outcome.diagnostics.length > 0 || Boolean(outcome.plan?.changes.length) || Boolean(outcome.failure);
  const summaryLink = ctx.runUrl ? `[the job summary](${ctx.runUrl})` : 'the job summary';
  const body = (existing: boolean): string | undefined => {
    if (!somethingToSay && inputs.comment === 'changes') {
      if (!existing) return undefined;
      const what = outcome.plan ? 'no findings and no changes to the platform' : 'no findings';
      return clean([marker, `### ${outcome.title}`, '', `✅ All clean at commit ${commitLink(ctx)}: ${what}.`, ''].join('\n'));
    }
    const pointer = `see ${summaryLink}`;
    // Findings get half of GitHub's limit, the plan the rest; the whole is cut again to be sure.
    const text = fitFindings(`${marker}\n${heading(outcome, ctx, '###')}`, findingLines(outcome.diagnostics, ctx), detailsMarkdown(outcome, 30_000), chars(COMMENT_MAX_CHARS - 33_000), pointer);
    return clean(truncate(text, chars(COMMENT_MAX_CHARS - 512), pointer));
  };
  try {
    const result = await upsertComment(gh, ctx, ctx.pullRequest!.number, marker, await ownLogin(gh), body);
    if (result.action !== 'none') core.info(`tfy-lint: pull-request comment ${result.action}: ${result.url}`);
    return result.url;
  } catch (e) {
    // A fork's read-only token, a missing permission, a rate limit: the comment is a convenience, never the verdict.
    core.warning(clean(`${describeFailure(e, 'writing the pull-request comment')}. The findings are in the annotations and the job summary.`));
    return undefined;
  }
}
