// Project: the offline pipeline (load -> parse -> validate -> lint), shared by both edges (the CLI and the GitHub Action).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { inScope, listManifestFiles, readTextOf, resolveTarget, sourceReadLater, SourceTexts, type FileStat, type SkippedEntry, type SourceFile, type Target } from '../load/files.ts';
import { loadConfig, type Config } from '../lint/config.ts';
import { runLint, type DocumentFinding } from '../lint/engine.ts';
import { contentHash, defaultCacheFile, ResultCache, type CacheEntry } from '../load/cache.ts';
import { compactData } from './compact.ts';
import { HELD_TEXTS, workerCount, workOnFile, workOnFiles, type FileJob, type FileOutcome, type WorkOptions } from './file-work.ts';
import { UsageError } from '../core/errors.ts';
import type { TextEdit } from '../lint/fix.ts';
import type { Rule } from '../lint/rule.ts';
import { BUILT_IN_PACKS, resolveSettings, type LintSettings } from '../lint/policies.ts';
import { buildProjectIndex, withLive, type LiveView, type ProjectIndex } from './index.ts';
import { REGISTRY } from '../rules/index.ts';
import type { Manifest } from '../parse/manifest.ts';
import { resolveComposition, type Composition } from './composition.ts';
import { manifestFromData, releasePositions, type ParseOptions } from '../parse/yaml.ts';
import { loadSchemaSet, validateManifest, type SchemaSet } from '../validate/index.ts';
import { compareWithRecord, documentOf, documentRow, readRecord, recordPathFor, stampRow, writeRecord, type RecordedDocument, type RecordToWrite, type RunRecord } from './run-record.ts';

export interface PipelineOptions {
  cwd: string;
  paths: string[];
  root?: string;
  configPath?: string;
  maxFileSize: number;
  /** How YAML is parsed (the fast path is on by default; tests turn it off to compare). */
  parse?: ParseOptions;
  /** Keep per-file results between runs (check's cache); absent: no cache. */
  cache?: CacheOptions;
  /** How much of the texts it reads the run keeps in memory, in characters (default HELD_TEXTS; see TextBudget). */
  heldTexts?: number;
}

export interface CacheOptions {
  /** --cache-location as given (relative to cwd): a file, or a folder (existing, or written with a trailing /). */
  location?: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** The identity of this build of tfy-lint: results of another build are never used. */
  buildId: string;
}

