// CLI: the offline pipeline (load -> parse -> validate -> lint), shared by every command that reads a repository.
import { relative, resolve } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { inScope, listManifestFiles, readSource, resolveTarget, type Target } from '../load/files.ts';
import { loadConfig, type Config } from '../lint/config.ts';
import { runLint } from '../lint/engine.ts';
import type { TextEdit } from '../lint/fix.ts';
import { BUILT_IN_PACKS, resolveSettings } from '../lint/policies.ts';
import { buildProjectIndex, withLive, type LiveView, type ProjectIndex } from '../project/index.ts';
import { REGISTRY } from '../rules/index.ts';
import type { Manifest } from '../parse/manifest.ts';
import { resolveComposition, type Composition } from '../project/composition.ts';
import { parseSource, type ParseOptions } from '../parse/yaml.ts';
import { loadSchemaSet, validateManifest, type SchemaSet } from '../validate/index.ts';

export interface PipelineOptions {
  cwd: string;
  paths: string[];
  root?: string;
  configPath?: string;
  maxFileSize: number;
  /** How YAML is parsed (the fast path is on by default; tests turn it off to compare). */
  parse?: ParseOptions;
}

export interface PipelineResult {
  target: Target;
  config: Config;
  schemas: SchemaSet;
  /** Every manifest of the project (cross-file rules need them all). */
  manifests: Manifest[];
  /** Diagnostics on the files in scope, sorted and deduplicated. */
  diagnostics: Diagnostic[];
  /** Source text of the files in scope, for code frames. */
  sources: Map<string, string>;
  filesInScope: number;
  documentsInScope: number;
  project: ProjectIndex;
  /** Fixes of fixable findings, as text edits by file. */
  edits: Map<string, TextEdit[]>;
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export function runPipeline(opts: PipelineOptions): PipelineResult {
  return lintProject(loadProject(opts));
}

/** The project read, parsed and validated, before any rule ran (what `plan` needs to decide what to read live). */
export interface LoadedProject extends Omit<PipelineResult, 'project' | 'edits'> {
  settings: ReturnType<typeof resolveSettings>;
  /** Which documents are fragments of which composed gateway config (the config's compose entries). */
  composition: Composition;
}

/** Load, parse and schema-validate every manifest of the project (the first half of the pipeline). */
export function loadProject(opts: PipelineOptions): LoadedProject {
  const target = resolveTarget(opts.cwd, opts.paths, opts.root);
  const schemas = loadSchemaSet();
  const config = loadConfig(target.root, schemas, opts.configPath ? { cwd: opts.cwd, path: opts.configPath } : undefined);
  const settings = resolveSettings(target.root, config, REGISTRY, schemas);
  // Policy files the config names are YAML but not manifests.
  const policyFiles = [...config.policies, ...(config.extends ?? []).filter((e) => !(BUILT_IN_PACKS as readonly string[]).includes(e))]
    .map((p) => relative(target.root, resolve(target.root, p)).split('\\').join('/'));
  // So is a config file named with --config (the usual names are never manifests).
  const configFiles = config.file && !config.file.startsWith('../') ? [config.file] : [];
  const files = listManifestFiles(target, [...config.ignore, ...policyFiles, ...configFiles]);
  const diagnostics: Diagnostic[] = [];
  const manifests: Manifest[] = [];
  const sources = new Map<string, string>();
  let filesInScope = 0;
  let documentsInScope = 0;
  for (const file of files) {
    const scoped = inScope(target, file);
    const src = readSource(target.root, file, opts.maxFileSize);
    if (scoped) filesInScope++;
    if (!('text' in src)) {
      if (scoped) {
        const at = { line: src.line, column: src.column };
        diagnostics.push({ ruleId: 'load', severity: 'error', message: src.message, file, docIndex: -1, path: [], range: { start: at, end: at } });
      }
      continue;
    }
    const parsed = parseSource(src, opts.parse);
    manifests.push(...parsed.manifests);
    if (!scoped) continue;
    sources.set(file, src.text);
    documentsInScope += parsed.manifests.length;
    diagnostics.push(...parsed.diagnostics);
    for (const m of parsed.manifests) diagnostics.push(...validateManifest(m, schemas));
  }
  const configFile = config.file ?? 'tfy-lint.config.yaml';
  const composition = resolveComposition(manifests, config.compose, { file: configFile, manifest: config.manifest });
  for (const d of composition.diagnostics) {
    if (!inScope(target, d.file)) continue;
    diagnostics.push(d);
    if (d.file === configFile && config.text !== undefined) sources.set(configFile, config.text);
  }
  return { target, config, settings, schemas, manifests, composition, diagnostics: sortDiagnostics(diagnostics), sources, filesInScope, documentsInScope };
}

export interface LintOptions {
  /** Live state for rules (ProjectIndex.live); only `plan` passes it. */
  live?: LiveView;
  /** Which kinds of rules run (default: document and project; `plan` adds live). */
  kinds?: ReadonlySet<'document' | 'project' | 'live'>;
}

/** Runs the rules over a loaded project (the second half of the pipeline). */
export function lintProject(loaded: LoadedProject, opts: LintOptions = {}): PipelineResult {
  const { target, settings, sources, manifests } = loaded;
  // Copies: folding rule findings into schema findings edits their hints, and a loaded project may be linted twice.
  const diagnostics = loaded.diagnostics.map((d) => ({ ...d }));
  // Rules read only documents whose type tfy-lint knows: a wrong or unknown type is reported once, by the schema.
  const base = buildProjectIndex(manifests.filter((m) => m.type !== undefined && loaded.schemas.validator(m.type) !== undefined), loaded.composition);
  const project = opts.live ? withLive(base, opts.live) : base;
  const lint = runLint({ project, registry: REGISTRY, settings, sources, inScope: (f) => inScope(target, f), kinds: opts.kinds });
  diagnostics.push(...withoutSchemaRepeats(diagnostics, lint.diagnostics, lint.edits));
  const { settings: _settings, composition: _composition, ...rest } = loaded;
  void _settings; void _composition;
  return { ...rest, diagnostics: sortDiagnostics(diagnostics), project, edits: lint.edits };
}

/**
 * One root cause, one finding: a rule finding marked as overlapping the schema, at the very place the schema already
 * reported, is dropped (its fix
 * is kept, and the schema finding's hint says it can be fixed).
 */
function withoutSchemaRepeats(existing: Diagnostic[], found: Diagnostic[], edits: Map<string, TextEdit[]>): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.file}\u0000${d.docIndex}\u0000${JSON.stringify(d.path)}`;
  const schemaAt = new Map(existing.filter((d) => d.ruleId === 'schema').map((d) => [key(d), d]));
  if (schemaAt.size === 0) return found;
  return found.filter((d) => {
    const s = d.overlapsSchema ? schemaAt.get(key(d)) : undefined;
    if (!s) return true;
    // The rule usually knows more about the cause than the schema (e.g. which account an integration belongs to).
    s.hint = `${s.hint ? `${s.hint} ` : ''}${d.ruleId}: ${d.message}.`;
    if (edits.has(d.file) && !s.hint.includes('--fix')) s.hint = `${s.hint} tfy-lint check --fix corrects this.`;
    return false;
  });
}
