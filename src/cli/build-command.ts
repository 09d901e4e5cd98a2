// CLI: `tfy-lint build`: check the project, then write the compiled desired state (composed, defaults applied).
import { relative, resolve } from 'node:path';
import { countDiagnostics } from '../core/diagnostic.ts';
import { UsageError } from '../core/errors.ts';
import { plural } from '../core/text.ts';
import { compileResources, type CompiledResource } from '../compile/build.ts';
import { buildDesiredState } from '../compile/compose.ts';
import { manifestYaml } from '../compile/output.ts';
import { BUILD_MARKER, resolveTarget } from '../load/files.ts';
import { formatStylish } from '../report/stylish.ts';
import { useColor, type Io } from './io.ts';
import { DEFAULT_MAX_FILE_SIZE, runPipeline } from '../project/pipeline.ts';
import { parseCommand, parseSize, PROJECT_OPTIONS } from './args.ts';
import { displayPath, forDisplay } from './display.ts';
import { toolVersion } from './version.ts';

export const BUILD_HELP = `Usage: tfy-lint build [PATH] (--out DIR | --format json) [options]

Checks the project as \`tfy-lint check\` does and, when it has no errors, writes the compiled desired state:
every resource as the platform will receive it, with singleton gateway configs composed from their fragments
(the config's compose entries) and schema defaults filled in. Comments are dropped; the output is the same for
the same input, byte for byte, and passes \`tfy-lint check\`. plan compares this same state with the platform.

Options:
      --out DIR            write one YAML manifest per resource under DIR (providers/<provider>/<name>.yaml,
                           gateway/<type>.yaml, ...). DIR is replaced as a whole; it must be new, empty, or
                           the output of an earlier build (it holds ${BUILD_MARKER}).
  -f, --format json        print the compiled state as one JSON document on stdout
  -c, --config PATH        config file (default: tfy-lint.config.yaml or .tfy-lint.yaml at the project root)
      --root DIR           project root
      --max-file-size SIZE skip files larger than SIZE (default 10MB)
      --color / --no-color colours of the findings printed on stderr
  -h, --help               show this help

Findings go to stderr. Exit codes: 0 built, 1 the project has errors (nothing is written), 2 usage, config or
internal error.
`;

const BUILD_OPTIONS = {
  out: { type: 'string' },
  format: { type: 'string', short: 'f' },
  ...PROJECT_OPTIONS,
} as const;

/** Version of the JSON that `build --format json` prints (fields are only ever added within a version). */
export const BUILD_JSON_VERSION = 1;

export async function runBuild(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, BUILD_OPTIONS);
  if (values.help) { io.stdout.write(BUILD_HELP); return 0; }
  if (values.format !== undefined && values.format !== 'json') throw new UsageError(`unknown --format "${values.format}"; build writes json (or YAML files with --out)`);
  const json = values.format === 'json';
  if (!json && values.out === undefined) throw new UsageError('build needs --out DIR (YAML manifests) or --format json (stdout)');
  if (positionals.length > 1) throw new UsageError('build takes one project folder');

  // The compiled state is the whole project's: a build of some files would hide errors in the others.
  if (resolveTarget(io.cwd, positionals, values.root).scope.length) throw new UsageError('build takes the project folder, not files within it (it compiles the whole project)');
  const result = runPipeline({
    cwd: io.cwd, paths: positionals, root: values.root, configPath: values.config,
    maxFileSize: values['max-file-size'] ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE,
  });
  const counts = countDiagnostics(result.diagnostics);
  if (result.diagnostics.length) {
    io.stderr.write(formatStylish({
      ...forDisplay(result.diagnostics, result.sources, displayPath(result.target.root, io.cwd)),
      files: result.filesInScope, documents: result.documentsInScope, color: useColor(io.env, io.stderr, values['no-color'] ? false : values.color ? true : undefined),
    }));
  }
  if (counts.errors > 0) {
    io.stderr.write(`tfy-lint: nothing built: ${plural(counts.errors, 'error')} in the project (fix them, then build again)\n`);
    return 1;
  }

  const composition = result.project.composition;
  const resources = compileResources(buildDesiredState(result.manifests, composition).documents, result.schemas);
  if (json) io.stdout.write(buildJson(resources));
  if (values.out !== undefined) {
    const dir = resolve(io.cwd, values.out);
    const files = new Map(resources.map((r) => [r.path, resourceYaml(r)]));
    const marker = { kind: 'tfy-lint/build', version: BUILD_JSON_VERSION, tool: { name: 'tfy-lint', version: toolVersion() }, files: [...files.keys()] };
    files.set(BUILD_MARKER, `${JSON.stringify(marker, null, 2)}\n`);
    io.replaceDir(dir, files, BUILD_MARKER);
    const composed = resources.filter((r) => r.composed).length;
    const shownDir = relative(io.cwd, dir).split('\\').join('/') || '.';
    (json ? io.stderr : io.stdout).write(`Built ${plural(resources.length, 'resource')} into ${shownDir}/ (${plural(composed, 'composed config')}).\n`);
  }
  const masked = resources.filter((r) => r.masked > 0);
  if (masked.length) {
    io.stderr.write(`tfy-lint: ${plural(masked.length, 'resource')} hold secret values that are not tfy-secret:// references; they are written masked (${masked.map((r) => `${r.type} "${r.name}"`).slice(0, 3).join(', ')})\n`);
  }
  return 0;
}

// Sources are named relative to the project root, so that the output does not depend on where build ran.
function resourceYaml(r: CompiledResource): string {
  const from = r.sources.map((s) => `${s.file}:${s.line}`);
  const header = from.length === 1
    ? [`Built by tfy-lint from ${from[0]}; edit that file, not this one.`]
    : [`Built by tfy-lint: ${r.type} "${r.name}" composed from ${from.length} fragments, in rule order:`, ...from.map((f) => `  ${f}`), 'Edit those files, not this one.'];
  if (r.masked) header.push(`${plural(r.masked, 'secret value')} below ${r.masked === 1 ? 'is' : 'are'} masked: use tfy-secret:// references in the sources.`);
  return manifestYaml(r.manifest, header);
}

function buildJson(resources: readonly CompiledResource[]): string {
  const out = {
    version: BUILD_JSON_VERSION,
    resources: resources.map((r) => ({
      type: r.type, name: r.name, file: r.path,
      sources: r.sources.map((s) => ({ file: s.file, docIndex: s.docIndex, line: s.line })),
      manifest: r.manifest,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
