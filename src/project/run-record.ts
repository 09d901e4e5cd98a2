// Project: the run record of `check`: what the last whole-project run with the cache reported, with the status of
// every file it read, so that a run over unchanged files reports the same without reading, parsing or linting them.
//
// It sits beside the per-file results cache (check-<hash>.jsonl -> check-<hash>.run.json) and is one JSON object:
// {format, version, key, startedAt, files, stamps, skipped, documents, diagnostics, suppressed}, with a file's status
// and its documents as rows in the order of `files` (RecordedStamp, RecordedDocumentRow), read on every run that has
// a record: rows are about a third shorter than objects, and quicker to parse. A later run uses it
// only when the key (tool build, configuration, policies, options that change results) is the same, the walk finds
// exactly the same files and skipped entries, and every file is unchanged. "Unchanged" is decided as git decides it
// for its index: size, modification time, change time and inode all as recorded. A file modified within
// RACY_MS of the recorded run's start (its timestamps cannot be told apart from the run's own) is read and its
// content hash compared instead. Anything else (a missing, foreign, truncated or malformed record) is a miss,
// never an error: the run then does the full work and writes a new record.
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.ts';
import { asciiJson, jsonTextOf } from '../core/text.ts';
import { contentHash, isDiagnostic } from '../load/cache.ts';
import { fileStatOf, readTextOf, sameStat, type FileStat, type SkippedEntry } from '../load/files.ts';
import { writeTextAtomic } from '../load/write.ts';

export const RUN_FORMAT = 'tfy-lint-run';
export const RUN_VERSION = 2;
/** Timestamps this close to the recorded run's start are not trusted (file systems keep them as coarsely as 2 s). */
export const RACY_MS = 2000;
/** A record larger than this is not read. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** A document as the reports list it. */
export interface RecordedDocument { docIndex: number; type?: string; name?: string; line: number }

/** A file's status and content hash as the record keeps it: size, mtimeMs, ctimeMs, ino, hash. */
export type RecordedStamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string];

/** A document as the record keeps it: docIndex, line, type and name (null when the document has none). */
export type RecordedDocumentRow = [docIndex: number, line: number, type: string | null, name: string | null];

export interface RunRecord {
  /** What the results depend on besides the files (see cacheKey in pipeline.ts). */
  key: string;
  /** When the run began (ms since the epoch): files modified after RACY_MS before it are compared by content. */
  startedAt: number;
  /** Every manifest file of the project, in the walk's order. */
  files: string[];
  /** Per file (in the order of `files`): its status and content hash when it was read. */
  stamps: RecordedStamp[];
  /** Entries the walk did not read. */
  skipped: SkippedEntry[];
  /** Per file (in the order of `files`): its documents. */
  documents: RecordedDocumentRow[][];
  /** Every finding of the whole project, sorted. */
  diagnostics: Diagnostic[];
  /** Findings silenced by inline comments, sorted. */
  suppressed: Diagnostic[];
}

/** A file's status and content hash as a row of the record. */
export function stampRow(s: FileStat & { hash: string }): RecordedStamp {
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino, s.hash];
}

/** A row of the record's stamps as the status and content hash it stands for. */
export function stampOf(row: RecordedStamp): FileStat & { hash: string } {
  return { size: row[0], mtimeMs: row[1], ctimeMs: row[2], ino: row[3], hash: row[4] };
}

/** A document as a row of the record. */
export function documentRow(d: RecordedDocument): RecordedDocumentRow {
  return [d.docIndex, d.line, d.type ?? null, d.name ?? null];
}

/** A row of the record's documents as the reports list the document. */
export function documentOf(row: RecordedDocumentRow): RecordedDocument {
  return { docIndex: row[0], ...(row[2] !== null ? { type: row[2] } : {}), ...(row[3] !== null ? { name: row[3] } : {}), line: row[1] };
}

/** Where the run record of a results cache file is kept. */
export function recordPathFor(cacheFile: string): string {
  return cacheFile.endsWith('.jsonl') ? `${cacheFile.slice(0, -'.jsonl'.length)}.run.json` : `${cacheFile}.run.json`;
}

/** The record at `path` when it is well-formed and made under `key`; undefined otherwise. */
export function readRecord(path: string, key: string): RunRecord | undefined {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > MAX_RECORD_BYTES) return undefined;
      text = jsonTextOf(readFileSync(fd));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  let v: unknown;
  try { v = JSON.parse(text); } catch { return undefined; }
  return isRecord(v, key) ? v : undefined;
}

/**
 * A record to write: its per-file rows may be made as they are written (a large project's rows are then garbage as
 * soon as their slice is written, rather than held, and outlived by, the whole write).
 */
export type RecordToWrite = Omit<RunRecord, 'stamps' | 'documents'> & { stamps: Iterable<RecordedStamp>; documents: Iterable<RecordedDocumentRow[]> };

