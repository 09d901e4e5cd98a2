// project/file-work.ts: the per-file work shared with worker threads gives the same outcomes as doing it all on the
// main thread, whatever the workers do, in project order. (The real workers, which run the bundle, are compared with
// in-process runs in test/build.test.ts.)
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCount, workOnFile, workOnFiles, type FileJob, type FileOutcome, type WorkOptions } from '../../src/project/file-work.ts';
import { loadSchemaSet } from '../../src/validate/index.ts';
import { REPO } from '../helpers.ts';

const root = join(REPO, 'fixtures', 'check', 'schema-errors');
const jobs: FileJob[] = readdirSync(root).filter((f) => f.endsWith('.yaml')).sort().map((file, i) => ({ file, scoped: i % 3 !== 0 }));
const opts: WorkOptions = { root, maxFileSize: 1 << 20, cache: true };
const schemas = loadSchemaSet();

/** An outcome as plain data (manifests compared by what they hold). */
const plain = (o: FileOutcome) => ({
  src: 'text' in o.src ? { path: o.src.path, text: o.src.text } : o.src, hash: o.hash, schema: o.schema,
  parsed: o.parsed && { keep: o.parsed.keep, diagnostics: o.parsed.diagnostics, docs: o.parsed.manifests.map((m) => [m.docIndex, m.type, m.name, m.data]) },
});

describe('workOnFiles', () => {
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tfy-file-work-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const expected = () => jobs.map((j) => plain(workOnFile(j, opts, schemas)));

  it('has files to work on', () => expect(jobs.length).toBeGreaterThan(3));

  it('does every file on the main thread when a worker fails at once', async () => {
    const file = script('throws.mjs', "throw new Error('no worker today');\n");
    expect((await workOnFiles(jobs, opts, schemas, 1, file)).map(plain)).toEqual(expected());
  });

  it('does the files a worker took but never sent', async () => {
    // Takes three files from the shared counter, then stops without a word.
    const file = script('steals.mjs', [
      "import { workerData } from 'node:worker_threads';",
      'const next = new Int32Array(workerData.counter);',
      'for (let i = 0; i < 3; i++) Atomics.add(next, 0, 1);',
      'workerData.port.close();',
    ].join('\n'));
    expect((await workOnFiles(jobs, opts, schemas, 1, file)).map(plain)).toEqual(expected());
  });

  it('a file that cannot start is no worker', async () => {
    expect((await workOnFiles(jobs, opts, schemas, 2, join(dir, 'missing.mjs'))).map(plain)).toEqual(expected());
  });
});

describe('workerCount', () => {
  it('starts none from the sources or for one file, one for a large project on two cores, as many as TFY_LINT_WORKERS asks', () => {
    expect(workerCount(50_000, {}, undefined)).toBe(0);
    expect(workerCount(1, { TFY_LINT_WORKERS: '2' }, 'cli.js')).toBe(0);
    expect(workerCount(10, {}, 'cli.js')).toBe(0);
    expect(workerCount(10, { TFY_LINT_WORKERS: '2' }, 'cli.js')).toBe(2);
    expect(workerCount(3, { TFY_LINT_WORKERS: '5' }, 'cli.js')).toBe(2);
    expect(workerCount(50_000, { TFY_LINT_WORKERS: '0' }, 'cli.js')).toBe(0);
    expect(workerCount(50_000, { TFY_LINT_WORKERS: 'lots' }, 'cli.js')).toBe(workerCount(50_000, {}, 'cli.js'));
  });
});
