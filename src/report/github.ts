// Report: GitHub Actions workflow commands (::error file=…::message), one annotation per diagnostic.
import { inPieces, joinParts } from './parts.ts';
import type { ReportInput } from './types.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

function escapeData(s: string): string {
  if (!/[%\r\n]/.test(s)) return s;
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** formatGithub's text in pieces: one workflow command per finding, each on its own line. */
export function githubParts(input: ReportInput): Iterable<string> {
  return inPieces(githubLines(input));
}

function* githubLines(input: ReportInput): Generator<string> {
  // Files and rule ids repeat from finding to finding: each is escaped once.
  const files = new Map<string, string>();
  const titles = new Map<string, string>();
  for (const d of input.diagnostics) {
    const { start, end } = d.range;
    let file = files.get(d.file);
    if (file === undefined) { file = escapeProperty(d.file); files.set(d.file, file); }
    let title = titles.get(d.ruleId);
    if (title === undefined) { title = escapeProperty(`tfy-lint ${d.ruleId}`); titles.set(d.ruleId, title); }
    const endColumn = end.line === start.line ? `,endColumn=${end.column}` : '';
    const body = d.hint ? `${d.message}\n${d.hint}` : d.message;
    // Data and properties are escaped: a command never holds a line break of its own.
    yield (`::${LEVEL[d.severity]} file=${file},line=${start.line},col=${start.column},endLine=${end.line}${endColumn},title=${title}::${escapeData(body)}`);
  }
}

export function formatGithub(input: ReportInput): string {
  return joinParts(githubParts(input));
}
