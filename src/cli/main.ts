// CLI: the only place that reads argv, env and the streams; main(argv, io) returns the exit code.
import { join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { parseCommand, parseSize, PROJECT_OPTIONS } from './args.ts';
import { checkReports } from './check-report.ts';
import { countDiagnostics, severityAtLeast, type Diagnostic, type Severity } from '../core/diagnostic.ts';
import { isExpectedError, UsageError } from '../core/errors.ts';
import { formatReport, formatReportParts, FORMATS, type FormatName } from '../report/index.ts';
import { useColor, writeParts, type Io } from './io.ts';
import { applyEdits, unifiedDiff } from '../lint/fix.ts';
import { checkOutcome, DEFAULT_MAX_FILE_SIZE, runCheckPipeline, runPipeline, type PipelineResult } from '../project/pipeline.ts';
import { runRules } from './rules-command.ts';
import { runPlan } from './plan-command.ts';
import { runApplyCommand } from './apply-command.ts';
import { runDrift } from './drift-command.ts';
import { runDump } from './dump-command.ts';
import { runBuild } from './build-command.ts';
import { runSchema } from './schema-command.ts';
import { buildId, toolVersion } from './version.ts';

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

const GLOBAL_HELP = `tfy-lint: validate, lint and plan TrueFoundry AI Gateway manifests kept in git

Usage: tfy-lint <command> [options]

Commands:
  check [PATH...]   Validate and lint manifests offline (default PATH: .)
  plan [PATH...]    Check, read the live state, and show what applying would change
  apply [PATH]      Check, plan (or take a saved plan), confirm, and change the platform in dependency order
  drift [PATH]      Compare the live state with the repository: what changed outside git (exit 2 when they differ)
  build             Write the compiled desired state (fragments composed, defaults applied) to --out DIR or as JSON
  dump              Write the live state as a JSON snapshot (--json) or as YAML manifests (--out DIR)
  rules [ID]        List the lint rules, or show one rule's documentation
  schema [TYPE]     Print JSON Schemas for editors, or write VS Code settings (--write-vscode)

Options:
  -h, --help        Show help (also: tfy-lint <command> --help)
  -v, --version     Print the version

Exit codes: 0 no findings, 1 findings, 2 usage, config or internal error.
`;

const CHECK_HELP = `Usage: tfy-lint check [PATH...] [options]

Loads every *.yaml / *.yml manifest of the project, validates each document against the JSON Schema of its
type and reports problems with file, line and column. Named files are reported on while the whole project
is still read (as a pre-commit hook passes file names).

Options:
  -f, --format NAME        stylish (default), compact, json, github, sarif, junit or gitlab; repeatable
  -o, --output-file PATH   write the report of the --format at the same position to PATH; repeatable
      --sarif-category ID  SARIF automationDetails.id, to tell several uploads for one commit apart (default tfy-lint/)
      --fail-severity SEV  lowest severity that fails the run: error (default), warning or info
      --max-warnings N     also fail when there are more than N warnings
      --quiet              report errors only
      --fix                apply the fixes of fixable rules to the files (comments and layout kept), then report what is left
      --fix-dry-run        print the fixes as a diff instead of writing them
      --cache              keep per-file results between runs (the default) and reuse those of unchanged files
      --no-cache           neither read nor write the cache
      --cache-location P   the cache file, or a folder for it (default: node_modules/.cache/tfy-lint/ in the
                           project when it has node_modules, else the user's cache folder)
  -c, --config PATH        config file (default: tfy-lint.config.yaml or .tfy-lint.yaml at the project root)
      --root DIR           project root (default: the nearest folder with a config, else the folder given)
      --max-file-size SIZE skip files larger than SIZE (default 10MB; units B, KB, MB)
      --color / --no-color force colours on or off (default: NO_COLOR, FORCE_COLOR, then whether stdout is a terminal)
  -h, --help               show this help

Exit codes: 0 nothing at or above --fail-severity, 1 findings, 2 usage, config or internal error.
`;

const CHECK_OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  'output-file': { type: 'string', short: 'o', multiple: true },
  'sarif-category': { type: 'string' },
  'fail-severity': { type: 'string' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  cache: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'cache-location': { type: 'string' },
  ...PROJECT_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

function severityOption(v: string | undefined): Severity {
  if (v === undefined) return 'error';
  const s = v === 'warn' ? 'warning' : v;
  if (s !== 'error' && s !== 'warning' && s !== 'info') throw new UsageError(`--fail-severity takes error, warning or info, not "${v}"`);
  return s;
}

interface ReportTarget { format: FormatName; file?: string }

function reportTargets(formats: string[] | undefined, files: string[] | undefined): ReportTarget[] {
  const fs = formats?.length ? formats : ['stylish'];
  for (const f of fs) if (!FORMATS.includes(f as FormatName)) throw new UsageError(`unknown --format "${f}"; use ${FORMATS.join(', ')}`);
  const outs = files ?? [];
  if (outs.length > fs.length) throw new UsageError('more --output-file than --format options: pair each --output-file with a --format');
  const targets = fs.map((format, i) => ({ format: format as FormatName, file: outs[i] === '-' ? undefined : outs[i] }));
  if (targets.filter((t) => !t.file).length > 1) throw new UsageError('only one report can go to stdout; give the others an --output-file');
  return targets;
}

async function runCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, CHECK_OPTIONS);
  if (values.help) { io.stdout.write(CHECK_HELP); return EXIT.ok; }
  const failSeverity = severityOption(values['fail-severity']);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings takes a whole number, not "${values['max-warnings']}"`);
  }
  const targets = reportTargets(values.format, values['output-file']);
  if (values.fix && values['fix-dry-run']) throw new UsageError('use either --fix or --fix-dry-run, not both');
  if (values.cache && values['no-cache']) throw new UsageError('use either --cache or --no-cache, not both');
  if (values['no-cache'] && values['cache-location'] !== undefined) throw new UsageError('--cache-location has no use with --no-cache');
  const pipelineOptions = {
    cwd: io.cwd,
    paths: positionals,
    root: values.root,
    configPath: values.config,
    maxFileSize: values['max-file-size'] ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE,
    cache: values['no-cache'] ? undefined : { location: values['cache-location'], env: io.env, platform: process.platform, buildId: buildId() },
  };
  const fixing = Boolean(values.fix || values['fix-dry-run']);
  const first = await runCheckPipeline(pipelineOptions, !fixing, io.env);
  let result = first.outcome;
  // A cache that cannot be written costs speed, not correctness: said only when its location was asked for.
  if (result.cacheProblem && values['cache-location'] !== undefined) for (const p of result.cacheProblem) io.stderr.write(`tfy-lint: warning: ${p}\n`);
  if (fixing && first.result && result.edits.size) {
    const fixed = applyFixes(first.result, Boolean(values['fix-dry-run']), io);
    // Report what is left after the fixes, as the files now are.
    if (fixed && values.fix) result = checkOutcome(runPipeline(pipelineOptions));
  }

  let diagnostics: Diagnostic[] = result.diagnostics;
  if (values.quiet) diagnostics = diagnostics.filter((d) => d.severity === 'error');
  const reports = checkReports(result, { cwd: io.cwd, quiet: Boolean(values.quiet), version: toolVersion(), category: values['sarif-category'] });
  const colorFlag = values['no-color'] ? false : values.color ? true : undefined;
  for (const t of targets) {
    const input = reports.input(t.format, t.file ? false : useColor(io.env, io.stdout, colorFlag));
    if (t.file) writeParts(io, resolve(io.cwd, t.file), formatReportParts(t.format, input, reports.sarif));
    else io.stdout.write(formatReport(t.format, input, reports.sarif));
  }
  const counts = countDiagnostics(diagnostics);
  const failing = diagnostics.some((d) => severityAtLeast(d.severity, failSeverity));
  if (failing || (maxWarnings >= 0 && counts.warnings > maxWarnings)) return EXIT.findings;
  return EXIT.ok;
}

/** Applies (or, for a dry run, prints as diffs) the collected fixes; returns whether any file changed. */
function applyFixes(result: PipelineResult, dryRun: boolean, io: Io): boolean {
  let changed = false;
  // Every text first: one a run let go of is read again and must be the one checked, else the run stops (exit 2),
  // and it must stop before any file was written, not halfway through the fixes.
  const texts = [...result.edits].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, edits]) => [file, edits, result.sources.get(file)] as const);
  for (const [file, edits, text] of texts) {
    if (text === undefined) continue;
    const outcome = applyEdits(file, text, edits);
    if (outcome.error) { io.stderr.write(`tfy-lint: ${file}: ${outcome.error}\n`); continue; }
    if (outcome.text === text) continue;
    changed = true;
    if (dryRun) io.stdout.write(unifiedDiff(file, text, outcome.text));
    else io.writeFile(join(result.target.root, file), outcome.text);
  }
  return changed;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(GLOBAL_HELP);
        return command === undefined ? EXIT.error : EXIT.ok;
      case '-v':
      case '--version':
        io.stdout.write(`${toolVersion()}\n`);
        return EXIT.ok;
      case 'check':
        return await runCheck(rest, io);
      case 'plan': return await runPlan(rest, io);
      case 'apply': return await runApplyCommand(rest, io);
      case 'drift': return await runDrift(rest, io);
      case 'dump': return await runDump(rest, io);
      case 'build': return await runBuild(rest, io);
      case 'schema': return await runSchema(rest, io);
      case 'rules':
        return await runRules(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"; run tfy-lint --help`);
    }
  } catch (e) {
    if (isExpectedError(e)) {
      io.stderr.write(`tfy-lint: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`tfy-lint: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.error;
  }
}
