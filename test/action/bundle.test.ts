// The Action's packaging: action.yml's metadata, and the committed bundle equal to a fresh build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/action/inputs.ts';
import { REPO } from '../helpers.ts';
import { actionMeta } from '../support/runner.ts';

const OUTPUTS = ['errors', 'warnings', 'infos', 'has-changes', 'create', 'update', 'delete', 'sarif-file', 'plan-file', 'comment-url'];

describe('action.yml', () => {
  const meta = actionMeta() as ReturnType<typeof actionMeta> & {
    name: string; description: string; branding: { icon: string; color: string };
    inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
    outputs: Record<string, { description?: string }>;
  };

  it('runs the committed bundle on node24, with branding', () => {
    expect(meta.runs).toEqual({ using: 'node24', main: 'dist/action/index.js' });
    expect(existsSync(join(REPO, meta.runs.main))).toBe(true);
    expect(meta.branding.icon).toBeTruthy();
    expect(meta.branding.color).toBeTruthy();
    expect(meta.description.length).toBeGreaterThan(20);
  });

  it('declares exactly the inputs the action reads, all optional and described', () => {
    const read: string[] = [];
    readInputs((name) => { read.push(name); return ''; });
    expect(Object.keys(meta.inputs).sort()).toEqual([...read].sort());
    for (const [name, spec] of Object.entries(meta.inputs)) {
      expect(spec.description, name).toMatch(/\w{3,}/);
      expect(spec.required ?? false, name).toBe(false);
    }
    expect(meta.inputs.command.default).toBe('check');
    expect(meta.inputs['fail-on'].default).toBe('error');
    expect(meta.inputs.comment.default).toBe('changes');
    expect(meta.inputs['github-token'].default).toBe('${{ github.token }}');
  });

  it('declares every output, described', () => {
    expect(Object.keys(meta.outputs).sort()).toEqual([...OUTPUTS].sort());
    for (const [name, spec] of Object.entries(meta.outputs)) expect(spec.description, name).toMatch(/\w{3,}/);
  });
});

describe('the committed bundle', () => {
  it('equals a fresh build (run npm run build and commit dist/action/index.js when this fails)', () => {
    const out = mkdtempSync(join(tmpdir(), 'tfy-action-build-'));
    try {
      const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'build.mjs'), '--action-only'], {
        cwd: REPO, env: { ...process.env, TFY_LINT_DIST: out }, encoding: 'utf8', timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const fresh = readFileSync(join(out, 'action', 'index.js'), 'utf8');
      const committed = readFileSync(join(REPO, 'dist', 'action', 'index.js'), 'utf8');
      // Compared as a whole; a length check first keeps the failure message short.
      expect(committed.length).toBe(fresh.length);
      expect(committed === fresh).toBe(true);
      // Self-contained: the runner has no node_modules, so nothing but Node's built-ins may be required at run time.
      const required = new Set([...fresh.matchAll(/__require\("([^"]+)"\)/g)].map((m) => m[1]));
      for (const name of required) expect(builtinModules.includes(name.replace(/^node:/, '')), name).toBe(true);
      expect(fresh).not.toMatch(/\/(work|home|tmp)\//);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
