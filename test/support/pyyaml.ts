// Test support: the real PyYAML as an oracle, one Python process per batch (JSON over stdin/stdout).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'pyyaml-oracle.py');

export type PyValue = { t: string; v: unknown } | { error: string };
export type PyFile = { docs: unknown[] } | { error: string } | { duplicate: string } | { too_large: true };
export interface PyAnswer { version: string; scalars: PyValue[]; tagged: PyValue[]; files: PyFile[] }

let interpreter: string | undefined;

/**
 * A Python that can `import yaml`: Debian's /usr/bin/python3 (python3-yaml) first, then whatever python3 is on PATH.
 * `.ci/run` installs python3-yaml when neither has it; without one the differential tests fail with this message.
 */
export function pythonWithYaml(): string {
  if (interpreter) return interpreter;
  for (const candidate of [process.env.TFY_LINT_TEST_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter(Boolean) as string[]) {
    const r = spawnSync(candidate, ['-c', 'import yaml'], { encoding: 'utf8' });
    if (r.status === 0) return (interpreter = candidate);
  }
  throw new Error('no Python with PyYAML found (tried /usr/bin/python3, python3, python): install python3-yaml (apt-get install -y python3-yaml)');
}

/** Asks PyYAML about scalars, tagged scalars and whole files (as bytes, so it decodes them itself). */
export function askPyYaml(request: { scalars?: string[]; tagged?: [string, string][]; files?: (string | Uint8Array)[] }): PyAnswer {
  const files = request.files?.map((f) => Buffer.from(f).toString('base64'));
  const r = spawnSync(pythonWithYaml(), [ORACLE], { input: JSON.stringify({ ...request, files }), encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`PyYAML oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PyAnswer;
}

/** A float as Python's repr wrote it. */
export function pyFloat(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan') return NaN;
  return Number(text);
}
