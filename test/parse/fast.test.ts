// The fast reader against the `yaml` path: on every file of every corpus and on generated documents, a file the fast
// path accepts gives exactly the manifests (data, key order, type, name, range) and diagnostics of the `yaml` path,
// and whole checks give the same findings at the same positions.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_SIZE, runPipeline } from '../../src/project/pipeline.ts';
import { formatReport } from '../../src/report/index.ts';
import { fastParse } from '../../src/parse/fast.ts';
import { parseSource, type ParseResult } from '../../src/parse/yaml.ts';
import { REPO, SHARED } from '../helpers.ts';

const GENERATOR = join(SHARED, 'bench', 'gen-corpus.mjs');
const REAL_WORLD = join(SHARED, 'corpus', 'real-world');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** What a parse gives, as comparable values: data with key order (JSON cannot tell NaN or -0, so compare deeply too). */
function shape(r: ParseResult) {
  return {
    manifests: r.manifests.map((m) => ({ docIndex: m.docIndex, keys: JSON.stringify(m.data), type: m.type, name: m.name, range: m.range, line: m.line })),
    data: r.manifests.map((m) => m.data),
    diagnostics: r.diagnostics,
  };
}

/** Compares the two paths on one text; returns whether the fast path took it. */
function compare(text: string, path = 'f.yaml'): boolean {
  const slow = parseSource({ path, text }, { fast: false });
  const fast = parseSource({ path, text });
  const a = shape(slow);
  const b = shape(fast);
  if (!isDeepStrictEqual(a, b)) {
    expect({ text, fast: b }).toEqual({ text, fast: a });
  }
  // As `check` reads files: with their bytes, from which the fast reader cuts the values of an all-ASCII text.
  const cut = shape(parseSource({ path, text, bytes: Buffer.from(text, 'utf8') }));
  if (!isDeepStrictEqual(a, cut)) expect({ text, cut }).toEqual({ text, cut: a });
  // Positions: every path of every document, and paths that are missing below each of them.
  slow.manifests.forEach((m, i) => {
    const f = fast.manifests[i];
    for (const path of pathsOf(m.data)) {
      const want = { loc: m.locate(path), key: m.rangeOf(path, 'key'), value: m.rangeOf(path, 'value') };
      const got = { loc: f.locate(path), key: f.rangeOf(path, 'key'), value: f.rangeOf(path, 'value') };
      if (!isDeepStrictEqual({ ...got, loc: { ...got.loc, value: got.loc.value } }, want)) expect({ text, path, got }).toEqual({ text, path, got: want });
    }
  });
  return fastParse(text, (s) => ({ value: s })) !== undefined;
}

/** Every path in `data`, and for each container a missing key and a missing index below it. */
function pathsOf(data: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    out.push(path);
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i]));
      out.push([...path, v.length], [...path, 'missing']);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      out.push([...path, 'missing'], [...path, 'missing', 'deeper'], [...path, 0]);
    }
  };
  walk(data, []);
  return out;
}

function compareFiles(files: string[], root: string): { total: number; fast: number } {
  let fast = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/^\uFEFF/, '');
    if (compare(text, relative(root, f))) fast++;
  }
  return { total: files.length, fast };
}

