// Action: the drift issue of a path: opened when the tenant drifts from the repository, updated when the drift
// changes, closed with a comment when it is gone. One issue per path, labelled tfy-lint-drift, found again by a
// hidden marker and its author (the token's own user), never a pull request or someone else's issue.
import type { GithubContext } from './context.ts';
import { httpFailure, type GitHub } from './github.ts';

export const DRIFT_ISSUE_LABEL = 'tfy-lint-drift';

export function driftMarker(projectPath: string): string {
  return `<!-- tfy-lint drift path=${encodeURIComponent(projectPath)} -->`;
}

function fingerprintLine(fingerprint: string): string {
  return `<!-- tfy-lint drift fingerprint=${fingerprint} -->`;
}

export function driftTitle(projectPath: string): string {
  return `tfy-lint drift: ${projectPath === '.' ? 'the repository' : projectPath} differs from the platform`;
}

export interface DriftIssueInput {
  projectPath: string;
  login: string;
  inSync: boolean;
  /** Equal for two runs exactly when the drift is the same. */
  fingerprint: string;
  /** The report (Markdown), without the markers. */
  report: string;
  /** Where this run is (the commit and the run's page), for the comments. */
  where: string;
}

export interface DriftIssueResult {
  action: 'opened' | 'updated' | 'unchanged' | 'closed' | 'none';
  url?: string;
  number?: number;
}

interface IssueLike { number: number; body?: string | null; user?: { login?: string } | null; pull_request?: unknown; html_url: string }

function isOwnDriftIssue(i: IssueLike, marker: string, login: string): boolean {
  return !i.pull_request && (i.user?.login ?? '') === login && (i.body ?? '').split('\n', 1)[0].trim() === marker;
}

async function ensureLabel(gh: GitHub, ctx: GithubContext): Promise<void> {
  try {
    await gh.rest.issues.getLabel({ owner: ctx.owner, repo: ctx.repo, name: DRIFT_ISSUE_LABEL });
  } catch (e) {
    if (httpFailure(e)?.status !== 404) throw e;
    try {
      await gh.rest.issues.createLabel({
        owner: ctx.owner, repo: ctx.repo, name: DRIFT_ISSUE_LABEL, color: 'd93f0b',
        description: 'The platform differs from the repository (opened and closed by tfy-lint)',
      });
    } catch (err) {
      // Created by a run of another path in the meantime.
      if (httpFailure(err)?.status !== 422) throw err;
    }
  }
}

export async function syncDriftIssue(gh: GitHub, ctx: GithubContext, input: DriftIssueInput): Promise<DriftIssueResult> {
  const marker = driftMarker(input.projectPath);
  const open = await gh.paginate(gh.rest.issues.listForRepo, {
    owner: ctx.owner, repo: ctx.repo, state: 'open', labels: DRIFT_ISSUE_LABEL, per_page: 100,
  });
  const issue = (open as IssueLike[]).find((i) => isOwnDriftIssue(i, marker, input.login));
  const body = `${marker}\n${fingerprintLine(input.fingerprint)}\n${input.report}`;
  if (input.inSync) {
    if (!issue) return { action: 'none' };
    await gh.rest.issues.createComment({
      owner: ctx.owner, repo: ctx.repo, issue_number: issue.number,
      body: `The platform matches the repository again (${input.where}). Closing.`,
    });
    await gh.rest.issues.update({ owner: ctx.owner, repo: ctx.repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', url: issue.html_url, number: issue.number };
  }
  if (!issue) {
    await ensureLabel(gh, ctx);
    const { data } = await gh.rest.issues.create({
      owner: ctx.owner, repo: ctx.repo, title: driftTitle(input.projectPath), body, labels: [DRIFT_ISSUE_LABEL],
    });
    return { action: 'opened', url: data.html_url, number: data.number };
  }
  const previous = (issue.body ?? '').split('\n')[1]?.trim();
  if (previous === fingerprintLine(input.fingerprint)) return { action: 'unchanged', url: issue.html_url, number: issue.number };
  await gh.rest.issues.update({ owner: ctx.owner, repo: ctx.repo, issue_number: issue.number, body, title: driftTitle(input.projectPath) });
  await gh.rest.issues.createComment({
    owner: ctx.owner, repo: ctx.repo, issue_number: issue.number,
    body: `The drift changed (${input.where}); the description above is the current report.`,
  });
  return { action: 'updated', url: issue.html_url, number: issue.number };
}
