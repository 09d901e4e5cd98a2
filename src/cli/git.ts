// CLI: the commit a repository is at, read from .git directly (no process spawned), else from `git rev-parse HEAD`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * node:child_process, loaded only when git must be asked: it brings sockets and streams with it, a few milliseconds
 * of every run's start for a fallback most runs never take.
 */
function childProcess(): typeof import('node:child_process') {
  return createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
}

/** The folder holding HEAD for the work tree containing `start` (following a `.git` file to a worktree's git dir). */
function gitDir(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const m = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      if (m) return isAbsolute(m[1]) ? m[1] : resolve(dir, m[1]);
      return undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readRef(dir: string, ref: string): string | undefined {
  // A linked worktree keeps its refs in the common dir.
  const common = existsSync(join(dir, 'commondir')) ? resolve(dir, readFileSync(join(dir, 'commondir'), 'utf8').trim()) : dir;
  for (const base of [dir, common]) {
    const file = join(base, ref);
    if (existsSync(file)) {
      const v = readFileSync(file, 'utf8').trim();
      if (SHA.test(v)) return v;
    }
  }
  const packed = join(common, 'packed-refs');
  if (existsSync(packed)) {
    for (const line of readFileSync(packed, 'utf8').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && SHA.test(sha)) return sha;
    }
  }
  return undefined;
}

/** The commit of HEAD, or undefined when `dir` is not in a git work tree or the commit cannot be told. */
export function repositoryCommit(dir: string): string | undefined {
  try {
    const g = gitDir(dir);
    if (!g) return undefined;
    const head = readFileSync(join(g, 'HEAD'), 'utf8').trim();
    if (SHA.test(head)) return head;
    const m = /^ref:\s*(\S+)$/.exec(head);
    const fromFiles = m ? readRef(g, m[1]) : undefined;
    if (fromFiles) return fromFiles;
  } catch {
    // fall through to git itself
  }
  try {
    const r = childProcess().spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const out = r.status === 0 ? r.stdout.trim() : '';
    return SHA.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** The root of the git work tree holding `dir` (the folder with `.git`, a folder or a worktree's file), if any. */
export function workTreeRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}
