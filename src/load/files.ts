// Load: find the project root, list its manifest files (fast-glob, .gitignore, config ignores), read them safely.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../core/errors.ts';

/** The file `tfy-lint build --out DIR` writes into DIR: marks the folder as build output (replaced on the next build, never read as sources). */
export const BUILD_MARKER = '.tfy-lint-build.json';

export const CONFIG_FILE_NAMES = ['tfy-lint.config.yaml', 'tfy-lint.config.yml', '.tfy-lint.yaml', '.tfy-lint.yml'];
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

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

function gitignoreFilter(root: string): (file: string) => boolean {
  const files = fg.sync(['**/.gitignore'], { cwd: root, dot: true, ignore: ALWAYS_IGNORED, onlyFiles: true });
  if (files.length === 0) return () => false;
  const matchers: { base: string; ig: Ignore }[] = files.sort().map((f) => ({
    base: f === '.gitignore' ? '' : f.slice(0, -'.gitignore'.length),
    ig: ignore().add(readFileSync(join(root, f), 'utf8')),
  }));
  return (file) => matchers.some(({ base, ig }) => file.startsWith(base) && ig.ignores(file.slice(base.length)));
}

/**
 * Every manifest file of the project, root-relative and sorted (byte order), honouring .gitignore and the config's
 * `ignore`. Files named explicitly in the target's scope are included even when .gitignore matches them (the user
 * asked for them), but never when the config's `ignore` does (that declares them not to be manifests), nor when the
 * walk skips them for what they are (the config file, dot-files and files in dot-folders).
 */
export function listManifestFiles(target: Target, configIgnore: readonly string[] = []): string[] {
  const { root } = target;
  // One walk finds the manifests and the markers of build output folders (an explicit dot name matches with dot: false).
  const listed = fg.sync(['**/*.yaml', '**/*.yml', `**/${BUILD_MARKER}`], { cwd: root, dot: false, onlyFiles: true, followSymbolicLinks: false, ignore: ALWAYS_IGNORED });
  const found = listed.filter((f) => !f.endsWith(BUILD_MARKER));
  const gitIgnored = gitignoreFilter(root);
  // Folders that `tfy-lint build` wrote below the root hold compiled copies of the project's manifests, not sources.
  const builds = listed.filter((f) => f.endsWith(`/${BUILD_MARKER}`)).map((f) => f.slice(0, -BUILD_MARKER.length));
  const configIgnored = configIgnore.length ? ignore().add([...configIgnore]) : undefined;
  // A named file is one the walk would find: not the config, not a dot-file or in a dot-folder (.pre-commit-config.yaml,
  // .github/workflows/*.yml), which a pre-commit run over all files names too.
  const named = new Set(target.scope.filter((s) => /\.ya?ml$/i.test(s) && !CONFIG_FILE_NAMES.includes(s) && !s.split('/').some((seg) => seg.startsWith('.'))
    && existsSync(join(root, s)) && statSync(join(root, s)).isFile()));
  const files = new Set(found.filter((f) => !CONFIG_FILE_NAMES.includes(f) && !gitIgnored(f)));
  for (const f of named) files.add(f);
  return [...files]
    .filter((f) => !(configIgnored?.ignores(f)) && !builds.some((dir) => f.startsWith(dir)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface SourceFile {
  /** Root-relative, '/'-separated. */
  path: string;
  text: string;
}

export type ReadFailure = { path: string; reason: 'binary' | 'too-large' | 'unreadable' | 'invalid-utf8'; message: string; line: number; column: number };

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

/** Reads one file as UTF-8 text (BOM dropped), or says why it cannot be a manifest. */
export function readSource(root: string, path: string, maxBytes: number): SourceFile | ReadFailure {
  const abs = join(root, path);
  // open + fstat + read: the size is checked before the file is read, without a separate stat of the path.
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return { path, reason: 'unreadable', message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, line: 1, column: 1 };
  }
  let buf: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      return { path, reason: 'too-large', message: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a manifest file; it was not checked (raise the limit with --max-file-size)`, line: 1, column: 1 };
    }
    buf = readFileSync(fd);
  } catch (e) {
    return { path, reason: 'unreadable', message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, line: 1, column: 1 };
  } finally {
    closeSync(fd);
  }
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const { line, column } = positionOfByte(buf, nul);
    return { path, reason: 'binary', message: 'file holds a NUL byte: it is binary, not YAML; it was not checked', line, column };
  }
  try {
    return { path, text: decoder.decode(buf) };
  } catch {
    const at = firstInvalidUtf8(buf);
    const { line, column } = positionOfByte(buf, Math.max(0, at));
    return { path, reason: 'invalid-utf8', message: `file is not valid UTF-8 (byte 0x${buf[Math.max(0, at)].toString(16).padStart(2, '0')} at offset ${at}); save it as UTF-8`, line, column };
  }
}

function positionOfByte(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) { line++; lineStart = i + 1; }
  const prefix = buf.subarray(lineStart, offset).toString('utf8');
  return { line, column: prefix.length + 1 };
}
