// CLI: `tfy-lint drift`: compare the live platform with the repository and say what changed outside git, and when.
import { parseCommand, PROJECT_OPTIONS } from './args.ts';
import { countDiagnostics, sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { isExpectedError, UsageError } from '../core/errors.ts';
import { computeDrift, type Drift } from '../plan/drift.ts';
import { checkWithLive, notComputedPlan } from '../plan/project-plan.ts';
import { formatDriftJson } from '../report/drift-json.ts';
import { formatDriftMarkdown } from '../report/drift-markdown.ts';
import { formatDriftText } from '../report/drift-text.ts';
import type { Io } from './io.ts';
import { emptyLive, liveReader, loadLiveProject, scrubbed } from './live-project.ts';
import { LIVE_HELP, LIVE_OPTIONS, liveSource } from './live-source.ts';

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

  const { loaded, display, color, stylish } = loadLiveProject(values, positionals, io, source);

  // A project with errors in its files describes nothing sound to compare with. Otherwise the live state of the
  // kinds the project holds, the rules (with live state), the comparison.
  const read = await checkWithLive(loaded, liveReader(source, loaded, io), emptyLive(source));
  if (!read.computed) {
    const { diagnostics } = read.checked;
    if (format === 'text') io.stdout.write(stylish(diagnostics));
    else io.stdout.write(renderNotComputed(format, diagnostics, display));
    io.stderr.write(`tfy-lint: drift not computed: ${countDiagnostics(diagnostics).errors} errors in the project (fix them, then run drift again)\n`);
    return DRIFT_EXIT.error;
  }
  const computed = computeDrift(read.desired, read.live.state, loaded.schemas, {
    ignoreUnmanaged: Boolean(values['ignore-unmanaged']), ignore: loaded.config.drift.ignore,
  });
  const all = sortDiagnostics([...read.checked.diagnostics, ...computed.plan.diagnostics]);
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
    plan: notComputedPlan(diagnostics),
    items: [], ignored: [], inSync: false, fingerprint: '',
  };
  if (format === 'json') return formatDriftJson(empty, { display, meta: { computed: false } });
  return formatDriftMarkdown(empty, { display, title: 'tfy-lint drift: not computed (the project has errors)' });
}
