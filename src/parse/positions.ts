// Parse: offsets in a file's text -> 1-based line and column, for the yaml path and the fast reader alike.
import type { Position, Range } from '../core/diagnostic.ts';

/**
 * Offset -> position, from the text itself (only "\n" ends a line, as for the parser). An offset outside the text
 * (a parser error may point past its end) is clamped into it, so a position is always inside the file.
 */
export function positionsOf(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  };
}

/** A range maker over `text`: (start, end) offsets -> Range, with the end never before the start. */
export function rangesOf(text: string): (start: number, end: number) => Range {
  const pos = positionsOf(text);
  return (start, end) => ({ start: pos(start), end: pos(Math.max(start, end)) });
}
