// Report files written a piece at a time: the bytes are those of the whole text encoded at once, surrogate pairs
// included when a piece or an encoding chunk ends in the middle of one; a failed write leaves no temporary file.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeParts, writeText, type Io } from '../../src/cli/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'tfy-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `out-${++n}.txt`);

const CHUNK = 1 << 20; // characters per encoding step in writeText
const pair = '😀'; // two UTF-16 code units

describe('writeText', () => {
  const cases: [string, string[]][] = [
    ['nothing', ['']],
    ['a short text', ['plain ascii, é, ≤ and 😀\n']],
    ['a long text with a surrogate pair across each chunk boundary', [`${'a'.repeat(CHUNK - 1)}${pair}${'b'.repeat(CHUNK - 2)}${pair}${'c'.repeat(10)}`]],
    ['a long two-byte text', [`≤${'x'.repeat(3 * CHUNK + 17)}…`]],
    ['pieces cutting surrogate pairs in two', ['start \ud83d', '\ude00 middle \ud83d', '\ude00', '', `${'y'.repeat(CHUNK + 5)}\ud83d`, '\ude00 end']],
    ['lone surrogates, in the middle and at the very end', ['lone \ud800 here', ' and \udc00 there \ud83d']],
    ['many small pieces', Array.from({ length: 20000 }, (_, i) => `line ${i} ${i % 7 ? '' : pair}\n`)],
  ];
  it.each(cases)('writes the bytes of the whole text: %s', (_name, parts) => {
    const expected = Buffer.from(parts.join(''), 'utf8');
    const asPieces = fresh();
    writeText(asPieces, parts);
    expect(readFileSync(asPieces).equals(expected)).toBe(true);
    const whole = fresh();
    writeText(whole, parts.join(''));
    expect(readFileSync(whole).equals(expected)).toBe(true);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file, also when writing fails', () => {
    const target = join(dir, 'atomic', 'report.txt');
    writeFileAtomic(target, ['one ', 'two']);
    writeFileAtomic(target, 'three');
    expect(readFileSync(target, 'utf8')).toBe('three');
    expect(() => writeFileAtomic(join(dir, 'atomic'), 'a folder is in the way')).toThrow();
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['report.txt']);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('writeParts', () => {
  it('gives a writer other than the process\'s own the whole text', () => {
    const written = new Map<string, string>();
    const io = { writeFile: (p: string, t: string) => { written.set(p, t); } } as unknown as Io;
    writeParts(io, 'r.json', ['{', '"a": 1', '}']);
    expect(written.get('r.json')).toBe('{"a": 1}');
  });
});
