// Core: small text helpers shared by messages (quoting, "did you mean", lists).
import { isAscii } from 'node:buffer';
import { redactKeysIn } from './secrets.ts';

/**
 * `s` in memory of its own. V8 cuts a string of 13 or more characters out of a longer one (String.prototype.slice) as
 * a view that keeps the whole longer string alive: a value read from a file would hold the file's whole text for as
 * long as the value lives. Parsers keep their values through this, so a project's data does not pin its texts.
 */
export function ownString(s: string): string {
  if (s.length < 13) return s; // V8 copies short cuts anyway
  // Out to bytes and back is a copy whatever `s` is made of (a view, or a join of views, which V8 may cut straight from
  // again): latin1 keeps every character up to U+00FF, UTF-16 every one, lone surrogates included.
  // (No regular expression looks at `s`: V8 keeps the last subject of one, for RegExp.input, and with it the text.)
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return Buffer.from(s, 'utf16le').toString('utf16le');
  }
  return Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), bounded: exact up to `max`; beyond it, some
 * number above `max` (max+1 as soon as a whole row of the table is past it, without computing the rest).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rows of the table (two rows back, the last, the current), in one buffer reused across calls: "did you mean"
  // compares one word with thousands of candidates. (A very long word gets a buffer of its own, not kept.)
  const rows = 3 * (n + 1) <= SHARED_ROWS.length ? SHARED_ROWS : new Int32Array(3 * (n + 1));
  let prev2 = 0;
  let prev = n + 1;
  let cur = 2 * (n + 1);
  for (let j = 0; j <= n; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, rows[prev2 + j - 2] + 1);
      rows[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return rows[prev + n];
}

const SHARED_ROWS = new Int32Array(3 * 257);

/**
 * The candidates closest to `word`, best first: an exact case-insensitive match, then those within an edit distance
 * of about a third of the word's length, then those sharing its last path segment (`provider-account/mistral` →
 * `provider-account/mistral-ai`).
 */
export function closest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase();
  const maxDist = Math.max(2, Math.floor(w.length / 3));
  const scored: { c: string; score: number }[] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) { scored.push({ c, score: -1 }); continue; }
    const d = editDistance(w, lc, maxDist);
    if (d <= maxDist) { scored.push({ c, score: d }); continue; }
    const tail = w.slice(w.lastIndexOf('/') + 1);
    const ctail = lc.slice(lc.lastIndexOf('/') + 1);
    if (tail.length >= 3 && (ctail.startsWith(tail) || tail.startsWith(ctail))) scored.push({ c, score: maxDist + 1 });
  }
  scored.sort((x, y) => x.score - y.score || (x.c < y.c ? -1 : 1));
  // Only the near-best: a clear winner is not diluted by far-off candidates.
  const best = scored.length ? scored[0].score : 0;
  return scored.filter((s) => s.score <= Math.max(best + 1, 1)).slice(0, limit).map((s) => s.c);
}

/** A value as a message quotes it; a raw provider key inside it is shown in its redacted form only. */
export function quote(v: unknown): string {
  if (v === undefined) return 'nothing';
  return redactKeysIn(JSON.stringify(v) ?? String(v));
}

/** "a", "a or b", "a, b or c" — with each item quoted. */
export function orList(items: readonly unknown[], max = 12): string {
  const q = items.slice(0, max).map(quote);
  const more = items.length > max ? [`${items.length - max} more`] : [];
  const all = [...q, ...more];
  if (all.length <= 1) return all.join('');
  return `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closest(word, candidates, 3);
  return best.length ? ` (did you mean ${orList(best)}?)` : '';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;
const escapeUnit = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON text with every character beyond ASCII written as a \u escape (JSON.parse gives back the same value). Files
 * tfy-lint writes to read again (the results cache, the run record) are kept ASCII: V8 turns UTF-8 holding a single
 * non-ASCII character into a string of two-byte characters, slowly (a 15 MB cache with a few accented names took a
 * quarter of a second to decode, ASCII a few milliseconds).
 */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeUnit) : json;
}

/** The text of bytes tfy-lint wrote as ASCII JSON (decoded fast), or of any other UTF-8 (decoded as such). */
export function jsonTextOf(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}
