// Core: loads the bundle's CommonJS files through V8 code caches written beside them at build time.
//
// Compiling JavaScript is a fixed cost of every run: V8 parses the bundle at start, then compiles each function the
// first time it runs, and a run of `check` calls a great many functions (the pipeline, the rules, a standalone
// validator per manifest type) just once or a few times. `npm run build` runs the built CLI on the bundled example
// and the check fixtures with TFY_LINT_BUILD_CODE_CACHE=1; each file loaded here then writes `<file>.v8`, V8's
// serialised bytecode for every function that ran. Later runs hand that to V8, which skips those compilations.
//
// Nothing of a user's project is in a code cache: it is code, made once per build, like the precompiled validators.
// A cache is used only for the very source it was made from (checked with a digest), and V8 rejects one made by
// another version of itself or under other flags (from NODE_OPTIONS, say): the file is then compiled as usual.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Set by the build's training runs: write a code cache for every file loaded here, at exit. */
export const BUILD_CODE_CACHE_ENV = 'TFY_LINT_BUILD_CODE_CACHE';

/** What became of a file's code cache: none, not made for this source (or damaged), refused by V8, or used. */
export type CacheUse = 'none' | 'foreign' | 'rejected' | 'accepted';

interface Loaded { file: string; script: Script; cache: CacheUse }

// One list per process, shared by the launcher (dist/cli.js) and the bundle it loads (dist/cli.cjs): each has its own
// copy of this module.
const KEY = Symbol.for('tfy-lint.code-cache');
const registry = ((globalThis as Record<symbol, Loaded[] | undefined>)[KEY] ??= []);

/** The code cache file of a CommonJS file. */
export function codeCacheFile(file: string): string {
  return `${file}.v8`;
}

// A cache file is MAGIC, then a SHA-256 of the source text and the payload, then V8's payload. V8 itself checks only
// the source's length, its own version and its flags, and it trusts the payload: a damaged payload, or one made for
// other source of the same length, could crash the process or run other code. This digest rules both out.
const MAGIC = Buffer.from('tfy-lint code cache 1\n');
const DIGEST = 32;

function digest(source: string, payload: Uint8Array): Buffer {
  return createHash('sha256').update(source).update(payload).digest();
}

/** The payload of a file's code cache when it was made for this very source; 'foreign' when it was not; undefined: none. */
function readCache(file: string, source: string): Buffer | 'foreign' | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(codeCacheFile(file));
  } catch {
    return undefined;
  }
  if (bytes.length <= MAGIC.length + DIGEST || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'foreign';
  const payload = bytes.subarray(MAGIC.length + DIGEST);
  return digest(source, payload).equals(bytes.subarray(MAGIC.length, MAGIC.length + DIGEST)) ? payload : 'foreign';
}

/** A code cache file's bytes. */
export function codeCacheBytes(source: string, payload: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, digest(source, payload), payload]);
}

/** Node's CommonJS wrapper around a file's source, on a line of its own (lineOffset -1 keeps the file's line numbers). */
export function commonJsWrapper(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {\n${source}\n})`;
}

/**
 * V8 flags tfy-lint sets before it compiles anything (the launcher does; a code cache is valid only under the flags it
 * was made with). A check keeps the whole project's data alive to the end of the run, so most young objects survive
 * their first scavenge, and V8 answers that by doubling the young generation up to its maximum (32 MiB of
 * semi-spaces), which adds about 30 MiB of peak memory on a 1,000-file project and saves no time (the bench measures
 * both). A growth factor of 1 keeps it at its starting size. None when the user sizes the young generation.
 */
export function heapFlags(nodeOptions: string | undefined, execArgv: readonly string[]): string[] {
  if (/--(?:max|min)-semi-space-size|--semi-space-growth-factor/.test(nodeOptions ?? '') || execArgv.some((a) => /semi-space/.test(a))) return [];
  return ['--semi-space-growth-factor=1'];
}

/**
 * Runs a CommonJS file (`require` semantics, without the require cache: each file is loaded once per process by its
 * caller) and returns its `module.exports`, compiled with its code cache when there is one V8 accepts.
 */
export function loadCommonJs(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const found = readCache(file, source);
  const cachedData = typeof found === 'object' ? found : undefined;
  const script = new Script(commonJsWrapper(source), { filename: file, lineOffset: -1, ...(cachedData ? { cachedData } : {}) });
  const cache: CacheUse = cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : found === 'foreign' ? found : 'none';
  registry.push({ file, script, cache });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string) => void;
  fn(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** Each file loaded so far, with what became of its code cache. */
export function codeCacheStatus(): { file: string; cache: CacheUse }[] {
  return registry.map((l) => ({ file: l.file, cache: l.cache }));
}

/**
 * Writes the code cache of each file loaded so far, keeping a larger one already there (training runs in turn on
 * several projects: the largest cache holds the most compiled functions).
 */
export function writeCodeCaches(): void {
  for (const { file, script } of registry) {
    // The source is read again (only training runs write caches): holding every loaded file's text would cost each run.
    const data = codeCacheBytes(readFileSync(file, 'utf8'), script.createCachedData());
    const target = codeCacheFile(file);
    if (existsSync(target) && statSync(target).size >= data.length) continue;
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  }
}

/** In a training run (TFY_LINT_BUILD_CODE_CACHE=1), writes the code caches when the process exits. */
export function writeCodeCachesAtExit(env: Record<string, string | undefined>): void {
  if (env[BUILD_CODE_CACHE_ENV] === '1') process.on('exit', writeCodeCaches);
}
