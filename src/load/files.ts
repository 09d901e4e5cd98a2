// Load: find the project root, list its manifest files (fast-glob, .gitignore, config ignores), read them safely.
import { closeSync, constants as fsConstants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { FatalError, UsageError } from '../core/errors.ts';

/** The file `tfy-lint build --out DIR` writes into DIR: marks the folder as build output (replaced on the next build, never read as sources). */
export const BUILD_MARKER = '.tfy-lint-build.json';

export const CONFIG_FILE_NAMES = ['tfy-lint.config.yaml', 'tfy-lint.config.yml', '.tfy-lint.yaml', '.tfy-lint.yml'];

export interface Target {
  /** Absolute path of the project root: every path in diagnostics is relative to it. */
  root: string;
  /** Root-relative files or folders named on the command line; empty means "the whole project". */
  scope: string[];
}

const toPosix = (p: string) => p.split(sep).join('/');

function findUp(start: string, stop: string | undefined, test: (dir: string) => boolean): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (test(dir)) return dir;
    if (dir === stop || dirname(dir) === dir) return undefined;
  }
}

export function hasConfig(dir: string): boolean {
  return CONFIG_FILE_NAMES.some((n) => existsSync(join(dir, n)));
}

/**
 * The project a set of command-line paths belongs to. For each path the root is the nearest folder at or above it
 * holding a tfy-lint config, not looking past the git work tree; without a config, a folder argument is its own
 * root, and a file argument's root is its git work tree (or the current directory). All paths must agree.
 */
