// The SARIF, JUnit, GitLab and compact formatters on hand-made findings: shapes, escaping, counts, fingerprints.
import { describe, expect, it } from 'vitest';
import { parse, type TestSuites } from 'junit2json';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { fingerprints } from '../../src/report/fingerprint.ts';
import { formatCompact } from '../../src/report/compact.ts';
import { formatGitlab, gitlabIssues } from '../../src/report/gitlab.ts';
import { formatJunit, xmlEscape } from '../../src/report/junit.ts';
import { artifactLocation, FINGERPRINT_KEY, markdownToText, sarifLog } from '../../src/report/sarif.ts';
import type { ReportInput } from '../../src/report/types.ts';

/** Reads a JUnit report with a JUnit XML parser from npm; the root must be <testsuites>. */
async function parseJunit(xml: string): Promise<TestSuites> {
  const parsed = await parse(xml);
  if (!parsed || !('testsuite' in parsed) || parsed.name === undefined) throw new Error('the JUnit report has no <testsuites> root');
  return parsed as TestSuites;
}

const at = (line: number, column: number, endColumn = column + 1) => ({ start: { line, column }, end: { line, column: endColumn } });
const d = (over: Partial<Diagnostic>): Diagnostic => ({
  ruleId: 'schema', severity: 'error', message: 'unknown property "x"', file: 'a.yaml', docIndex: 0, path: ['x'], range: at(2, 3), ...over,
});
const input = (diagnostics: Diagnostic[], over: Partial<ReportInput> = {}): ReportInput => ({ diagnostics, sources: new Map(), files: 1, documents: 1, color: false, ...over });

describe('sarif', () => {
  it('describes every rule and reports each finding with its place, level, fingerprint and JSON path', () => {
    const log = sarifLog(input([
      d({ hint: 'Allowed here: y' }),
      d({ ruleId: 'unique-names', severity: 'warning', messageId: 'duplicate', message: 'name "a" is defined twice', path: ['name'], range: at(5, 7, 10),
        related: [{ file: 'b c/z.yaml', range: at(1, 7), message: '"a" is first defined here' }] }),
    ]), { version: '1.2.3', category: 'gateway/' });
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'tfy-lint', version: '1.2.3', semanticVersion: '1.2.3' });
    expect(run.automationDetails.id).toBe('gateway/');
    const ids = run.tool.driver.rules.map((r) => r.id);
    for (const id of ['no-raw-secrets', 'unique-names', 'schema', 'yaml-syntax', 'load', 'compose', 'suppression']) expect(ids).toContain(id);
    const secrets = run.tool.driver.rules.find((r) => r.id === 'no-raw-secrets');
    expect(secrets?.help.markdown?.startsWith('# no-raw-secrets\n')).toBe(true);
    // Relative links between the pages point at the published pages.
    expect(run.tool.driver.rules.find((r) => r.id === 'schema')?.help.markdown).toContain('(https://unpkg.com/tfy-lint@1.2.3/docs/schemas.md)');
    expect(secrets?.help.text).not.toContain('**');
    expect(secrets?.helpUri).toBe('https://unpkg.com/tfy-lint@1.2.3/docs/rules/no-raw-secrets.md');
    expect(secrets?.properties.tags).toContain('security');
    expect(secrets?.defaultConfiguration.level).toBe('error');
    const [first, second] = run.results;
    expect(first).toMatchObject({
      ruleId: 'schema', level: 'error', message: { text: 'unknown property "x". Allowed here: y.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 3, endLine: 2, endColumn: 4 } } }],
      properties: { path: 'x', docIndex: 0 },
    });
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe('schema');
    expect(second.level).toBe('warning');
    expect(second.relatedLocations).toEqual([{ id: 1, message: { text: '"a" is first defined here.' },
      physicalLocation: { artifactLocation: { uri: 'b%20c/z.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 7, endLine: 1, endColumn: 8 } } }]);
    expect(second.message.text).toContain('[b c/z.yaml:1](1)');
    expect(first.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}:1$/);
  });
  it('turns inline suppressions into SARIF suppressions with the reason', () => {
    const silenced = d({ ruleId: 'url-format', severity: 'warning', suppressed: { kind: 'next-line', reason: 'only http inside the VPN', range: at(4, 5, 60) } });
    const log = sarifLog(input([d({})], { suppressed: [silenced] }), { version: '1.0.0' });
    const result = log.runs[0].results.find((r) => r.ruleId === 'url-format');
    expect(result?.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'only http inside the VPN',
      location: { physicalLocation: { artifactLocation: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 5, endLine: 4, endColumn: 60 } } } }]);
    expect(log.runs[0].results.find((r) => r.ruleId === 'schema')?.suppressions).toBeUndefined();
  });
  it('gives whole-file findings a one-character region and absolute paths file: URIs', () => {
    const log = sarifLog(input([d({ file: '/abs/x y.yaml', range: at(1, 1, 1), docIndex: -1, path: [] })]), { version: '1.0.0', srcRoot: 'file:///repo/' });
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'file:///abs/x%20y.yaml' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } });
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(artifactLocation('C:/x/y.yaml')).toEqual({ uri: 'file:///C:/x/y.yaml' });
  });
  it('describes organisation rules and ids it does not know, so every ruleIndex points at a rule', () => {
    const log = sarifLog(input([d({ ruleId: 'acme-owner' }), d({ ruleId: 'plan', path: [] })]), {
      version: '1.0.0',
      customRules: [{ id: 'acme-owner', meta: { description: 'Every account names its owner', appliesTo: ['**'], needs: 'document', recommended: 'off', messages: { custom: 'no owner' } } }],
    });
    const rules = log.runs[0].tool.driver.rules;
    for (const r of log.runs[0].results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(rules.find((r) => r.id === 'acme-owner')?.shortDescription.text).toBe('Every account names its owner.');
  });
  it('writes plain text help from the Markdown page', () => {
    expect(markdownToText('# t\n\n**Bold** `code` [link](https://x)\n```yaml\na: 1\n```\n')).toBe('t\n\nBold code link\na: 1');
  });
});

