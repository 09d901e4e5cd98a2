// lint/engine.ts leavesOf: every scalar of a document with its path and key, in document order, as the plain
// recursive definition gives them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leavesOf } from '../../src/lint/engine.ts';
import type { Leaf } from '../../src/lint/rule.ts';

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

describe('leavesOf', () => {
  it('agrees with the recursive definition on generated data', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '10', 'a'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
        fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(tree, (data) => { expect(leavesOf(data)).toEqual(reference(data)); }), { numRuns: 500 });
  });

  it('gives each leaf a path of its own', () => {
    const leaves = leavesOf({ a: [{ b: 1 }, { b: 2 }], c: 'x' });
    expect(leaves.map((l) => l.path)).toEqual([['a', 0, 'b'], ['a', 1, 'b'], ['c']]);
    leaves[0].path.push('changed');
    expect(leaves[1].path).toEqual(['a', 1, 'b']);
  });
});
