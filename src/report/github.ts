// Report: GitHub Actions workflow commands (::error file=…::message), one annotation per diagnostic.
import type { ReportInput } from './types.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(input: ReportInput): string {
  return input.diagnostics.map((d) => {
    const props = [
      `file=${escapeProperty(d.file)}`,
      `line=${d.range.start.line}`,
      `col=${d.range.start.column}`,
      `endLine=${d.range.end.line}`,
      ...(d.range.end.line === d.range.start.line ? [`endColumn=${d.range.end.column}`] : []),
      `title=${escapeProperty(`tfy-lint ${d.ruleId}`)}`,
    ].join(',');
    const body = d.hint ? `${d.message}\n${d.hint}` : d.message;
    return `::${LEVEL[d.severity]} ${props}::${escapeData(body)}\n`;
  }).join('');
}
