// The report formats of `check` on real fixtures: SARIF checked by Microsoft's SARIF Multitool (SARIF and GitHub
// ingestion rules), every finding of the JSON report at the same place in SARIF, JUnit and GitLab, fingerprints that
// survive inserted lines, suppressions, and no secret in any format.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, type TestSuites } from 'junit2json';
import { FORMATS } from '../../src/report/index.ts';
import { FINGERPRINT_KEY, type SarifLog } from '../../src/report/sarif.ts';
import type { GitlabIssue } from '../../src/report/gitlab.ts';
import { golden, REPO, runCli } from '../helpers.ts';

/** Reads a JUnit report with a JUnit XML parser from npm; the root must be <testsuites>. */
async function parseJunit(xml: string): Promise<TestSuites> {
  const parsed = await parse(xml);
  if (!parsed || !('testsuite' in parsed) || parsed.name === undefined) throw new Error('the JUnit report has no <testsuites> root');
  return parsed as TestSuites;
}

const DIRS = [
  ...readdirSync(join(REPO, 'fixtures', 'check')).sort().map((n) => `fixtures/check/${n}`),
  ...readdirSync(join(REPO, 'fixtures', 'reports')).sort().map((n) => `fixtures/reports/${n}`),
  'fixtures/build/teams',
  'examples/acme-gateway',
];

interface JsonFinding { ruleId: string; severity: string; message: string; file: string; line: number; column: number; endLine: number; endColumn: number }

/** Runs check once with every report format written to a file; returns the reports by format. */
async function reports(cwd: string, extra: string[] = []) {
  const formats = ['json', 'sarif', 'junit', 'gitlab'];
  const run = await runCli(['check', ...formats.flatMap((f) => ['-f', f, '-o', `out/${f}`]), ...extra], cwd);
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('');
  const get = (f: string) => run.written.get(join(cwd, 'out', f)) as string;
  return { code: run.code, json: get('json'), sarif: get('sarif'), junit: get('junit'), gitlab: get('gitlab') };
}

