// core/jsonpath.ts eachLeaf (the walk document rules read scalars with): every scalar of a document with its path and
// key, in document order, as the plain recursive definition gives them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachLeaf, type Scalar } from '../../src/core/jsonpath.ts';

interface Leaf { path: (string | number)[]; key: string | number | undefined; value: Scalar }

/** The leaves eachLeaf visits, each with a copy of the path as it was during its call. */
function leavesOf(data: unknown): Leaf[] {
  const out: Leaf[] = [];
  eachLeaf(data, (path, key, value) => out.push({ path: path.slice(), key, value }));
  return out;
}

function reference(data: unknown): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: (string | number)[], key: string | number | undefined) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], i));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], k);
    else out.push({ path, key, value: v as Leaf['value'] });
  };
  walk(data, [], undefined);
  return out;
}

describe('eachLeaf', () => {
  it('agrees with the recursive definition on generated data', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '10', 'a'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
        fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(tree, (data) => { expect(leavesOf(data)).toEqual(reference(data)); }), { numRuns: 500 });
  });

  it('hands every call one path array, up to date during the call', () => {
    const seen: { path: readonly (string | number)[]; copy: (string | number)[] }[] = [];
    eachLeaf({ a: [{ b: 1 }, { b: 2 }], c: 'x' }, (path) => seen.push({ path, copy: path.slice() }));
    expect(seen.map((s) => s.copy)).toEqual([['a', 0, 'b'], ['a', 1, 'b'], ['c']]);
    expect(new Set(seen.map((s) => s.path)).size).toBe(1);
    expect(seen[0].path).toEqual([]); // emptied on the way back up: a path kept without a copy is wrong
  });
});
