// Load: the results cache of `check`: per file, what reading it gave (keyed by a hash of its content), kept between runs.
//
// The cache file is JSON Lines: a header line {format, version, key} (key: the tool build and the configuration the
// results depend on), then one line per file {file, hash, ...results}. Nothing in it is trusted: a file that is not
// a cache, is of another format, version or key, is truncated or holds a malformed line is ignored (wholly, or that
// line), never an error. It is written whole to a temporary file beside it and renamed over it, so a reader never
// sees half a cache, and two runs at once leave one of their caches.
import * as crypto from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, Range, Severity } from '../core/diagnostic.ts';
import { asciiJson, jsonTextOf } from '../core/text.ts';
import { writeTextAtomic } from './write.ts';

export const CACHE_FORMAT = 'tfy-lint-cache';
export const CACHE_VERSION = 3;
/** A cache file larger than this is not read (it is rewritten). */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;

/** A finding of a rule that reads one document, with its text edit when the rule can fix it. */
export interface CachedFinding {
  d: Diagnostic;
  edit?: { start: number; end: number; text: string };
}

/** What a file gave when it was last read, for a content hash. Parts are absent when that run did not compute them. */
export interface CacheEntry {
  hash: string;
  /** The non-empty documents as plain data; absent when the file's data is not kept (it holds secret values). */
  docs?: { docIndex: number; data: unknown; line?: number }[];
  /** YAML diagnostics of the file. */
  parse?: Diagnostic[];
  /** Schema diagnostics of its documents (computed when the file was in scope). */
  schema?: Diagnostic[];
  /** Findings of the document rules (computed when the file was in scope). */
  lint?: CachedFinding[];
  /** Its text holds no suppression comment (so a run may report on the file without holding its text). */
  plain?: true;
  /**
   * `docs` holds what the cross-file rules read of each document (project/compact.ts), not all of it: the file's
   * schema findings and those of the checks that read one document cannot be found again from it.
   */
  compact?: true;
}

// crypto.hash (Node 20.12 and later) does the same in one call, without a Hash object per file.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;
const hashText = oneShot ? (text: string) => oneShot('sha256', text, 'base64url') : (text: string) => crypto.createHash('sha256').update(text).digest('base64url');

export function contentHash(text: string): string {
  return hashText(text);
}

/** Where the cache lives by default: node_modules/.cache/tfy-lint in the project when it has node_modules, else the user's cache folder. */
export function defaultCacheFile(root: string, env: Record<string, string | undefined>, platform: NodeJS.Platform, hasNodeModules: boolean): string | undefined {
  const name = `check-${crypto.createHash('sha256').update(root).digest('hex').slice(0, 16)}.jsonl`;
  if (hasNodeModules) return join(root, 'node_modules', '.cache', 'tfy-lint', name);
  const dir = userCacheDir(env, platform);
  return dir ? join(dir, 'tfy-lint', name) : undefined;
}

function userCacheDir(env: Record<string, string | undefined>, platform: NodeJS.Platform): string | undefined {
  const abs = (p: string | undefined) => (p && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) ? p : undefined);
  if (platform === 'win32') return abs(env.LOCALAPPDATA) ?? (abs(env.USERPROFILE) ? join(env.USERPROFILE as string, 'AppData', 'Local') : undefined);
  if (platform === 'darwin') return abs(env.HOME) ? join(env.HOME as string, 'Library', 'Caches') : undefined;
  return abs(env.XDG_CACHE_HOME) ?? (abs(env.HOME) ? join(env.HOME as string, '.cache') : undefined);
}

interface Slot { raw?: string; entry?: CacheEntry | null }

export class ResultCache {
  private readonly slots = new Map<string, Slot>();
  private dirty = false;

  private constructor(readonly path: string, private readonly key: string) {}

