// CLI: the process boundary as a value, so that main() runs the same in tests and in a terminal.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { writeTextAtomic } from '../load/write.ts';
import { joinParts } from '../report/parts.ts';

export { writeText } from '../load/write.ts';

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

/** Writes a file whole or not at all (see load/write.ts): the same for a report, the cache and the run record. */
export function writeFileAtomic(path: string, text: string | Iterable<string>): void {
  writeTextAtomic(path, text);
}

/**
 * Writes a report given as pieces of text. The process's own writer takes them a piece at a time; any other writer
 * (one that scrubs secrets from the text, a test's) is given the whole text, as it expects.
 */
export function writeParts(io: Io, path: string, parts: Iterable<string>): void {
  if (io.writeFile === writeFileAtomic) writeFileAtomic(path, parts);
  else io.writeFile(path, joinParts(parts));
}

export function processIo(): Io {
  // A reader that stops early (`tfy-lint schema | head`) closes the pipe: stop quietly, as other command-line tools do,
  // instead of failing on the next write.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
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
