// Action: what the runner tells a step about the run (GITHUB_* variables and the event payload), read once.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export interface PullRequestContext {
  number: number;
  /** The commit at the head of the pull request (what a reviewer reads; GITHUB_SHA is the merge commit). */
  headSha: string;
  /** The pull request comes from another repository: its token is read-only and it gets no secrets. */
  fork: boolean;
}

export interface GithubContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The commit findings link to: the pull request's head, else GITHUB_SHA. */
  sha: string;
  serverUrl: string;
  apiUrl: string;
  /** The page of this workflow run (where the job summary is), when the runner says which run it is. */
  runUrl?: string;
  workspace: string;
  pullRequest?: PullRequestContext;
}

export class ContextError extends Error {
  override name = 'ContextError';
}

type Env = Record<string, string | undefined>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ContextError(`cannot read the event payload GITHUB_EVENT_PATH=${path}: ${(e as Error).message}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    return isRecord(v) ? v : {};
  } catch (e) {
    throw new ContextError(`the event payload ${path} is not JSON: ${(e as Error).message}`);
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function readContext(env: Env, cwd: string): GithubContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new ContextError('GITHUB_REPOSITORY is not set to owner/name: run this action in a GitHub Actions job');
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const serverUrl = trimSlash(env.GITHUB_SERVER_URL || 'https://github.com');
  const apiUrl = trimSlash(env.GITHUB_API_URL || 'https://api.github.com');
  const workspaceVar = env.GITHUB_WORKSPACE;
  const workspace = workspaceVar ? (isAbsolute(workspaceVar) ? workspaceVar : resolve(cwd, workspaceVar)) : cwd;
  let pullRequest: PullRequestContext | undefined;
  const pr = event.pull_request;
  if (isRecord(pr) && typeof pr.number === 'number') {
    const head = isRecord(pr.head) ? pr.head : {};
    const base = isRecord(pr.base) ? pr.base : {};
    const headRepo = isRecord(head.repo) ? head.repo.full_name : undefined;
    const baseRepo = isRecord(base.repo) ? base.repo.full_name : repository;
    pullRequest = {
      number: pr.number,
      headSha: typeof head.sha === 'string' ? head.sha : env.GITHUB_SHA ?? '',
      // A deleted fork has no head repository: treat it as a fork too.
      fork: headRepo !== baseRepo,
    };
  }
  const sha = pullRequest?.headSha || env.GITHUB_SHA || '';
  const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  return { eventName: env.GITHUB_EVENT_NAME ?? '', owner, repo, sha, serverUrl, apiUrl, runUrl, workspace, pullRequest };
}

/** A link to a file's lines at the commit the findings were made at. */
export function blobUrl(ctx: GithubContext, file: string, line?: number, endLine?: number): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  const anchor = line === undefined ? '' : endLine !== undefined && endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/blob/${ctx.sha}/${path}${anchor}`;
}
