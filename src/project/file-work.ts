// Project: what a run does with one manifest file before anything is compared across files (read it, hash it, parse
// it, validate it), and a worker thread that does the same for a share of a large project's files (check only).
//
// Both threads take the next file from one shared counter, so a slow file or a slow start holds up neither; the main
// thread keeps its own results and receives the worker's, and the run then folds them in file order (pipeline.ts), so
// nothing in the output depends on which thread read which file. The worker runs the very bundle the main thread runs
// (dist/cli.js, through its code cache); from the TypeScript sources (the tests' in-process runs) there is no bundle to
// start, and every file is read on the main thread.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import type { MessagePort } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostic.ts';
import { exactInJson } from '../core/jsonpath.ts';
import { cacheableData } from '../core/mask.ts';
import { compactData } from './compact.ts';
import { contentHash } from '../load/cache.ts';
import { readSource, sourceReadLater, type FileStat, type ReadFailure, type SameText, type SourceFile } from '../load/files.ts';
import { SUPPRESSION_MARK } from '../lint/suppressions.ts';
import type { Manifest } from '../parse/manifest.ts';
import { manifestFromData, parseSource, type ParseOptions } from '../parse/yaml.ts';
import { loadSchemaSet, validateManifest, type SchemaSet } from '../validate/index.ts';

/** One file to work on. */
export interface FileJob {
  file: string;
  /** In the run's scope: its documents are validated. */
  scoped: boolean;
  /** With the cache: the content hash of the file's kept entry; a file with this hash is not parsed again. */
  keptHash?: string;
}

/** What the per-file work gave: the file, or why it was not read; and for a file read, its parse and validation. */
export interface FileOutcome {
  src: SourceFile | ReadFailure;
  /** With the cache: the content hash. */
  hash?: string;
  /** Absent when the content matched the kept entry (its data is used instead). */
  parsed?: { manifests: Manifest[]; diagnostics: Diagnostic[]; /** Whether its data may be written to the cache. */ keep: boolean };
  /** Schema findings of a file in scope. */
  schema?: Diagnostic[];
  /** For a file read: its text holds no suppression comment. */
  plain?: boolean;
}

/**
 * How much of the texts it read a thread keeps in memory, in characters (`left` goes down as texts are kept). Texts
 * beyond it are let go of and read again if a finding, code frame or fix needs them: a project of a few MB keeps
 * every text (no file is read twice), a large one holds a bounded part. A worker keeps none: it would have to send them.
 */
export interface TextBudget { left: number }

/** The texts the main thread keeps (the 1,000-file benchmark corpus is 1.4 MB; a large project goes far beyond). */
export const HELD_TEXTS = 4 * 1024 * 1024;

export interface WorkOptions {
  root: string;
  maxFileSize: number;
  parse?: ParseOptions;
  /** Whether the run uses the cache (hashes and what may be kept are computed). */
  cache: boolean;
}

/** The per-file work: read, hash (with the cache), parse unless the kept entry matches, validate when in scope. */
export function workOnFile(job: FileJob, opts: WorkOptions, schemas: SchemaSet, budget: TextBudget = { left: 0 }): FileOutcome {
  // Its bytes are read into the thread's shared buffer: they are used by the parse below, and let go of before the
  // next file is read.
  const src = readSource(opts.root, job.file, opts.maxFileSize, true);
  if (!('text' in src)) return { src };
  const hash = opts.cache ? contentHash(src.text) : undefined;
  const out: FileOutcome = hash !== undefined && hash === job.keptHash ? { src, hash } : { src, hash, ...workOnText(src, job.scoped, opts, schemas) };
  src.bytes = undefined; // a file not parsed (its kept entry matched) still has them
  // The text is kept when suppression comments are to be read from it, or while the budget lasts; else let go of.
  out.plain = !src.text.includes(SUPPRESSION_MARK);
  if (!out.plain) return out;
  if (budget.left >= src.text.length) budget.left -= src.text.length;
  else src.release(opts.root, sameText(hash, src.stat));
  return out;
}

/** How a text read again is known to be the one checked: by its content hash when the run has one, else by its status. */
function sameText(hash: string | undefined, stat: FileStat | undefined): SameText {
  return hash !== undefined ? { hash: { value: hash, of: contentHash } } : stat ? { stat } : {};
}

