// Report: long reports as pieces of text, written one after the other instead of joined into one string first.

/** Lines per piece: a piece stays small (tens of kilobytes) whatever the report's size. */
const LINES_PER_PART = 1000;

/** The text of `lines`, each ended by a line break, as pieces in order. */
export function lineParts(lines: readonly string[]): string[] {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PART) {
    const piece = lines.slice(i, i + LINES_PER_PART);
    piece.push(''); // joined, the piece ends with a line break
    parts.push(piece.join('\n'));
  }
  return parts;
}

/** The text of `pieces` (each already holding its line breaks), grouped into fewer, larger pieces. */
export function groupParts(pieces: readonly string[]): string[] {
  const parts: string[] = [];
  for (let i = 0; i < pieces.length; i += LINES_PER_PART) parts.push(pieces.slice(i, i + LINES_PER_PART).join(''));
  return parts;
}