  /** Opens the cache at `path` for results made under `key`; an unusable file gives an empty cache. */
  static open(path: string, key: string): ResultCache {
    const cache = new ResultCache(path, key);
    let text: string;
    try {
      const fd = openSync(path, 'r');
      try {
        if (!fstatSync(fd).isFile() || fstatSync(fd).size > MAX_CACHE_BYTES) return cache.touched();
        text = jsonTextOf(readFileSync(fd));
      } finally {
        closeSync(fd);
      }
    } catch {
      return cache.touched(); // no cache yet, or unreadable: start afresh
    }
    const firstBreak = text.indexOf('\n');
    let header: unknown;
    try {
      header = JSON.parse(firstBreak === -1 ? text : text.slice(0, firstBreak));
    } catch {
      return cache.touched();
    }
    const h = header as Record<string, unknown> | null;
    if (!h || typeof h !== 'object' || h.format !== CACHE_FORMAT || h.version !== CACHE_VERSION || h.key !== key) return cache.touched();
    for (let start = firstBreak + 1; firstBreak !== -1 && start < text.length;) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      // {"file":"<path>",...}: the path is read without parsing the rest, which is parsed when the file is asked for.
      const m = /^\{"file":("(?:[^"\\]|\\.)*"),/.exec(line);
      if (!m) { cache.dirty = true; continue; }
      let file: unknown;
      try { file = JSON.parse(m[1]); } catch { cache.dirty = true; continue; }
      if (typeof file !== 'string' || cache.slots.has(file)) { cache.dirty = true; continue; }
      cache.slots.set(file, { raw: line });
    }
    return cache;
  }

  private touched(): this {
    this.dirty = true;
    return this;
  }

  /** The entry of `file` when it was made from content with this hash and is well-formed; undefined otherwise. */
  get(file: string, hash: string): CacheEntry | undefined {
    const slot = this.slots.get(file);
    if (!slot) return undefined;
    if (slot.entry === undefined) {
      slot.entry = null;
      try {
        const parsed = JSON.parse(slot.raw as string) as unknown;
        if (isEntry(parsed, file)) slot.entry = parsed;
      } catch { /* malformed: a miss */ }
      if (slot.entry === null) this.dirty = true;
    }
    const e = slot.entry;
    return e && e.hash === hash ? e : undefined;
  }

  /** The file's well-formed entry, whatever content it was made from (its `hash` says which). */
  kept(file: string): CacheEntry | undefined {
    const slot = this.slots.get(file);
    if (!slot) return undefined;
    if (slot.entry === undefined) this.get(file, '');
    return slot.entry ?? undefined;
  }

  /** Records the entry of a file (replacing what was there). The entry must not change afterwards. */
  set(file: string, entry: CacheEntry) {
    // Turned into its line only when the cache is written, so a run never holds the whole cache as text.
    this.slots.set(file, { entry });
    this.dirty = true;
  }

  /** Forgets every file not in `files` (deleted or no longer a manifest). */
  retain(files: ReadonlySet<string>) {
    for (const f of this.slots.keys()) {
      if (!files.has(f)) { this.slots.delete(f); this.dirty = true; }
    }
  }

  /**
   * Writes the cache when anything changed; returns an error message when it could not be written. `written`: what
   * of an entry set in this run is written (made as its line is, so that a run never holds both).
   */
  save(written: (entry: CacheEntry) => CacheEntry = (e) => e): string | undefined {
    if (!this.dirty) return undefined;
    try {
      // Its lines are made as they are written, never held together as one text.
      writeTextAtomic(this.path, this.lines(written));
      this.dirty = false;
      return undefined;
    } catch (e) {
      return `could not write the cache ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  }

  private *lines(written: (entry: CacheEntry) => CacheEntry): Generator<string> {
    yield `${asciiJson(JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, key: this.key }))}\n`;
    // Sorted by UTF-16 code units (sort's default for strings), the files alone: no pair per file held for the write.
    for (const file of [...this.slots.keys()].sort()) {
      const slot = this.slots.get(file) as Slot;
      if (slot.entry === null) continue;
      // Kept ASCII (asciiJson), so that the next run reads it fast; a line kept from the file read is as it was.
      yield `${slot.raw ?? asciiJson(JSON.stringify({ file, ...written(slot.entry as CacheEntry) }))}\n`;
    }
  }
}

// ---- validation of what was read: nothing from the cache file is used before it passed these ----

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SEVERITY_SET = new Set<Severity>(['error', 'warning', 'info']);

function isRange(v: unknown): v is Range {
  if (!isObj(v) || !isObj(v.start) || !isObj(v.end)) return false;
  return isInt(v.start.line, 1) && isInt(v.start.column, 1) && isInt(v.end.line, 1) && isInt(v.end.column, 1);
}

/** Whether `v` is a well-formed finding (about `file`, when it is given). */
export function isDiagnostic(v: unknown, file?: string): v is Diagnostic {
  if (!isObj(v)) return false;
  if (typeof v.ruleId !== 'string' || !SEVERITY_SET.has(v.severity as Severity) || typeof v.message !== 'string') return false;
  if (v.hint !== undefined && typeof v.hint !== 'string') return false;
  if (typeof v.file !== 'string' || (file !== undefined && v.file !== file) || !isInt(v.docIndex, -1) || !isRange(v.range)) return false;
  if (v.messageId !== undefined && typeof v.messageId !== 'string') return false;
  if (v.suppressed !== undefined) {
    const s = v.suppressed;
    if (!isObj(s) || (s.kind !== 'next-line' && s.kind !== 'file') || typeof s.reason !== 'string' || !isRange(s.range)) return false;
  }
  if (!Array.isArray(v.path) || !v.path.every((s) => typeof s === 'string' || isInt(s, 0))) return false;
  if (v.overlapsSchema !== undefined && v.overlapsSchema !== true) return false;
  if (v.related !== undefined) {
    if (!Array.isArray(v.related)) return false;
    for (const r of v.related) if (!isObj(r) || typeof r.file !== 'string' || typeof r.message !== 'string' || !isRange(r.range)) return false;
  }
  return true;
}

function isDiagnostics(v: unknown, file: string): v is Diagnostic[] {
  return Array.isArray(v) && v.every((d) => isDiagnostic(d, file));
}

function isEntry(v: unknown, file: string): v is CacheEntry & { file: string } {
  if (!isObj(v) || v.file !== file || typeof v.hash !== 'string') return false;
  if (v.docs !== undefined) {
    if (!Array.isArray(v.docs)) return false;
    let last = -1;
    for (const d of v.docs) {
      if (!isObj(d) || !isInt(d.docIndex, 0) || d.docIndex <= last || !('data' in d) || (d.line !== undefined && !isInt(d.line, 1))) return false;
      last = d.docIndex;
    }
  }
  if (v.plain !== undefined && v.plain !== true) return false;
  if (v.compact !== undefined && v.compact !== true) return false;
  if (v.parse !== undefined && !isDiagnostics(v.parse, file)) return false;
  if (v.schema !== undefined && !isDiagnostics(v.schema, file)) return false;
  if (v.lint !== undefined) {
    if (!Array.isArray(v.lint)) return false;
    for (const f of v.lint) {
      if (!isObj(f) || !isDiagnostic(f.d, file)) return false;
      const e = f.edit;
      if (e !== undefined && (!isObj(e) || !isInt(e.start, 0) || !isInt(e.end, 0) || e.end < e.start || typeof e.text !== 'string')) return false;
    }
  }
  return true;
}
