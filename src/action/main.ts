// Action: the GitHub Action's edge beside the CLI: inputs in; annotations, job summary, sticky comment and outputs out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { Ajv } from 'ajv';
import { countDiagnostics, severityAtLeast, type Diagnostic } from '../core/diagnostic.ts';
import { scrub } from '../core/mask.ts';
import { plural } from '../core/text.ts';
import { displayUrl, PlatformClient } from '../live/client.ts';
import { readLiveState } from '../live/read.ts';
import { makeLiveState } from '../live/state.ts';
import { planProject } from '../plan/project-plan.ts';
import type { Plan } from '../plan/types.ts';
import { DEFAULT_MAX_FILE_SIZE, lintProject, loadProject, type LoadedProject } from '../project/pipeline.ts';
import { formatPlanJson } from '../report/plan-json.ts';
import { formatPlanMarkdown } from '../report/plan-markdown.ts';
import { packageRoot, provideAjv } from '../validate/schemas.ts';
import { selectAnnotations } from './annotations.ts';
import { readContext, type GithubContext } from './context.ts';
import { changedFiles, describeFailure, makeOctokit, ownLogin, upsertComment, type GitHub } from './github.ts';
import { readInputs, type ActionInputs } from './inputs.ts';
import { bytes, chars, code, COMMENT_MAX_CHARS, countsLine, findingLines, fitFindings, SUMMARY_MAX_BYTES, truncate } from './markdown.ts';

// The bundle carries no node_modules: ajv is bundled and handed to the validator.
provideAjv(Ajv);

/** What a run found, in the form every output is rendered from. */
interface Outcome {
  title: string;
  /** Findings, files named relative to the workspace. */
  diagnostics: Diagnostic[];
  plan?: Plan;
  /** Lines said before the findings (a fallback, why there is no plan). */
  notes: string[];
  /** A plan or apply error that fails the step whatever the findings. */
  failure?: string;
}

function toolVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
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
    await runWith(inputs, ctx, clean);
  } catch (e) {
    const internal = !(e instanceof Error) || !['InputError', 'ContextError', 'UsageError', 'ConfigError', 'FatalError', 'PlatformError'].includes(e.name);
    core.setFailed(clean(internal ? `tfy-lint: internal error: ${(e as Error)?.stack ?? String(e)}` : `tfy-lint: ${(e as Error).message}`));
  }
}

