// Golden plans: each fixtures/plan/<case>/ holds repo/ and live.json (and optionally args.txt); the plan in text, JSON
// and Markdown is compared with expected.plan.txt, expected.plan.json and expected.plan.md next to them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden, REPO, runCli } from '../helpers.ts';

const FIXTURES = join(REPO, 'fixtures', 'plan');
const FORMATS = [['json', 'expected.plan.json'], ['text', 'expected.plan.txt'], ['markdown', 'expected.plan.md']] as const;

describe('tfy-lint plan: golden plans', () => {
  for (const name of readdirSync(FIXTURES).filter((n) => existsSync(join(FIXTURES, n, 'live.json'))).sort()) {
    const dir = join(FIXTURES, name);
    const extra = existsSync(join(dir, 'args.txt')) ? readFileSync(join(dir, 'args.txt'), 'utf8').trim().split(/\s+/).filter(Boolean) : [];
    it(`${name}${extra.length ? ` (${extra.join(' ')})` : ''}`, async () => {
      let errors = 0;
      for (const [format, file] of FORMATS) {
        const run = await runCli(['plan', 'repo', '--live-state', 'live.json', '--format', format, ...extra], dir);
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(golden(join(dir, file), run.stdout));
        if (format === 'json') errors = JSON.parse(run.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error').length;
        expect(run.code).toBe(errors ? 1 : 0);
      }
    });
  }

  it('the bundled example: plan examples/acme-gateway against examples/acme-gateway-live.json', async () => {
    const run = await runCli(['plan', 'examples/acme-gateway', '--live-state', 'examples/acme-gateway-live.json'], REPO);
    expect(run.code).toBe(0);
    // Only the plan part: the findings above it follow the rule packs, which change on their own.
    const plan = run.stdout.slice(run.stdout.indexOf('Live state:'));
    expect(plan).toBe(golden(join(REPO, 'fixtures', 'plan-example', 'expected.plan.txt'), plan));
    const md = await runCli(['plan', 'examples/acme-gateway', '--live-state', 'examples/acme-gateway-live.json', '--format', 'markdown', '--prune'], REPO);
    const mdPlan = md.stdout.replace(/\*\*\d+ errors?, \d+ warnings?:\*\*\n\n(- .*\n)+\n/, '');
    expect(mdPlan).toBe(golden(join(REPO, 'fixtures', 'plan-example', 'expected.prune.plan.md'), mdPlan));
    expect(md.code).toBe(1); // the live load-balancing config still routes to the pruned account
  });
});

describe('README', () => {
  it('the plan excerpt in the README is what the bundled example prints', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const m = /npx tfy-lint plan examples\/acme-gateway --live-state examples\/acme-gateway-live\.json\n```\n\n```\n([\s\S]*?)```/.exec(readme);
    expect(m).not.toBeNull();
    const run = await runCli(['plan', 'examples/acme-gateway', '--live-state', 'examples/acme-gateway-live.json'], REPO);
    // The excerpt ("..." marks what it leaves out) is a run of whole lines of the output.
    for (const part of (m as RegExpExecArray)[1].split('...\n').filter((p) => p.trim())) expect(run.stdout).toContain(part);
  });
});