describe('fingerprints', () => {
  it('stay the same when lines move, and differ by rule, file, path and message template', () => {
    const base = d({ messageId: 'unknown' });
    const moved = d({ messageId: 'unknown', range: at(40, 9) });
    const [a] = fingerprints([base]);
    expect(fingerprints([moved])[0]).toBe(a);
    expect(fingerprints([d({ messageId: 'unknown', message: 'other words, same template' })])[0]).toBe(a);
    for (const other of [d({ messageId: 'unknown', ruleId: 'url-format' }), d({ messageId: 'unknown', file: 'b.yaml' }), d({ messageId: 'unknown', path: ['y'] }), d({ messageId: 'other' })]) {
      expect(fingerprints([other])[0]).not.toBe(a);
    }
    // The pipeline's own findings have no template id: the message is the template, with its numbers blanked.
    expect(fingerprints([d({ message: 'syntax error (3 more after line 12)' })])[0]).toBe(fingerprints([d({ message: 'syntax error (3 more after line 19)' })])[0]);
  });
  it('tell apart the same finding in two documents of one file by order', () => {
    const [one, two] = fingerprints([d({ docIndex: 0 }), d({ docIndex: 1, range: at(9, 3) })]);
    expect(one.split(':')[0]).toBe(two.split(':')[0]);
    expect([one.split(':')[1], two.split(':')[1]]).toEqual(['1', '2']);
  });
});