export interface PipelineResult {
  target: Target;
  config: Config;
  schemas: SchemaSet;
  /** Every manifest of the project (cross-file rules need them all). */
  manifests: Manifest[];
  /** Diagnostics on the files in scope, sorted and deduplicated. */
  diagnostics: Diagnostic[];
  /** Source text of the files in scope, for code frames (most read again when asked for: see ReadFile.release). */
  sources: SourceTexts;
  filesInScope: number;
  documentsInScope: number;
  project: ProjectIndex;
  /** Fixes of fixable findings, as text edits by file. */
  edits: Map<string, TextEdit[]>;
  /** Findings inline comments silenced (each with `suppressed`), sorted: only SARIF reports them. */
  suppressed: Diagnostic[];
  /** The organisation rules (policy `custom:` entries) the run knew, for reports that describe every rule. */
  customRules: Rule[];
  /** Why the cache (or its run record) could not be written, when it could not. */
  cacheProblem?: string[];
  /** Findings of the document rules by file (what the cache keeps of the lint stage). */
  documentFindings: Map<string, DocumentFinding[]>;
  /** The documents of every file, when the run record was written with them (the reports take theirs from it). */
  documents?: Map<string, RecordedDocument[]>;
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export function runPipeline(opts: PipelineOptions, prepared: PreparedProject = prepareProject(opts)): PipelineResult {
  return lintAndKeep(loadProject(opts, prepared), prepared);
}

/** The second half of a run: the rules, then what the cache and the run record keep of it. */
function lintAndKeep(loaded: LoadedProject, prepared: PreparedProject): PipelineResult {
  const cached = loaded.cached;
  const result = lintProject(loaded);
  if (!cached) return result;
  // Every file in scope whose document checks ran here: those with no document of a known type had none to run,
  // and keep that (an entry with compact data serves a file in scope only with them: servesUnparsed).
  for (const [file, entry] of cached.entries) {
    if (entry.lint || !inScope(loaded.target, file)) continue;
    entry.lint = result.documentFindings.get(file) ?? [];
    cached.changed.add(file);
  }
  for (const file of cached.changed) cached.store.set(file, cached.entries.get(file) as CacheEntry);
  // The documents of every file, listed once: for the run record, then for the reports (checkOutcome).
  const documents = recordWanted(prepared, cached) ? documentsOf(result.manifests, prepared.files) : undefined;
  const problems = [cached.store.save(compactEntry), documents && saveRecord(prepared, cached, result, documents)].filter((p): p is string => p !== undefined);
  const kept = documents ? { ...result, documents } : result;
  return problems.length ? { ...kept, cacheProblem: problems } : kept;
}

/**
 * An entry as the cache writes it: its documents compact (compactData), so that the cache is smaller and a later run
 * takes in less; made as its line is written (the run's own manifests keep their data).
 */
function compactEntry(entry: CacheEntry): CacheEntry {
  if (!entry.docs || entry.compact) return entry;
  return { ...entry, compact: true, docs: entry.docs.map((d) => ({ ...d, data: compactData(d.data) })) };
}

/**
 * What a run of the whole project with the cache leaves for the next: its findings and the status of every file (the
 * run record, run-record.ts). A run of part of the project, or one that could not read every file, leaves the record
 * as it was: it no longer answers for the project once files changed, but its stamps still tell which files did not.
 */
function recordWanted(p: PreparedProject, cached: CacheState): boolean {
  return p.recordFile !== undefined && p.target.scope.length === 0 && cached.stamps.size === p.files.length;
}

/** Writes the run record (recordWanted); its rows are made as they are written (see RecordToWrite). */
function saveRecord(p: PreparedProject, cached: CacheState, result: PipelineResult, documents: Map<string, RecordedDocument[]>): string | undefined {
  const record: RecordToWrite = {
    key: p.recordKey as string, startedAt: p.startedAt, files: p.files, stamps: rowsOf(p.files, (f) => stampRow(cached.stamps.get(f) as FileStat & { hash: string })),
    skipped: p.skipped, documents: rowsOf(p.files, (f) => (documents.get(f) as RecordedDocument[]).map(documentRow)), diagnostics: result.diagnostics, suppressed: result.suppressed,
  };
  return writeRecord(p.recordFile as string, record);
}

function* rowsOf<R>(files: readonly string[], row: (file: string) => R): Generator<R> {
  for (const file of files) yield row(file);
}

/** What the reports of `check` read: a run's findings and what it checked. */
export interface CheckOutcome {
  target: Target;
  diagnostics: Diagnostic[];
  suppressed: Diagnostic[];
  /** Source text of files in scope: every file read, or (for a replayed run) those with findings. */
  sources: ReadonlyMap<string, string>;
  filesInScope: number;
  documentsInScope: number;
  customRules: Rule[];
  /** The files in scope that were read, each with its documents. */
  documents: ReadonlyMap<string, readonly RecordedDocument[]>;
  edits: Map<string, TextEdit[]>;
  cacheProblem?: string[];
}

/** The documents of each of `files`, as the reports list them (a file without documents has an empty list). */
function documentsOf(manifests: readonly Manifest[], files: Iterable<string>): Map<string, RecordedDocument[]> {
  const documents = new Map<string, RecordedDocument[]>();
  for (const file of files) documents.set(file, []);
  for (const m of manifests) {
    documents.get(m.file)?.push({ docIndex: m.docIndex, type: m.type, name: m.name, line: m.line ?? m.range.start.line });
  }
  return documents;
}

/** A pipeline result as `check` reports it. */
export function checkOutcome(result: PipelineResult): CheckOutcome {
  const all = result.documents;
  const documents = all ? new Map([...result.sources.keys()].map((f) => [f, all.get(f) ?? []])) : documentsOf(result.manifests, result.sources.keys());
  return {
    target: result.target, diagnostics: result.diagnostics, suppressed: result.suppressed, sources: result.sources, filesInScope: result.filesInScope,
    documentsInScope: result.documentsInScope, customRules: result.customRules, documents, edits: result.edits,
    ...(result.cacheProblem ? { cacheProblem: result.cacheProblem } : {}),
  };
}

/**
 * `check`'s run: when the cache is on and `replay` allowed (no fixes wanted: a replay has no edits), the run record
 * answers if nothing changed since the last whole-project run; otherwise the pipeline runs (and writes the record),
 * sharing the per-file work with worker threads on a large project (`env`: TFY_LINT_WORKERS).
 */
export async function runCheckPipeline(opts: PipelineOptions, replay: boolean, env: Record<string, string | undefined> = {}): Promise<{ outcome: CheckOutcome; result?: PipelineResult }> {
  const prepared = prepareProject(opts);
  const record = prepared.recordFile ? readRecord(prepared.recordFile, prepared.recordKey as string) : undefined;
  if (record) {
    const cmp = compareWithRecord(record, prepared.target.root, prepared.files, prepared.skipped);
    const outcome = replay && cmp.same ? replayRecord(prepared, record) : undefined;
    if (outcome) return { outcome };
    prepared.unchanged = cmp.unchanged;
  }
  const result = lintAndKeep(await loadProjectInParallel(opts, prepared, env), prepared);
  return { outcome: checkOutcome(result), result };
}

function replayRecord(p: PreparedProject, record: RunRecord): CheckOutcome | undefined {
  const { target } = p;
  const scoped = (file: string) => inScope(target, file);
  const diagnostics = record.diagnostics.filter((d) => scoped(d.file));
  const documents = new Map<string, RecordedDocument[]>();
  let documentsInScope = 0;
  for (let i = 0; i < record.files.length; i++) {
    const file = record.files[i];
    if (!scoped(file)) continue;
    const docs = record.documents[i].map(documentOf);
    documents.set(file, docs);
    documentsInScope += docs.length;
  }
  // Texts for the findings' code frames; every file was found unchanged, so it holds what the record's findings saw.
  const sources = new Map<string, string>();
  const configFile = p.config.file ?? 'tfy-lint.config.yaml';
  for (const file of new Set(diagnostics.map((d) => d.file))) {
    if (file === configFile && p.config.text !== undefined) sources.set(file, p.config.text);
    else if (documents.has(file)) {
      const text = readTextOf(join(target.root, file));
      if (text === undefined) return undefined; // gone since it was found unchanged: do the work instead
      sources.set(file, text);
    }
  }
  return {
    target, diagnostics, suppressed: record.suppressed.filter((d) => scoped(d.file)), sources, filesInScope: documents.size, documentsInScope,
    customRules: p.settings.customRules, documents, edits: new Map(),
  };
}

/** The cache file for a project: --cache-location resolved as ESLint does, else the default location. */
export function cacheFileFor(root: string, cwd: string, opts: CacheOptions): string | undefined {
  const name = `check-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.jsonl`;
  let file: string | undefined;
  if (opts.location !== undefined) {
    const abs = resolve(cwd, opts.location);
    const isDir = /[\\/]$/.test(opts.location) || (existsSync(abs) && statSync(abs).isDirectory());
    file = isDir ? join(abs, name) : abs;
  } else {
    file = defaultCacheFile(root, opts.env, opts.platform, existsSync(join(root, 'node_modules')));
  }
  if (file && /\.ya?ml$/i.test(file)) throw new UsageError(`--cache-location must not name a YAML file (it would be read as a manifest): ${opts.location}`);
  return file;
}

/** What the cache gives a run and what the run gives back to it. */
interface CacheState {
  store: ResultCache;
  /** The entry of every file read, as it will be stored. */
  entries: Map<string, CacheEntry>;
  /** Files whose entries changed. */
  changed: Set<string>;
  /** Status and content hash of every file read (for the run record). */
  stamps: Map<string, FileStat & { hash: string }>;
}

/** What cached results depend on besides a file's content: the build, the config and every policy file it uses. */
function cacheKey(buildId: string, config: Config, settings: ReturnType<typeof resolveSettings>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([buildId, config.file ?? null, config.text ?? null, settings.policyTexts]));
  return h.digest('base64url');
}

