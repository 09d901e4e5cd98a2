// CLI: the process boundary as a value, so that main() runs the same in tests and in a terminal.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.ts';

export interface Output {
  write(chunk: string): void;
  isTTY?: boolean;
}

/** Standard input: a terminal when isTTY is true (apply then asks for confirmation on it). */
export type Input = NodeJS.ReadableStream & { isTTY?: boolean };

export interface Io {
  cwd: string;
  /** Absent or not a terminal: commands that ask a question refuse instead (apply without --yes). */
  stdin?: Input;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Writes a report file atomically (temp file, then rename), so a reader never sees half a report. */
  writeFile(path: string, text: string): void;
  /**
   * Replaces the folder `dir` with exactly `files` (relative paths) as one step: written to a staging folder beside
   * it, then swapped in. `dir` must be new, empty, or hold `marker` (it was written this way before).
   */
  replaceDir(dir: string, files: ReadonlyMap<string, string>, marker: string): void;
}

export function replaceDirAtomic(dir: string, files: ReadonlyMap<string, string>, marker: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
    if (readdirSync(dir).length > 0 && !existsSync(join(dir, marker))) {
      throw new UsageError(`${dir} is not empty and was not written by tfy-lint build (it has no ${marker}); choose a new or empty folder`);
    }
  }
  const staging = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [rel, text] of files) {
      const path = join(staging, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    mkdirSync(staging, { recursive: true });
    if (existsSync(dir)) {
      renameSync(dir, old);
      try { renameSync(staging, dir); } catch (e) { renameSync(old, dir); throw e; }
      rmSync(old, { recursive: true, force: true });
    } else {
      mkdirSync(dirname(dir), { recursive: true });
      renameSync(staging, dir);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeText(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Characters encoded per write: the buffer holds their UTF-8 form (at most 3 bytes per UTF-16 code unit). */
const CHUNK = 1 << 20;
let chunkBuffer: Buffer | undefined;

/**
 * Writes `text` as UTF-8, the same bytes as writeFileSync. A long text is encoded a chunk at a time into one reused
 * buffer: encoding a report of tens of megabytes in one piece (a fresh buffer as large as the file) took five to ten
 * times longer than writing it this way.
 */
export function writeText(path: string, text: string): void {
  if (text.length <= CHUNK) { writeFileSync(path, text); return; }
  chunkBuffer ??= Buffer.allocUnsafe(CHUNK * 3);
  const buf = chunkBuffer;
  const fd = openSync(path, 'w');
  try {
    for (let from = 0; from < text.length;) {
      let to = Math.min(text.length, from + CHUNK);
      // A surrogate pair stays in one chunk (split, each half would be encoded as U+FFFD).
      const last = text.charCodeAt(to - 1);
      if (to < text.length && last >= 0xd800 && last <= 0xdbff) to--;
      const bytes = buf.write(text.slice(from, to), 0, 'utf8');
      for (let done = 0; done < bytes;) done += writeSync(fd, buf, done, bytes - done);
      from = to;
    }
  } finally {
    closeSync(fd);
  }
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
    stdout: { write: (s) => { process.stdout.write(s); }, isTTY: process.stdout.isTTY },
    stderr: { write: (s) => { process.stderr.write(s); }, isTTY: process.stderr.isTTY },
    writeFile: writeFileAtomic,
    replaceDir: replaceDirAtomic,
  };
}

/** Colour follows NO_COLOR / FORCE_COLOR, then whether the stream is a terminal. */
export function useColor(env: Io['env'], out: Output, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(out.isTTY) && env.TERM !== 'dumb';
}

/** Reads one line from a stream (without its line end); undefined when the input ends first. Leaves the stream paused. */
export function readLine(input: Input): Promise<string | undefined> {
  return new Promise((resolveLine) => {
    let buffer = '';
    const done = (line: string | undefined) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onEnd);
      input.pause();
      resolveLine(line);
    };
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) done(buffer.slice(0, nl).replace(/\r$/, ''));
    };
    const onEnd = () => done(buffer === '' ? undefined : buffer.replace(/\r$/, ''));
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onEnd);
    input.resume();
  });
}
