// Report: the default human format: grouped by file, a code frame per finding, a summary line.
import { countDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { redactLine } from '../core/secrets.ts';
import { plural } from '../core/text.ts';
import { inPieces, joinParts } from './parts.ts';
import type { ReportInput } from './types.ts';

const CODES = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, underline: 4, green: 32 } as const;
type Style = keyof typeof CODES;

function painter(color: boolean) {
  return (style: Style, s: string) => (color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s);
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The code frame of `d`: its line, redacted, and a caret line (none when the line is missing or too long). */
function codeFrame(lines: string[], d: Diagnostic, paint: ReturnType<typeof painter>, redact: (line: string) => string): string[] {
  const { start, end } = d.range;
  const raw = lines[start.line - 1];
  if (raw === undefined) return [];
  const line = redact(raw.includes('\t') ? raw.replace(/\t/g, ' ') : raw);
  if (line.length > 200) return [];
  const width = String(start.line).length;
  const gutter = `${' '.repeat(width)} |`;
  const caretEnd = end.line === start.line ? Math.max(end.column, start.column + 1) : line.length + 1;
  const len = Math.max(1, Math.min(caretEnd, line.length + 1) - start.column);
  return [
    `    ${paint('dim', `${start.line} |`)} ${line}`,
    `    ${paint('dim', gutter)} ${' '.repeat(Math.max(0, start.column - 1))}${paint(d.severity === 'error' ? 'red' : 'yellow', '^'.repeat(len))}`,
  ];
}

/** formatStylish's text in pieces. */
export function stylishParts(input: ReportInput): Iterable<string> {
  return inPieces(stylishLines(input));
}

function* stylishLines(input: ReportInput): Generator<string> {
  const paint = painter(input.color);
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of input.diagnostics) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  // Lines repeat across files and findings (the same key in many documents): each distinct line is redacted once.
  const redacted = new Map<string, string>();
  const redact = (line: string) => {
    let r = redacted.get(line);
    if (r === undefined) { r = redactLine(line); redacted.set(line, r); }
    return r;
  };
  for (const [file, list] of byFile) {
    yield paint('underline', file);
    const lines = input.sources.has(file) ? splitLines(input.sources.get(file) as string) : [];
    for (const d of list) {
      const sev = d.severity === 'error' ? paint('red', 'error') : d.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', 'info');
      yield `  ${paint('dim', `${d.range.start.line}:${d.range.start.column}`)}  ${sev}  ${d.message}  ${paint('dim', d.ruleId)}`;
      yield* codeFrame(lines, d, paint, redact);
      if (d.hint) yield `    ${paint('cyan', '= hint:')} ${d.hint}`;
      for (const r of d.related ?? []) yield `    ${paint('dim', `= see ${r.file}:${r.range.start.line}:${r.range.start.column}:`)} ${r.message}`;
    }
    yield '';
  }
  const c = countDiagnostics(input.diagnostics);
  const total = c.errors + c.warnings + c.infos;
  const scope = `${plural(input.files, 'file')}, ${plural(input.documents, 'document')}`;
  if (total === 0) {
    yield `${paint('green', '✔')} no problems (${scope} checked)`;
  } else {
    const counts = [plural(c.errors, 'error'), plural(c.warnings, 'warning'), ...(c.infos ? [plural(c.infos, 'info', 'infos')] : [])];
    const mark = c.errors ? paint('red', '✖') : paint('yellow', '⚠');
    yield `${mark} ${plural(total, 'problem')} (${counts.join(', ')}) in ${plural(byFile.size, 'file')} (${scope} checked)`;
  }
}

export function formatStylish(input: ReportInput): string {
  return joinParts(stylishParts(input));
}
