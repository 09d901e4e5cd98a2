// The bundle (esbuild + precompiled standalone validators) behaves exactly like the sources tests run against.
import { isAscii } from 'node:buffer';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AJV_OPTIONS } from '../src/validate/schemas.ts';
import { codeCacheBytes, commonJsWrapper, heapFlags } from '../src/core/code-cache.ts';
import { REPO, runCli } from './helpers.ts';

const OUT = join(REPO, 'tmp', 'dist-test');

describe('build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, env: { ...process.env, TFY_LINT_DIST: 'tmp/dist-test' }, stdio: 'pipe' });
  });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('compiles with the same ajv options as the sources', () => {
    const script = readFileSync(join(REPO, 'scripts', 'build.mjs'), 'utf8');
    const m = /export const AJV_OPTIONS = (\{[^}]*\});/.exec(script);
    expect(m).not.toBeNull();
    expect(Function(`return (${(m as RegExpExecArray)[1]})`)()).toEqual(AJV_OPTIONS);
  });

  for (const name of readdirSync(join(REPO, 'fixtures', 'check')).sort()) {
    it(`the bundled CLI gives the same report as the sources on fixtures/check/${name}`, async () => {
      const dir = join(REPO, 'fixtures', 'check', name);
      const bundled = spawnSync(process.execPath, [join(OUT, 'cli.js'), 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const inProcess = await runCli(['check', '--format', 'json'], dir);
      expect(bundled.stderr).toBe('');
      expect(bundled.stdout).toBe(inProcess.stdout);
      expect(bundled.status).toBe(inProcess.code);
    });
  }

  describe('file workers (TFY_LINT_WORKERS)', () => {
    const cli = (dir: string, args: string[], workers: string, only = false) => spawnSync(process.execPath, [join(OUT, 'cli.js'), 'check', ...args], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TFY_LINT_WORKERS: workers, TFY_LINT_WORKERS_ONLY: only ? '1' : '0' },
    });
    const projects = [...readdirSync(join(REPO, 'fixtures', 'check')).map((n) => join('fixtures', 'check', n)), 'examples/acme-gateway', 'fixtures/reports/mixed'];
    for (const rel of projects) {
      it(`${rel}: when two workers read every file, the bundled CLI reports what the sources report`, async () => {
        const dir = join(REPO, rel);
        const inProcess = await runCli(['check', '--no-cache', '--format', 'json'], dir);
        const parallel = cli(dir, ['--no-cache', '--format', 'json'], '2', true);
        expect(parallel.stderr).toBe('');
        expect(parallel.stdout).toBe(inProcess.stdout);
        expect(parallel.status).toBe(inProcess.code);
      });
    }

    it('on a larger project, cold, warm, after an edit and for one file, with and without workers', () => {
      const dir = mkdtempSync(join(tmpdir(), 'tfy-workers-'));
      try {
        // 60 copies of the example's providers, each in its own folder with its own names.
        const providers = join(REPO, 'examples', 'acme-gateway', 'providers');
        for (let i = 0; i < 60; i++) {
          mkdirSync(join(dir, `team-${i}`));
          for (const f of readdirSync(providers)) {
            const text = readFileSync(join(providers, f), 'utf8').replace(/^name: (.+)$/m, `name: $1-${i}`);
            writeFileSync(join(dir, `team-${i}`, f), i % 7 === 0 ? `${text}\nx_unknown_${i}: [.inf, -0.0]\n` : text);
          }
        }
        const cache = (w: string) => ['--cache-location', join(dir, `.cache-${w}/`)];
        const run = (args: string[], w: string) => {
          const r = cli(dir, [...args, '--format', 'json'], w);
          expect(r.stderr).toBe('');
          return `${r.status}\n${r.stdout}`;
        };
        const plain = run(['--no-cache'], '0');
        expect(plain).toContain('x_unknown_7');
        for (const w of ['1', '3']) {
          expect(run(['--no-cache'], w)).toBe(plain);
          expect(`${cli(dir, ['--no-cache', '--format', 'json'], w, true).status}\n${cli(dir, ['--no-cache', '--format', 'json'], w, true).stdout}`).toBe(plain);
          expect(run(cache(w), w)).toBe(plain); // cold
          // A cold run leaves a run record (every file's status), also when the workers read every file.
          const only = cli(dir, ['--cache-location', join(dir, `.cache-only-${w}/`), '--format', 'json'], w, true);
          expect(`${only.status}\n${only.stdout}`).toBe(plain);
          expect(readdirSync(join(dir, `.cache-only-${w}`)).filter((f) => f.endsWith('.run.json'))).toHaveLength(1);
          expect(run(cache(w), w)).toBe(plain); // warm
        }
        const edited = join(dir, 'team-3', 'openai.yaml');
        writeFileSync(edited, `${readFileSync(edited, 'utf8')}\nx_new_field: 1\n`);
        const after = run(['--no-cache'], '0');
        expect(after).toContain('x_new_field');
        for (const w of ['1', '3']) {
          expect(run(cache(w), w)).toBe(after);
          expect(run([...cache(w), 'team-3/openai.yaml'], w)).toBe(run(['--no-cache', 'team-3/openai.yaml'], '0'));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('code caches', () => {
    // What the launcher does, at V8's level: the same flags, the same wrapper, the cache the build wrote.
    const accepted = (file: string) => {
      const script = [
        "const { setFlagsFromString } = require('node:v8'); const { Script } = require('node:vm'); const fs = require('node:fs');",
        'for (const f of JSON.parse(process.argv[1])) setFlagsFromString(f);',
        "const s = new Script(fs.readFileSync(process.argv[2], 'utf8'), { filename: process.argv[3], lineOffset: -1, cachedData: fs.readFileSync(process.argv[4]) });",
        'process.stdout.write(String(!s.cachedDataRejected));',
      ].join('\n');
      const wrapped = join(OUT, 'wrapped.tmp');
      const payload = join(OUT, 'payload.tmp');
      const source = readFileSync(file, 'utf8');
      writeFileSync(wrapped, commonJsWrapper(source));
      // The file holds a header, then V8's payload; the header is checked before V8 sees anything.
      const bytes = readFileSync(`${file}.v8`);
      const v8 = bytes.subarray(codeCacheBytes(source, new Uint8Array(0)).length);
      expect(codeCacheBytes(source, v8).equals(bytes)).toBe(true);
      writeFileSync(payload, v8);
      const r = spawnSync(process.execPath, ['-e', script, JSON.stringify(heapFlags(undefined, [])), wrapped, file, payload], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout === 'true';
    };

    it('are written for the CLI and for the validators the training runs used, and V8 accepts them', () => {
      expect(existsSync(join(OUT, 'cli.cjs.v8'))).toBe(true);
      expect(accepted(join(OUT, 'cli.cjs'))).toBe(true);
      const index = JSON.parse(readFileSync(join(OUT, 'validators', 'index.json'), 'utf8')) as Record<string, string>;
      const openai = join(OUT, 'validators', index['provider-account/openai.schema.json']);
      expect(existsSync(`${openai}.v8`)).toBe(true);
      expect(accepted(openai)).toBe(true);
      // The training project has a document of every type: every validator has its cache, and no training file is left.
      expect(Object.values(index).filter((f) => !existsSync(join(OUT, 'validators', `${f}.v8`)))).toEqual([]);
      expect(readdirSync(OUT).filter((f) => f.startsWith('.training'))).toEqual([]);
    });

    it('the bundle and the validators are ASCII (V8 keeps an ASCII source as one byte a character: it is read and compiled faster)', () => {
      const index = JSON.parse(readFileSync(join(OUT, 'validators', 'index.json'), 'utf8')) as Record<string, string>;
      const files = [join(OUT, 'cli.cjs'), join(OUT, 'cli.js'), ...Object.values(index).map((f) => join(OUT, 'validators', f))];
      expect(files.filter((f) => !isAscii(readFileSync(f)))).toEqual([]);
    });

    it('a damaged or stale cache is rejected by V8 and the CLI still reports the same', async () => {
      const copy = join(REPO, 'tmp', 'dist-test-damaged');
      rmSync(copy, { recursive: true, force: true });
      cpSync(OUT, copy, { recursive: true });
      try {
        // The CLI's payload damaged past its header (V8 alone would trust it), every validator's cache garbage.
        const cache = join(copy, 'cli.cjs.v8');
        const bytes = readFileSync(cache);
        for (let i = 200; i < bytes.length; i += 97) bytes[i] ^= 0x5a;
        writeFileSync(cache, bytes);
        for (const f of readdirSync(join(copy, 'validators')).filter((n) => n.endsWith('.v8'))) writeFileSync(join(copy, 'validators', f), 'not a cache');
        const dir = join(REPO, 'fixtures', 'check', 'schema-errors');
        const damaged = spawnSync(process.execPath, [join(copy, 'cli.js'), 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        const inProcess = await runCli(['check', '--format', 'json'], dir);
        expect(damaged.stderr).toBe('');
        expect(damaged.stdout).toBe(inProcess.stdout);
        expect(damaged.status).toBe(inProcess.code);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  });

  it('stops quietly when the reader of its output goes away (tfy-lint schema | head)', async () => {
    const child = spawn(process.execPath, [join(OUT, 'cli.js'), 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += b; });
    // Read the first chunk, then close the pipe as `head` does once it has its lines.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('build: SARIF', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, env: { ...process.env, TFY_LINT_DIST: 'tmp/dist-test-sarif' }, stdio: 'pipe' });
  });
  afterAll(() => rmSync(join(REPO, 'tmp', 'dist-test-sarif'), { recursive: true, force: true }));

  // The rules' docs pages (SARIF help) are embedded in the bundle, so it needs no docs/ beside it.
  for (const dir of ['fixtures/reports/mixed', 'examples/acme-gateway']) {
    it(`the bundled CLI writes the same SARIF as the sources on ${dir}`, async () => {
      const cwd = join(REPO, dir);
      const bundled = spawnSync(process.execPath, [join(REPO, 'tmp', 'dist-test-sarif', 'cli.js'), 'check', '--format', 'sarif'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const inProcess = await runCli(['check', '--format', 'sarif'], cwd);
      expect(bundled.stderr).toBe('');
      expect(bundled.stdout).toBe(inProcess.stdout);
      const rules = JSON.parse(bundled.stdout).runs[0].tool.driver.rules as { id: string; help: { markdown: string } }[];
      expect(rules.find((r) => r.id === 'url-format')?.help.markdown).toBe(readFileSync(join(REPO, 'docs', 'rules', 'url-format.md'), 'utf8'));
    });
  }
});
