// CLI: `tfy-lint plan`: check, read the live state, and show what applying the repository would change.
import { relative, resolve } from 'node:path';
import { parseCommand, parseSize, PROJECT_OPTIONS } from './args.ts';
import { displayPath, forDisplay } from './display.ts';
import { countDiagnostics, FILE_START, sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { isExpectedError, UsageError } from '../core/errors.ts';
import { buildDesiredState } from '../compile/compose.ts';
import { displayUrl } from '../live/client.ts';
import { kindsFor, REFERENCING_KINDS } from '../live/kinds.ts';
import { scrub } from '../core/mask.ts';
import { makeLiveState } from '../live/state.ts';
import { liveView } from '../live/view.ts';
import { computePlan, LIVE_STATE_FILE } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';
import { formatStylish } from '../report/stylish.ts';
import { formatPlanJson } from '../report/plan-json.ts';
import { formatPlanMarkdown } from '../report/plan-markdown.ts';
import { formatPlanText } from '../report/plan-text.ts';
import { repositoryCommit } from './git.ts';
import { useColor, type Io } from './io.ts';
import { LIVE_HELP, LIVE_OPTIONS, liveSource, loadLiveState, type LoadedLive } from './live-source.ts';
import { DEFAULT_MAX_FILE_SIZE, lintProject, loadProject } from '../project/pipeline.ts';
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

/** An Io whose every output has the API key replaced, whatever produced the text. */
export function scrubbed(io: Io, secrets: readonly (string | undefined)[]): Io {
  return {
    ...io,
    stdout: { write: (s) => io.stdout.write(scrub(s, secrets)), isTTY: io.stdout.isTTY },
    stderr: { write: (s) => io.stderr.write(scrub(s, secrets)), isTTY: io.stderr.isTTY },
    writeFile: (p, t) => io.writeFile(p, scrub(t, secrets)),
  };
}

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

  const loaded = loadProject({
    cwd: io.cwd, paths: positionals, root: values.root, configPath: values.config,
    maxFileSize: values['max-file-size'] ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE,
  });
  const inProject = displayPath(loaded.target.root, io.cwd);
  // Places in the live state (and the snapshot or URL it came from) are shown as they are.
  const display = (file: string) => {
    if (file.startsWith('live:') || file.startsWith('(')) return file;
    if (source.kind === 'file' && file === source.display) return file;
    if (/^https?:\/\//.test(file)) return file;
    return inProject(file);
  };
  const colorFlag = values['no-color'] ? false : values.color ? true : undefined;
  const color = useColor(io.env, io.stdout, colorFlag);
  const stylish = (diagnostics: Diagnostic[]) => formatStylish({
    ...forDisplay(diagnostics, loaded.sources, display), files: loaded.filesInScope, documents: loaded.documentsInScope, color,
  });

  // 1. Check first: with errors in the files themselves there is nothing sound to plan.
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    const checked = lintProject(loaded);
    if (format === 'text') io.stdout.write(stylish(checked.diagnostics));
    else io.stdout.write(renderEmpty(format, checked.diagnostics, display));
    io.stderr.write(`tfy-lint: plan not computed: ${countDiagnostics(checked.diagnostics).errors} errors in the project (fix them, then plan again)\n`);
    return errorExit;
  }

  // 2. The live state of the kinds the project holds (and, with --prune, of what may route to deleted accounts).
  const desired = buildDesiredState(loaded.manifests, loaded.composition);
  const held = kindsFor(desired.documents.map((d) => d.type));
  const kinds = kindsFor(desired.documents.map((d) => d.type), prune ? REFERENCING_KINDS : []);
  // Kinds read only to guard deletes: a control plane that does not serve one leaves a warning, not a failure.
  const live: LoadedLive = kinds.length
    ? await loadLiveState(source, kinds, loaded.schemas, { optional: kinds.filter((k) => !held.includes(k)) })
    : { state: makeLiveState(source.kind === 'file' ? source.display : displayUrl(source.baseUrl), [], []), notes: [], requests: 0 };
  for (const n of live.notes) io.stderr.write(`tfy-lint: note: ${n}\n`);

  // 3. Rules, now with live state, and the plan.
  const checked = lintProject(loaded, { live: liveView(live.state), kinds: new Set(['document', 'project', 'live']) });
  const computed = computePlan(desired.documents, live.state, loaded.schemas, { prune });
  const unread: Diagnostic[] = (live.unread ?? []).map((u) => ({
    ruleId: 'plan', severity: 'warning', file: LIVE_STATE_FILE, docIndex: -1, path: [], range: FILE_START,
    message: `could not read ${u.kind} (the platform does not serve its list: ${u.message}): whether ${u.kind} resources still route to what this plan deletes was not checked`,
    hint: 'An older control plane may not have this list; check those resources by hand before applying deletes.',
  }));
  const all = sortDiagnostics([...checked.diagnostics, ...computed.diagnostics, ...unread]);
  const result: Plan = { ...computed, diagnostics: all };

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
  const empty: Plan = {
    changes: [], summary: { create: 0, update: 0, delete: 0 }, unchanged: 0, unmanaged: [], notCompared: [], liveFingerprint: '',
    resourceFingerprints: {}, scope: [], prune: false, liveSource: '(not read)', diagnostics,
  };
  if (format === 'json') return formatPlanJson(empty, { display, meta: { computed: false } });
  return `${formatPlanMarkdown(empty, { display, title: 'tfy-lint plan: not computed (the project has errors)' })}`;
}
