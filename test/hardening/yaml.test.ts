// Hostile YAML: duplicate keys everywhere, heavy alias use, alias bombs, recursion, and what PyYAML refuses, each at
// its own position.
import { describe, expect, it } from 'vitest';
import { parseText } from '../helpers.ts';

const at = (d: { range: { start: { line: number; column: number } } }) => `${d.range.start.line}:${d.range.start.column}`;

describe('duplicate keys', () => {
  it('reports every duplicate of a document at its own line, nested ones included, and keeps the last values', () => {
    const r = parseText([
      'type: provider-account/openai', // 1
      'name: a',                       // 2
      'name: b',                       // 3
      'auth_data:',                    // 4
      '  type: api-key',               // 5
      '  type: bearer',                // 6
      'integrations:',                 // 7
      '  - {name: m, name: n, name: o}', // 8
      'type: provider-account/groq',   // 9
      'yes: 1',                        // 10
      'true: 2',                       // 11
      '1: x',                          // 12
      '1.0: y',                        // 13
    ].join('\n'));
    expect(r.diagnostics.map((d) => [at(d), d.message, d.related?.map(at)])).toEqual([
      ['3:1', 'duplicate key "name": a key may appear only once in a mapping', ['2:1']],
      ['9:1', 'duplicate key "type": a key may appear only once in a mapping', ['1:1']],
      // yes, true, 1 and 1.0 are one key to Python.
      ['11:1', 'duplicate key "true": a key may appear only once in a mapping', ['10:1']],
      ['12:1', 'duplicate key "1": a key may appear only once in a mapping', ['10:1']],
      ['13:1', 'duplicate key "1.0": a key may appear only once in a mapping', ['10:1']],
      ['6:3', 'duplicate key "type": a key may appear only once in a mapping', ['5:3']],
      ['8:15', 'duplicate key "name": a key may appear only once in a mapping', ['8:6']],
      ['8:24', 'duplicate key "name": a key may appear only once in a mapping', ['8:6']],
    ]);
    expect(r.manifests[0].data).toMatchObject({ type: 'provider-account/groq', name: 'b', auth_data: { type: 'bearer' }, integrations: [{ name: 'o' }], true: 'y' });
  });
  it('a merge overriding a merged key is not a duplicate', () => {
    const r = parseText('base: &b {a: 1, c: 3}\nx:\n  <<: *b\n  a: 2\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.manifests[0].data).toEqual({ base: { a: 1, c: 3 }, x: { a: 2, c: 3 } });
  });
});

describe('anchors and aliases', () => {
  it('tens of thousands of alias uses in a legitimate generated file are read, with positions', () => {
    const lines = ['type: gateway-rate-limiting-config', 'name: many', 'defaults: &d {limit_to: 10, unit: requests_per_minute}', 'who: &w {subjects: ["team:a"]}', 'rules:'];
    for (let i = 0; i < 20_000; i++) lines.push(`  - {id: r${i}, when: *w, <<: *d}`);
    const r = parseText(lines.join('\n'));
    expect(r.diagnostics).toEqual([]);
    const data = r.manifests[0].data as { rules: { id: string; limit_to: number; when: unknown }[] };
    expect(data.rules).toHaveLength(20_000);
    expect(data.rules[19_999]).toEqual({ id: 'r19999', when: { subjects: ['team:a'] }, limit_to: 10, unit: 'requests_per_minute' });
    expect(at({ range: r.manifests[0].rangeOf(['rules', 19_999, 'limit_to'], 'value') })).toBe('3:25');
  });
  it('alias bombs are refused, however the aliases are nested', () => {
    const wide = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) wide.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const merged = ['m0: &m0 {k0: 1, k1: 1, k2: 1, k3: 1}'];
    for (let i = 1; i < 12; i++) merged.push(`m${i}: &m${i} [${Array(8).fill(`*m${i - 1}`).join(', ')}]`);
    for (const text of [wide.join('\n'), merged.join('\n')]) {
      const r = parseText(text);
      expect(r.manifests).toEqual([]);
      expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('billion laughs')]);
    }
  });
  it('an alias inside the node it names, and a merge that brings in its own mapping, are refused', () => {
    expect(parseText('a: &x [1, *x]\n').diagnostics.map((d) => [at(d), d.message])).toEqual([['1:11', 'alias *x is used inside the node it names, which makes the data endless; the platform cannot receive it']]);
    expect(parseText('a: &x\n  b:\n    <<: *x\n').diagnostics.map(at)).toEqual(['3:5']);
  });
  it('an anchor defined twice is refused, as PyYAML does', () => {
    expect(parseText('a: &x 1\nb: &x 2\n').diagnostics.map((d) => [at(d), d.message])).toEqual([['2:7', 'anchor &x is defined twice in this document: PyYAML (the platform\'s CLI) refuses that']]);
  });
});

describe('what PyYAML refuses is reported where it is', () => {
  it.each([
    ['a plain =', 'a: 1\nb: =\n', '2:4', 'a plain "=" is the YAML value tag, which PyYAML cannot load as a value; quote it'],
    ['an impossible date', 'expiration_date: 2026-02-30\n', '1:18', '"2026-02-30" looks like a timestamp but day 30 does not exist in that month; PyYAML cannot load it (quote it to keep it a string)'],
    ['a local tag', 'a: !vault secret\n', '1:11', 'PyYAML\'s safe loader has no constructor for the tag !vault'],
    ['a Python tag', 'a: !!python/object:os.system x\n', '1:30', 'PyYAML\'s safe loader has no constructor for the tag !!python/object:os.system'],
    ['a set', 'a: !!set {x, y}\n', '1:10', 'a set (!!set) becomes a Python set in PyYAML, which cannot be sent to the platform as JSON; use a list'],
    ['a control character in a comment', 'a: 1 # bell \u0007\n', '1:13', 'character U+0007 is not allowed in YAML: PyYAML (the platform\'s CLI) refuses the file'],
    ['a tab before a comment', 'a: 1\t# c\n', '1:5', 'tab character outside a quoted string, block scalar or comment: PyYAML (the platform\'s CLI) refuses the file'],
  ])('%s', (_name, text, position, message) => {
    const r = parseText(text);
    expect(r.diagnostics.map((d) => [at(d), d.message])).toEqual([[position, message]]);
  });
  it('tabs inside quotes, block scalars and comments are fine', () => {
    expect(parseText('a: "x\ty"\nb: |\n  x\ty\nc: 1 # x\ty\n').diagnostics).toEqual([]);
  });
  it('strings PyYAML keeps are strings, not wrong-typed values', () => {
    expect(parseText('a: y\nb: 0048172639\nc: 1e3\nd: 0o755\n').manifests[0].data).toEqual({ a: 'y', b: '0048172639', c: '1e3', d: '0o755' });
    expect(parseText('a: no\nb: 0755\nc: 12:30\nd: 1_000\n').manifests[0].data).toEqual({ a: false, b: 493, c: 750, d: 1000 });
  });
});
