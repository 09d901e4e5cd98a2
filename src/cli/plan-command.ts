// CLI: `tfy-lint plan`: check, read the live state, and show what applying the repository would change.
import { relative, resolve } from 'node:path';
import { parseCommand, PROJECT_OPTIONS } from './args.ts';
import { countDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { isExpectedError, UsageError } from '../core/errors.ts';
import { notComputedPlan, planProject } from '../plan/project-plan.ts';
import type { Plan } from '../plan/types.ts';
import { formatPlanJson } from '../report/plan-json.ts';
import { formatPlanMarkdown } from '../report/plan-markdown.ts';
import { formatPlanText } from '../report/plan-text.ts';
import { repositoryCommit } from './git.ts';
import type { Io } from './io.ts';
import { emptyLive, liveReader, loadLiveProject, scrubbed } from './live-project.ts';
import { LIVE_HELP, LIVE_OPTIONS, liveSource } from './live-source.ts';
import { toolVersion } from './version.ts';

export const PLAN_HELP = `Usage: tfy-lint plan [PATH...] [options]

Checks the project as \`tfy-lint check\` does, reads the live state of the kinds the project holds (from the
platform, or from a snapshot), and shows what applying the project would change: resources to create, update
(field by field) and delete; for rate-limiting, budget and load-balancing rule lists and virtual-model routing, also
which requests get another rule or route. Rules that need live state run too. Nothing is written to the platform.

Options:
  -f, --format NAME        text (default), json or markdown
      --out FILE           also save the plan as JSON, with the live-state fingerprints, the commit and the tool version
      --prune              plan deleting live resources of the project's types that the project does not define
      --detailed-exitcode  exit 0 when there are no changes, 2 when there are, 1 on an error
${LIVE_HELP}
  -c, --config PATH        config file (default: tfy-lint.config.yaml or .tfy-lint.yaml at the project root)
      --root DIR           project root
      --max-file-size SIZE skip files larger than SIZE (default 10MB)
      --color / --no-color force colours on or off
  -h, --help               show this help

Exit codes: 0 planned (with or without changes), 1 findings or plan errors, 2 usage, config, platform or internal
error. With --detailed-exitcode: 0 no changes, 1 error (any kind), 2 changes.
`;

const PLAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  out: { type: 'string' },
  prune: { type: 'boolean' },
  'detailed-exitcode': { type: 'boolean' },
  ...PROJECT_OPTIONS,
  ...LIVE_OPTIONS,
} as const;

export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;

export async function runPlan(args: string[], rawIo: Io): Promise<number> {
  const io = scrubbed(rawIo, [rawIo.env.TFY_API_KEY]);
  const detailed = args.includes('--detailed-exitcode');
  try {
    return await plan(args, io);
  } catch (e) {
    // With --detailed-exitcode, 2 means "changes": every failure is 1.
    if (detailed && isExpectedError(e)) {
      io.stderr.write(`tfy-lint: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function plan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, PLAN_OPTIONS);
  if (values.help) { io.stdout.write(PLAN_HELP); return 0; }
  const format = (values.format ?? 'text') as (typeof PLAN_FORMATS)[number];
  if (!PLAN_FORMATS.includes(format)) throw new UsageError(`unknown --format "${values.format}"; use ${PLAN_FORMATS.join(', ')}`);
  const source = liveSource(values, io, 'plan');
  const detailed = Boolean(values['detailed-exitcode']);
  const prune = Boolean(values.prune);
  const errorExit = 1;

  const { loaded, display, color, stylish } = loadLiveProject(values, positionals, io, source);

  // Check first: with errors in the files themselves there is nothing sound to plan. Then the live state of the
  // kinds the project holds (with --prune, also of what may route to deleted accounts, where a control plane that
  // does not serve one leaves a warning, not a failure), the rules with live state, and the plan.
  const planned = await planProject(loaded, liveReader(source, loaded, io), emptyLive(source), { prune });
  if (!planned.computed) {
    const { diagnostics } = planned;
    if (format === 'text') io.stdout.write(stylish(diagnostics));
    else io.stdout.write(renderEmpty(format, diagnostics, display));
    io.stderr.write(`tfy-lint: plan not computed: ${countDiagnostics(diagnostics).errors} errors in the project (fix them, then plan again)\n`);
    return errorExit;
  }
  const all = planned.diagnostics;
  const result: Plan = planned.plan;

  if (format === 'text') {
    io.stdout.write(stylish(all));
    io.stdout.write('\n');
    io.stdout.write(formatPlanText(result, { color, display }));
  } else if (format === 'json') {
    io.stdout.write(formatPlanJson(result, { display }));
  } else {
    io.stdout.write(formatPlanMarkdown(result, { display }));
  }
  if (values.out) {
    const commit = repositoryCommit(loaded.target.root);
    io.writeFile(resolve(io.cwd, values.out), formatPlanJson(result, {
      display, documents: true,
      meta: {
        kind: 'tfy-lint/plan',
        tool: { name: 'tfy-lint', version: toolVersion() },
        repository: { root: relative(io.cwd, loaded.target.root).split('\\').join('/') || '.', commit: commit ?? null },
        createdAt: new Date().toISOString(),
      },
    }));
  }
  const errors = all.some((d) => d.severity === 'error');
  if (errors) return errorExit;
  const changes = result.changes.length > 0;
  return detailed && changes ? 2 : 0;
}

/** The JSON or Markdown output when the plan was not computed: only the findings. */
function renderEmpty(format: 'json' | 'markdown', diagnostics: Diagnostic[], display: (f: string) => string): string {
  const empty = notComputedPlan(diagnostics);
  if (format === 'json') return formatPlanJson(empty, { display, meta: { computed: false } });
  return `${formatPlanMarkdown(empty, { display, title: 'tfy-lint plan: not computed (the project has errors)' })}`;
}
