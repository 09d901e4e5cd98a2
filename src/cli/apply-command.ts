// CLI: `tfy-lint apply`: check, plan (or read a saved plan), confirm, and make the platform equal to the repository.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCommand, PROJECT_OPTIONS } from './args.ts';
import { countDiagnostics, sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { UsageError } from '../core/errors.ts';
import { buildDesiredState } from '../compile/compose.ts';
import { loadConfig } from '../lint/config.ts';
import { resolveTarget } from '../load/files.ts';
import { PlatformClient } from '../live/client.ts';
import { parseSavedPlan, SavedPlanError, type SavedPlan } from '../apply/saved.ts';
import { runApply } from '../apply/apply.ts';
import type { ApplyEvent, ApplyOutcome, ApplySource } from '../apply/types.ts';
import { formatApplyJson } from '../report/apply-json.ts';
import { formatApplySummary, formatResultLine } from '../report/apply-text.ts';
import { formatPlanText } from '../report/plan-text.ts';
import { formatStylish } from '../report/stylish.ts';
import { readLine, useColor, type Io } from './io.ts';
import { colorFlagOf, loadLiveProject, scrubbed } from './live-project.ts';
import { LIVE_OPTIONS, liveSource } from './live-source.ts';
import { lintProject } from '../project/pipeline.ts';
import { loadSchemaSet } from '../validate/schemas.ts';
import { toolVersion } from './version.ts';

export const APPLY_HELP = `Usage: tfy-lint apply [PATH] [options]

Checks the project as \`tfy-lint check\` does, reads the live state, prints the plan, asks for confirmation, and
sends the changes in dependency order (PUT /api/svc/v1/apply, POST /api/svc/v1/delete): what others route to
first, deletes last in the reverse order. Then it reads the touched kinds again and says whether the platform
holds what was sent. A failed change stops the apply; run it again once the cause is fixed: it does what is left.

Options:
      --plan FILE          apply this saved plan (tfy-lint plan --out FILE) instead of planning now; refused when a
                           resource it changes was modified on the platform since, or when it comes from another
                           tfy-lint version or another control-plane URL
  -y, --yes                do not ask for confirmation (needed when stdin is not a terminal)
      --dry-run            send creates and updates with "dryRun": true (the platform validates, stores nothing);
                           deletes are listed, not sent
      --prune              also delete live resources of the project's types that the project does not define
      --max-deletes N      allow up to N deletes (more than 5, or more than 25 % of the live resources of the
                           project's types, are refused without it)
      --concurrency N      changes of one dependency level sent at once, and requests in flight (default 4)
  -f, --format NAME        text (default) or json (the report; the plan and the question go to stderr)
      --out FILE           also write the JSON report to FILE
      --base-url URL       control-plane URL (default: TFY_BASE_URL, else TFY_HOST); the API key is read from TFY_API_KEY
      --timeout SECONDS    time allowed for one request (default 30)
      --retries N          retries after 429, 5xx, a timeout or a dropped connection (default 4)
  -c, --config PATH        config file (its protect: list names resources apply never touches)
      --root DIR           project root
      --max-file-size SIZE skip files larger than SIZE (default 10MB)
      --color / --no-color force colours on or off
  -h, --help               show this help

Exit codes: 0 applied (or nothing to do), 1 findings in the project, a refused or stale plan, a failed change, or
the confirmation declined, 2 usage, configuration, unreachable platform, or no confirmation without a terminal.
`;

const APPLY_OPTIONS = {
  plan: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  prune: { type: 'boolean' },
  'max-deletes': { type: 'string' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string' },
  ...PROJECT_OPTIONS,
  ...LIVE_OPTIONS,
} as const;

const FORMATS = ['text', 'json'] as const;

export const CONFIRM_QUESTION = "Apply these changes? Only 'yes' is accepted: ";

export async function runApplyCommand(args: string[], rawIo: Io): Promise<number> {
  const io = scrubbed(rawIo, [rawIo.env.TFY_API_KEY]);
  const { values, positionals } = parseCommand(args, APPLY_OPTIONS);
  if (values.help) { io.stdout.write(APPLY_HELP); return 0; }
  const format = (values.format ?? 'text') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format "${values.format}"; use ${FORMATS.join(', ')}`);
  if (values['live-state'] !== undefined) {
    throw new UsageError('apply always reads the platform: --live-state is not accepted (preview against a snapshot with tfy-lint plan --live-state)');
  }
  if (positionals.length > 1) throw new UsageError('apply takes one project folder (the project is applied as a whole)');
  let maxDeletes: number | undefined;
  if (values['max-deletes'] !== undefined) {
    if (!/^\d+$/.test(values['max-deletes'])) throw new UsageError(`--max-deletes takes a whole number, not "${values['max-deletes']}"`);
    maxDeletes = Number(values['max-deletes']);
  }
  const source = liveSource(values, io, 'apply');
  if (source.kind !== 'api') throw new UsageError('apply always reads the platform');
  const concurrency = source.client.concurrency ?? 4;
  const client = new PlatformClient({ baseUrl: source.baseUrl, token: source.token, ...source.client, concurrency });
  const color = useColor(io.env, io.stdout, colorFlagOf(values));
  // With --format json, stdout holds the report alone: the plan, the question and the progress go to stderr.
  const human = format === 'json' ? io.stderr : io.stdout;

  // What to apply: a saved plan, or the project planned now (checked first).
  let applySource: ApplySource;
  let findings: Diagnostic[] = [];
  let protect: string[];
  let display = (f: string) => f;
  let stylish = (diagnostics: Diagnostic[]) => formatStylish({ diagnostics, sources: new Map(), files: 0, documents: 0, color });
  const schemas = loadSchemaSet();
  if (values.plan !== undefined) {
    const saved = readSavedPlan(resolve(io.cwd, values.plan), values.plan);
    const target = resolveTarget(io.cwd, positionals, values.root);
    const config = loadConfig(target.root, schemas, values.config ? { cwd: io.cwd, path: values.config } : undefined);
    protect = config.protect;
    applySource = { saved };
  } else {
    const project = loadLiveProject(values, positionals, io, source);
    const { loaded } = project;
    ({ display, stylish } = project);
    const checked = lintProject(loaded);
    findings = checked.diagnostics;
    protect = loaded.config.protect;
    if (findings.some((d) => d.severity === 'error')) {
      human.write(stylish(findings));
      io.stderr.write(`tfy-lint: apply not started: ${countDiagnostics(findings).errors} errors in the project (fix them, then apply again); nothing was sent\n`);
    }
    applySource = { desired: buildDesiredState(loaded.manifests, loaded.composition).documents };
  }

  const stdinIsTerminal = Boolean(io.stdin?.isTTY);
  let noTerminal = false;
  const progress = (e: ApplyEvent) => {
    if (e.type === 'note') io.stderr.write(`tfy-lint: note: ${e.message}\n`);
    else if (e.type === 'plan') {
      const shown = sortDiagnostics([...findings, ...e.plan.diagnostics]);
      if (shown.length) { human.write(stylish(shown)); human.write('\n'); }
      human.write(formatPlanText(e.plan, { color, display }));
    } else if (e.type === 'start') {
      human.write(`\n${e.dryRun ? 'Validating' : 'Applying'} ${e.changes} change${e.changes === 1 ? '' : 's'} in ${e.levels} dependency level${e.levels === 1 ? '' : 's'}${e.dryRun ? ' (dry run: nothing is stored)' : ''}:\n`);
    } else if (e.type === 'result') {
      // What an earlier failure left unsent is listed once, in the summary; a dry run's unsent deletes here.
      if (e.result.status !== 'not-attempted' || values['dry-run']) human.write(`${formatResultLine(e.result)}\n`);
    }
  };
  const confirm = values.yes ? undefined : async () => {
    if (!stdinIsTerminal || !io.stdin) { noTerminal = true; return false; }
    human.write(`\n${CONFIRM_QUESTION}`);
    const answer = await readLine(io.stdin);
    human.write('\n');
    return answer?.trim() === 'yes';
  };

  const outcome = await runApply({
    client, schemas, findings, source: applySource,
    options: { prune: Boolean(values.prune), dryRun: Boolean(values['dry-run']), maxDeletes, concurrency, protect, toolVersion: toolVersion() },
  }, { progress, confirm });

  return finish(outcome, { io, human, format, out: values.out, noTerminal, display });
}

function readSavedPlan(path: string, shown: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the plan ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return parseSavedPlan(text);
  } catch (e) {
    if (e instanceof SavedPlanError) throw new UsageError(`the plan ${shown} cannot be used: ${e.message}`);
    throw e;
  }
}

interface FinishContext {
  io: Io;
  human: Io['stdout'];
  format: 'text' | 'json';
  out?: string;
  noTerminal: boolean;
  display: (f: string) => string;
}

function finish(outcome: ApplyOutcome, ctx: FinishContext): number {
  const { io, human } = ctx;
  let exit: number = outcome.exitCode;
  switch (outcome.status) {
    case 'findings':
      break;
    case 'refused':
    case 'stale':
      for (const p of outcome.problems.filter((d) => d.severity === 'error' && (d.ruleId === 'apply'))) io.stderr.write(`tfy-lint: ${p.message}\n`);
      io.stderr.write(`tfy-lint: apply ${outcome.status === 'stale' ? 'refused: the saved plan is stale' : 'refused'}; nothing was sent\n`);
      break;
    case 'cancelled':
      if (ctx.noTerminal) {
        io.stderr.write("tfy-lint: apply needs a confirmation and stdin is not a terminal: pass --yes to apply without asking; nothing was sent\n");
        exit = 2;
      } else {
        human.write('Apply cancelled; nothing was sent.\n');
      }
      break;
    case 'no-changes':
      break;
    default:
      human.write(`\n${formatApplySummary(outcome)}`);
  }
  const json = formatApplyJson(outcome, ctx.display);
  if (ctx.format === 'json') io.stdout.write(json);
  if (ctx.out) io.writeFile(resolve(io.cwd, ctx.out), json);
  return exit;
}
