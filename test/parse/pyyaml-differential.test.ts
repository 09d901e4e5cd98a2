// The loader against the real PyYAML (the platform's CLI reads manifests with it): every fixture, example, the shared
// corpora, the benchmark corpus and generated documents load to the same data, or are refused by both.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { readSource } from '../../src/load/files.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { askPyYaml, pyFloat, type PyFile } from '../support/pyyaml.ts';
import { REPO, SHARED } from '../helpers.ts';

/** Python's answer as the plain data tfy-lint should hold. */
function fromPython(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromPython);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$float' in o) return pyFloat(o.$float as string);
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(o.$map as Record<string, unknown>)) Object.defineProperty(out, k, { value: fromPython(val), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

type Input = { name: string; bytes: Uint8Array };

/** What tfy-lint makes of a file's bytes: the load stage decodes them (or refuses), then the parser reads them. */
function ours(f: Input): { errors: Diagnostic[]; data: unknown[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tfy-pyyaml-file-'));
  try {
    writeFileSync(join(dir, 'f.yaml'), f.bytes);
    const src = readSource(dir, 'f.yaml', 50_000_000);
    if (!('text' in src)) return { errors: [{ ruleId: 'load', severity: 'error', message: src.message } as Diagnostic], data: [] };
    const r = parseSource({ path: f.name, text: src.text });
    return { errors: r.diagnostics.filter((d) => d.severity === 'error'), data: r.manifests.map((m) => m.data) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per file where tfy-lint and PyYAML disagree. */
function disagreements(files: Input[]): string[] {
  const answer = askPyYaml({ files: files.map((f) => f.bytes) });
  const out: string[] = [];
  files.forEach((f, i) => {
    const py: PyFile = answer.files[i];
    const { errors, data: mine } = ours(f);
    const show = () => `${f.name}: PyYAML ${JSON.stringify(py).slice(0, 300)}; tfy-lint ${JSON.stringify(errors.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).slice(0, 300)}`;
    if ('error' in py) { if (!errors.length) out.push(show()); return; }
    if ('duplicate' in py) { if (!errors.some((d) => d.message.startsWith('duplicate key'))) out.push(show()); return; }
    // Both refuse alias bombs: PyYAML builds them shared, but the platform would receive the expanded data.
    if ('too_large' in py) { if (!errors.some((d) => d.message.includes('billion laughs'))) out.push(show()); return; }
    if (errors.length) { out.push(show()); return; }
    const theirs = py.docs.map(fromPython).filter((d) => d !== null);
    if (!isDeepStrictEqual(mine, theirs)) out.push(`${f.name}: data differ\n  PyYAML   ${JSON.stringify(theirs).slice(0, 400)}\n  tfy-lint ${JSON.stringify(mine).slice(0, 400)}`);
  });
  return out;
}

function yamlFiles(dir: string): Input[] {
  if (!existsSync(dir)) return [];
  const out: Input[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && statSync(p).size < 5_000_000) out.push({ name: relative(REPO, p), bytes: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

describe('tfy-lint reads YAML as PyYAML does', () => {
  it('on every fixture, example and policy pack of this repository', () => {
    const files = ['fixtures', 'examples', 'policies'].flatMap((d) => yamlFiles(join(REPO, d)));
    expect(files.length).toBeGreaterThan(50);
    expect(disagreements(files)).toEqual([]);
  });

  it('on the shared corpora (real-world manifests, the shared fixtures)', () => {
    const files = yamlFiles(join(SHARED, 'corpus'));
    expect(files.length).toBeGreaterThan(50);
    expect(disagreements(files)).toEqual([]);
  });

  const tmp = mkdtempSync(join(tmpdir(), 'tfy-pyyaml-bench-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it('on the benchmark corpus generator\'s output', () => {
    const generator = join(SHARED, 'bench', 'gen-corpus.mjs');
    expect(existsSync(generator)).toBe(true);
    execFileSync(process.execPath, [generator, join(tmp, 'c'), '--files', '300', '--seed', 'pyyaml'], { stdio: 'ignore', cwd: REPO });
    const files = yamlFiles(join(tmp, 'c'));
    expect(files.length).toBeGreaterThanOrEqual(300);
    expect(disagreements(files)).toEqual([]);
  }, 60_000);

  it('on generated documents: tricky scalars, keys, tags, anchors, aliases and merges', () => {
    const texts = ['yes', 'no', 'y', 'n', 'on', 'Off', 'true', '~', 'null', '', '0', '007', '0755', '0x1F', '0b11', '1_000', '12:30', '1:30.5', '1e3', '1.5e+3',
      '.inf', '-.inf', '.nan', '2026-01-01', '2026-13-01', '2026-01-01T10:00:00Z', '2026-1-1 1:00:00', '=', '<<', 'plain text', 'sk-abc', '__proto__', 'constructor',
      'prototype', 'hasOwnProperty', 'toString', '1.0', '1', '-0', '0.0', '+1', 'a#b', 'x:y', '-x', '.5', '5.'];
    const scalar = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...texts).map((t) => (t === '' ? '""' : t)) },
      { weight: 2, arbitrary: fc.constantFrom(...texts).map((t) => JSON.stringify(t)) },
      { weight: 1, arbitrary: fc.constantFrom(...texts).map((t) => `'${t}'`) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('!!str', '!!int', '!!float', '!!bool', '!!null', '!', '!custom', '!!timestamp', '!!binary'), fc.constantFrom(...texts)).map(([tag, t]) => `${tag} ${t === '' ? '""' : JSON.stringify(t)}`) },
    );
    const key = fc.constantFrom(...texts.filter((t) => t !== '' && t !== '<<' && !t.startsWith('-') && t !== 'x:y'));
    type Tree = { kind: 'scalar'; text: string } | { kind: 'map'; entries: [string, Tree][]; merge?: boolean } | { kind: 'seq'; items: Tree[] };
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true },
        scalar.map((text) => ({ kind: 'scalar' as const, text })),
        fc.record({ kind: fc.constant('map' as const), entries: fc.array(fc.tuple(key, tie('tree')), { minLength: 1, maxLength: 4 }), merge: fc.boolean() }),
        fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) })),
    }));
    /** Block YAML for a tree; maps get anchors, and a merge of the previous anchored map when asked. */
    const render = (t: Tree, indent: string, anchors: string[]): string => {
      if (t.kind === 'scalar') return ` ${t.text}\n`;
      if (t.kind === 'seq') return `\n${t.items.map((i) => `${indent}-${render(i, `${indent}  `, anchors)}`).join('')}`;
      const name = `a${anchors.length}`;
      const merge = t.merge && anchors.length ? `${indent}<<: *${anchors[anchors.length - 1]}\n` : '';
      anchors.push(name);
      return ` &${name}\n${merge}${t.entries.map(([k, v]) => `${indent}${k}:${render(v, `${indent}  `, anchors)}`).join('')}`;
    };
    const docs = fc.sample(fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 5 }), { numRuns: 1500, seed: 1313 })
      .map((entries, i) => ({ name: `generated-${i}.yaml`, bytes: Buffer.from(entries.map(([k, v]) => `${k}:${render(v, '  ', [])}`).join('')) }));
    expect(disagreements(docs)).toEqual([]);
  });

  it('on hostile hand-written documents', () => {
    const cases = [
      'a: &x [*x]\n', 'a: !!set {x}\n', 'a: !!omap [b: 1, c: 2]\n', 'a: !!pairs [b: 1, b: 2]\n', '<<: {a: 1}\n<<: {a: 2}\n', 'a: !!int\n',
      'a: !!merge {b: 1}\n', '!!merge : {b: 1}\nc: 2\n', 'a: x\x01y\n', '# \x7f\na: 1\n', 'a: x\ty\n', 'a: |\n  x\ty\n', 'a: 1 # c\td\n', 'a: "x\ty"\n',
      '\t# c\na: 1\n', 'a: [x\ty]\n', 'a: !!str [1]\n', 'a: !!seq [1]\n', '- !!map\n  a: 1\n', 'a: =\n', '=: 1\n', 'a: <<\n', 'yes: 1\nTrue: 2\n', '1: a\n1.0: b\n',
      '.nan: 1\n.nan: 2\n', 'a: &a {x: 1}\nb:\n  <<: [*a, {x: 2, y: 3}]\n  y: 4\n', 'x: *undefined\n', '---\na: &a 1\n---\nb: *a\n', '__proto__: {polluted: yes}\nconstructor: 1\n',
      'a: 2026-02-29\n', 'a: 2024-02-29 10:00:00 +24\n', 'a: ! "12"\n', '? - a\n: 1\n', 'a: 0b_\n', 'a: 0x_\n', 'a: 1:60\n',
    ].map((text, i) => ({ name: `hostile-${i}.yaml`, bytes: Buffer.from(text) }));
    expect(disagreements(cases)).toEqual([]);
  });
});
