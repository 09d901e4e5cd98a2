// CLI: `tfy-lint drift`: compare the live platform with the repository and say what changed outside git, and when.
import { parseCommand, parseSize, PROJECT_OPTIONS } from './args.ts';
import { displayPath, forDisplay } from './display.ts';
import { countDiagnostics, sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { isExpectedError, UsageError } from '../core/errors.ts';
import { buildDesiredState } from '../compile/compose.ts';
import { displayUrl } from '../live/client.ts';
import { kindsFor } from '../live/kinds.ts';
import { makeLiveState } from '../live/state.ts';
import { liveView } from '../live/view.ts';
import { computeDrift, type Drift } from '../plan/drift.ts';
import { formatStylish } from '../report/stylish.ts';
import { formatDriftJson } from '../report/drift-json.ts';
import { formatDriftMarkdown } from '../report/drift-markdown.ts';
import { formatDriftText } from '../report/drift-text.ts';
import { useColor, type Io } from './io.ts';
import { LIVE_HELP, LIVE_OPTIONS, liveSource, loadLiveState } from './live-source.ts';
import { DEFAULT_MAX_FILE_SIZE, lintProject, loadProject } from '../project/pipeline.ts';
import { scrubbed } from './plan-command.ts';

export const DRIFT_HELP = `Usage: tfy-lint drift [PATH] [options]

Reads the live state of the kinds the project holds (from the platform, or from a snapshot) and compares it with
the project: resources changed on the platform (field by field, with when the platform says it changed them and
the subject it recorded), resources the repository defines that the platform no longer has ("deleted outside git"),
and live resources of the project's types that the repository does not define ("created outside git"). The project
is checked as \`tfy-lint check\` does. Nothing is written anywhere.

Options:
  -f, --format NAME        text (default), json or markdown
      --ignore-unmanaged   leave out live resources the repository does not define
${LIVE_HELP}
  -c, --config PATH        config file (default: tfy-lint.config.yaml or .tfy-lint.yaml at the project root);
                           its drift.ignore lists type/name[/field path] globs of differences that are not drift
      --root DIR           project root
      --max-file-size SIZE skip files larger than SIZE (default 10MB)
      --color / --no-color force colours on or off
  -h, --help               show this help

Exit codes: 0 the platform matches the repository, 2 they differ, 1 findings in the project or an error (usage,
config, platform).
`;

const DRIFT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  'ignore-unmanaged': { type: 'boolean' },
  ...PROJECT_OPTIONS,
  ...LIVE_OPTIONS,
} as const;

export const DRIFT_FORMATS = ['text', 'json', 'markdown'] as const;

/** Exit codes of drift: 2 is reserved for "they differ", so every failure is 1. */
export const DRIFT_EXIT = { inSync: 0, error: 1, drift: 2 } as const;

export async function runDrift(args: string[], rawIo: Io): Promise<number> {
  const io = scrubbed(rawIo, [rawIo.env.TFY_API_KEY]);
  try {
    return await drift(args, io);
  } catch (e) {
    if (isExpectedError(e)) io.stderr.write(`tfy-lint: ${e.message}\n`);
    else io.stderr.write(`tfy-lint: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return DRIFT_EXIT.error;
  }
}

async function drift(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, DRIFT_OPTIONS);
  if (values.help) { io.stdout.write(DRIFT_HELP); return DRIFT_EXIT.inSync; }
  const format = (values.format ?? 'text') as (typeof DRIFT_FORMATS)[number];
  if (!DRIFT_FORMATS.includes(format)) throw new UsageError(`unknown --format "${values.format}"; use ${DRIFT_FORMATS.join(', ')}`);
  if (positionals.length > 1) throw new UsageError('drift compares one project: give at most one PATH');
  const source = liveSource(values, io, 'drift');

  const loaded = loadProject({
    cwd: io.cwd, paths: positionals, root: values.root, configPath: values.config,
    maxFileSize: values['max-file-size'] ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE,
  });
  const inProject = displayPath(loaded.target.root, io.cwd);
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

  // 1. A project with errors in its files describes nothing sound to compare with.
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    const checked = lintProject(loaded);
    if (format === 'text') io.stdout.write(stylish(checked.diagnostics));
    else io.stdout.write(renderNotComputed(format, checked.diagnostics, display));
    io.stderr.write(`tfy-lint: drift not computed: ${countDiagnostics(checked.diagnostics).errors} errors in the project (fix them, then run drift again)\n`);
    return DRIFT_EXIT.error;
  }

  // 2. The live state of the kinds the project holds, the rules (with live state), the comparison.
  const desired = buildDesiredState(loaded.manifests, loaded.composition);
  const kinds = kindsFor(desired.documents.map((d) => d.type));
  const live = kinds.length
    ? await loadLiveState(source, kinds, loaded.schemas)
    : { state: makeLiveState(source.kind === 'file' ? source.display : displayUrl(source.baseUrl), [], []), notes: [], requests: 0 };
  for (const n of live.notes) io.stderr.write(`tfy-lint: note: ${n}\n`);
  const checked = lintProject(loaded, { live: liveView(live.state), kinds: new Set(['document', 'project', 'live']) });
  const computed = computeDrift(desired.documents, live.state, loaded.schemas, {
    ignoreUnmanaged: Boolean(values['ignore-unmanaged']), ignore: loaded.config.drift.ignore,
  });
  const all = sortDiagnostics([...checked.diagnostics, ...computed.plan.diagnostics]);
  const result: Drift = { ...computed, plan: { ...computed.plan, diagnostics: all } };

  if (format === 'text') {
    io.stdout.write(stylish(all));
    io.stdout.write('\n');
    io.stdout.write(formatDriftText(result, { color, display }));
  } else if (format === 'json') {
    io.stdout.write(formatDriftJson(result, { display }));
  } else {
    io.stdout.write(formatDriftMarkdown(result, { display }));
  }
  if (all.some((d) => d.severity === 'error')) return DRIFT_EXIT.error;
  return result.inSync ? DRIFT_EXIT.inSync : DRIFT_EXIT.drift;
}

function renderNotComputed(format: 'json' | 'markdown', diagnostics: Diagnostic[], display: (f: string) => string): string {
  const empty: Drift = {
    plan: {
      changes: [], summary: { create: 0, update: 0, delete: 0 }, unchanged: 0, unmanaged: [], notCompared: [], liveFingerprint: '',
      resourceFingerprints: {}, scope: [], prune: false, liveSource: '(not read)', diagnostics,
    },
    items: [], ignored: [], inSync: false, fingerprint: '',
  };
  if (format === 'json') return formatDriftJson(empty, { display, meta: { computed: false } });
  return formatDriftMarkdown(empty, { display, title: 'tfy-lint drift: not computed (the project has errors)' });
}