export function resolveTarget(cwd: string, args: readonly string[], explicitRoot?: string): Target {
  const paths = (args.length ? args : ['.']).map((p) => resolve(cwd, p));
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`path not found: ${args.length ? relative(cwd, p) || '.' : '.'}`);
  }
  let root: string;
  if (explicitRoot) {
    root = resolve(cwd, explicitRoot);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--root is not a folder: ${explicitRoot}`);
  } else {
    const roots = new Set(paths.map((p) => {
      const isDir = statSync(p).isDirectory();
      const start = isDir ? p : dirname(p);
      const gitRoot = findUp(start, undefined, (d) => existsSync(join(d, '.git')));
      const withConfig = findUp(start, gitRoot, hasConfig);
      if (withConfig) return withConfig;
      if (isDir) return p;
      return gitRoot ?? (isInside(cwd, p) ? cwd : start);
    }));
    if (roots.size > 1) {
      throw new UsageError(`the paths belong to different projects (${[...roots].map((r) => relative(cwd, r) || '.').join(', ')}); check them one at a time or pass --root`);
    }
    root = [...roots][0];
  }
  const scope: string[] = [];
  for (const p of paths) {
    if (!isInside(root, p)) throw new UsageError(`path is outside the project root ${relative(cwd, root) || '.'}: ${relative(cwd, p)}`);
    const rel = toPosix(relative(root, p));
    if (rel !== '') scope.push(rel);
  }
  return { root, scope: scope.length === paths.length ? scope : [] };
}

function isInside(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Whether a root-relative file is one the user asked to be reported on. */
export function inScope(target: Target, file: string): boolean {
  if (target.scope.length === 0) return true;
  return target.scope.some((s) => file === s || file.startsWith(`${s}/`));
}

/** A directory entry the walk did not read, and why (reported as a finding so nothing is skipped silently). */
export interface SkippedEntry {
  /** Root-relative, '/'-separated. */
  path: string;
  /** `info` when nothing is lost (the target is checked at its own path), `warning` otherwise. */
  severity: 'info' | 'warning';
  message: string;
}

interface Walk { files: string[]; gitignores: string[]; buildDirs: string[]; skipped: SkippedEntry[] }

const isManifestName = (name: string) => /\.ya?ml$/.test(name) && !name.startsWith('.');

/**
 * Walks the project as git sees it: symbolic links are never followed (a link to a folder would let the walk leave
 * the project or go round a loop; a link to a file would make one manifest count twice), special files (FIFOs,
 * sockets, devices) are never opened, and unreadable folders are reported. Every folder is read once, so the walk
 * ends on any tree. Folders and files whose name starts with a dot hold no manifests (their .gitignore files count).
 */
function walkProject(root: string): Walk {
  const out: Walk = { files: [], gitignores: [], buildDirs: [], skipped: [] };
  let realRoot: string;
  try { realRoot = realpathSync(root); } catch { realRoot = root; }
  const stack: { rel: string; hidden: boolean }[] = [{ rel: '', hidden: false }];
  while (stack.length) {
    const { rel, hidden } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (e) {
      if (rel !== '') out.skipped.push({ path: rel, severity: 'warning', message: `folder could not be read (${errnoText(e)}); manifests in it were not checked` });
      continue;
    }
    const subdirs: { rel: string; hidden: boolean }[] = [];
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const inHidden = hidden || e.name.startsWith('.');
      let kind: 'dir' | 'file' | 'link' | 'special' = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'link' : 'special';
      if (kind === 'special' && !(e.isFIFO() || e.isSocket() || e.isCharacterDevice() || e.isBlockDevice())) {
        // The file system did not say what the entry is: ask it without following links.
        try {
          const st = lstatSync(join(root, path));
          kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'link' : 'special';
        } catch { continue; }
      }
      if (kind === 'dir') {
        if (e.name === '.git' || e.name === 'node_modules') continue;
        subdirs.push({ rel: path, hidden: inHidden });
      } else if (kind === 'file') {
        if (e.name === '.gitignore') out.gitignores.push(path);
        else if (e.name === BUILD_MARKER) out.buildDirs.push(rel ? `${rel}/` : '');
        else if (!inHidden && isManifestName(e.name)) out.files.push(path);
      } else if (kind === 'link') {
        const note = linkNote(root, realRoot, path, isManifestName(e.name) && !inHidden);
        if (note) out.skipped.push(note);
      } else if (!inHidden && isManifestName(e.name)) {
        out.skipped.push({ path, severity: 'warning', message: 'not a regular file (a FIFO, socket or device); it was not read' });
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
  return out;
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String(e);
}

/** What to say about a symbolic link the walk does not follow; nothing for links that cannot hold manifests. */
function linkNote(root: string, realRoot: string, path: string, manifestName: boolean): SkippedEntry | undefined {
  let target: string;
  try {
    target = realpathSync(join(root, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { path, severity: 'warning', message: 'symbolic link is part of a loop; it was not followed' };
    return manifestName ? { path, severity: 'warning', message: 'symbolic link points to nothing (broken link); it was not read' } : undefined;
  }
  let isDir = false;
  try { isDir = statSync(target).isDirectory(); } catch { /* vanished meanwhile: treated as a file */ }
  if (!isDir && !manifestName) return undefined;
  const inside = isInside(realRoot, target);
  const what = isDir ? 'symbolic link to a folder' : 'symbolic link';
  if (!inside) return { path, severity: 'warning', message: `${what} points outside the project; it was not followed (link the file into the project by copying it, or check that folder separately)` };
  const rel = toPosix(relative(realRoot, target)) || '.';
  if (isDir && (rel === '.' || isInside(target, join(realRoot, path)))) return { path, severity: 'warning', message: `${what} points to ${rel === '.' ? 'the project root' : `"${rel}"`}, which contains the link itself (a loop); it was not followed` };
  return { path, severity: 'info', message: `symbolic link to ${isDir ? 'the folder ' : ''}"${rel}" was not followed; manifests are checked at their own path, as git stores them` };
}

function gitignoreFilter(root: string, files: string[]): (file: string) => boolean {
  if (files.length === 0) return () => false;
  const matchers: { base: string; ig: Ignore }[] = files.sort().map((f) => {
    let text = '';
    try { text = readFileSync(join(root, f), 'utf8'); } catch { /* an unreadable .gitignore ignores nothing */ }
    return { base: f === '.gitignore' ? '' : f.slice(0, -'.gitignore'.length), ig: ignore().add(text) };
  });
  return (file) => matchers.some(({ base, ig }) => file.startsWith(base) && ig.ignores(file.slice(base.length)));
}

/**
 * Every manifest file of the project, root-relative and sorted (byte order), honouring .gitignore and the config's
 * `ignore`. Files named explicitly in the target's scope are included even when .gitignore matches them (the user
 * asked for them), but never when the config's `ignore` does (that declares them not to be manifests), nor when the
 * walk skips them for what they are (the config file, dot-files and files in dot-folders). Entries not read
 * (symbolic links, special files, unreadable folders) are added to `skipped` when it is given.
 */
export function listManifestFiles(target: Target, configIgnore: readonly string[] = [], skipped?: SkippedEntry[]): string[] {
  const { root } = target;
  const walk = walkProject(root);
  const gitIgnored = gitignoreFilter(root, walk.gitignores);
  // Folders that `tfy-lint build` wrote below the root hold compiled copies of the project's manifests, not sources.
  const builds = walk.buildDirs.filter((d) => d !== '');
  const configIgnored = configIgnore.length ? ignore().add([...configIgnore]) : undefined;
  const named = new Set<string>();
  for (const s of target.scope) {
    // A named file is one the walk would find: not the config, not a dot-file or in a dot-folder
    // (.pre-commit-config.yaml, .github/workflows/*.yml), which a pre-commit run over all files names too.
    if (!/\.ya?ml$/i.test(s) || CONFIG_FILE_NAMES.includes(s) || s.split('/').some((seg) => seg.startsWith('.'))) continue;
    let st;
    try { st = lstatSync(join(root, s)); } catch { continue; }
    if (st.isFile()) named.add(s);
    else if (walk.skipped.some((k) => k.path === s) || st.isDirectory()) continue;
    else if (st.isSymbolicLink()) {
      const note = linkNote(root, realpathOr(root), s, true);
      if (note) walk.skipped.push(note);
    } else walk.skipped.push({ path: s, severity: 'warning', message: 'not a regular file (a FIFO, socket or device); it was not read' });
  }
  const files = new Set(walk.files.filter((f) => !CONFIG_FILE_NAMES.includes(f) && !gitIgnored(f)));
  for (const f of named) files.add(f);
  const kept = (f: string) => !(configIgnored?.ignores(f)) && !builds.some((dir) => f.startsWith(dir));
  if (skipped) {
    for (const k of walk.skipped) if (kept(k.path) && !gitIgnored(k.path)) skipped.push(k);
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return [...files].filter(kept).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function realpathOr(p: string): string {
  try { return realpathSync(p); } catch { return p; }
}

export interface SourceFile {
  /** Root-relative, '/'-separated. */
  readonly path: string;
  readonly text: string;
  /** What the file system said of the file when it was read (set by readSource). */
  stat?: FileStat;
  /** Set once the text was let go of (ReadFile.release): reading `text` then reads the file again. */
  readonly released?: true;
  /** The file's bytes, from readSource until the text is parsed (parseSource drops them): values are cut from them. */
  bytes?: Buffer;
}

/**
 * What a file's text must be when it is read again: the same content hash, or else the same status. With neither,
 * any text is taken, and a file that can no longer be read gives an empty one (its positions fall back to its start).
 */
export interface SameText {
  hash?: { value: string; of: (text: string) => string };
  stat?: FileStat;
}

/**
 * A file as readSource read it. Its text can be let go of (release) once the file was parsed and validated, so that a
 * large project's texts are not all held to the end of the run; the few asked for later (a finding's position, a code
 * frame, a fix) are read again, then kept. The text read again must be the one checked: the same content hash when
 * `same.hash` is given, else the same size, times and inode. Any other text, or none, throws a FatalError (exit 2):
 * positions and fixes in it would point at text that was never checked.
 */
export class ReadFile implements SourceFile {
  #text: string | undefined;
  #again?: { root: string; same: SameText };
  released?: true;
  bytes?: Buffer;

  constructor(readonly path: string, text: string | undefined, readonly stat?: FileStat, bytes?: Buffer) {
    this.#text = text;
    if (bytes) this.bytes = bytes;
  }

  get text(): string {
    if (this.#text === undefined) {
      const again = this.#again as { root: string; same: SameText };
      this.#text = readAgain(again.root, this.path, again.same);
    }
    return this.#text;
  }

  /** Lets go of the text: `root` is where the file is, `same` what its text must be when read again. */
  release(root: string, same: SameText): void {
    this.#text = undefined;
    this.#again = { root, same };
    this.released = true;
  }
}

/** A file known by its path and status (and what its text must be), read when its text is first asked for. */
export function sourceReadLater(root: string, path: string, same: SameText, stat = same.stat): SourceFile {
  const src = new ReadFile(path, undefined, stat);
  src.release(root, same);
  return src;
}

function readAgain(root: string, path: string, same: SameText): string {
  const again = readSource(root, path, Number.MAX_SAFE_INTEGER);
  const changed = (why: string) => new FatalError(`${path} ${why} while tfy-lint was checking it; run the check again`);
  if (!same.hash && !same.stat) return 'text' in again ? again.text : '';
  if (!('text' in again)) throw changed(again.reason === 'unreadable' ? 'became unreadable' : 'changed');
  if (same.hash) {
    if (same.hash.of(again.text) !== same.hash.value) throw changed('changed');
  } else if (!(again.stat && sameStat(again.stat, same.stat as FileStat))) {
    throw changed('changed');
  }
  return again.text;
}

/** Whether two statuses are the same as git's index compares them (the run record does too). */
export function sameStat(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/**
 * The source text of each file a run read, by path, as a read-only map. Texts let go of (ReadFile.release) are read again
 * when asked for; `held()` gives only those in memory, which include every file whose text holds a suppression
 * comment (those are never let go of).
 */
export class SourceTexts implements ReadonlyMap<string, string> {
  readonly #files = new Map<string, SourceFile | string>();

  add(src: SourceFile): this {
    this.#files.set(src.path, src);
    return this;
  }

  set(path: string, text: string): this {
    this.#files.set(path, text);
    return this;
  }

  get(path: string): string | undefined {
    const f = this.#files.get(path);
    return f === undefined || typeof f === 'string' ? f : f.text;
  }

  has(path: string): boolean {
    return this.#files.has(path);
  }

  get size(): number {
    return this.#files.size;
  }

  keys(): MapIterator<string> {
    return this.#files.keys();
  }

  /** The texts in memory (none is read): what suppression comments are looked for in. */
  *held(): Generator<[string, string]> {
    for (const [path, f] of this.#files) {
      if (typeof f === 'string') yield [path, f];
      else if (!f.released) yield [path, f.text];
    }
  }

  *entries(): MapIterator<[string, string]> {
    for (const path of this.#files.keys()) yield [path, this.get(path) as string];
  }

  *values(): MapIterator<string> {
    for (const [, text] of this.entries()) yield text;
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  forEach(fn: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** The parts of a file's status that change whenever its content may have (as git's index compares them). */
export interface FileStat { size: number; mtimeMs: number; ctimeMs: number; ino: number }

export function fileStatOf(st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

export type ReadFailure = { path: string; reason: 'binary' | 'too-large' | 'unreadable' | 'invalid-utf8' | 'not-a-file'; message: string; line: number; column: number };

/** Opening never waits: a FIFO (or a device) opened this way returns at once and is then refused by its type. */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Byte offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i];
    let n: number;
    let min: number;
    if (b < 0x80) { i++; continue; } else if (b >= 0xc2 && b <= 0xdf) { n = 1; min = 0x80; } else if (b >= 0xe0 && b <= 0xef) { n = 2; min = 0x800; } else if (b >= 0xf0 && b <= 0xf4) { n = 3; min = 0x10000; } else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads one file as UTF-8 text (BOM dropped), or says why it cannot be a manifest. With `sharedBytes`, the file's
 * bytes (ReadFile.bytes) are read into a buffer every such read reuses: the caller must be done with them before the
 * next (the per-file work parses a file right after reading it). Memory touched for the first time is slow to come by
 * (a page fault each 4 KB), and a project's files would otherwise each take fresh memory.
 */
export function readSource(root: string, path: string, maxBytes: number, sharedBytes = false): ReadFile | ReadFailure {
  const abs = join(root, path);
  // open + fstat + read: the size is checked before the file is read, without a separate stat of the path.
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    return { path, reason: 'unreadable', message: `cannot read file (${errnoText(e)}); it was not checked`, line: 1, column: 1 };
  }
  let buf: Buffer;
  let stat: FileStat;
  try {
    const st = fstatSync(fd);
    stat = fileStatOf(st);
    if (!st.isFile()) return { path, reason: 'not-a-file', message: `not a regular file (${st.isDirectory() ? 'a folder' : 'a FIFO, socket or device'}); it was not read`, line: 1, column: 1 };
    const size = st.size;
    if (size > maxBytes) {
      return { path, reason: 'too-large', message: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a manifest file; it was not checked (raise the limit with --max-file-size)`, line: 1, column: 1 };
    }
    buf = readOpen(fd, size, sharedBytes);
  } catch (e) {
    return { path, reason: 'unreadable', message: `cannot read file (${errnoText(e)}); it was not checked`, line: 1, column: 1 };
  } finally {
    closeSync(fd);
  }
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const { line, column } = positionOfByte(buf, nul);
    return { path, reason: 'binary', message: 'file holds a NUL byte: it is binary, not YAML; it was not checked', line, column };
  }
  try {
    return new ReadFile(path, decoder.decode(buf), stat, buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    const { line, column } = positionOfByte(buf, Math.max(0, at));
    return { path, reason: 'invalid-utf8', message: `file is not valid UTF-8 (byte 0x${buf[Math.max(0, at)].toString(16).padStart(2, '0')} at offset ${at}); save it as UTF-8`, line, column };
  }
}

