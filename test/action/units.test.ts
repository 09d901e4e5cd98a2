// The Action's pure parts: inputs, the event context, which findings become annotations, size limits of the Markdown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectAnnotations } from '../../src/action/annotations.ts';
import { blobUrl, readContext } from '../../src/action/context.ts';
import { isOwnComment } from '../../src/action/github.ts';
import { readInputs } from '../../src/action/inputs.ts';
import { bytes, chars, code, fitFindings, truncate } from '../../src/action/markdown.ts';
import type { Diagnostic, Severity } from '../../src/core/diagnostic.ts';
import { EVENTS } from './workspace.ts';

function finding(file: string, line: number, severity: Severity, message = `m${line}`): Diagnostic {
  return { ruleId: 'r', severity, message, file, docIndex: 0, path: [], range: { start: { line, column: 1 }, end: { line, column: 4 } } };
}

describe('inputs', () => {
  it('defaults, and one message naming a bad input', () => {
    expect(readInputs(() => '')).toMatchObject({ command: 'check', path: '.', failOn: 'error', annotations: true, comment: 'changes' });
    const given: Record<string, string> = { command: 'PLAN', 'fail-on': 'warn', annotations: 'False', comment: 'always', 'plan-file': 'p.json' };
    expect(readInputs((n) => given[n] ?? '')).toMatchObject({ command: 'plan', failOn: 'warning', annotations: false, comment: 'always', planFile: 'p.json' });
    expect(() => readInputs((n) => (n === 'annotations' ? 'yes' : ''))).toThrow('input "annotations" takes true or false, not "yes"');
    expect(() => readInputs((n) => (n === 'command' ? 'destroy' : ''))).toThrow('input "command" takes "check", "plan", "apply", "drift", not "destroy"');
  });
});

describe('context', () => {
  const env = (event: string) => ({ GITHUB_REPOSITORY: 'acme/gateway-config', GITHUB_EVENT_PATH: join(EVENTS, event), GITHUB_SHA: 'f'.repeat(40), GITHUB_RUN_ID: '9', GITHUB_API_URL: 'https://ghe.example/api/v3/' });

  it('reads the pull request, tells a fork from the same repository, and links at the head commit', () => {
    const same = readContext(env('pull_request.json'), '/w');
    expect(same.pullRequest).toEqual({ number: 7, headSha: 'a'.repeat(40), fork: false });
    expect(same.apiUrl).toBe('https://ghe.example/api/v3');
    expect(blobUrl(same, 'gateway/a b#.yaml', 3, 5)).toBe(`https://github.com/acme/gateway-config/blob/${'a'.repeat(40)}/gateway/a%20b%23.yaml#L3-L5`);
    expect(readContext(env('pull_request_fork.json'), '/w').pullRequest?.fork).toBe(true);
    const push = readContext(env('push.json'), '/w');
    expect(push.pullRequest).toBeUndefined();
    expect(push.sha).toBe('f'.repeat(40));
    expect(push.runUrl).toBe('https://github.com/acme/gateway-config/actions/runs/9');
  });

  it('refuses a run outside Actions and a payload that is not JSON', () => {
    expect(() => readContext({}, '/w')).toThrow('GITHUB_REPOSITORY is not set to owner/name');
    const dir = mkdtempSync(join(tmpdir(), 'tfy-ctx-'));
    try {
      writeFileSync(join(dir, 'e.json'), '{');
      expect(() => readContext({ GITHUB_REPOSITORY: 'a/b', GITHUB_EVENT_PATH: join(dir, 'e.json') }, '/w')).toThrow(/^the event payload .* is not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('annotations', () => {
  it('few findings: all of them, no overflow notice', () => {
    const s = selectAnnotations([finding('a.yaml', 1, 'info'), finding('a.yaml', 2, 'error')], undefined, 'x');
    expect(s.annotations.map((a) => a.level)).toEqual(['error', 'notice']);
    expect(s.overflow).toBeUndefined();
  });

  it('exactly 10 notices and nothing else: all 10; with one finding more, 9 notices and the overflow notice', () => {
    const ten = Array.from({ length: 10 }, (_, i) => finding('a.yaml', i + 1, 'info'));
    expect(selectAnnotations(ten, undefined, 'x').annotations).toHaveLength(10);
    const more = selectAnnotations([...ten, finding('b.yaml', 1, 'info')], new Set(), 'x');
    expect(more.annotations.filter((a) => a.level === 'notice')).toHaveLength(10 - 1);
    expect(more.overflow?.message).toBe('2 more findings (2 infos) are not shown as annotations, since GitHub shows at most 10 of each level per step: x.');
    const one = selectAnnotations([finding('a.yaml', 1, 'error'), ...Array.from({ length: 11 }, (_, i) => finding('b.yaml', i + 1, 'error'))], undefined, 'x');
    expect(one.overflow?.message).toBe('2 more findings (2 errors) are not shown as annotations, since GitHub shows at most 10 of each level per step: x.');
  });

  it('live findings (no file in the repository) are counted, never annotated', () => {
    const s = selectAnnotations([finding('live:state', 1, 'error')], undefined, 'see the job summary');
    expect(s.annotations).toEqual([]);
    expect(s.omitted.error).toBe(1);
  });

  it('a range over several lines has no end column', () => {
    const d = finding('a.yaml', 2, 'error');
    d.range.end = { line: 4, column: 2 };
    const a = selectAnnotations([d], undefined, 'x').annotations[0];
    expect(a).toMatchObject({ startLine: 2, endLine: 4 });
    expect('endColumn' in a).toBe(false);
  });
});

describe('Markdown within limits', () => {
  it('fitFindings keeps whole lines within the budget and counts the rest', () => {
    const groups = [['**a**', '', ...Array.from({ length: 100 }, (_, i) => `- finding ${i} ${'x'.repeat(50)}`)]];
    const text = fitFindings('# head', groups, 'TAIL', chars(2000), 'see the summary');
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/_… \d+ more findings not shown here: see the summary\._/);
    expect(text.endsWith('TAIL')).toBe(true);
  });

  it('truncate measures bytes when asked, closes open details and fences', () => {
    const long = ['<details><summary>s</summary>', '', '```diff', ...Array.from({ length: 400 }, () => '+ ✅ ✅ ✅ ✅')].join('\n');
    const cut = truncate(long, bytes(1000), 'see the job summary');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1000);
    expect(cut).toMatch(/```\n<\/details>\n\n_… cut here to stay within GitHub's size limit: see the job summary\._\n$/);
    expect(truncate('short', chars(100), 'x')).toBe('short');
  });

  it('code spans survive backticks', () => {
    expect(code('a`b')).toBe('`` a`b ``');
    expect(code('ab')).toBe('`ab`');
  });
});

describe('own comments', () => {
  it('needs the marker on the first line and the token\'s own login', () => {
    const marker = '<!-- tfy-lint comment path=. -->';
    expect(isOwnComment({ body: `${marker}\nx`, user: { login: 'github-actions[bot]' } }, marker, 'github-actions[bot]')).toBe(true);
    expect(isOwnComment({ body: `> ${marker}\nx`, user: { login: 'github-actions[bot]' } }, marker, 'github-actions[bot]')).toBe(false);
    expect(isOwnComment({ body: `${marker}\nx`, user: { login: 'alice' } }, marker, 'github-actions[bot]')).toBe(false);
    expect(isOwnComment({ body: null, user: null }, marker, 'github-actions[bot]')).toBe(false);
  });
});
