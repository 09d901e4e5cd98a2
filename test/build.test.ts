// The bundle (esbuild + precompiled standalone validators) behaves exactly like the sources tests run against.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AJV_OPTIONS } from '../src/validate/schemas.ts';
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
