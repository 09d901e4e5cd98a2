// Report: GitHub Actions workflow commands (::error file=…::message), one annotation per diagnostic.
import { groupParts } from './parts.ts';
import type { ReportInput } from './types.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

function escapeData(s: string): string {
  if (!/[%\r\n]/.test(s)) return s;
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command per finding, each ending with a line break. */
function githubCommands(input: ReportInput): string[] {
  // Files and rule ids repeat from finding to finding: each is escaped once.
  const escaped = new Map<string, string>();
  const property = (s: string) => {
    let e = escaped.get(s);
    if (e === undefined) { e = escapeProperty(s); escaped.set(s, e); }
    return e;
  };
  const out: string[] = [];
  for (const d of input.diagnostics) {
    const { start, end } = d.range;
    const endColumn = end.line === start.line ? `,endColumn=${end.column}` : '';
    const props = `file=${property(d.file)},line=${start.line},col=${start.column},endLine=${end.line}${endColumn},title=${property(`tfy-lint ${d.ruleId}`)}`;
    const body = d.hint ? `${d.message}\n${d.hint}` : d.message;
    out.push(`::${LEVEL[d.severity]} ${props}::${escapeData(body)}\n`);
  }
  return out;
}

export function formatGithub(input: ReportInput): string {
  return githubCommands(input).join('');
}

/** formatGithub's text in pieces. */
export function githubParts(input: ReportInput): string[] {
  return groupParts(githubCommands(input));
}
