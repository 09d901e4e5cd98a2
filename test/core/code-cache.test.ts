// core/code-cache.ts: CommonJS files run through node:vm as Node's loader would run them, with or without a cache.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCacheFile, codeCacheStatus, heapFlags, loadCommonJs, writeCodeCaches } from '../../src/core/code-cache.ts';

describe('loadCommonJs', () => {
  // One folder for the file: the files loaded in this process are remembered (writeCodeCaches writes for each).
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tfy-code-cache-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('gives the module its exports, require (relative to the file), __filename and __dirname', () => {
    file('dep.cjs', 'module.exports = 41;\n');
    const main = file('main.cjs', "exports.answer = require('./dep.cjs') + 1;\nexports.where = [__filename, __dirname];\n");
    expect(loadCommonJs(main)).toEqual({ answer: 42, where: [main, dir] });
  });

  it("keeps the file's own line and column numbers in stack traces", () => {
    const p = file('throws.cjs', "'use strict';\nfunction f() {\n  throw new Error('boom');\n}\nf();\n");
    let stack = '';
    try { loadCommonJs(p); } catch (e) { stack = (e as Error).stack ?? ''; }
    expect(stack).toContain(`${p}:3:9`);
  });

  const lastUse = () => codeCacheStatus().at(-1)?.cache;

  it('uses a cache made for the very source, and no other (garbage, or made for other source of the same length)', () => {
    const p = file('m.cjs', 'module.exports = { v: 7, f(x) { return x * 2; } };\n');
    expect(loadCommonJs(p)).toMatchObject({ v: 7 });
    expect(lastUse()).toBe('none');
    writeCodeCaches();
    const made = readFileSync(codeCacheFile(p));
    expect((loadCommonJs(p) as { f(x: number): number }).f(21)).toBe(42);
    expect(lastUse()).toBe('accepted');
    // Same length, other code: V8 alone would take the cache (it compares lengths); the digest refuses it.
    writeFileSync(p, 'module.exports = { v: 8, f(x) { return x + 2; } };\n');
    expect((loadCommonJs(p) as { v: number; f(x: number): number })).toMatchObject({ v: 8 });
    expect(lastUse()).toBe('foreign');
    writeFileSync(codeCacheFile(p), 'garbage');
    expect(loadCommonJs(p)).toMatchObject({ v: 8 });
    expect(lastUse()).toBe('foreign');
    // A payload damaged past the header.
    const damaged = Buffer.from(made);
    damaged[damaged.length - 5] ^= 0xff;
    writeFileSync(p, 'module.exports = { v: 7, f(x) { return x * 2; } };\n');
    writeFileSync(codeCacheFile(p), damaged);
    expect(loadCommonJs(p)).toMatchObject({ v: 7 });
    expect(lastUse()).toBe('foreign');
  });
});

describe('heapFlags', () => {
  it('keeps the young generation at its starting size unless the user sizes it', () => {
    expect(heapFlags(undefined, [])).toEqual(['--semi-space-growth-factor=1']);
    expect(heapFlags('--max-old-space-size=4096', [])).toEqual(['--semi-space-growth-factor=1']);
    expect(heapFlags('--max-semi-space-size=16', [])).toEqual([]);
    expect(heapFlags(undefined, ['--min-semi-space-size=4'])).toEqual([]);
  });
});
