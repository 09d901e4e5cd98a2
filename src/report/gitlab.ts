// Report: GitLab's code quality report (a JSON array of Code Climate issues), shown in merge requests.
import { joinParts } from './parts.ts';
import type { Severity } from '../core/diagnostic.ts';
import { runFingerprints } from './fingerprint.ts';
import { jsonListParts } from './json-text.ts';
import type { ReportInput } from './types.ts';

export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number } };
}

const SEVERITY: Record<Severity, GitlabSeverity> = { error: 'major', warning: 'minor', info: 'info' };

/** The issue of each finding, by its index in the input (file, line, column, rule). */
function issueMaker(input: ReportInput): (i: number) => GitlabIssue {
  // Counted with the silenced findings, as in SARIF, so that both reports give a finding the same fingerprint.
  const prints = runFingerprints(input.diagnostics, input.suppressed);
  return (i) => {
    const d = input.diagnostics[i];
    return {
      description: `${d.message} (${d.ruleId})`,
      check_name: d.ruleId,
      fingerprint: prints.get(d) as string,
      severity: SEVERITY[d.severity],
      location: { path: d.file, lines: { begin: d.range.start.line } },
    };
  };
}

/** The issues as objects, one per finding, in the input's order (file, line, column, rule). */
export function gitlabIssues(input: ReportInput): GitlabIssue[] {
  const issue = issueMaker(input);
  return input.diagnostics.map((_, i) => issue(i));
}

export function formatGitlab(input: ReportInput): string {
  return joinParts(gitlabParts(input));
}

/** formatGitlab's text in pieces. */
export function gitlabParts(input: ReportInput): Iterable<string> {
  return jsonListParts((list) => list, input.diagnostics.length, issueMaker(input), '\n');
}