describe('the fast path gives what the yaml path gives', () => {
  it('on every fixture and example', () => {
    const files = [...yamlFiles(join(REPO, 'fixtures')), ...yamlFiles(join(REPO, 'examples')), ...yamlFiles(join(REPO, 'policies'))];
    const { total, fast } = compareFiles(files, REPO);
    expect(total).toBeGreaterThan(50);
    expect(fast).toBeGreaterThan(total / 3); // most fixtures are plain manifests
  });

  it.runIf(existsSync(REAL_WORLD))('on the real-world corpus', () => {
    const { total, fast } = compareFiles(yamlFiles(REAL_WORLD), REAL_WORLD);
    expect(total).toBeGreaterThan(20);
    expect(fast).toBeGreaterThan(0);
  });

  it('on hand-picked edges of the subset', () => {
    const cases = [
      '', '\n', '# only a comment\n', '---\n', '---\n---\n', 'a: 1\n---\n', '# c\n---\na: 1\n', '--- # c\na: 1\n', 'a: 1\n...\n',
      'a: 1', 'a:\n', 'a:\nb:\n', 'a: # c\n  b: 1\n', 'a:\n- x\n- y\nb: 2\n', 'a:\n  - x\n  -\n  - - y\n', 'a:\n  -\n    b: 1\n',
      'a: [x, "y", \'z\']\nb: {}\nc: []\nd: {k: v, "q": 2}\n', 'a: [x,y]\n', 'a: [x, ]\n', 'a: [x, [y]]\n', 'a: {k: [x]}\n', 'a: [a:b, c]\n',
      'a: b # c\n', 'a: b#c\n', 'a: "b" # c\n', "a: 'it''s'\n", 'a: "tab\\there \\u00e9 \\"q\\" \\\\"\n', 'a: "\\x41"\n', 'a: "\\ud83d\\ude00"\n',
      'a: yes\nb: No\nc: on\nd: ~\ne: null\nf: 0x1F\ng: 0o17\nh: 017\ni: 1_000\nj: 1e3\nk: 1.5e3\nl: .inf\nm: .NaN\nn: 2024-01-02\no: 12:30\np: -1\nq: +1\nr: 1.\ns: y\nt: =\n',
      'yes: 1\n1: a\n"1": b\n', 'a: 1\na: 2\n', 'a: 1\n"a": 2\n', '__proto__: {x: 1}\nconstructor: 2\n', '<<: {a: 1}\n', 'a: &x 1\nb: *x\n',
      'a: !!str 1\n', 'a: |\n  text\n', 'a: >\n  text\n', '? a\n: b\n', 'a: b\n  c\n', 'a: "b\n  c"\n', 'a:\tb\n', 'a: b\r\n', '%YAML 1.1\n---\na: 1\n',
      '  a: 1\n  b: 2\n', '  a: 1\nb: 2\n', 'a:\n    b: 1\n  c: 2\n', 'a: b: c\n', 'a:b\n', '- a\n- b\n', 'just a scalar\n', 'a: -\n', 'a: - b\n',
      'a: 1 # c\n# trailing\n\n', 'a:\n  b: 1\n\n# end\n', 'a: x\n---\nb: y\n---\n\n# only\n', 'a: 1\n--- x\n', 'a: 1\n---x: 1\n', 'a: "x"y\n',
      'a: @x\n', 'a: `x\n', 'a: %x\n', 'a: ,x\n', 'a: x,y\n', 'a: x]\n', 'a: [x] y\n', 'a: :x\n', 'a: ?x\n', 'a: -x\n', '-a: 1\n', '- : x\n',
      'a b: c d\n', 'a  : 1\n', 'a :1\n', '"a" : 1\n', "'a': 1\n", 'a: {}\n  # c\n', 'key with "quote": 1\n', 'a: x #\n', 'a: x  # c\n',
      `k: ${'x'.repeat(2000)}\n`, `${'k'.repeat(1100)}: 1\n`, 'a: é ü 漢字\n', 'ä: 1\n', 'a: "\u00a0"\n', 'a: x\u00a0\n',
    ];
    let taken = 0;
    for (const c of cases) if (compare(c)) taken++;
    expect(taken).toBeGreaterThan(cases.length / 3);
  });
});

describe.runIf(existsSync(GENERATOR))('the fast path on generated benchmark corpora', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfy-fast-'));
    execFileSync(process.execPath, [GENERATOR, join(dir, 'a'), '--files', '300', '--seed', '7'], { cwd: REPO, stdio: 'ignore' });
    execFileSync(process.execPath, [GENERATOR, join(dir, 'b'), '--files', '200', '--seed', '8', '--split-multidoc', '--defect-rate', '0.2'], { cwd: REPO, stdio: 'ignore' });
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('reads each file as yaml does, nearly every one on the fast path', () => {
    for (const c of ['a', 'b']) {
      const { total, fast } = compareFiles(yamlFiles(join(dir, c)), join(dir, c));
      expect(fast).toBeGreaterThan(total * 0.9);
    }
  });

  it('gives the same findings at the same positions, in every report format', () => {
    for (const c of ['a', 'b']) {
      const run = (fast: boolean) => runPipeline({ cwd: dir, paths: [c], maxFileSize: DEFAULT_MAX_FILE_SIZE, parse: { fast } });
      const slow = run(false);
      const quick = run(true);
      expect(slow.diagnostics.length).toBeGreaterThan(0);
      expect(quick.diagnostics).toEqual(slow.diagnostics);
      for (const format of ['json', 'stylish'] as const) {
        const report = (r: typeof slow) => formatReport(format, { diagnostics: r.diagnostics, sources: r.sources, files: r.filesInScope, documents: r.documentsInScope, color: false });
        expect(report(quick)).toBe(report(slow));
      }
    }
  });
});

