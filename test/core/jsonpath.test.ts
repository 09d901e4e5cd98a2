// core/jsonpath.ts: exactInJson says whether data survives a trip through JSON unchanged.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exactInJson, fromPointer } from '../../src/core/jsonpath.ts';

describe('exactInJson', () => {
  const values: unknown[] = [
    NaN, Infinity, -Infinity, -0, 0, 1.5, 'NaN', null, true, [], {}, [1, [2, [-0]]], { a: { b: NaN } },
    { a: [1, 'x', null, { b: false }] }, { a: [Infinity] }, { ['__proto__']: 1 },
  ];
  for (const v of values) {
    it(`agrees with a JSON round trip on ${String(JSON.stringify(v))} (${typeof v})`, () => {
      expect(exactInJson(v)).toBe(isDeepStrictEqual(JSON.parse(JSON.stringify(v)), v));
    });
  }
});

describe('fromPointer', () => {
  it('splits a JSON Pointer, decoding ~1 and ~0, with list indexes as numbers', () => {
    expect(fromPointer('')).toEqual([]);
    expect(fromPointer('/rules/0/when')).toEqual(['rules', 0, 'when']);
    expect(fromPointer('/a~1b/~0c/~01/10/01/-1/')).toEqual(['a/b', '~c', '~1', 10, '01', '-1', '']);
  });
});
