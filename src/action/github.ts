// Action: the GitHub REST API through Octokit: who the token is, a pull request's files, the sticky comment.
import { Octokit } from '@octokit/rest';
import type { GithubContext } from './context.ts';

export type GitHub = InstanceType<typeof Octokit>;

/** The author of comments made with the workflow's own GITHUB_TOKEN. */
export const ACTIONS_BOT = 'github-actions[bot]';

export function makeOctokit(token: string, ctx: GithubContext, version: string): GitHub {
  return new Octokit({
    auth: token,
    baseUrl: ctx.apiUrl,
    userAgent: `tfy-lint-action/${version}`,
    // Octokit's own logger would print request details; tfy-lint reports failures itself.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

interface HttpFailure { status: number; message: string; headers: Record<string, string | undefined> }

/** The status, GitHub's message and the headers of a failed request, or undefined for anything else. */
export function httpFailure(e: unknown): HttpFailure | undefined {
  if (!e || typeof e !== 'object' || typeof (e as { status?: unknown }).status !== 'number') return undefined;
  const err = e as { status: number; message?: string; response?: { data?: unknown; headers?: Record<string, string | undefined> } };
  const data = err.response?.data;
  const message = data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
    ? (data as { message: string }).message : (err.message ?? '').split(' - ')[0];
  return { status: err.status, message, headers: err.response?.headers ?? {} };
}

/** One line that says why a GitHub request failed, naming rate limits and read-only tokens as such. */
export function describeFailure(e: unknown, what: string): string {
  const f = httpFailure(e);
  if (!f) return `${what} failed: ${(e as Error)?.message ?? String(e)}`;
  if ((f.status === 403 || f.status === 429) && f.headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(f.headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    return `${what} failed: the GitHub API rate limit of this token is used up${when}`;
  }
  if (f.status === 403 || f.status === 401) {
    return `${what} failed: the token may not do this (HTTP ${f.status}: ${f.message}); a pull request from a fork gets a read-only token, `
      + 'and a workflow needs "permissions: pull-requests: write" (or "issues: write") to comment';
  }
  return `${what} failed: HTTP ${f.status}: ${f.message}`;
}

/**
 * The login comments written with this token carry. A personal token can ask GET /user; the workflow's GITHUB_TOKEN
 * (an installation token) cannot, and writes as github-actions[bot].
 */
export async function ownLogin(gh: GitHub): Promise<string> {
  try {
    const { data } = await gh.rest.users.getAuthenticated();
    return data.login;
  } catch (e) {
    const f = httpFailure(e);
    if (f && (f.status === 403 || f.status === 401 || f.status === 404)) return ACTIONS_BOT;
    throw e;
  }
}

/** The files a pull request changes (new and old names of renamed files), every page of them. */
export async function changedFiles(gh: GitHub, ctx: GithubContext, number: number): Promise<Set<string>> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, { owner: ctx.owner, repo: ctx.repo, pull_number: number, per_page: 100 });
  const out = new Set<string>();
  for (const f of files) {
    out.add(f.filename);
    if (f.previous_filename) out.add(f.previous_filename);
  }
  return out;
}

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged' | 'none';
  url?: string;
}

/** Whether a comment is ours: written by this token's user, with the marker as its first line. */
export function isOwnComment(c: { body?: string | null; user?: { login?: string } | null }, marker: string, login: string): boolean {
  return (c.user?.login ?? '') === login && (c.body ?? '').split('\n', 1)[0].trim() === marker;
}

/**
 * Creates or updates the one comment of `marker` on an issue or pull request. `body(existing)` gives the new text, or
 * undefined to leave things as they are (no comment yet and nothing to say).
 */
export async function upsertComment(
  gh: GitHub, ctx: GithubContext, issue: number, marker: string, login: string,
  body: (existing: boolean) => string | undefined,
): Promise<StickyResult> {
  const comments = await gh.paginate(gh.rest.issues.listComments, { owner: ctx.owner, repo: ctx.repo, issue_number: issue, per_page: 100 });
  const mine = comments.find((c) => isOwnComment(c, marker, login));
  const text = body(Boolean(mine));
  if (text === undefined) return { action: 'none', url: mine?.html_url };
  if (mine) {
    if (mine.body === text) return { action: 'unchanged', url: mine.html_url };
    const { data } = await gh.rest.issues.updateComment({ owner: ctx.owner, repo: ctx.repo, comment_id: mine.id, body: text });
    return { action: 'updated', url: data.html_url };
  }
  const { data } = await gh.rest.issues.createComment({ owner: ctx.owner, repo: ctx.repo, issue_number: issue, body: text });
  return { action: 'created', url: data.html_url };
}