/** The project read, parsed and validated, before any rule ran (what `plan` needs to decide what to read live). */
export interface LoadedProject extends Omit<PipelineResult, 'project' | 'edits' | 'suppressed' | 'customRules' | 'documentFindings' | 'cacheProblem'> {
  settings: ReturnType<typeof resolveSettings>;
  /** Which documents are fragments of which composed gateway config (the config's compose entries). */
  composition: Composition;
  /** The results cache, when the run uses one. */
  cached?: CacheState;
  /**
   * Findings of the checks that read one document, for files in scope where they are known before the rules run:
   * kept in the cache. The engine does not run those checks on them.
   */
  known: Map<string, DocumentFinding[]>;
}

/** The first steps of every run: the target, schemas, configuration, rule settings, the files, and the cache's place. */
export interface PreparedProject {
  target: Target;
  schemas: SchemaSet;
  config: Config;
  settings: ReturnType<typeof resolveSettings>;
  files: string[];
  skipped: SkippedEntry[];
  /** When the run began (ms since the epoch). */
  startedAt: number;
  cacheFile?: string;
  cacheKey?: string;
  recordFile?: string;
  /** The cache key plus the options that change what a run reports. */
  recordKey?: string;
  /**
   * Files the run record shows unchanged since it was written (status as recorded), with their recorded status and
   * content hashes: a run takes their kept results without reading them (see keptUnread).
   */
  unchanged?: Map<string, FileStat & { hash: string }>;
}

