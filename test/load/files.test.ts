import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FatalError } from '../../src/core/errors.ts';
import { contentHash } from '../../src/load/cache.ts';
import { firstInvalidUtf8, inScope, listManifestFiles, ReadFile, readSource, resolveTarget, sourceReadLater, SourceTexts } from '../../src/load/files.ts';

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'tfy-load-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

describe('listManifestFiles', () => {
  const root = tree({
    '.gitignore': 'generated/\n*.tmp.yaml\n',
    'b.yaml': 'x: 1', 'a.yml': 'x: 1', 'Z.yaml': 'x: 1',
    'sub/c.yaml': 'x: 1', 'sub/.gitignore': 'local.yaml\n', 'sub/local.yaml': 'x: 1',
    'generated/g.yaml': 'x: 1', 'scratch.tmp.yaml': 'x: 1',
    'drafts/d.yaml': 'x: 1', '.github/workflows/ci.yml': 'on: push',
    'node_modules/pkg/p.yaml': 'x: 1', 'notes.txt': 'hi',
    'tfy-lint.config.yaml': 'ignore: [drafts/**]',
  });
  it('finds YAML files in byte order, honouring .gitignore files, dot-folders and the config file', () => {
    const target = resolveTarget(root, []);
    expect(listManifestFiles(target, [])).toEqual(['Z.yaml', 'a.yml', 'b.yaml', 'drafts/d.yaml', 'sub/c.yaml']);
  });
  it('applies the config ignore globs', () => {
    expect(listManifestFiles(resolveTarget(root, []), ['drafts/**'])).toEqual(['Z.yaml', 'a.yml', 'b.yaml', 'sub/c.yaml']);
  });
  it('includes a gitignored file named explicitly, but not one the config ignores', () => {
    const target = resolveTarget(root, ['generated/g.yaml', 'drafts/d.yaml']);
    const files = listManifestFiles(target, ['drafts/**']);
    expect(files).toContain('generated/g.yaml');
    expect(files).not.toContain('drafts/d.yaml');
  });
  it('skips named files the walk skips for what they are: dot-files, files in dot-folders, the config (pre-commit --all-files names them)', () => {
    const withDot = tree({ '.pre-commit-config.yaml': 'repos: []', '.github/workflows/ci.yml': 'on: push', 'tfy-lint.config.yaml': '', 'a.yaml': 'x: 1' });
    const target = resolveTarget(withDot, ['.pre-commit-config.yaml', '.github/workflows/ci.yml', 'tfy-lint.config.yaml', 'a.yaml']);
    expect(listManifestFiles(target, [])).toEqual(['a.yaml']);
  });
});

describe('resolveTarget', () => {
  const root = tree({ 'repo/.git/HEAD': 'ref', 'repo/gitops/tfy-lint.config.yaml': '', 'repo/gitops/p/a.yaml': 'x: 1', 'repo/other/b.yaml': 'x: 1' });
  it('uses the nearest folder with a config as the root and scopes to the named files', () => {
    const t = resolveTarget(join(root, 'repo'), ['gitops/p/a.yaml']);
    expect(t.root).toBe(join(root, 'repo', 'gitops'));
    expect(t.scope).toEqual(['p/a.yaml']);
    expect(inScope(t, 'p/a.yaml')).toBe(true);
    expect(inScope(t, 'p/b.yaml')).toBe(false);
  });
  it('uses the git work tree for a file without a config above it', () => {
    const t = resolveTarget(join(root, 'repo'), ['other/b.yaml']);
    expect(t.root).toBe(join(root, 'repo'));
  });
  it('treats a folder argument as the whole project', () => {
    const t = resolveTarget(root, ['repo/gitops']);
    expect(t.root).toBe(join(root, 'repo', 'gitops'));
    expect(t.scope).toEqual([]);
    expect(inScope(t, 'anything.yaml')).toBe(true);
  });
  it('refuses paths of different projects and missing paths', () => {
    expect(() => resolveTarget(join(root, 'repo'), ['gitops/p/a.yaml', 'other/b.yaml'])).toThrow(/different projects/);
    expect(() => resolveTarget(root, ['nope.yaml'])).toThrow('path not found: nope.yaml');
  });
});

