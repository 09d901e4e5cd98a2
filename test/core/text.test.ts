import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closest, editDistance } from '../../src/core/text.ts';

/** The textbook optimal-string-alignment distance, a whole table per call: what editDistance must agree with. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

describe('editDistance', () => {
  it('is the optimal string alignment distance; bounded by max, it is exact up to max and above max beyond', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '/', 'é'), maxLength: 14 });
    fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, max) => {
      const want = reference(a, b);
      expect(editDistance(a, b)).toBe(want);
      const bounded = editDistance(a, b, max);
      if (want <= max) expect(bounded).toBe(want);
      else expect(bounded).toBeGreaterThan(max);
    }), { numRuns: 2000 });
  });

  it('gives the same answers whatever it compared before (its rows are reused)', () => {
    const long = 'provider-account/openai-production-eu-west';
    expect(editDistance(long, `${long}x`)).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('gpt-4o', 'gtp-4o')).toBe(1);
    expect(editDistance(long, 'short')).toBe(reference(long, 'short'));
    expect(editDistance('kitten', 'sitting')).toBe(3);
    // beyond the shared buffer (a word of 300 characters) and back
    const huge = 'ab'.repeat(150);
    expect(editDistance(`${huge}x`, huge)).toBe(1);
    expect(editDistance(huge, `${huge.slice(0, 100)}ba${huge.slice(102)}`)).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closest', () => {
  it('puts an exact case-insensitive match first, then near names, and leaves far ones out', () => {
    expect(closest('OpenAI-Main', ['openai-main', 'openai-mian', 'anthropic-main'])).toEqual(['openai-main', 'openai-mian']);
    expect(closest('provider-account/mistral', ['provider-account/mistral-ai', 'provider-account/groq'])).toEqual(['provider-account/mistral-ai']);
    expect(closest('zzzz', ['openai-main'])).toEqual([]);
  });
});