export function prepareProject(opts: PipelineOptions): PreparedProject {
  const startedAt = Date.now();
  const target = resolveTarget(opts.cwd, opts.paths, opts.root);
  const schemas = loadSchemaSet();
  const config = loadConfig(target.root, schemas, opts.configPath ? { cwd: opts.cwd, path: opts.configPath } : undefined);
  const settings = resolveSettings(target.root, config, REGISTRY, schemas);
  // Policy files the config names are YAML but not manifests.
  const policyFiles = [...config.policies, ...(config.extends ?? []).filter((e) => !(BUILT_IN_PACKS as readonly string[]).includes(e))]
    .map((p) => relative(target.root, resolve(target.root, p)).split('\\').join('/'));
  // So is a config file named with --config (the usual names are never manifests).
  const configFiles = config.file && !config.file.startsWith('../') ? [config.file] : [];
  const skipped: SkippedEntry[] = [];
  const files = listManifestFiles(target, [...config.ignore, ...policyFiles, ...configFiles], skipped);
  const cacheFile = opts.cache ? cacheFileFor(target.root, opts.cwd, opts.cache) : undefined;
  if (!cacheFile) return { target, schemas, config, settings, files, skipped, startedAt };
  const key = cacheKey((opts.cache as CacheOptions).buildId, config, settings);
  const recordKey = createHash('sha256').update(JSON.stringify([key, opts.maxFileSize, opts.parse ?? {}])).digest('base64url');
  return { target, schemas, config, settings, files, skipped, startedAt, cacheFile, cacheKey: key, recordFile: recordPathFor(cacheFile), recordKey };
}

/** Load, parse and schema-validate every manifest of the project (the first half of the pipeline), on this thread. */
export function loadProject(opts: PipelineOptions, prepared: PreparedProject = prepareProject(opts)): LoadedProject {
  const plan = planLoad(opts, prepared);
  const budget = { left: opts.heldTexts ?? HELD_TEXTS };
  return foldLoad(plan, plan.jobs.map((j) => workOnFile(j, plan.work, prepared.schemas, budget)));
}

/**
 * The same, with the per-file work shared with worker threads when the project is large enough to pay for them
 * (file-work.ts); `env` may set their number (TFY_LINT_WORKERS). The result is the same either way.
 */
export async function loadProjectInParallel(opts: PipelineOptions, prepared: PreparedProject, env: Record<string, string | undefined>): Promise<LoadedProject> {
  const plan = planLoad(opts, prepared);
  const file = bundledWorkerFile();
  const workers = workerCount(plan.jobs.length, env, file);
  const budget = { left: opts.heldTexts ?? HELD_TEXTS };
  const outcomes = workers > 0 && file
    ? await workOnFiles(plan.jobs, plan.work, prepared.schemas, workers, file, env.TFY_LINT_WORKERS_ONLY !== '1', budget)
    : plan.jobs.map((j) => workOnFile(j, plan.work, prepared.schemas, budget));
  return foldLoad(plan, outcomes);
}