/** Parses a file's text, says whether its data may be kept in the cache, and validates it when it is in scope. */
function workOnText(src: SourceFile, scoped: boolean, opts: WorkOptions, schemas: SchemaSet): Pick<FileOutcome, 'parsed' | 'schema'> {
  const parsed = parseSource(src, opts.parse);
  // The cache keeps documents' compact data as JSON (compactData: what the cross-file rules read): what it would keep
  // is never written when it holds a secret value, nor when JSON cannot hold it exactly (.nan, .inf, -0.0 would come
  // back as null or 0). Such a file is parsed on every run. A raw key in a part compaction drops (an account's
  // auth_data) is not kept, so it does not stop the rest from being kept; the walk is over the smaller data too.
  // (The compact data is made again when the cache is written, a few milliseconds at 1,000 files: holding it until
  // then would keep a second copy of every account's names and integrations for the whole run.)
  const keep = opts.cache ? parsed.manifests.every((m) => cacheableData(compactData(m.data))) : false;
  const schema = scoped ? parsed.manifests.flatMap((m) => validateManifest(m, schemas)) : undefined;
  return { parsed: { manifests: parsed.manifests, diagnostics: parsed.diagnostics, keep }, ...(schema ? { schema } : {}) };
}

// ---- the worker ----

/** A file's outcome as it crosses between threads: data instead of manifests. */
interface SentOutcome {
  index: number;
  /** A file read, with its text only when the worker kept it (see workOnFile), or why it could not be read. */
  src: { path: string; text?: string; stat?: FileStat } | ReadFailure;
  hash?: string;
  plain?: boolean;
  /**
   * What the file gave, as JSON text when JSON holds its data exactly (the main thread parses JSON faster than it
   * takes in a structured clone of the same objects), else as the objects themselves.
   */
  parsed?: SentParse | string;
}

interface SentParse { docs: { docIndex: number; data: unknown; line: number }[]; diagnostics: Diagnostic[]; keep: boolean; schema?: Diagnostic[] }

interface WorkerInput {
  tfyLintFileWork: true;
  jobs: FileJob[];
  opts: WorkOptions;
  /** Int32Array over it: [0] the next file to take. */
  counter: SharedArrayBuffer;
  port: MessagePort;
}

/**
 * node:worker_threads, loaded when a worker is started or running: loading it costs every run a few milliseconds
 * (it brings streams and sockets with it), and most runs start no worker.
 */
function threads(): typeof import('node:worker_threads') {
  return createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
}

/** The argument a file worker is started with, so that the bundle's entry point knows it without loading node:worker_threads. */
export const FILE_WORKER_ARG = '--tfy-lint-file-worker';

/** This thread's work, when it was started as a file worker (the bundle's entry point asks before it runs the CLI). */
export function fileWorkerInput(argv: readonly string[]): WorkerInput | undefined {
  if (!argv.includes(FILE_WORKER_ARG)) return undefined;
  const { isMainThread, workerData } = threads();
  return !isMainThread && isFileWorker(workerData) ? workerData : undefined;
}

function isFileWorker(data: unknown): data is WorkerInput {
  return typeof data === 'object' && data !== null && (data as { tfyLintFileWork?: unknown }).tfyLintFileWork === true;
}

/** The worker's side: take files from the shared counter until none is left, sending each outcome. */
export function runFileWorker(input: WorkerInput): void {
  const next = new Int32Array(input.counter);
  const schemas = loadSchemaSet();
  for (;;) {
    const index = Atomics.add(next, 0, 1);
    if (index >= input.jobs.length) break;
    const o = workOnFile(input.jobs[index], input.opts, schemas);
    const src = 'text' in o.src ? { path: o.src.path, ...(o.src.released ? {} : { text: o.src.text }), ...(o.src.stat ? { stat: o.src.stat } : {}) } : o.src;
    const sent: SentOutcome = { index, src, ...(o.hash !== undefined ? { hash: o.hash } : {}), ...(o.plain !== undefined ? { plain: o.plain } : {}) };
    if (o.parsed) {
      const parsed: SentParse = {
        docs: o.parsed.manifests.map((m) => ({ docIndex: m.docIndex, data: m.data, line: m.line ?? m.range.start.line })),
        diagnostics: o.parsed.diagnostics, keep: o.parsed.keep, ...(o.schema ? { schema: o.schema } : {}),
      };
      // (Whether the cache may keep the data says nothing of the parts compaction drops: the whole is looked at.)
      sent.parsed = parsed.docs.every((d) => exactInJson(d.data)) ? JSON.stringify(parsed) : parsed;
    }
    input.port.postMessage(sent);
  }
  input.port.close();
}

