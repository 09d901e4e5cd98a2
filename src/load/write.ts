// Load: writing text files whole or not at all (reports, the results cache, the run record), a chunk at a time.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Characters encoded per write: the buffer holds their UTF-8 form (at most 3 bytes per UTF-16 code unit). Kept small:
 * memory touched for the first time is slow to come by (a page fault each 4 KB), and a larger buffer wrote no faster.
 */
const CHUNK = 1 << 16;
let chunkBuffer: Buffer | undefined;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Writes `text` (or the concatenation of its pieces, which may be made as they are asked for) as UTF-8: the same bytes
 * as writeFileSync of the whole text. A long text is encoded a chunk at a time into one reused buffer, and pieces are
 * never joined: building and encoding a text of tens of megabytes in one piece took several times longer.
 */
export function writeText(path: string, text: string | Iterable<string>): void {
  if (typeof text === 'string' && text.length <= CHUNK) { writeFileSync(path, text); return; }
  const parts = typeof text === 'string' ? [text] : text;
  chunkBuffer ??= Buffer.allocUnsafe(CHUNK * 3);
  const buf = chunkBuffer;
  const fd = openSync(path, 'w');
  try {
    let used = 0;
    const flush = () => {
      for (let done = 0; done < used;) done += writeSync(fd, buf, done, used - done);
      used = 0;
    };
    const encode = (part: string) => {
      for (let from = 0; from < part.length;) {
        let to = Math.min(part.length, from + CHUNK);
        if (to < part.length && isHighSurrogate(part.charCodeAt(to - 1))) to--;
        if (used + (to - from) * 3 > buf.length) flush();
        used += buf.write(from === 0 && to === part.length ? part : part.slice(from, to), used, 'utf8');
        from = to;
      }
    };
    // A surrogate pair is encoded whole (split, each half would become U+FFFD): a piece ending in the first half of
    // one keeps it for the next piece; a lone one at the very end is encoded alone, as in the whole text.
    let carry = '';
    for (const piece of parts) {
      let part = carry ? carry + piece : piece;
      carry = '';
      if (isHighSurrogate(part.charCodeAt(part.length - 1))) {
        carry = part.slice(-1);
        part = part.slice(0, -1);
      }
      encode(part);
    }
    encode(carry);
    flush();
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file whole or not at all: the text (or its pieces) to a temporary file beside it, renamed over `path`, so a
 * reader never sees half of it. On failure the temporary file is removed and the error thrown.
 */
export function writeTextAtomic(path: string, text: string | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    writeText(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