/** Writes the record whole (a temporary file renamed over it); returns an error message when it could not. */
export function writeRecord(path: string, record: RecordToWrite): string | undefined {
  try {
    writeTextAtomic(path, recordText(record));
    return undefined;
  } catch (e) {
    return `could not write the run record ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

/** Items serialised per JSON.stringify call (their objects and text die young, as in the reports: report/json-text.ts). */
const SLICE = 200;

/**
 * The record's JSON text, exactly `JSON.stringify({ format, version, ...record })` with every character beyond ASCII
 * escaped (asciiJson: it is read again fast), in pieces made as they are written: a large project's record (3.8 MB
 * for 10,000 files) is never held whole, nor its serialiser's rope.
 */
export function* recordText(record: RecordToWrite): Generator<string> {
  let before = '{';
  for (const [key, value] of Object.entries({ format: RUN_FORMAT, version: RUN_VERSION, ...record })) {
    if (value === undefined) continue;
    yield asciiJson(`${before}${JSON.stringify(key)}:`);
    before = ',';
    if (isList(value)) yield* listText(value);
    else yield asciiJson(JSON.stringify(value));
  }
  yield '}';
}

/** An array, or rows made as they are read (a generator): written as a JSON array. */
function isList(v: unknown): v is Iterable<unknown> {
  return Array.isArray(v) || (typeof v === 'object' && v !== null && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function');
}

/** A list as JSON.stringify writes an array of its items, a slice at a time. */
function* listText(list: Iterable<unknown>): Generator<string> {
  let slice: unknown[] = [];
  let first = true;
  const piece = () => {
    const text = JSON.stringify(slice);
    const out = asciiJson((first ? '[' : ',') + text.slice(1, -1));
    first = false;
    slice = [];
    return out;
  };
  for (const item of list) {
    slice.push(item);
    if (slice.length === SLICE) yield piece();
  }
  if (slice.length > 0) yield piece();
  yield first ? '[]' : ']';
}

/** What the project's files are, measured against a record. */
export interface Comparison {
  /**
   * The record describes the project exactly: the same files and skipped entries, each unchanged (same status, or,
   * when the status differs or is too close to the recorded run's start to be trusted, the same content hash).
   */
  same: boolean;
  /** The recorded status and content hash of each file whose status is exactly as recorded and older than the recorded run (not read). */
  unchanged: Map<string, FileStat & { hash: string }>;
}

/**
 * Compares the project's files with the record: one status call per file, and a read only for a file that may have
 * changed while the rest matches (so a miss stops reading at the first file found different).
 */
export function compareWithRecord(record: RunRecord, root: string, files: readonly string[], skipped: readonly SkippedEntry[]): Comparison {
  let same = record.files.length === files.length && record.skipped.length === skipped.length;
  for (let i = 0; same && i < files.length; i++) if (record.files[i] !== files[i]) same = false;
  for (let i = 0; same && i < skipped.length; i++) {
    const a = record.skipped[i];
    const b = skipped[i];
    if (a.path !== b.path || a.severity !== b.severity || a.message !== b.message) same = false;
  }
  const recorded = new Map<string, RecordedStamp>();
  for (let i = 0; i < record.files.length; i++) recorded.set(record.files[i], record.stamps[i]);
  const racyFrom = record.startedAt - RACY_MS;
  const unchanged = new Map<string, FileStat & { hash: string }>();
  for (const file of files) {
    const row = recorded.get(file);
    if (!row) { same = false; continue; }
    const abs = `${root}${sep}${file}`;
    const st = statSync(abs, { throwIfNoEntry: false });
    if (!st?.isFile()) { same = false; continue; }
    const now = fileStatOf(st);
    const want = stampOf(row);
    if (sameStat(now, want) && want.mtimeMs < racyFrom && want.ctimeMs < racyFrom) {
      unchanged.set(file, want);
      continue;
    }
    if (!same || now.size !== want.size) { same = false; continue; }
    // Touched, or too recent to tell by its timestamps: compare what it holds.
    const text = readTextOf(abs);
    if (text === undefined || contentHash(text) !== want.hash) same = false;
  }
  return { same, unchanged };
}

// ---- validation: nothing read from the record is used before it passed these ----

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown, min: number): v is number => isNum(v) && Number.isInteger(v) && v >= min;

function isRecord(v: unknown, key: string): v is RunRecord {
  if (!isObj(v) || v.format !== RUN_FORMAT || v.version !== RUN_VERSION || v.key !== key || !isNum(v.startedAt)) return false;
  const { files, stamps, skipped, documents, diagnostics, suppressed } = v;
  if (!Array.isArray(files) || !Array.isArray(stamps) || !Array.isArray(documents) || files.length !== stamps.length || files.length !== documents.length) return false;
  if (!files.every((f) => typeof f === 'string')) return false;
  for (const s of stamps) {
    if (!Array.isArray(s) || s.length !== 5 || !isInt(s[0], 0) || !isNum(s[1]) || !isNum(s[2]) || !isInt(s[3], 0) || typeof s[4] !== 'string') return false;
  }
  if (!Array.isArray(skipped)) return false;
  for (const k of skipped) {
    if (!isObj(k) || typeof k.path !== 'string' || (k.severity !== 'info' && k.severity !== 'warning') || typeof k.message !== 'string') return false;
  }
  for (const docs of documents) {
    if (!Array.isArray(docs)) return false;
    for (const d of docs) {
      if (!Array.isArray(d) || d.length !== 4 || !isInt(d[0], 0) || !isInt(d[1], 1)) return false;
      if ((d[2] !== null && typeof d[2] !== 'string') || (d[3] !== null && typeof d[3] !== 'string')) return false;
    }
  }
  if (!Array.isArray(diagnostics) || !diagnostics.every((d) => isDiagnostic(d))) return false;
  if (!Array.isArray(suppressed) || !suppressed.every((d) => isDiagnostic(d) && isObj(d.suppressed))) return false;
  return true;
}