async function runWith(inputs: ActionInputs, ctx: GithubContext, clean: (s: string) => string): Promise<void> {
  const cwd = resolve(ctx.workspace, inputs.workingDirectory ?? '.');
  const projectPath = posix(relative(ctx.workspace, resolve(cwd, inputs.path))) || '.';
  const version = toolVersion();
  const gh = inputs.githubToken ? makeOctokit(inputs.githubToken, ctx, version) : undefined;

  const loaded = loadProject({ cwd, paths: [inputs.path], configPath: inputs.config, maxFileSize: DEFAULT_MAX_FILE_SIZE });
  // Findings name files relative to the workspace, as annotations and links need them.
  const toWorkspace = (file: string) => (file.startsWith('live:') || file.startsWith('(') ? file : posix(relative(ctx.workspace, join(loaded.target.root, file))));

  const outcome: Outcome = inputs.command === 'plan'
    ? await runPlan(inputs, cwd, loaded, toWorkspace, version)
    : check(loaded, toWorkspace);
  outcome.title = `${outcome.title} · ${code(projectPath)}`;

  const counts = countDiagnostics(outcome.diagnostics);
  const sarifNote = inputs.sarifFile ? ` and in the SARIF file ${inputs.sarifFile}` : '';
  // Where a reader finds what the summary had no room for.
  const beyondSummary = inputs.sarifFile ? `every finding is in the SARIF file ${inputs.sarifFile}` : 'run tfy-lint check locally for every finding';

  // Annotations.
  let changed: Set<string> | undefined;
  if (ctx.pullRequest && gh && inputs.annotations && outcome.diagnostics.length > 0) {
    try {
      changed = await changedFiles(gh, ctx, ctx.pullRequest.number);
    } catch (e) {
      core.warning(clean(`${describeFailure(e, 'listing the pull request\'s files')}; annotations are not ordered by changed files`));
    }
  }
  if (inputs.annotations) {
    const selection = selectAnnotations(outcome.diagnostics, changed, `see the job summary${sarifNote}`);
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
  const summary = renderSummary(outcome, ctx, beyondSummary);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(clean(summary), true).write();

  // Sticky comment.
  let commentUrl = '';
  if (ctx.pullRequest && inputs.comment !== 'off') {
    if (!gh) core.warning('no github-token: the pull-request comment is skipped');
    else commentUrl = await stickyComment(gh, ctx, inputs, outcome, projectPath, clean) ?? '';
  }

  // Outputs.
  const plan = outcome.plan;
  core.setOutput('errors', counts.errors);
  core.setOutput('warnings', counts.warnings);
  core.setOutput('infos', counts.infos);
  core.setOutput('has-changes', plan ? plan.changes.length > 0 : false);
  core.setOutput('create', plan?.summary.create ?? 0);
  core.setOutput('update', plan?.summary.update ?? 0);
  core.setOutput('delete', plan?.summary.delete ?? 0);
  core.setOutput('sarif-file', '');
  core.setOutput('plan-file', plan && inputs.planFile ? inputs.planFile : '');
  core.setOutput('comment-url', commentUrl);

  // Exit.
  const failing = outcome.diagnostics.filter((d) => severityAtLeast(d.severity, inputs.failOn));
  if (outcome.failure) core.setFailed(clean(outcome.failure));
  else if (failing.length) {
    core.setFailed(`tfy-lint: ${plural(failing.length, 'finding')} at or above "${inputs.failOn}" (${countsLine(outcome.diagnostics)})`);
  } else core.info(`tfy-lint: ${countsLine(outcome.diagnostics)}; nothing at or above "${inputs.failOn}"`);
}

function check(loaded: LoadedProject, toWorkspace: (f: string) => string): Outcome {
  const result = lintProject(loaded);
  return { title: 'tfy-lint check', diagnostics: onWorkspace(result.diagnostics, toWorkspace), notes: [] };
}

function onWorkspace(diagnostics: readonly Diagnostic[], toWorkspace: (f: string) => string): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, file: toWorkspace(d.file), related: d.related?.map((r) => ({ ...r, file: toWorkspace(r.file) })) }));
}

async function runPlan(
  inputs: ActionInputs, cwd: string, loaded: LoadedProject, toWorkspace: (f: string) => string, version: string,
): Promise<Outcome> {
  const baseUrl = inputs.tfyBaseUrl ?? process.env.TFY_BASE_URL ?? process.env.TFY_HOST;
  if (!inputs.tfyApiKey || !baseUrl) {
    // A pull request from a fork gets no secrets: check what can be checked, and let the findings decide.
    const why = !inputs.tfyApiKey
      ? 'no tfy-api-key (a pull request from a fork gets no secrets)'
      : 'no tfy-base-url (nor TFY_BASE_URL / TFY_HOST)';
    core.notice(`tfy-lint: ${why}: the plan is skipped and the project is checked offline`, { title: 'tfy-lint: offline check' });
    const checked = check(loaded, toWorkspace);
    return { ...checked, notes: [`Plan skipped: ${why}; this is the offline check.`] };
  }
  const client = new PlatformClient({ baseUrl, token: inputs.tfyApiKey });
  const planned = await planProject(
    loaded,
    async (kinds) => {
      const { state, notes } = await readLiveState(client, kinds, loaded.schemas);
      for (const n of notes) core.info(`tfy-lint: note: ${n}`);
      return state;
    },
    () => makeLiveState(displayUrl(baseUrl), [], []),
  );
  const diagnostics = onWorkspace(planned.diagnostics, toWorkspace);
  if (!planned.computed) {
    return { title: 'tfy-lint plan', diagnostics, notes: ['The plan was not computed: the project has errors (fix them, then plan again).'] };
  }
  const planValue: Plan = { ...planned.plan, diagnostics };
  if (inputs.planFile) {
    const file = resolve(cwd, inputs.planFile);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, formatPlanJson(planValue, {
      display: (f) => f, documents: true,
      meta: {
        kind: 'tfy-lint/plan',
        tool: { name: 'tfy-lint', version },
        repository: { root: posix(relative(cwd, loaded.target.root)) || '.', commit: process.env.GITHUB_SHA || null },
        createdAt: new Date().toISOString(),
      },
    }));
    core.info(`tfy-lint: plan saved to ${isAbsolute(inputs.planFile) ? inputs.planFile : posix(relative(cwd, file))}`);
  }
  return { title: 'tfy-lint plan', diagnostics, plan: planValue, notes: [] };
}

