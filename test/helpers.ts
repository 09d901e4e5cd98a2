// Test helpers: run the CLI in process, parse YAML text, read golden files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';
import { replaceDirAtomic, type Io } from '../src/cli/io.ts';
import { parseSource } from '../src/parse/yaml.ts';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = join(REPO, '..', 'shared');

export interface CliRun { code: number; stdout: string; stderr: string; written: Map<string, string> }

export async function runCli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const io: Io = {
    cwd,
    env: { NO_COLOR: '1', ...env },
    stdout: { write: (s) => { stdout += s; }, isTTY: false },
    stderr: { write: (s) => { stderr += s; }, isTTY: false },
    writeFile: (p, t) => { written.set(p, t); },
    // Folders are written for real (tests pass temporary folders), so that what a build leaves can be checked.
    replaceDir: replaceDirAtomic,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, written };
}

export function parseText(text: string, path = 'test.yaml') {
  return parseSource({ path, text });
}

/** Compares with a golden file next to the fixture; UPDATE_GOLDEN=1 rewrites it. */
export function golden(path: string, actual: string): string {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; run the tests with UPDATE_GOLDEN=1 and review it`);
  return readFileSync(path, 'utf8');
}
