// Report: JUnit XML for CI test views: a test suite per file checked, a test case per document, a failure per finding.
import type { Diagnostic } from '../core/diagnostic.ts';
import { plural } from '../core/text.ts';
import { compactLine } from './compact.ts';
import { inPieces, joinParts } from './parts.ts';
import type { CheckedDocument, CheckedFile, ReportInput } from './types.ts';

/** Every character xmlEscape may rewrite (a superset): most texts hold none and are returned as they are. */
const MAY_ESCAPE = /[&<>"\t\n\r\u0000-\u001F\u007F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Characters that may be written as \uXXXX (a superset: surrogates in pairs are kept). */
const NEEDS_CODE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Text for XML 1.0 content (`attribute` also keeps tabs and line breaks through attribute normalisation). Control
 * characters that XML 1.0 cannot hold even as references, lone surrogates and U+FFFE/U+FFFF are written as `\uXXXX`.
 */
export function xmlEscape(s: string, attribute = false): string {
  if (!MAY_ESCAPE.test(s)) return s;
  // Without a character that needs \uXXXX, only markup, quotes and line breaks can match: a simpler expression.
  if (!NEEDS_CODE.test(s)) return s.replace(/[&<>"\t\n\r]/g, (c) => escapeOne(c, attribute));
  return s.replace(/[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => escapeOne(c, attribute));
}

function escapeOne(c: string, attribute: boolean): string {
  switch (c) {
    case '&': return '&amp;';
    case '<': return '&lt;';
    case '>': return '&gt;';
    case '"': return attribute ? '&quot;' : '"';
    case '\t': return attribute ? '&#9;' : '\t';
    case '\n': return attribute ? '&#10;' : '\n';
    case '\r': return '&#13;';
    default: return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  }
}

interface Case { name: string; line: number; findings: Diagnostic[] }

function caseName(doc: CheckedDocument | undefined, docIndex: number): string {
  if (docIndex < 0) return 'whole file';
  const what = doc?.type ? `${doc.type}${doc.name !== undefined ? ` "${doc.name}"` : ''}` : 'document';
  return `${what} (document ${docIndex + 1})`;
}

/** The test cases of one file: one per document, plus "whole file" for findings about the file or a file without documents. */
function casesOf(file: CheckedFile, findings: readonly Diagnostic[]): Case[] {
  const byDoc = new Map<number, Case>();
  for (const doc of file.documents) byDoc.set(doc.docIndex, { name: caseName(doc, doc.docIndex), line: doc.line, findings: [] });
  for (const d of findings) {
    const k = d.docIndex < 0 ? -1 : d.docIndex;
    if (!byDoc.has(k)) byDoc.set(k, { name: caseName(undefined, k), line: k < 0 ? 1 : d.range.start.line, findings: [] });
    (byDoc.get(k) as Case).findings.push(d);
  }
  if (byDoc.size === 0) byDoc.set(-1, { name: caseName(undefined, -1), line: 1, findings: [] });
  return [...byDoc.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
}

function body(d: Diagnostic): string {
  const lines = [compactLine(d)];
  if (d.hint) lines.push(`hint: ${d.hint}`);
  for (const r of d.related ?? []) lines.push(`see ${r.file}:${r.range.start.line}:${r.range.start.column}: ${r.message}`);
  return lines.join('\n');
}

/** Files to report: those the run checked, and any other file a finding names (in the input's file order). */
function filesOf(input: ReportInput): CheckedFile[] {
  const files = new Map<string, CheckedFile>((input.checked ?? []).map((f) => [f.file, f]));
  for (const d of input.diagnostics) if (!files.has(d.file)) files.set(d.file, { file: d.file, documents: [] });
  return [...files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** formatJunit's text in pieces. */
export function junitParts(input: ReportInput): Iterable<string> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of input.diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d); else byFile.set(d.file, [d]);
  }
  // A file that could not be read was not tested: its finding is an <error>, every other finding a <failure>.
  const isError = (c: Case) => c.findings.some((d) => d.ruleId === 'load');
  const suites = filesOf(input).map((file) => {
    const cases = casesOf(file, byFile.get(file.file) ?? []);
    return { file, cases, failures: cases.filter((c) => c.findings.length && !isError(c)).length, errors: cases.filter(isError).length };
  });
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const s of suites) {
    tests += s.cases.length;
    failures += s.failures;
    errors += s.errors;
  }
  const name = `tfy-lint: ${plural(input.files, 'file')}, ${plural(input.documents, 'document')}`;
  // The totals head the report; the suites' lines are made as they are written.
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name, true)}" tests="${tests}" failures="${failures}" errors="${errors}">\n`;
  function* lines(): Generator<string> {
    const a = (s: string) => xmlEscape(s, true);
    for (const { file, cases, failures: f, errors: e } of suites) {
      yield `  <testsuite name="${a(file.file)}" tests="${cases.length}" failures="${f}" errors="${e}" skipped="0">`;
      for (const c of cases) {
        const caseHead = `    <testcase classname="${a(file.file)}" name="${a(c.name)}" file="${a(file.file)}" line="${c.line}"`;
        if (!c.findings.length) { yield `${caseHead}/>`; continue; }
        yield `${caseHead}>`;
        for (const d of c.findings) {
          const tag = d.ruleId === 'load' ? 'error' : 'failure';
          yield `      <${tag} type="${a(d.ruleId)}" message="${a(d.message)}">${xmlEscape(body(d))}</${tag}>`;
        }
        yield '    </testcase>';
      }
      yield '  </testsuite>';
    }
    yield '</testsuites>';
  }
  return (function* () { yield head; yield* inPieces(lines()); })();
}

export function formatJunit(input: ReportInput): string {
  return joinParts(junitParts(input));
}