declare const __TFY_BUNDLE__: boolean | undefined;

/** The file a worker thread runs: the bundle's launcher, beside the bundle; none when running from the sources. */
function bundledWorkerFile(): string | undefined {
  if (typeof __TFY_BUNDLE__ === 'undefined' || !__TFY_BUNDLE__) return undefined;
  const launcher = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
  return existsSync(launcher) ? launcher : undefined;
}

/** What loading needs to know before any file is read: the cache, and which files are read, and how. */
interface LoadPlan {
  prepared: PreparedProject;
  cached?: CacheState;
  work: WorkOptions;
  /** The files to read, in project order. */
  jobs: FileJob[];
  /** Files the run record shows unchanged, with all a run needs kept: their entries, used without reading them. */
  kept: Map<string, CacheEntry>;
}

function planLoad(opts: PipelineOptions, prepared: PreparedProject): LoadPlan {
  const { target, files, cacheFile } = prepared;
  const cached: CacheState | undefined = cacheFile
    ? { store: ResultCache.open(cacheFile, prepared.cacheKey as string), entries: new Map(), changed: new Set(), stamps: new Map() }
    : undefined;
  cached?.store.retain(new Set(files));
  const jobs: FileJob[] = [];
  const kept = new Map<string, CacheEntry>();
  for (const file of files) {
    const scoped = inScope(target, file);
    const unread = cached ? keptUnread(prepared, cached, file, scoped) : undefined;
    if (unread) { kept.set(file, unread); continue; }
    const entry = cached?.store.kept(file);
    const keptHash = entry && servesUnparsed(entry, scoped, prepared.settings) ? entry.hash : undefined;
    jobs.push({ file, scoped, ...(keptHash !== undefined ? { keptHash } : {}) });
  }
  const work: WorkOptions = { root: target.root, maxFileSize: opts.maxFileSize, ...(opts.parse ? { parse: opts.parse } : {}), cache: cached !== undefined };
  return { prepared, cached, jobs, kept, work };
}

/**
 * Whether a kept entry holds all a run needs of a file whose content it matches, so that the file need not be parsed:
 * its data and YAML findings; when its data is compact (CacheEntry.compact), for a file in scope, also its schema
 * findings and those of the checks that read one document (neither could be found again from compact data).
 */
function servesUnparsed(entry: CacheEntry, scoped: boolean, settings: LintSettings): boolean {
  return entry.docs !== undefined && entry.parse !== undefined && (!entry.compact || !scoped || (entry.schema !== undefined && keptLintUsable(entry, settings)));
}

/** Kept findings are used only when every rule they name is one this configuration runs. */
function keptLintUsable(entry: CacheEntry, settings: LintSettings): boolean {
  return entry.lint !== undefined && entry.lint.every((f) => REGISTRY.has(f.d.ruleId) || settings.customRules.some((r) => r.id === f.d.ruleId));
}

/**
 * The kept entry of a file that the run record shows unchanged, when it holds all the run needs of the file, which is
 * then not read: its data (for the cross-file rules) and, for a file in scope, its schema findings and the knowledge
 * that its text holds no suppression comment (its document-rule findings are used when kept, else the rules check its
 * data). Its text is read only if a finding, code frame or fix needs it.
 */
function keptUnread(p: PreparedProject, cached: CacheState, file: string, scoped: boolean): CacheEntry | undefined {
  const known = p.unchanged?.get(file);
  const kept = known !== undefined ? cached.store.get(file, known.hash) : undefined;
  if (!kept || !servesUnparsed(kept, scoped, p.settings)) return undefined;
  return !scoped || (kept.schema && kept.plain) ? kept : undefined;
}

