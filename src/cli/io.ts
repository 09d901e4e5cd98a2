// CLI: the process boundary as a value, so that main() runs the same in tests and in a terminal.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Output {
  write(chunk: string): void;
  isTTY?: boolean;
}

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Writes a report file atomically (temp file, then rename), so a reader never sees half a report. */
  writeFile(path: string, text: string): void;
}

export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: { write: (s) => { process.stdout.write(s); }, isTTY: process.stdout.isTTY },
    stderr: { write: (s) => { process.stderr.write(s); }, isTTY: process.stderr.isTTY },
    writeFile: writeFileAtomic,
  };
}

/** Colour follows NO_COLOR / FORCE_COLOR, then whether the stream is a terminal. */
export function useColor(env: Io['env'], out: Output, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(out.isTTY) && env.TERM !== 'dumb';
}
