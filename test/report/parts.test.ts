// Reports in pieces: the pieces of every format make exactly the text of formatReport, the JSON made a slice of the
// list at a time equals JSON.stringify, and fingerprints computed once serve SARIF and GitLab alike.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { runFingerprints } from '../../src/report/fingerprint.ts';
import { FORMATS, formatReport, formatReportParts, type ReportInput } from '../../src/report/index.ts';
import { jsonListParts, jsonWithList, SLICE } from '../../src/report/json-text.ts';

const at = (line: number, column: number, endLine = line, endColumn = column + 1) => ({ start: { line, column }, end: { line: endLine, column: endColumn } });

/** `n` findings over a few files: hints, related places, odd characters and paths, several rules and severities. */
function findings(n: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < n; i++) {
    const file = `dir ${i % 7}/f&<${i % 3}>,x:y.yaml`;
    const kind = i % 5;
    out.push({
      ruleId: kind === 0 ? 'schema' : kind === 1 ? 'unique-names' : kind === 2 ? 'load' : 'secret-ref-format',
      severity: kind === 3 ? 'warning' : kind === 4 ? 'info' : 'error',
      message: kind === 2 ? `line ${i}\r\nbreaks "quoted" 100% \u0007 bell … ≤ 😀 \ud800` : `unknown property "k${i % 11}" in items[${i}]`,
      ...(i % 2 ? { hint: 'Allowed here: a, b & <c>.' } : {}),
      ...(kind === 1 ? { messageId: 'duplicate', related: [{ file: 'other.yaml', range: at(3, 1), message: 'first "here"' }] } : {}),
      file,
      docIndex: kind === 2 ? -1 : i % 2,
      path: kind === 2 ? [] : ['items', i, `k${i % 11}`],
      range: at(1 + i * 2, 1 + (i % 9), kind === 4 ? 2 + i * 2 : 1 + i * 2, 4 + (i % 9)),
    });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line));
}

function input(diagnostics: Diagnostic[], over: Partial<ReportInput> = {}): ReportInput {
  const sources = new Map<string, string>();
  for (const d of diagnostics) {
    if (!sources.has(d.file)) sources.set(d.file, Array.from({ length: 2 * diagnostics.length + 2 }, (_, i) => (i % 4 ? `  key${i}: value\twith tab` : `api_key: sk-${'a'.repeat(40)}`)).join('\n'));
  }
  const checked = [...new Set(diagnostics.map((d) => d.file))].sort().map((file) => ({ file, documents: [{ docIndex: 0, type: 'provider-account/openai', name: 'a "b"', line: 1 }] }));
  return { diagnostics, sources, files: checked.length, documents: checked.length, color: false, checked, ...over };
}

describe('formatReportParts', () => {
  it.each([0, 1, 999, 2500])('gives, joined, exactly the text of formatReport for every format (%i findings)', (n) => {
    const list = findings(n);
    const silenced = findings(3).map((d) => ({ ...d, file: 'quiet.yaml', suppressed: { kind: 'next-line' as const, reason: 'known', range: at(1, 1) } }));
    for (const color of [false, true]) {
      const report = input(list, { suppressed: silenced, color });
      for (const format of FORMATS) {
        const parts = [...formatReportParts(format, report, { version: '1.2.3' })];
        expect(parts.every((p) => typeof p === 'string')).toBe(true);
        expect(parts.join(''), `${format}, ${n} findings`).toBe(formatReport(format, report, { version: '1.2.3' }));
      }
    }
  });

  it('makes the lines of a line-based report as its pieces are asked for', () => {
    for (const format of ['compact', 'github', 'stylish', 'junit'] as const) {
      let made = 0; // findings whose message was read: each is read once, for its line
      const list = findings(2500).map((d) => new Proxy(d, { get: (t, k, r) => { if (k === 'message') made++; return Reflect.get(t, k, r); } }));
      const parts = formatReportParts(format, input(list), { version: '1.2.3' })[Symbol.iterator]();
      expect(parts.next().done, format).toBe(false);
      expect(made, format).toBeLessThan(2000);
      while (!parts.next().done) { /* the rest */ }
      expect(made, format).toBeGreaterThanOrEqual(2500);
    }
  });

  it('keeps each piece of a long report small', () => {
    const report = input(findings(2500));
    for (const format of FORMATS) {
      const parts = [...formatReportParts(format, report, { version: '1.2.3' })];
      expect(parts.length, format).toBeGreaterThan(1);
      const total = parts.reduce((n, p) => n + p.length, 0);
      expect(Math.max(...parts.map((p) => p.length)), format).toBeLessThan(total / 2);
    }
  });
});