/** Puts the per-file outcomes together, in project order: manifests, findings, sources and the cache's entries. */
function foldLoad(plan: LoadPlan, outcomes: FileOutcome[]): LoadedProject {
  const { prepared, cached } = plan;
  const { target, schemas, config, settings, files, skipped } = prepared;
  const diagnostics: Diagnostic[] = [];
  // What the walk did not read (links, special files, unreadable folders) is said, never skipped silently.
  for (const k of skipped) {
    if (!inScope(target, k.path)) continue;
    const at = { line: 1, column: 1 };
    diagnostics.push({ ruleId: 'load', severity: k.severity, message: k.message, file: k.path, docIndex: -1, path: [], range: { start: at, end: at } });
  }
  const manifests: Manifest[] = [];
  const known = new Map<string, DocumentFinding[]>();
  const sources = new SourceTexts();
  let filesInScope = 0;
  let documentsInScope = 0;
  let next = 0;
  /** With the cache, what a file in scope gives the run: its text (on demand), documents and findings, kept or new. */
  const inScopeResults = (file: string, src: SourceFile, entry: CacheEntry, fileManifests: Manifest[], schema?: Diagnostic[]) => {
    const c = cached as CacheState;
    sources.add(src);
    documentsInScope += fileManifests.length;
    diagnostics.push(...(entry.parse as Diagnostic[]));
    if (!entry.schema) {
      entry.schema = schema ?? fileManifests.flatMap((m) => validateManifest(m, schemas));
      c.changed.add(file);
    }
    diagnostics.push(...entry.schema);
    // Kept findings are used only when every rule they name is one this configuration runs.
    if (entry.lint && !keptLintUsable(entry, settings)) {
      delete entry.lint;
      c.changed.add(file);
    }
    if (entry.lint) known.set(file, entry.lint);
    // Compact data serves only the cross-file rules (servesUnparsed saw to it that its findings are here).
    else if (entry.compact && fileManifests.length > 0) throw new Error(`the cache's entry for ${file} has compact data but no findings of the checks that read one document`);
  };
  for (const file of files) {
    const scoped = inScope(target, file);
    const kept = plan.kept.get(file);
    if (kept && cached) {
      // Unchanged since the run record: its kept results serve, unread (keptUnread). The record vouches for it as git's
      // index would. A text read later for a file in scope (code frames, fixes) must still have the recorded hash; one
      // out of scope is only ever read for the position of a finding elsewhere, and is taken as it is.
      const src = sourceReadLater(target.root, file, scoped ? { hash: { value: kept.hash, of: contentHash } } : {});
      cached.entries.set(file, kept);
      cached.stamps.set(file, prepared.unchanged?.get(file) as FileStat & { hash: string });
      const fileManifests = (kept.docs ?? []).map((d) => manifestFromData(src, d.docIndex, d.data, d.line));
      manifests.push(...fileManifests);
      if (scoped) {
        filesInScope++;
        inScopeResults(file, src, kept, fileManifests);
      }
      continue;
    }
    const outcome = outcomes[next++];
    const src = outcome.src;
    if (scoped) filesInScope++;
    if (!('text' in src)) {
      if (scoped) {
        const at = { line: src.line, column: src.column };
        diagnostics.push({ ruleId: 'load', severity: 'error', message: src.message, file, docIndex: -1, path: [], range: { start: at, end: at } });
      }
      continue;
    }
    if (!cached) {
      const parsed = outcome.parsed as NonNullable<FileOutcome['parsed']>;
      manifests.push(...parsed.manifests);
      if (!scoped) continue;
      sources.add(src);
      documentsInScope += parsed.manifests.length;
      diagnostics.push(...parsed.diagnostics, ...(outcome.schema ?? []));
      continue;
    }
    // With the cache: what the file gave last time, when its content is the same; what is missing is computed.
    const hash = outcome.hash as string;
    const hit = cached.store.get(file, hash);
    let entry: CacheEntry;
    let fileManifests: Manifest[];
    const parsed = outcome.parsed;
    if (!parsed) {
      // Not parsed: the content is that of the kept entry the plan found (keptHash), which holds the data.
      if (!hit?.docs || !hit.parse) throw new Error(`the cache's entry for ${file} changed during the run`);
      entry = hit;
      fileManifests = hit.docs.map((d) => manifestFromData(src, d.docIndex, d.data, d.line));
    } else {
      fileManifests = parsed.manifests;
      // Data whose kept part would hold a secret value is not written to the cache: such a file is parsed on every run
      // (its findings are kept: they never hold a secret value).
      if (hit && hit.parse && !parsed.keep) {
        entry = hit;
      } else {
        entry = { ...hit, hash, docs: parsed.keep ? parsed.manifests.map((m) => ({ docIndex: m.docIndex, data: m.data, line: m.line })) : undefined, parse: parsed.diagnostics };
        delete entry.compact; // the data just read (made compact when the cache is written)
        cached.changed.add(file);
      }
    }
    // Whether the text holds a suppression comment is a matter of its content, like the rest of the entry.
    if (entry.plain !== (outcome.plain ? true : undefined)) {
      if (outcome.plain) entry.plain = true;
      else delete entry.plain;
      cached.changed.add(file);
    }
    cached.entries.set(file, entry);
    if (src.stat) cached.stamps.set(file, { ...src.stat, hash });
    manifests.push(...fileManifests);
    if (scoped) inScopeResults(file, src, entry, fileManifests, outcome.schema);
  }
  const configFile = config.file ?? 'tfy-lint.config.yaml';
  const composition = resolveComposition(manifests, config.compose, { file: configFile, manifest: config.manifest });
  for (const d of composition.diagnostics) {
    if (!inScope(target, d.file)) continue;
    diagnostics.push(d);
    if (d.file === configFile && config.text !== undefined) sources.set(configFile, config.text);
  }
  return { target, config, settings, schemas, manifests, composition, cached, known, diagnostics: sortDiagnostics(diagnostics), sources, filesInScope, documentsInScope };
}

