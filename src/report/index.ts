// Report: picks a formatter by name.
import { formatCompact } from './compact.ts';
import { formatGithub } from './github.ts';
import { formatGitlab } from './gitlab.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatSarif, type SarifOptions } from './sarif.ts';
import { formatStylish } from './stylish.ts';
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