describe('readSource', () => {
  const root = tree({
    'bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]),
    'bin.yaml': Buffer.from([0x61, 0x0a, 0x62, 0x00, 0x63]),
    'latin1.yaml': Buffer.from([0x61, 0x3a, 0x0a, 0x62, 0x3a, 0x20, 0xe9, 0x0a]),
    'big.yaml': 'a: 1\n'.repeat(1000),
  });
  it('drops a byte order mark', () => {
    const read = readSource(root, 'bom.yaml', 1e6);
    expect(read).toMatchObject({ path: 'bom.yaml', text: 'a: 1\n' });
    // With the file's stamps as read (the run record compares them on the next run).
    const st = statSync(join(root, 'bom.yaml'));
    expect('stat' in read && read.stat).toEqual({ size: 8, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino });
  });
  it.each([
    ['bin.yaml', 'binary', 2, 2],
    ['latin1.yaml', 'invalid-utf8', 2, 4],
  ])('%s is %s at %i:%i', (file, reason, line, column) => {
    expect(readSource(root, file, 1e6)).toMatchObject({ reason, line, column });
  });
  it('skips a file over the size limit with a clear message', () => {
    const r = readSource(root, 'big.yaml', 1024);
    expect(r).toMatchObject({ reason: 'too-large', message: 'file is 4.9 KiB, over the 1.0 KiB limit for a manifest file; it was not checked (raise the limit with --max-file-size)' });
  });
  it.each([
    [[0x61, 0xc3, 0xa9], -1], [[0xc3], 0], [[0x61, 0xe2, 0x82], 1], [[0xed, 0xa0, 0x80], 0], [[0xf0, 0x9f, 0x98, 0x80], -1], [[0xc0, 0x80], 0],
  ])('firstInvalidUtf8(%j) = %i', (bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });
});

describe('a file whose text was let go of', () => {
  const read = (root: string, file: string) => readSource(root, file, 1e6) as ReadFile;
  const byHash = (text: string) => ({ hash: { value: contentHash(text), of: contentHash } });

  it('is read again when its text is asked for, then kept', () => {
    const root = tree({ 'a.yaml': 'a: 1\n' });
    const src = read(root, 'a.yaml');
    expect(src.bytes).toEqual(Buffer.from('a: 1\n'));
    src.release(root, byHash(src.text));
    expect(src.released).toBe(true);
    writeFileSync(join(root, 'a.yaml'), 'a: 1\n'); // written again, the same content
    expect(src.text).toBe('a: 1\n');
    rmSync(join(root, 'a.yaml'));
    expect(src.text).toBe('a: 1\n'); // kept once read
  });

  it('with its content hash: another content is an error, not positions in text that was never checked', () => {
    const root = tree({ 'a.yaml': 'a: 1\n' });
    const src = read(root, 'a.yaml');
    src.release(root, byHash(src.text));
    writeFileSync(join(root, 'a.yaml'), 'a: 2\n');
    expect(() => src.text).toThrow(FatalError);
    expect(() => src.text).toThrow('a.yaml changed while tfy-lint was checking it; run the check again');
    rmSync(join(root, 'a.yaml'));
    expect(() => src.text).toThrow('a.yaml became unreadable while tfy-lint was checking it; run the check again');
  });

  it('without a hash (no cache): its status must be the one it was read with', () => {
    const root = tree({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    const a = read(root, 'a.yaml');
    a.release(root, { stat: a.stat });
    expect(a.text).toBe('a: 1\n');
    const b = read(root, 'b.yaml');
    b.release(root, { stat: b.stat });
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'b.yaml'), later, later);
    expect(() => b.text).toThrow('b.yaml changed while tfy-lint was checking it');
  });

  it('known only by its path and vouched for otherwise (the run record): any text, or none', () => {
    const root = tree({ 'a.yaml': 'a: 1\n' });
    expect(sourceReadLater(root, 'a.yaml', {}).text).toBe('a: 1\n');
    expect(sourceReadLater(root, 'gone.yaml', {}).text).toBe('');
  });

  it('SourceTexts reads let-go texts on demand and gives only the held ones for suppression comments', () => {
    const root = tree({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1 # tfy-lint-disable-file x -- y\n' });
    const a = read(root, 'a.yaml');
    a.release(root, byHash(a.text));
    const b = read(root, 'b.yaml');
    const texts = new SourceTexts().add(a).add(b).set('tfy-lint.config.yaml', 'extends: []\n');
    expect([...texts.held()]).toEqual([['b.yaml', b.text], ['tfy-lint.config.yaml', 'extends: []\n']]);
    expect([...texts.keys()]).toEqual(['a.yaml', 'b.yaml', 'tfy-lint.config.yaml']);
    expect(texts.size).toBe(3);
    expect(texts.has('a.yaml') && !texts.has('c.yaml')).toBe(true);
    expect(texts.get('a.yaml')).toBe('a: 1\n');
    expect(new Map(texts)).toEqual(new Map([['a.yaml', 'a: 1\n'], ['b.yaml', b.text], ['tfy-lint.config.yaml', 'extends: []\n']]));
    expect(texts.get('c.yaml')).toBeUndefined();
  });
});
