// Bench helper: runs the built CLI in a fresh process, asynchronously (the benches' fake platform answers from the
// calling process), and resolves with its wall time in ms, exit code, stdout and stderr. Used by bench-plan and
// bench-apply.
import { spawn } from 'node:child_process';

export function timedRun({ cli, cwd, args, env = {}, nodeArgs = [] }) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, cli, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code, stdout, stderr }));
  });
}