export interface LintOptions {
  /** Live state for rules (ProjectIndex.live); only `plan` passes it. */
  live?: LiveView;
  /** Which kinds of rules run (default: document and project; `plan` adds live). */
  kinds?: ReadonlySet<'document' | 'project' | 'live'>;
  /** Document-rule findings kept from an earlier run (the results cache). */
  knownDocumentFindings?: ReadonlyMap<string, readonly DocumentFinding[]>;
}

/** Runs the rules over a loaded project (the second half of the pipeline). */
export function lintProject(loaded: LoadedProject, opts: LintOptions = {}): PipelineResult {
  const { target, settings, sources, manifests } = loaded;
  // Copies: folding rule findings into schema findings edits their hints, and a loaded project may be linted twice.
  const diagnostics = loaded.diagnostics.map((d) => ({ ...d }));
  // Rules read only documents whose type tfy-lint knows: a wrong or unknown type is reported once, by the schema.
  // (Whether a type is known is asked of the catalog: loading its validator is not needed here.)
  const base = buildProjectIndex(manifests.filter((m) => m.type !== undefined && Object.hasOwn(loaded.schemas.catalog.types, m.type)), loaded.composition);
  const project = opts.live ? withLive(base, opts.live) : base;
  const lint = runLint({ project, registry: REGISTRY, settings, sources, inScope: (f) => inScope(target, f), kinds: opts.kinds, knownDocumentFindings: opts.knownDocumentFindings ?? loaded.known });
  releasePositions(); // every finding is placed
  diagnostics.push(...withoutSchemaRepeats(diagnostics, lint.diagnostics, lint.edits));
  const { settings: _settings, composition: _composition, cached: _cached, known: _known, ...rest } = loaded;
  void _settings; void _composition; void _cached; void _known;
  return {
    ...rest, diagnostics: sortDiagnostics(diagnostics), project, edits: lint.edits, suppressed: sortDiagnostics(lint.suppressed),
    customRules: settings.customRules, documentFindings: lint.documentFindings,
  };
}

/**
 * One root cause, one finding: a rule finding marked as overlapping the schema, at the very place the schema already
 * reported, is dropped (its fix
 * is kept, and the schema finding's hint says it can be fixed).
 */
function withoutSchemaRepeats(existing: Diagnostic[], found: Diagnostic[], edits: Map<string, TextEdit[]>): Diagnostic[] {
  if (!found.some((d) => d.overlapsSchema)) return found; // nothing to fold: no index of the schema's findings
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
