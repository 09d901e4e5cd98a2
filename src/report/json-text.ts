// Report: JSON text of a report holding one long list (a result per finding), made a slice of the list at a time.
import { joinParts } from './parts.ts';

/**
 * Stands for the long list in the report's shell. Lone surrogates: JSON.stringify writes them as escapes, so the
 * marker's text is found in the shell where the marker was put (and, should some other string hold the same
 * characters, the text is made in one piece instead).
 */
const MARKER = '\udead\ubeef';
const MARKER_TEXT = JSON.stringify(MARKER);
/**
 * Items serialised per JSON.stringify call: their objects die young instead of living until the whole list is done.
 * Small, so that a slice's objects are mostly gone before the next scavenge (50,000 SARIF results: 1,000 a slice
 * took 2.6 s and 350 MiB, 50 a slice 1.9 s and 230 MiB).
 */
export const SLICE = 50;

/**
 * Exactly `JSON.stringify(shell(list), null, 2) + end`, where `list` is `count` items made by `item(i)`, as pieces of
 * text in order. The items are made and serialised a slice at a time: holding tens of thousands of result objects
 * (and the serialiser's rope over all of them) until the end cost more than making the text.
 */
export function* jsonListParts(shell: (list: unknown) => unknown, count: number, item: (i: number) => unknown, end = ''): Generator<string> {
  const text = JSON.stringify(shell(MARKER), null, 2);
  const at = text.indexOf(MARKER_TEXT);
  if (at === -1 || text.includes(MARKER_TEXT, at + 1)) {
    yield JSON.stringify(shell(Array.from({ length: count }, (_, i) => item(i))), null, 2);
    yield end;
    return;
  }
  if (count === 0) {
    yield text.slice(0, at) + '[]' + text.slice(at + MARKER_TEXT.length) + end;
    return;
  }
  // The list's items are indented one step more than the line the marker is on; JSON.stringify indents an array
  // nested in `depth` single-item arrays the same way, so each slice is serialised there and cut out.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  let indent = 0;
  while (text.charCodeAt(lineStart + indent) === 0x20) indent++;
  const depth = indent / 2;
  let open = '';
  let close = '';
  for (let k = 0; k <= depth; k++) {
    open += `${' '.repeat(2 * k)}[\n`;
    close = `\n${' '.repeat(2 * k)}]${close}`;
  }
  yield `${text.slice(0, at)}[\n`;
  for (let from = 0; from < count; from += SLICE) {
    let nested: unknown = Array.from({ length: Math.min(SLICE, count - from) }, (_, i) => item(from + i));
    for (let k = 0; k < depth; k++) nested = [nested];
    const slice = JSON.stringify(nested, null, 2);
    yield `${from > 0 ? ',\n' : ''}${slice.slice(open.length, slice.length - close.length)}`;
  }
  yield `\n${' '.repeat(indent)}]${text.slice(at + MARKER_TEXT.length)}${end}`;
}

/** jsonListParts' text in one piece. */
export function jsonWithList(shell: (list: unknown) => unknown, count: number, item: (i: number) => unknown, end = ''): string {
  return joinParts(jsonListParts(shell, count, item, end));
}
