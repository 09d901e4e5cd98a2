import { describe, expect, it } from 'vitest';
import { parseText } from '../helpers.ts';

const at = (r: { start: { line: number; column: number } }) => `${r.start.line}:${r.start.column}`;
const span = (r: { start: { line: number; column: number }; end: { line: number; column: number } }) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;

describe('parseSource: positions', () => {
  const text = [
    'type: provider-account/openai', // 1
    'name: openai-main',             // 2
    'integrations:',                 // 3
    '  - type: integration/model/openai', // 4
    '    name: gpt-4o',              // 5
    '    model_types: [chat, embedding]', // 6
    'auth_data: {type: api-key}',    // 7
  ].join('\n');
  const [m] = parseText(text).manifests;

  it.each([
    [['name'], 'key', '2:1-2:5'],
    [['name'], 'value', '2:7-2:18'],
    [['integrations', 0, 'name'], 'key', '5:5-5:9'],
    [['integrations', 0, 'name'], 'value', '5:11-5:17'],
    [['integrations', 0, 'model_types', 1], 'value', '6:25-6:34'],
    [['auth_data', 'type'], 'value', '7:19-7:26'],
    [['integrations', 0], 'value', '4:5-7:1'],
  ] as const)('%j (%s) is at %s', (path, prefer, expected) => {
    expect(span(m.rangeOf([...path], prefer))).toBe(expected);
  });

  it('points a missing property at the key of the object that should hold it', () => {
    expect(at(m.rangeOf(['auth_data', 'api_key']))).toBe('7:1');
  });
  it('points a missing property of a list item at the item\'s first key', () => {
    expect(at(m.rangeOf(['integrations', 0, 'model_id']))).toBe('4:5');
  });
  it('points a missing top-level property at the type key', () => {
    expect(at(m.rangeOf(['collaborators']))).toBe('1:1');
  });
  it('falls back to the nearest existing ancestor', () => {
    const loc = m.locate(['integrations', 5, 'name']);
    expect(loc.depth).toBe(1);
    expect(at(loc.value)).toBe('4:3');
  });
  it('exposes type and name', () => {
    expect(m.type).toBe('provider-account/openai');
    expect(m.name).toBe('openai-main');
  });
});

describe('parseSource: documents', () => {
  it('counts documents including empty ones and reports the right docIndex', () => {
    const r = parseText('---\n---\ntype: a\n---\n# c\n---\ntype: b\n');
    expect(r.manifests.map((m) => [m.docIndex, m.type, m.range.start.line])).toEqual([[1, 'a', 3], [3, 'b', 7]]);
    expect(r.diagnostics).toEqual([]);
  });
  it.each([['', 0], ['# only a comment\n', 0], ['---\n', 0], ['~\n', 0]])('an empty file %j has no manifests and no findings', (text, n) => {
    const r = parseText(text);
    expect(r.manifests.length).toBe(n);
    expect(r.diagnostics).toEqual([]);
  });
  it('keeps a list or scalar document as data (validation reports its shape)', () => {
    const r = parseText('- a\n- b\n---\nhello\n');
    expect(r.manifests.map((m) => m.data)).toEqual([['a', 'b'], 'hello']);
  });
  it('handles CRLF line endings with exact columns', () => {
    const r = parseText('type: x\r\nname: abc\r\nlist:\r\n  - one\r\n');
    const m = r.manifests[0];
    expect(m.data).toEqual({ type: 'x', name: 'abc', list: ['one'] });
    expect(span(m.rangeOf(['name'], 'value'))).toBe('2:7-2:10');
    expect(at(m.rangeOf(['list', 0], 'value'))).toBe('4:5');
  });
  it('reads YAML 1.1 scalars as the platform does, and keeps dates as written', () => {
    const r = parseText('a: yes\nb: off\nc: 2026-12-31\nd: "2026-12-31"\ne: 0777\n');
    expect(r.manifests[0].data).toEqual({ a: true, b: false, c: '2026-12-31', d: '2026-12-31', e: 511 });
  });
});

describe('parseSource: anchors, aliases and merge keys', () => {
  const text = [
    'base: &base',            // 1
    '  weight: 50',           // 2
    '  retry: &r {attempts: 2}', // 3
    'target:',                // 4
    '  <<: *base',            // 5
    '  target: a/b',          // 6
    '  weight: 10',           // 7
    'other: *r',              // 8
  ].join('\n');
  const [m] = parseText(text).manifests;
  it('resolves merges with explicit keys winning', () => {
    expect(m.data).toEqual({ base: { weight: 50, retry: { attempts: 2 } }, target: { weight: 10, retry: { attempts: 2 }, target: 'a/b' }, other: { attempts: 2 } });
  });
  it('locates an explicit key over a merged one', () => {
    expect(at(m.rangeOf(['target', 'weight'], 'value'))).toBe('7:11');
  });
  it('locates a merged value at its source', () => {
    expect(at(m.rangeOf(['target', 'retry', 'attempts'], 'value'))).toBe('3:24');
  });
  it('locates through an alias', () => {
    expect(at(m.rangeOf(['other', 'attempts'], 'key'))).toBe('3:14');
  });
  it('rejects alias bombs instead of expanding them', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const r = parseText(levels.join('\n'));
    expect(r.manifests).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('billion laughs')]);
  });
  it('reports an alias without an anchor', () => {
    const r = parseText('a: *nope\n');
    expect(r.diagnostics.map((d) => [d.message, at(d.range)])).toEqual([['alias *nope refers to no anchor &nope defined before it in this document', '1:4']]);
  });
  it('rejects a merge of something that is not a mapping', () => {
    const r = parseText('a:\n  <<: [1]\n');
    expect(r.diagnostics[0].message).toBe('a merge key (<<) takes a mapping or a list of mappings');
  });
});

describe('parseSource: bad input never throws', () => {
  it('reports a duplicate key at the repeat and keeps the last value, as PyYAML does', () => {
    const r = parseText('a: 1\na: 2\n');
    expect(r.diagnostics.map((d) => [d.message, span(d.range), d.related?.map((x) => at(x.range))])).toEqual([['duplicate key "a": a key may appear only once in a mapping', '2:1-2:2', ['1:1']]]);
    expect(r.manifests.map((m) => m.data)).toEqual([{ a: 2 }]);
    expect(at(r.manifests[0].rangeOf(['a'], 'value'))).toBe('2:4');
  });
  it.each([
    ['tab indentation', 'a:\n\tb: 1\n', 'tab used for indentation: YAML indents with spaces only', '2:1-2:2'],
    ['unclosed flow sequence', 'a: [1, 2\n', undefined, undefined],
  ])('%s', (_name, text, message, range) => {
    const r = parseText(text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].ruleId).toBe('yaml-syntax');
    expect(r.diagnostics[0].severity).toBe('error');
    if (message) expect(r.diagnostics[0].message).toBe(message);
    if (range) expect(span(r.diagnostics[0].range)).toBe(range);
    expect(r.manifests).toEqual([]);
  });
  it('deeply nested flow collections', () => {
    const r = parseText(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(r.manifests).toEqual([]);
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });
  it('deeply nested block mappings', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    const r = parseText(text);
    expect(r.manifests).toEqual([]);
    expect(r.diagnostics[0].message).toMatch(/nested too deeply/);
  });
  it('random byte soup', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    const alphabet = 'ab:- \n\t[]{}&*!|>\'"#,?%@`<=\\';
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: rnd() % 80 }, () => alphabet[rnd() % alphabet.length]).join('');
      expect(() => parseText(text)).not.toThrow();
    }
  });
});