const work = mkdtempSync(join(tmpdir(), 'tfy-lint-reports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report formats: every finding at the same place in every format', () => {
  for (const dir of DIRS) {
    it(dir, async () => {
      const cwd = join(REPO, dir);
      const out = await reports(cwd);
      const json = JSON.parse(out.json) as { diagnostics: JsonFinding[] };
      const log = JSON.parse(out.sarif) as SarifLog;
      writeFileSync(join(work, `${dir.replace(/\//g, '_')}.sarif`), out.sarif);
      const run = log.runs[0];
      const srcRoot = fileURLToPath(run.originalUriBaseIds?.['%SRCROOT%'].uri as string);
      const abs = (file: string) => resolve(cwd, file);
      const fromRoot = (uri: string) => resolve(srcRoot, decodeURIComponent(uri));
      const shown = run.results.filter((r) => !r.suppressions);
      expect(shown.length).toBe(json.diagnostics.length);
      const junit = await parseJunit(out.junit);
      const cases = (junit?.testsuite ?? []).flatMap((s) => (s.testcase ?? []).map((c) => ({ suite: s.name, c })));
      const junitFindings = cases.flatMap(({ suite, c }) => [...(c.failure ?? []), ...(c.error ?? [])].map((f) => ({ suite, f })));
      expect(junitFindings.length).toBe(json.diagnostics.length);
      const gitlab = JSON.parse(out.gitlab) as GitlabIssue[];
      expect(gitlab.length).toBe(json.diagnostics.length);
      json.diagnostics.forEach((d, i) => {
        const level = { error: 'error', warning: 'warning', info: 'note' }[d.severity];
        const s = shown[i];
        const loc = s.locations[0].physicalLocation;
        expect({ ruleId: s.ruleId, level: s.level, file: fromRoot(loc.artifactLocation.uri), line: loc.region.startLine, column: loc.region.startColumn })
          .toEqual({ ruleId: d.ruleId, level, file: abs(d.file), line: d.line, column: d.column });
        expect(s.message.text.startsWith(d.message)).toBe(true);
        if (d.endLine > d.line || d.endColumn > d.column) expect([loc.region.endLine, loc.region.endColumn]).toEqual([d.endLine, d.endColumn]);
        // JUnit writes control characters (which XML 1.0 cannot hold) as \uXXXX.
        const xmlSafe = (t: string) => t.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
        // JUnit groups findings by document: find this one in its file's suite (each JUnit finding is used once).
        const line = xmlSafe(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} (${d.ruleId})`);
        const k = junitFindings.findIndex((j) => j.suite === d.file && j.f.type === d.ruleId && j.f.inner?.split('\n')[0] === line);
        expect(k, line).toBeGreaterThanOrEqual(0);
        junitFindings.splice(k, 1);
        const g = gitlab[i];
        expect({ check: g.check_name, file: resolve(srcRoot, g.location.path), line: g.location.lines.begin }).toEqual({ check: d.ruleId, file: abs(d.file), line: d.line });
        expect(g.fingerprint).toBe(s.partialFingerprints[FINGERPRINT_KEY]);
      });
      // JUnit counts add up, suite by suite and in total.
      let tests = 0;
      let failures = 0;
      let errors = 0;
      for (const suite of junit?.testsuite ?? []) {
        const list = suite.testcase ?? [];
        expect(suite.tests).toBe(list.length);
        expect(suite.failures).toBe(list.filter((c) => c.failure?.length).length);
        expect(suite.errors).toBe(list.filter((c) => c.error?.length).length);
        tests += list.length; failures += suite.failures ?? 0; errors += suite.errors ?? 0;
      }
      expect(junit).toMatchObject({ tests, failures, errors });
      expect(out.code).toBe(json.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
    });
  }
});

describe('SARIF: Microsoft SARIF Multitool (validate --rule-kind "Gh;Sarif")', () => {
  it('finds no error in the SARIF of any fixture or of the example', async () => {
    // Written by the tests above when they ran first; written here otherwise.
    for (const dir of DIRS) {
      const file = join(work, `${dir.replace(/\//g, '_')}.sarif`);
      try { readFileSync(file); } catch { writeFileSync(file, (await runCli(['check', '-f', 'sarif'], join(REPO, dir))).stdout); }
    }
    // The npm package ships a self-contained Linux binary; npm 11 does not run the postinstall that marks it executable.
    const binary = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux') as string;
    chmodSync(binary, 0o755);
    const home = join(work, 'home');
    mkdirSync(home, { recursive: true });
    const output = join(work, 'validation.sarif');
    // A control: a log with two known errors (an absolute URI under %SRCROOT%, a ruleIndex past the rules), which the
    // validator must find, so that a validator that reports nothing cannot pass this test.
    const control = JSON.parse(readFileSync(join(work, 'fixtures_reports_mixed.sarif'), 'utf8')) as SarifLog;
    control.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'file:///abs.yaml';
    control.runs[0].results[1].ruleIndex = 999;
    writeFileSync(join(work, 'control.sarif'), JSON.stringify(control));
    const r = spawnSync(binary, ['validate', '--rule-kind', 'Gh;Sarif', '--output', output, join(work, 'control.sarif'), ...DIRS.map((d) => join(work, `${d.replace(/\//g, '_')}.sarif`))], {
      encoding: 'utf8', timeout: 240_000,
      // No ICU libraries needed; .NET's files in a temporary HOME; a proxy that refuses, so nothing reaches the internet.
      env: { ...process.env, HOME: home, DOTNET_CLI_HOME: home, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1', HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' },
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout, r.stderr).toContain('Analysis completed successfully');
    const validation = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as { runs: { tool: { driver: { rules?: { id: string; defaultConfiguration?: { level?: string } }[] } }; results?: { ruleId: string; ruleIndex?: number; level?: string; message: { id?: string; arguments?: string[]; text?: string }; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[]; invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: { message: { text: string } }[] }[] }[] };
    const vrun = validation.runs[0];
    expect(vrun.invocations?.[0].executionSuccessful, JSON.stringify(vrun.invocations?.[0].toolExecutionNotifications)).toBe(true);
    const results = (vrun.results ?? []).map((x) => {
      const rule = vrun.tool.driver.rules?.find((rr) => rr.id === x.ruleId);
      return { level: x.level ?? rule?.defaultConfiguration?.level ?? 'warning', rule: x.ruleId, where: x.locations?.[0]?.physicalLocation?.artifactLocation?.uri, args: x.message.arguments };
    });
    const isControl = (x: { where?: string }) => Boolean(x.where?.endsWith('/control.sarif'));
    expect(results.filter(isControl).map((x) => `${x.level} ${x.rule}`).sort()).toEqual(['error SARIF1004', 'error SARIF1009']);
    // No error, nor any warning (the levels validate reports by default; its notes include HTTP checks of every URI).
    expect(results.filter((x) => !isControl(x))).toEqual([]);
    expect(r.stdout).toContain(`${DIRS.length + 1} files scanned`);
  }, 300_000);
});

describe('SARIF: fingerprints and suppressions', () => {
  it('keeps every fingerprint when lines are inserted above the findings', async () => {
    const dir = join(work, 'moved');
    cpSync(join(REPO, 'fixtures', 'reports', 'mixed'), dir, { recursive: true });
    const before = JSON.parse((await runCli(['check', '-f', 'sarif'], dir)).stdout) as SarifLog;
    for (const f of ['providers/groq.yaml', 'providers/self-hosted.yaml', 'odd name & co.yaml']) {
      const p = join(dir, f);
      writeFileSync(p, `# owned by the platform team\n\n# reviewed every quarter\n${readFileSync(p, 'utf8')}`);
    }
    const after = JSON.parse((await runCli(['check', '-f', 'sarif'], dir)).stdout) as SarifLog;
    const key = (l: SarifLog) => l.runs[0].results.map((x) => `${x.ruleId} ${x.partialFingerprints[FINGERPRINT_KEY]}`);
    expect(after.runs[0].results.map((x) => x.locations[0].physicalLocation.region.startLine))
      .toEqual(before.runs[0].results.map((x) => x.locations[0].physicalLocation.region.startLine + 3));
    expect(key(after)).toEqual(key(before));
    expect(new Set(key(before)).size).toBe(before.runs[0].results.length);
    const gitlab = (await runCli(['check', '-f', 'gitlab'], dir)).stdout;
    expect((JSON.parse(gitlab) as GitlabIssue[]).map((g) => `${g.check_name} ${g.fingerprint}`)).toEqual(key(after).filter((_k, i) => !after.runs[0].results[i].suppressions));
  });
  it('reports a silenced finding as suppressed with its reason, and only in SARIF', async () => {
    const cwd = join(REPO, 'fixtures', 'reports', 'mixed');
    const log = JSON.parse((await runCli(['check', '-f', 'sarif'], cwd)).stdout) as SarifLog;
    const silenced = log.runs[0].results.filter((x) => x.suppressions);
    expect(silenced.map((x) => [x.ruleId, x.locations[0].physicalLocation.region.startLine, x.suppressions])).toEqual([
      ['url-format', 9, [{ kind: 'inSource', status: 'accepted', justification: "the partner's gateway only speaks http inside the VPN",
        location: { physicalLocation: { artifactLocation: expect.objectContaining({ uriBaseId: '%SRCROOT%' }), region: { startLine: 8, startColumn: 5, endLine: 8, endColumn: 101 } } } }]],
    ]);
    // no-raw-secrets cannot be silenced: its finding stays a plain result, and the comment is reported.
    expect(log.runs[0].results.filter((x) => x.ruleId === 'no-raw-secrets' && !x.suppressions).length).toBe(2);
    const json = JSON.parse((await runCli(['check', '-f', 'json'], cwd)).stdout) as { diagnostics: JsonFinding[] };
    expect(json.diagnostics.filter((x) => x.ruleId === 'url-format').map((x) => `${x.file}:${x.line}`)).toEqual(['providers/self-hosted.yaml:14']);
    const gitlab = JSON.parse((await runCli(['check', '-f', 'gitlab'], cwd)).stdout) as GitlabIssue[];
    // (GitLab paths are relative to the repository root: the git work tree, or the working directory without one.)
    expect(gitlab.filter((x) => x.check_name === 'url-format').map((x) => `${x.location.path}:${x.location.lines.begin}`)).toEqual([expect.stringMatching(/(^|\/)providers\/self-hosted\.yaml:14$/)]);
    for (const format of ['stylish', 'compact', 'github', 'junit']) {
      const out = (await runCli(['check', '-f', format], cwd)).stdout;
      expect(out, format).toMatch(/self-hosted\.yaml/);
      expect(out, format).not.toMatch(/self-hosted\.yaml:9:|self-hosted\.yaml,line=9,|partner's gateway/);
    }
  });
  it('takes its category from --sarif-category', async () => {
    const log = JSON.parse((await runCli(['check', '-f', 'sarif', '--sarif-category', 'gateway/prod'], join(REPO, 'fixtures', 'check', 'clean'))).stdout) as SarifLog;
    expect(log.runs[0].automationDetails.id).toBe('gateway/prod');
    expect(log.runs[0].results).toEqual([]);
  });
});

describe('secrets never appear in any report', () => {
  // The keys of fixtures/reports/mixed/providers/groq.yaml, and slices of them.
  const RAW = ['igJeEobVO3CWGFao4KwiwRjj7wEPVt6uv0pu3Vf48cEpYA8jNJP5', '1Sv8TVwzbF4MNmOf1bArFAIFASuKC8FmaOhjiOBjyyPSQ63fFBAH', 'EobVO3CWGFao4Kwi', 'TVwzbF4MNmOf1bAr', 'igJeEobVO3CWGFao4KwiwRjj7wEPVt6uv0pu3Vf48cEpYA8j'];
  for (const format of FORMATS) {
    it(`${format}: raw keys are shown redacted`, async () => {
      const run = await runCli(['check', '-f', format], join(REPO, 'fixtures', 'reports', 'mixed'));
      expect(run.code).toBe(1);
      for (const raw of RAW) expect(run.stdout).not.toContain(raw);
      expect(run.stdout).toMatch(/gsk_…NJP5|gsk_\\u2026NJP5/);
    });
  }
});

describe('report formats: golden outputs of fixtures/reports/mixed', () => {
  it('compact, junit, gitlab and the SARIF results', async () => {
    const cwd = join(REPO, 'fixtures', 'reports', 'mixed');
    const out = await reports(cwd, ['-f', 'compact', '-o', 'out/compact']);
    const log = JSON.parse(out.sarif) as SarifLog;
    // Repository-relative paths hold the fixture's place in the repository only when it is a git work tree.
    const prefix = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri.replace(/odd%20name.*$/, '');
    // Fingerprints hash that repository-relative path too (their stability is tested above).
    const strip = (t: string) => t.split(prefix).join('').replace(/("(?:tfyLintFindingHash\/v1|fingerprint)": )"[0-9a-f]{32}:(\d+)"/g, '$1"…:$2"');
    const run = await runCli(['check', '-f', 'compact'], cwd);
    expect(run.stdout).toBe(golden(join(cwd, 'expected.compact.txt'), run.stdout));
    expect(out.junit).toBe(golden(join(cwd, 'expected.junit.xml'), out.junit));
    expect(strip(out.gitlab)).toBe(golden(join(cwd, 'expected.gitlab.json'), strip(out.gitlab)));
    const results = `${JSON.stringify(log.runs[0].results, null, 2)}\n`;
    expect(strip(results)).toBe(golden(join(cwd, 'expected.sarif-results.json'), strip(results)));
  });
});