describe('junit', () => {
  const checked = [
    { file: 'a.yaml', documents: [{ docIndex: 0, type: 'provider-account/openai', name: 'openai-main', line: 1 }, { docIndex: 1, type: 'provider-account/groq', name: 'g', line: 9 }] },
    { file: 'clean.yaml', documents: [{ docIndex: 0, type: 'provider-account/groq', name: 'clean', line: 1 }] },
    { file: 'empty.yaml', documents: [] },
  ];
  it('has a suite per file, a case per document and a failure per finding, with counts that add up', async () => {
    const xml = formatJunit(input([
      d({}), d({ range: at(3, 3), message: 'second' }),
      d({ ruleId: 'suppression', docIndex: -1, path: [], range: at(5, 1), severity: 'warning', message: 'unused suppression' }),
      d({ file: 'bin.yaml', ruleId: 'load', docIndex: -1, path: [], range: at(1, 1), message: 'file holds a NUL byte' }),
    ], { checked, files: 4, documents: 3 }));
    const parsed = await parseJunit(xml);
    const suites = parsed?.testsuite ?? [];
    expect(suites.map((s) => s.name)).toEqual(['a.yaml', 'bin.yaml', 'clean.yaml', 'empty.yaml']);
    const a = suites[0];
    expect(a.testcase?.map((c) => c.name)).toEqual(['whole file', 'provider-account/openai "openai-main" (document 1)', 'provider-account/groq "g" (document 2)']);
    expect(a.testcase?.[1].failure?.map((f) => [f.type, f.message, f.inner])).toEqual([
      ['schema', 'unknown property "x"', 'a.yaml:2:3: error: unknown property "x" (schema)'],
      ['schema', 'second', 'a.yaml:3:3: error: second (schema)'],
    ]);
    expect(suites[1].testcase?.[0].error?.[0].type).toBe('load');
    for (const s of suites) {
      const cases = s.testcase ?? [];
      expect(s.tests).toBe(cases.length);
      expect(s.failures).toBe(cases.filter((c) => c.failure?.length).length);
      expect(s.errors).toBe(cases.filter((c) => c.error?.length).length);
    }
    expect(parsed).toMatchObject({ tests: 6, failures: 2, errors: 1 });
    expect(suites.map((s) => s.tests)).toEqual([3, 1, 1, 1]);
  });
  it('escapes markup and every control character, and keeps line breaks in attributes', async () => {
    const nasty = 'a <b> & "c" \u0000\u0007\u001b\u007f\uFFFF \ud800 end\r\nnext\tcol';
    const xml = formatJunit(input([d({ message: nasty, file: 'x&<y>.yaml' })]));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\uD800-\uDFFF]/);
    const parsed = await parseJunit(xml);
    const failure = parsed?.testsuite?.[0].testcase?.[0].failure?.[0];
    expect(failure?.message).toBe('a <b> & "c" \\u0000\\u0007\\u001B\\u007F\\uFFFF \\uD800 end\r\nnext\tcol');
    expect(parsed?.testsuite?.[0].name).toBe('x&<y>.yaml');
    expect(xmlEscape('😀')).toBe('😀');
  });
});

describe('gitlab', () => {
  it('writes code quality issues with fingerprints shared with SARIF', () => {
    const list = [d({ messageId: 'm' }), d({ severity: 'warning', range: at(7, 1), path: ['y'] }), d({ severity: 'info', path: ['z'] })];
    const issues = gitlabIssues(input(list));
    expect(issues[0]).toEqual({ description: 'unknown property "x" (schema)', check_name: 'schema', fingerprint: fingerprints(list)[0], severity: 'major', location: { path: 'a.yaml', lines: { begin: 2 } } });
    expect(issues.map((i) => i.severity)).toEqual(['major', 'minor', 'info']);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(3);
    expect(JSON.parse(formatGitlab(input(list)))).toEqual(issues);
    expect(formatGitlab(input([]))).toBe('[]\n');
  });
  it('agrees with SARIF when a silenced finding of the same kind comes first', () => {
    const silenced = d({ docIndex: 0, suppressed: { kind: 'file', reason: 'legacy', range: at(1, 1, 20) } });
    const shown = d({ docIndex: 1, range: at(12, 3) });
    const both = input([shown], { suppressed: [silenced] });
    const sarif = sarifLog(both, { version: '1.0.0' }).runs[0].results.find((r) => !r.suppressions);
    expect(gitlabIssues(both)[0].fingerprint).toBe(sarif?.partialFingerprints[FINGERPRINT_KEY]);
    expect(gitlabIssues(both)[0].fingerprint.endsWith(':2')).toBe(true);
  });
});

describe('compact', () => {
  it('writes file:line:column: severity: message (rule), then a summary', () => {
    expect(formatCompact(input([d({ message: 'two\nlines' })]))).toBe('a.yaml:2:3: error: two lines (schema)\n1 problem (1 error, 0 warnings) (1 file, 1 document checked)\n');
    expect(formatCompact(input([]))).toBe('no problems (1 file, 1 document checked)\n');
    expect(formatCompact(input([d({ message: 'bell\u0007 and escape \u001b[31m' })])).split('\n')[0]).toBe('a.yaml:2:3: error: bell\\u0007 and escape \\u001B[31m (schema)');
  });
});
