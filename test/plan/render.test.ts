import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/plan.ts';
import { formatPlanMarkdown } from '../../src/report/plan-markdown.ts';
import { formatPlanText } from '../../src/report/plan-text.ts';
import { formatPlanJson } from '../../src/report/plan-json.ts';
import { desired, live, schemas } from './support.ts';

const many = (n: number) => Array.from({ length: n }, (_, i) => ({
  type: 'provider-account/openai', name: `account-${String(i).padStart(3, '0')}`,
  integrations: Array.from({ length: 5 }, (__, j) => ({ type: 'integration/model/openai', name: `model-${j}`, model_id: `gpt-4o-${j}` })),
}));

describe('plan renderers', () => {
  const plan = computePlan(desired({ 'a.yaml': many(300) }), live([]), schemas);

  it('Markdown stays within its size budget and says what it left out', () => {
    const md = formatPlanMarkdown(plan, { maxChars: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/_… \d+ more resources not shown to keep this comment under 20,000 characters; the full plan is in the job log/);
    expect(md).toContain('**Plan: 300 to add, 0 to change, 0 to destroy.**');
    expect(formatPlanMarkdown(plan).length).toBeLessThanOrEqual(60_000);
  });

  it('text has colours only when asked', () => {
    const small = computePlan(desired({ 'a.yaml': many(1) }), live([]), schemas);
    expect(formatPlanText(small, { color: false })).not.toContain('\u001b[');
    expect(formatPlanText(small, { color: true })).toContain('\u001b[32m+ create\u001b[0m');
  });

  it('JSON always has path, before and after for every field', () => {
    const json = JSON.parse(formatPlanJson(plan));
    for (const c of json.changes) for (const f of c.fields) expect(Object.keys(f).sort()).toEqual(['after', 'before', 'kind', 'path']);
    expect(json.summary).toEqual({ create: 300, update: 0, delete: 0, unchanged: 0 });
  });
});
