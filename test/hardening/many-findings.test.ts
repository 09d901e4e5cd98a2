// 50,000 findings in one repository: every one reported, at its own line and column, in every format (no timing
// here: `npm run bench:findings` prints the figures).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.ts';
// @ts-expect-error a plain ESM script shared with the benchmark
import { writeFindingsRepo } from '../../scripts/findings-repo.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tfy-50k-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const expected = (writeFindingsRepo as (d: string, o: { files: number; modelsPerFile: number }) => string[])(dir, { files: 10, modelsPerFile: 2500 });

describe('a repository with 50,000 findings', () => {
  it('json lists every finding at its place', async () => {
    expect(expected).toHaveLength(50_000);
    const r = await runCli(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; column: number; ruleId: string }[]; summary: { errors: number } };
    expect(report.summary.errors).toBe(50_000);
    expect(report.diagnostics.map((d) => `${d.file} ${d.line}:${d.column} ${d.ruleId}`).sort()).toEqual(expected);
  }, 300_000);
  it('stylish and github print each of them once', async () => {
    const stylish = await runCli(['check'], dir);
    expect(stylish.stderr).toBe('');
    expect(stylish.stdout.match(/^ {2}\d+:\d+ {2}error {2}/gm)).toHaveLength(50_000);
    expect(stylish.stdout).toContain('✖ 50000 problems (50000 errors, 0 warnings) in 10 files');
    const github = await runCli(['check', '--format', 'github'], dir);
    expect(github.stdout.match(/^::error file=openai-\d{3}\.yaml,line=\d+,col=\d+/gm)).toHaveLength(50_000);
  }, 300_000);
});

describe('schema validators stay linear in the number of failing items', () => {
  it('append a sub-validator\'s errors in place, at run time and in the build', async () => {
    const { linearErrorMerge, loadSchemaSet } = await import('../../src/validate/schemas.ts');
    const code = 'if(!(validate11(x))){vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);errors = vErrors.length;}';
    expect(linearErrorMerge(code)).toBe('if(!(validate11(x))){if (vErrors === null) vErrors = validate11.errors; else for (const e of validate11.errors) vErrors.push(e);errors = vErrors.length;}');
    const validate = loadSchemaSet().validator('gateway-rate-limiting-config');
    expect(String(validate)).toContain('.errors)');
    expect(String(validate)).not.toContain('.concat(');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { REPO } = await import('../helpers.ts');
    expect(readFileSync(join(REPO, 'scripts', 'build.mjs'), 'utf8')).toContain('linearErrorMerge(standaloneCode(ajv, validate))');
  });
});