describe('jsonListParts', () => {
  const item = (i: number): unknown => (i % 4 === 0 ? { n: i, s: `quote " backslash \\ line\nbreak ${'é😀'}`, empty: [], none: {}, nested: [[i], { a: [] }] }
    : i % 4 === 1 ? [i, null, true, 'x'] : i % 4 === 2 ? undefined : `item ${i}`);
  const list = (count: number) => Array.from({ length: count }, (_, i) => item(i));
  const shells: [string, (list: unknown) => unknown][] = [
    ['the list itself', (l) => l],
    ['a list deep inside, with keys after it', (l) => ({ a: 1, runs: [{ tool: { rules: ['≤', '…'] }, results: l, after: { x: [] } }], z: 'end' })],
    ['a list as an item of a list', (l) => [1, l, 2]],
    ['a list beside a string holding the marker\'s characters', (l) => ({ odd: '\udead\ubeef', list: l })],
    ['a shell without the list', () => ({ nothing: true })],
  ];
  for (const [name, shell] of shells) {
    it.each([0, 1, SLICE - 1, SLICE, SLICE + 1, 999, 1000, 1001, 2345])(`equals JSON.stringify: ${name} (%i items)`, (count) => {
      const expected = `${JSON.stringify(shell(list(count)), null, 2)}\n`;
      expect([...jsonListParts(shell, count, item, '\n')].join('')).toBe(expected);
      expect(jsonWithList(shell, count, item, '\n')).toBe(expected);
    });
  }
  it('makes the pieces as they are asked for: the first slice before the items of the next', () => {
    const asked: number[] = [];
    const parts = jsonListParts((l) => ({ l }), 2500, (i) => { asked.push(i); return i; })[Symbol.iterator]();
    parts.next(); // the text before the list
    parts.next(); // the first slice
    expect(asked.length).toBe(SLICE);
    expect([...{ [Symbol.iterator]: () => parts }].length).toBe(Math.ceil(2500 / SLICE)); // the other slices, then the end
    expect(asked.length).toBe(2500);
  });

  it('asks for each item once, in order', () => {
    const asked: number[] = [];
    const text = jsonWithList((l) => ({ l }), 2500, (i) => { asked.push(i); return i; });
    expect(asked).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(JSON.parse(text)).toEqual({ l: asked });
  });
});

describe('runFingerprints', () => {
  it('counts silenced findings in, and answers again from the same lists without computing anew', () => {
    const shown = findings(20);
    const alone = runFingerprints(shown, []);
    const target = shown[5];
    // A silenced finding of the same identity just above the target: the target becomes the second of its kind.
    const silenced = [{ ...target, range: at(target.range.start.line - 1, 1), suppressed: { kind: 'next-line' as const, reason: 'r', range: at(1, 1) } }];
    const both = runFingerprints(shown, silenced);
    expect(runFingerprints(shown, silenced)).toBe(both);
    expect(both.get(target)).toBe(`${(alone.get(target) as string).split(':')[0]}:2`);
    expect(both.get(silenced[0])).toBe(alone.get(target));
    expect(shown.filter((d) => d !== target).every((d) => both.get(d) === alone.get(d))).toBe(true);
  });
});

describe('xmlEscape', () => {
  // Every character escaped by the one full expression (what xmlEscape's shortcuts must agree with).
  const full = (s: string, attribute: boolean) => s.replace(/[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => (
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? (attribute ? '&quot;' : c) : c === '\t' ? (attribute ? '&#9;' : c)
      : c === '\n' ? (attribute ? '&#10;' : c) : c === '\r' ? '&#13;' : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`));
  it('gives the same text on its short paths as the full escaping', async () => {
    const { xmlEscape } = await import('../../src/report/junit.ts');
    const samples = ['plain', 'unknown property "x" in a & b <c>', 'tab\tline\nreturn\r', 'bell \u0007', 'pair 😀 and lone \ud800 \udc00', '\uFFFE\uFFFF',
      'é ≤ … \u2028', '', '"', 'a\u007fb', `${'x'.repeat(100)}&`];
    for (const s of samples) for (const attribute of [false, true]) expect(xmlEscape(s, attribute), JSON.stringify(s)).toBe(full(s, attribute));
  });
});
