// Report: what apply did, as text: one line per change as it completes, then the summary and the comparison.
import { inline } from './plan-lines.ts';
import type { ApplyOutcome, ChangeResult } from '../apply/types.ts';

const DONE = { create: 'created', update: 'updated', delete: 'deleted' } as const;
const WOULD = { create: 'would create', update: 'would update', delete: 'would delete' } as const;
const SIGN = { create: '+', update: '~', delete: '-' } as const;

function title(r: { type: string; name: string }): string {
  return `${r.type} "${r.name}"`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `+ created provider-account/openai "openai-main" (0.4 s)`, or the failure with the platform's answer. */
export function formatResultLine(r: ChangeResult): string {
  const what = title(r);
  if (r.status === 'applied') return `${SIGN[r.action]} ${DONE[r.action]} ${what} (${seconds(r.durationMs)})${r.note ? `: ${r.note}` : ''}`;
  if (r.status === 'validated') return `${SIGN[r.action]} ${WOULD[r.action]} ${what}: the platform accepts it${r.platformAction ? ` (${r.platformAction})` : ''} (${seconds(r.durationMs)})`;
  if (r.status === 'failed') return `! failed to ${r.action} ${what}: ${r.error?.message ?? 'unknown error'} (${seconds(r.durationMs)})`;
  return `  not attempted: ${r.action} ${what}${r.note ? ` (${r.note})` : ''}`;
}

/** The lines after the progress: the summary, what was not attempted, and whether the platform converged. */
export function formatApplySummary(outcome: ApplyOutcome): string {
  const { report } = outcome;
  const done = { create: 0, update: 0, delete: 0 };
  for (const r of report.results) if (r.status === 'applied' && !r.interim) done[r.action]++;
  const counts = `${done.create} added, ${done.update} changed, ${done.delete} destroyed`;
  const out: string[] = [];
  if (outcome.status === 'dry-run') {
    const refused = report.summary.failed;
    const skippedDeletes = report.results.filter((r) => r.status === 'not-attempted' && r.action === 'delete').length;
    out.push(`Dry run ${refused ? 'found problems' : 'complete'}: ${report.summary.validated} accepted by the platform, ${refused} refused`
      + `${skippedDeletes ? `, ${skippedDeletes} delete${skippedDeletes === 1 ? '' : 's'} not sent (deletes cannot be dry-run)` : ''}; nothing was written.`);
    return `${out.join('\n')}\n`;
  }
  if (outcome.status === 'failed') {
    out.push(`Apply failed: ${counts}; ${report.summary.failed} failed, ${report.summary.notAttempted} not attempted.`);
    const failed = report.results.filter((r) => r.status === 'failed');
    for (const r of failed) out.push(`  failed: ${r.action} ${title(r)}: ${r.error?.message ?? ''}`);
    const left = report.results.filter((r) => r.status === 'not-attempted');
    if (left.length) {
      out.push('Not attempted (run apply again once the cause is fixed: it does only what is left):');
      for (const r of left) out.push(`  ${SIGN[r.action]} ${r.action} ${title(r)}`);
    }
    return `${out.join('\n')}\n`;
  }
  out.push(`Apply complete: ${counts}.`);
  if (report.converged === true) {
    out.push('Converged: the platform holds what was sent.');
  } else if (report.converged === false) {
    out.push(`Not converged: the platform stored ${report.differences.length} field${report.differences.length === 1 ? '' : 's'} differently from what was sent`
      + ' (a platform-side default or normalisation the planner does not know yet):');
    for (const d of report.differences) {
      out.push(`  ${title(d)} ${d.path}: sent ${d.sent === undefined ? '(nothing)' : inline(d.sent)}, stored ${d.stored === undefined ? '(nothing)' : inline(d.stored)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