function received(sent: SentOutcome, root: string): FileOutcome {
  const read = sent.src;
  if ('reason' in read) return { src: read };
  const src: SourceFile = read.text !== undefined ? { path: read.path, text: read.text, ...(read.stat ? { stat: read.stat } : {}) } : sourceReadLater(root, read.path, sameText(sent.hash, read.stat), read.stat);
  const out: FileOutcome = { src, ...(sent.hash !== undefined ? { hash: sent.hash } : {}), ...(sent.plain !== undefined ? { plain: sent.plain } : {}) };
  if (sent.parsed) {
    const p = typeof sent.parsed === 'string' ? JSON.parse(sent.parsed) as SentParse : sent.parsed;
    out.parsed = { manifests: p.docs.map((d) => manifestFromData(src, d.docIndex, d.data, d.line)), diagnostics: p.diagnostics, keep: p.keep };
    if (p.schema) out.schema = p.schema;
  }
  return out;
}

// ---- the main thread's side ----

/** The fewest files for which a worker pays for its start (the bench, `npm run bench`, measures both sides of it). */
export const PARALLEL_MIN_FILES = 4000;

/**
 * How many workers to start for `count` files: TFY_LINT_WORKERS when set (0 turns them off), else one on a machine
 * with 2 or more cores and a project this large. (TFY_LINT_WORKERS_ONLY=1 makes the main thread leave every file to
 * the workers: the tests use it to hold the workers' results to the main thread's on small projects.)
 */
export function workerCount(count: number, env: Record<string, string | undefined>, workerFile: string | undefined): number {
  if (!workerFile || count < 2) return 0;
  const asked = env.TFY_LINT_WORKERS;
  if (asked !== undefined && /^\d+$/.test(asked.trim())) return Math.min(Number(asked), 8, count - 1);
  return count >= PARALLEL_MIN_FILES && availableParallelism() >= 2 ? 1 : 0;
}

/**
 * Does `jobs` on this thread and on `workers` worker threads started from `workerFile`, and returns every outcome, by
 * job. A worker that cannot start, fails, or stops early leaves its files to this thread: a worker only ever saves time. `budget`: the texts this thread keeps.
 */
export async function workOnFiles(jobs: FileJob[], opts: WorkOptions, schemas: SchemaSet, workers: number, workerFile: string, mainTakesFiles = true, budget: TextBudget = { left: HELD_TEXTS }): Promise<FileOutcome[]> {
  const { MessageChannel, receiveMessageOnPort, Worker } = threads();
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const outcomes: (FileOutcome | undefined)[] = new Array(jobs.length);
  const started: { worker: InstanceType<typeof Worker>; port: MessagePort; ended: Promise<void> }[] = [];
  for (let w = 0; w < workers; w++) {
    const { port1, port2 } = new MessageChannel();
    let worker: InstanceType<typeof Worker>;
    try {
      worker = new Worker(workerFile, {
        argv: [FILE_WORKER_ARG], workerData: { tfyLintFileWork: true, jobs, opts, counter, port: port2 } satisfies WorkerInput, transferList: [port2], stdout: true, stderr: true,
      });
    } catch {
      port1.close();
      break;
    }
    const ended = new Promise<void>((resolve) => { worker.once('exit', () => resolve()); worker.once('error', () => resolve()); });
    started.push({ worker, port: port1, ended });
  }
  const drain = (port: MessagePort) => {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const sent = m.message as SentOutcome;
      outcomes[sent.index] = received(sent, opts.root);
    }
  };
  // This thread takes files too (unless told to leave them to the workers), and between its own files takes in what
  // the workers sent.
  while (mainTakesFiles && started.length > 0) {
    const index = Atomics.add(next, 0, 1);
    if (index >= jobs.length) break;
    outcomes[index] = workOnFile(jobs[index], opts, schemas, budget);
    for (const s of started) drain(s.port);
  }
  for (const s of started) {
    await s.ended;
    drain(s.port);
    s.port.close();
  }
  // Files a worker took but never sent (it failed or was stopped): done here.
  for (let i = 0; i < jobs.length; i++) outcomes[i] ??= workOnFile(jobs[i], opts, schemas, budget);
  return outcomes as FileOutcome[];
}
