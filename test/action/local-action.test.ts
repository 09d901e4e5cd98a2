// The Action through GitHub's own local runner for JavaScript actions (@github/local-action): it reads action.yml,
// stubs @actions/core, loads src/action/main.ts and calls its run().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { findingFile, workspaceWith } from './workspace.ts';

describe('@github/local-action', () => {
  it('runs the action: annotations, outputs, summary and a failed step for an error', () => {
    const ws = workspaceWith({ errors: 1, warnings: 2, infos: 0 });
    const temp = mkdtempSync(join(tmpdir(), 'tfy-local-action-'));
    try {
      writeFileSync(join(temp, 'event.json'), readFileSync(join(REPO, 'fixtures', 'action', 'events', 'push.json')));
      writeFileSync(join(temp, 'summary.md'), '');
      writeFileSync(join(temp, '.env'), [
        'INPUT_PATH=gateway', 'INPUT_COMMENT=off', 'GITHUB_REPOSITORY=acme/gateway-config', 'GITHUB_EVENT_NAME=push',
        `GITHUB_EVENT_PATH=${join(temp, 'event.json')}`, `GITHUB_WORKSPACE=${ws}`, `GITHUB_SHA=${'d'.repeat(40)}`,
        'GITHUB_SERVER_URL=https://github.example', `GITHUB_STEP_SUMMARY=${join(temp, 'summary.md')}`, '',
      ].join('\n'));
      const bin = join(REPO, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');
      const r = spawnSync(process.execPath, [bin, 'run', REPO, 'src/action/main.ts', join(temp, '.env')], {
        cwd: REPO, encoding: 'utf8', timeout: 170_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      });
      const out = `${r.stdout}${r.stderr}`;
      // local-action records a failed step (CoreMeta.exitCode) without ending its own process with it; the failure is the error it prints.
      expect(r.status, out).toBe(0);
      expect(out).toContain(`::error title=tfy-lint naming/no-err,file=${findingFile('err', 1)},line=2,endLine=2,col=7,endColumn=15::"err-0001" is named like an error`);
      expect(out.match(/::warning title=tfy-lint naming\/no-warn,/g)).toHaveLength(2);
      expect(out).toMatch(/'errors'\s+│ '1'/);
      expect(out).toMatch(/'warnings'\s+│ '2'/);
      expect(out).toContain('tfy-lint: 1 finding at or above "error" (1 error, 2 warnings, 0 infos)');
      const summary = readFileSync(join(temp, 'summary.md'), 'utf8');
      expect(summary).toContain(`https://github.example/acme/gateway-config/blob/${'d'.repeat(40)}/${findingFile('err', 1)}#L2`);
    } finally {
      rmSync(temp, { recursive: true, force: true });
      rmSync(ws, { recursive: true, force: true });
    }
  }, 180_000);
});
