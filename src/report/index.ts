// Report: picks a formatter by name.
import { compactParts, formatCompact } from './compact.ts';
import { formatGithub, githubParts } from './github.ts';
import { formatGitlab, gitlabParts } from './gitlab.ts';
import { formatJson, jsonParts } from './json.ts';
import { formatJunit, junitParts } from './junit.ts';
import { formatSarif, sarifTextParts, type SarifOptions } from './sarif.ts';
import { formatStylish, stylishParts } from './stylish.ts';
import type { FormatName, ReportInput } from './types.ts';

export { FORMATS, type CheckedFile, type FormatName, type ReportInput } from './types.ts';
export type { SarifOptions } from './sarif.ts';

/** Formats that name files relative to the repository root (code scanning and GitLab resolve them there). */
export const REPOSITORY_RELATIVE: ReadonlySet<FormatName> = new Set(['sarif', 'gitlab']);

/** `sarif` needs SarifOptions (the tool version at least); the other formats need only the input. */
export function formatReport(name: FormatName, input: ReportInput, sarif?: SarifOptions): string {
  switch (name) {
    case 'stylish': return formatStylish(input);
    case 'compact': return formatCompact(input);
    case 'json': return formatJson(input);
    case 'github': return formatGithub(input);
    case 'junit': return formatJunit(input);
    case 'gitlab': return formatGitlab(input);
    case 'sarif':
      if (!sarif) throw new Error('the sarif format needs SarifOptions (the tool version)');
      return formatSarif(input, sarif);
  }
}

/**
 * formatReport's text as pieces, in order: a report of tens of thousands of findings is written a piece at a time
 * instead of being joined into one string first.
 */
export function formatReportParts(name: FormatName, input: ReportInput, sarif?: SarifOptions): Iterable<string> {
  switch (name) {
    case 'stylish': return stylishParts(input);
    case 'compact': return compactParts(input);
    case 'json': return jsonParts(input);
    case 'github': return githubParts(input);
    case 'junit': return junitParts(input);
    case 'gitlab': return gitlabParts(input);
    case 'sarif':
      if (!sarif) throw new Error('the sarif format needs SarifOptions (the tool version)');
      return sarifTextParts(input, sarif);
  }
}