/**
 * The bytes of an open regular file whose size fstat gave (readFileSync(fd) would ask for it again): up to `size`
 * bytes, fewer if it shrank since.
 */
function readOpen(fd: number, size: number, shared: boolean): Buffer {
  if (size === 0) return readFileSync(fd); // a size of 0 may not be the truth (files the kernel makes up): read to the end
  let buf: Buffer;
  if (shared && size <= SHARED_READ_MAX) {
    if (size > sharedRead.length) sharedRead = Buffer.allocUnsafeSlow(Math.min(SHARED_READ_MAX, Math.max(size, 2 * sharedRead.length)));
    buf = sharedRead.subarray(0, size);
  } else {
    buf = Buffer.allocUnsafe(size);
  }
  let at = 0;
  while (at < size) {
    const n = readSync(fd, buf, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at < size ? buf.subarray(0, at) : buf;
}

/** The buffer shared reads use (readSource's `sharedBytes`); a file larger than SHARED_READ_MAX gets its own. */
let sharedRead = Buffer.allocUnsafeSlow(64 * 1024);
const SHARED_READ_MAX = 1024 * 1024;

/**
 * The text of a file read before (so known to be UTF-8) as readSource gives it, without a byte order mark; undefined
 * when it cannot be read now.
 */
export function readTextOf(abs: string): string | undefined {
  let text: string;
  try { text = readFileSync(abs, 'utf8'); } catch { return undefined; }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function positionOfByte(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) { line++; lineStart = i + 1; }
  const prefix = buf.subarray(lineStart, offset).toString('utf8');
  return { line, column: prefix.length + 1 };
}
