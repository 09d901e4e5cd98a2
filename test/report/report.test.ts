import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { formatReport } from '../../src/report/index.ts';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  ruleId: 'schema', severity: 'error', message: 'unknown property "x"', file: 'a.yaml', docIndex: 0, path: ['x'],
  range: { start: { line: 2, column: 3 }, end: { line: 2, column: 4 } }, ...over,
});

const sources = new Map([['a.yaml', 'type: t\n  x: 1\napi_key: sk-proj-abcdefghijklmnopqrstuvwxyz0123456789\n']]);
const input = (diagnostics: Diagnostic[]) => ({ diagnostics, sources, files: 2, documents: 3, color: false });

describe('json report', () => {
  it('follows the versioned contract exactly', () => {
    const out = JSON.parse(formatReport('json', input([d({}), d({ severity: 'warning', hint: 'h', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 8 } }, path: ['api_key'] })])));
    expect(out).toEqual({
      version: 1,
      diagnostics: [
        { ruleId: 'schema', severity: 'error', message: 'unknown property "x"', hint: null, file: 'a.yaml', line: 2, column: 3, endLine: 2, endColumn: 4, path: ['x'] },
        { ruleId: 'schema', severity: 'warning', message: 'unknown property "x"', hint: 'h', file: 'a.yaml', line: 3, column: 1, endLine: 3, endColumn: 8, path: ['api_key'] },
      ],
      summary: { errors: 1, warnings: 1, infos: 0, files: 2, documents: 3 },
    });
  });
});

describe('github report', () => {
  it('writes one workflow command per finding, escaping data and properties', () => {
    const out = formatReport('github', input([d({ message: '100% wrong\nreally', file: 'dir,x/a:b.yaml', severity: 'info' })]));
    expect(out).toBe('::notice file=dir%2Cx/a%3Ab.yaml,line=2,col=3,endLine=2,endColumn=4,title=tfy-lint schema::100%25 wrong%0Areally\n');
  });
  it('adds the hint on a second line', () => {
    expect(formatReport('github', input([d({ hint: 'do this' })]))).toContain('::unknown property "x"%0Ado this\n');
  });
});

describe('stylish report', () => {
  it('groups by file with a code frame, hint and summary', () => {
    const out = formatReport('stylish', input([d({ hint: 'Allowed here: y.' })]));
    expect(out).toBe([
      'a.yaml',
      '  2:3  error  unknown property "x"  schema',
      '    2 |   x: 1',
      '      |   ^',
      '    = hint: Allowed here: y.',
      '',
      '✖ 1 problem (1 error, 0 warnings) in 1 file (2 files, 3 documents checked)',
      '',
    ].join('\n'));
  });
  it('redacts credentials in code frames', () => {
    const out = formatReport('stylish', input([d({ range: { start: { line: 3, column: 10 }, end: { line: 3, column: 60 } } })]));
    expect(out).toContain('api_key: sk-p…6789');
    expect(out).not.toContain('abcdefghijklmnop');
  });
  it('says so when there is nothing to report', () => {
    expect(formatReport('stylish', input([]))).toBe('✔ no problems (2 files, 3 documents checked)\n');
  });
  it('colours only when asked', () => {
    expect(formatReport('stylish', { ...input([d({})]), color: true })).toContain('\u001b[31merror\u001b[0m');
  });
});