// Generated documents: random data written in the many ways people write YAML (block and flow, quoted or not,
// comments, indentation), then sometimes damaged by an edit; whatever the fast path accepts must equal yaml's reading.
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const scalarText = fc.oneof(
  { arbitrary: word, weight: 6 },
  fc.constantFrom('yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'true', 'false', 'False', 'f', 'Off', 'NULL', 'Null', 'Y', 'N', 'TRUE', '0x1f', '0o7', '017', '08', '1_000', '1e3', '1.5', '-2', '+3', '.5', '.inf', '-.Inf', '.nan',
    '2024-01-02', '2024-01-02T10:00:00Z', '12:30', '1:20:30', '=', '<<', 'tfy-secret://acme:g:KEY', 'https://x.example/v1', 'a b', 'a #b', 'x:y', '-', '- x', 'a: b'),
  { arbitrary: fc.integer({ min: -1000, max: 100000 }).map(String), weight: 2 },
  fc.string({ maxLength: 6 }),
);
type Tree = string | Tree[] | { [k: string]: Tree };
const tree: fc.Arbitrary<Tree> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarText, tie('seq'), tie('map')),
  seq: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof({ arbitrary: word, weight: 4 }, scalarText), tie('node'), { maxKeys: 4 }),
})).node as fc.Arbitrary<Tree>;

interface Style { indent: number; seqIndent: boolean; quote: 'none' | 'single' | 'double' | 'mixed'; flow: boolean; comments: boolean }
const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.integer({ min: 1, max: 4 }), seqIndent: fc.boolean(), quote: fc.constantFrom('none', 'single', 'double', 'mixed'), flow: fc.boolean(), comments: fc.boolean(),
});

function scalar(s: string, st: Style, salt: number): string {
  const q = st.quote === 'mixed' ? (['none', 'single', 'double'] as const)[salt % 3] : st.quote;
  if (q === 'single') return `'${s.replaceAll("'", "''")}'`;
  if (q === 'double') return JSON.stringify(s);
  return s;
}

function write(t: Tree, st: Style, indent: number, salt = 0): string[] {
  const pad = ' '.repeat(indent);
  if (typeof t === 'string') return [`${pad}${scalar(t, st, salt)}`];
  if (Array.isArray(t)) {
    if (t.length === 0) return [`${pad}[]`];
    return t.flatMap((x, i) => {
      if (typeof x === 'string') return [`${pad}- ${scalar(x, st, salt + i)}${st.comments && i === 0 ? ' # item' : ''}`];
      if (st.flow && Array.isArray(x) && x.every((y) => typeof y === 'string')) return [`${pad}- [${x.map((y, j) => scalar(y, st, j)).join(', ')}]`];
      const inner = write(x, st, indent + 2, salt + i);
      return [`${pad}- ${inner[0].trimStart()}`, ...inner.slice(1)];
    });
  }
  const keys = Object.keys(t);
  if (keys.length === 0) return [`${pad}{}`];
  return keys.flatMap((k, i) => {
    const v = t[k];
    const key = `${pad}${scalar(k, st, salt + i + 1)}:`;
    const lines = st.comments && i === 1 ? [`${pad}# about ${k}`] : [];
    if (typeof v === 'string') return [...lines, `${key} ${scalar(v, st, salt + i)}`];
    if (st.flow && Array.isArray(v) && v.every((y) => typeof y === 'string')) return [...lines, `${key} [${v.map((y, j) => scalar(y, st, j)).join(', ')}]`];
    if ((Array.isArray(v) && v.length === 0) || (!Array.isArray(v) && Object.keys(v).length === 0)) return [...lines, `${key} ${Array.isArray(v) ? '[]' : '{}'}`];
    return [...lines, key, ...write(v, st, Array.isArray(v) && !st.seqIndent ? indent : indent + st.indent, salt + i)];
  });
}

describe('the fast path on generated documents', () => {
  it('accepts only what it reads exactly as yaml does', () => {
    const edit = fc.option(fc.record({ at: fc.nat(), del: fc.nat({ max: 3 }), insert: fc.constantFrom('', ' ', '  ', '\n', ':', ': ', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '---\n', '\t', 'é') }));
    let taken = 0;
    let runs = 0;
    fc.assert(fc.property(fc.array(fc.tuple(fc.dictionary(word, tree, { minKeys: 1, maxKeys: 5 }), style), { minLength: 1, maxLength: 3 }), edit, (docs, e) => {
      let text = docs.map(([d, st]) => write(d, st, 0).join('\n')).join('\n---\n') + '\n';
      if (e) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.del);
      }
      runs++;
      if (compare(text)) taken++;
    }), { numRuns: 1000 });
    expect(taken).toBeGreaterThan(runs / 10); // a good share of the generated documents is within the subset
  });
});
