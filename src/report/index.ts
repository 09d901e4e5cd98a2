// Report: picks a formatter by name.
import { formatGithub } from './github.ts';
import { formatJson } from './json.ts';
import { formatStylish } from './stylish.ts';
import type { FormatName, ReportInput } from './types.ts';

export { FORMATS, type FormatName, type ReportInput } from './types.ts';

export function formatReport(name: FormatName, input: ReportInput): string {
  switch (name) {
    case 'stylish': return formatStylish(input);
    case 'json': return formatJson(input);
    case 'github': return formatGithub(input);
  }
}