/** The plan's own Markdown (the findings are listed separately, with links). */
function planMarkdown(plan: Plan, maxChars: number): string {
  return formatPlanMarkdown({ ...plan, diagnostics: [] }, { title: 'Plan', maxChars });
}

function commitLink(ctx: GithubContext): string {
  return ctx.sha ? `[${code(ctx.sha.slice(0, 7))}](${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/commit/${ctx.sha})` : 'this commit';
}

function renderSummary(outcome: Outcome, ctx: GithubContext, pointer: string): string {
  const head = [`## ${outcome.title}`, '', `At commit ${commitLink(ctx)}: **${countsLine(outcome.diagnostics)}**.`, '',
    ...outcome.notes.flatMap((n) => [`> ${n}`, '']), ...(outcome.failure ? [`**${outcome.failure}**`, ''] : [])].join('\n');
  const tail = outcome.plan ? planMarkdown(outcome.plan, 300_000) : '';
  const budget = bytes(SUMMARY_MAX_BYTES - 4096);
  return truncate(fitFindings(head, findingLines(outcome.diagnostics, ctx), tail, budget, pointer), budget, pointer);
}

function commentMarker(projectPath: string): string {
  return `<!-- tfy-lint comment path=${encodeURIComponent(projectPath)} -->`;
}

async function stickyComment(
  gh: GitHub, ctx: GithubContext, inputs: ActionInputs, outcome: Outcome, projectPath: string, clean: (s: string) => string,
): Promise<string | undefined> {
  const pr = ctx.pullRequest!;
  const marker = commentMarker(projectPath);
  const somethingToSay = outcome.diagnostics.length > 0 || Boolean(outcome.plan?.changes.length) || Boolean(outcome.failure);
  const summaryLink = ctx.runUrl ? `[the job summary](${ctx.runUrl})` : 'the job summary';
  const body = (existing: boolean): string | undefined => {
    if (!somethingToSay && inputs.comment === 'changes') {
      if (!existing) return undefined;
      return clean([marker, `### ${outcome.title}`, '', `✅ All clean at commit ${commitLink(ctx)}: no findings${outcome.plan ? ' and no changes to the platform' : ''}.`, ''].join('\n'));
    }
    const head = [marker, `### ${outcome.title}`, '', `At commit ${commitLink(ctx)}: **${countsLine(outcome.diagnostics)}**.`, '',
      ...outcome.notes.flatMap((n) => [`> ${n}`, '']), ...(outcome.failure ? [`**${outcome.failure}**`, ''] : [])].join('\n');
    const tail = outcome.plan ? planMarkdown(outcome.plan, 30_000) : '';
    const budget = chars(COMMENT_MAX_CHARS - 512);
    const pointer = `see ${summaryLink}`;
    return clean(truncate(fitFindings(head, findingLines(outcome.diagnostics, ctx), tail, chars(COMMENT_MAX_CHARS - 33_000), pointer), budget, pointer));
  };
  try {
    const login = await ownLogin(gh);
    const result = await upsertComment(gh, ctx, pr.number, marker, login, body);
    if (result.action !== 'none') core.info(`tfy-lint: pull-request comment ${result.action}: ${result.url}`);
    return result.url;
  } catch (e) {
    // A fork's read-only token, a missing permission, a rate limit: the comment is a convenience, never the verdict.
    core.warning(clean(`${describeFailure(e, 'writing the pull-request comment')}. The findings are in the annotations and the job summary.`));
    return undefined;
  }
}
