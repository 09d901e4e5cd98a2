// The apply report as text and JSON: progress lines, summaries, the comparison.
import { describe, expect, it } from 'vitest';
import type { ApplyOutcome, ChangeResult } from '../../src/apply/types.ts';
import { formatApplySummary, formatResultLine } from '../../src/report/apply-text.ts';
import { applyToJson } from '../../src/report/apply-json.ts';

const r = (over: Partial<ChangeResult>): ChangeResult => ({ action: 'create', type: 'provider-account/openai', name: 'openai-main', status: 'applied', level: 0, durationMs: 420, ...over });

function outcome(status: ApplyOutcome['status'], results: ChangeResult[], extra: Partial<ApplyOutcome['report']> = {}): ApplyOutcome {
  return {
    status, exitCode: status === 'applied' ? 0 : 1, problems: [],
    report: {
      version: 1, dryRun: status === 'dry-run', results, converged: true, differences: [], planFingerprint: 'sha256:x', levels: 1,
      summary: {
        applied: results.filter((x) => x.status === 'applied').length, failed: results.filter((x) => x.status === 'failed').length,
        notAttempted: results.filter((x) => x.status === 'not-attempted').length, validated: results.filter((x) => x.status === 'validated').length,
      },
      timings: { readMs: 1, planMs: 2, sendMs: 3, verifyMs: 4 }, ...extra,
    },
  };
}

describe('apply text', () => {
  it.each([
    [r({}), '+ created provider-account/openai "openai-main" (0.4 s)'],
    [r({ action: 'update', durationMs: 1250 }), '~ updated provider-account/openai "openai-main" (1.3 s)'],
    [r({ action: 'delete', note: 'already gone when retried (the first answer was lost)' }), '- deleted provider-account/openai "openai-main" (0.4 s): already gone when retried (the first answer was lost)'],
    [r({ status: 'failed', error: { status: 422, message: 'PUT /api/svc/v1/apply: 422 Unprocessable Entity: nope' } }), '! failed to create provider-account/openai "openai-main": PUT /api/svc/v1/apply: 422 Unprocessable Entity: nope (0.4 s)'],
    [r({ status: 'validated', platformAction: 'UPDATE' }), '+ would create provider-account/openai "openai-main": the platform accepts it (UPDATE) (0.4 s)'],
    [r({ status: 'not-attempted', note: 'not sent: an earlier change failed' }), '  not attempted: create provider-account/openai "openai-main" (not sent: an earlier change failed)'],
  ])('%j', (result, line) => {
    expect(formatResultLine(result)).toBe(line);
  });

  it('summaries: complete and converged, not converged with the fields, failed with what is left', () => {
    expect(formatApplySummary(outcome('applied', [r({}), r({ action: 'update', name: 'b' })]))).toBe('Apply complete: 1 added, 1 changed, 0 destroyed.\nConverged: the platform holds what was sent.\n');
    expect(formatApplySummary(outcome('applied', [r({})], { converged: false, differences: [{ type: 'provider-account/openai', name: 'openai-main', path: 'integrations[name=a].model_id', sent: 'a', stored: 'A' }] })))
      .toBe('Apply complete: 1 added, 0 changed, 0 destroyed.\nNot converged: the platform stored 1 field differently from what was sent (a platform-side default or normalisation the planner does not know yet):\n'
        + '  provider-account/openai "openai-main" integrations[name=a].model_id: sent "a", stored "A"\n');
    expect(formatApplySummary(outcome('failed', [r({}), r({ name: 'b', status: 'failed', error: { message: 'boom' } }), r({ name: 'c', status: 'not-attempted' })])))
      .toBe('Apply failed: 1 added, 0 changed, 0 destroyed; 1 failed, 1 not attempted.\n  failed: create provider-account/openai "b": boom\n'
        + 'Not attempted (run apply again once the cause is fixed: it does only what is left):\n  + create provider-account/openai "c"\n');
  });

  it('JSON: the contract fields', () => {
    const json = applyToJson(outcome('applied', [r({})]));
    expect(json).toMatchObject({ version: 1, status: 'applied', results: [{ action: 'create', type: 'provider-account/openai', name: 'openai-main', status: 'applied', durationMs: 420 }], summary: { applied: 1, failed: 0, notAttempted: 0 }, converged: true, planFingerprint: 'sha256:x' });
  });
});
