import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

interface V1Rule { id: string; unit: string; limit: number | string; when?: string; per?: string; audit?: boolean; thresholds?: string }

/** A gateway-budget-config; each rule takes 4 lines (+1 budget_applies_per, +1 audit_mode, +3 alerts). */
const v1 = (...rules: V1Rule[]) => `type: gateway-budget-config
name: tenant-budgets
rules:
${rules.map((r) => [
    `  - id: ${r.id}`,
    `    when: ${r.when ?? '{}'}`,
    `    limit_to: ${r.limit}`,
    `    unit: ${r.unit}`,
    ...(r.per ? [`    budget_applies_per: ${r.per}`] : []),
    ...(r.audit ? ['    audit_mode: true'] : []),
    ...(r.thresholds ? ['    alerts:', `      thresholds: ${r.thresholds}`, '      notification_target: []'] : []),
  ].join('\n')).join('\n')}
`;

const v2 = (limits: string, extra = '') => `type: tenant-budget-config
name: research-monthly
mode: enforce
when: {}
applies_to:
  type: per-user
limits:
${limits}
${extra}`;

describe('budget-sanity', () => {
  it.each([
    ['daily below weekly below monthly', v1(
      { id: 'day', unit: 'cost_per_day', limit: 10 },
      { id: 'week', unit: 'cost_per_week', limit: 50 },
      { id: 'month', unit: 'cost_per_month', limit: 200 },
    )],
    ['equal limits', v1({ id: 'day', unit: 'cost_per_day', limit: 50 }, { id: 'week', unit: 'cost_per_week', limit: 50 })],
    ['different when', v1(
      { id: 'team-a', unit: 'cost_per_day', limit: 500, when: '{subjects: [team:a]}' },
      { id: 'all', unit: 'cost_per_week', limit: 100 },
    )],
    ['different applies-per', v1(
      { id: 'per-user', unit: 'cost_per_day', limit: 500, per: '[user]' },
      { id: 'total', unit: 'cost_per_week', limit: 100 },
    )],
    ['one in audit mode', v1(
      { id: 'soft', unit: 'cost_per_day', limit: 500, audit: true },
      { id: 'hard', unit: 'cost_per_week', limit: 100 },
    )],
    ['cost and tokens are not compared', v1(
      { id: 'tokens', unit: 'tokens_per_day', limit: 1000000 },
      { id: 'cost', unit: 'cost_per_month', limit: 100 },
    )],
    ['tokens in order', v1({ id: 'd', unit: 'tokens_per_day', limit: 1000 }, { id: 'm', unit: 'tokens_per_month', limit: 20000 })],
    ['a tiny but positive limit', v1({ id: 'd', unit: 'cost_per_day', limit: 0.000001 })],
    ['ascending thresholds', v1({ id: 'd', unit: 'cost_per_day', limit: 10, thresholds: '[50, 75, 90, 100]' })],
    ['thresholds out of range are the schema\'s to report', v1({ id: 'd', unit: 'cost_per_day', limit: 10, thresholds: '[50, 150]' })],
    ['a string limit is the schema\'s to report', v1({ id: 'd', unit: 'cost_per_day', limit: '"-5"' })],
    ['V2 limits in order', v2('  cost_per_day: 10\n  cost_per_week: 50\n  cost_per_month: 150\n  cost_per_quarter: 400')],
    ['V2 with one period', v2('  cost_per_month: 150')],
    ['a document without rules', 'type: gateway-budget-config\nname: x\n'],
    ['rules that are not a list', 'type: gateway-budget-config\nname: x\nrules: 3\n'],
    ['V2 limits that are not a mapping', v2('  - 10')],
  ])('accepts %s', (_name, text) => {
    expect(lint('budget-sanity', text).findings).toEqual([]);
  });

  it.each([
    ['a daily limit above the weekly', v1(
      { id: 'daily', unit: 'cost_per_day', limit: 200 },
      { id: 'weekly', unit: 'cost_per_week', limit: 100 },
    ), ['6:15 error daily budget 200 of rule "daily" is above the weekly budget 100 of rule "weekly", which matches the same requests']],
    ['a weekly limit above the monthly, same when in another order', v1(
      { id: 'weekly', unit: 'cost_per_week', limit: 900, when: '{models: [b, a], subjects: [team:x]}' },
      { id: 'monthly', unit: 'cost_per_month', limit: 800, when: '{subjects: [team:x], models: [a, b]}' },
    ), ['6:15 error weekly budget 900 of rule "weekly" is above the monthly budget 800 of rule "monthly", which matches the same requests']],
    ['token limits', v1(
      { id: 'd', unit: 'tokens_per_day', limit: 5000000, per: '[user]' },
      { id: 'm', unit: 'tokens_per_month', limit: 1000000, per: '[user]' },
    ), ['6:15 error daily token budget 5000000 of rule "d" is above the monthly token budget 1000000 of rule "m", which matches the same requests']],
    ['each shorter period against the next longer one below it', v1(
      { id: 'd', unit: 'cost_per_day', limit: 500 },
      { id: 'w', unit: 'cost_per_week', limit: 100 },
      { id: 'm', unit: 'cost_per_month', limit: 50 },
    ), [
      '6:15 error daily budget 500 of rule "d" is above the weekly budget 100 of rule "w", which matches the same requests',
      '10:15 error weekly budget 100 of rule "w" is above the monthly budget 50 of rule "m", which matches the same requests',
    ]],
    ['a zero limit', v1({ id: 'd', unit: 'cost_per_day', limit: 0 }), ['6:15 error limit_to is 0; a budget must be above 0']],
    ['a negative limit', v1({ id: 'd', unit: 'cost_per_day', limit: -5 }), ['6:15 error limit_to is -5; a budget must be above 0']],
    ['thresholds out of order', v1({ id: 'd', unit: 'cost_per_day', limit: 10, thresholds: '[90, 75, 100]' }),
      ['9:24 warning alert threshold 75 comes after 90; list thresholds in ascending order']],
    ['a repeated threshold', v1({ id: 'd', unit: 'cost_per_day', limit: 10, thresholds: '[75, 90, 90]' }),
      ['9:28 warning alert threshold 90 is listed more than once']],
    ['V2 daily above weekly', v2('  cost_per_day: 100\n  cost_per_week: 50'),
      ['8:17 error cost_per_day 100 is above cost_per_week 50']],
    ['V2 monthly above quarterly, skipping unset periods', v2('  cost_per_month: 500\n  cost_per_quarter: 400'),
      ['8:19 error cost_per_month 500 is above cost_per_quarter 400']],
    ['V2 zero limit', v2('  cost_per_month: 0'), ['8:19 error cost_per_month is 0; a budget must be above 0']],
    ['V2 override limits', v2('  cost_per_month: 100', `alerts:
  thresholds: [100, 50]
`).replace('  type: per-user\n', '  type: per-user\n  overrides:\n    - users: [alice@example.com]\n      limits: {cost_per_day: 30, cost_per_week: 20}\n'), [
      '9:30 error cost_per_day 30 is above cost_per_week 20',
      '13:21 warning alert threshold 50 comes after 100; list thresholds in ascending order',
    ]],
  ])('reports %s', (_name, text, expected) => {
    expect(lint('budget-sanity', text).findings).toEqual(expected);
  });

  it('compares rules across the documents of one composed config, pointing at the other rule', () => {
    const files = {
      'gateway/budget/defaults.yaml': v1({ id: 'tenant-weekly', unit: 'cost_per_week', limit: 100, when: '{models: [openai-main/gpt-4o]}' }),
      'gateway/budget/teams/a.yaml': v1({ id: 'team-daily', unit: 'cost_per_day', limit: 150, when: '{models: [openai-main/gpt-4o]}' }),
    };
    const run = lint('budget-sanity', files);
    expect(run.findings).toEqual([
      'gateway/budget/teams/a.yaml:6:15 error daily budget 150 of rule "team-daily" is above the weekly budget 100 of rule "tenant-weekly", which matches the same requests',
    ]);
    expect(run.diagnostics[0].related).toEqual([{
      file: 'gateway/budget/defaults.yaml', range: expect.objectContaining({ start: { line: 6, column: 5 } }),
      message: 'the weekly limit of rule "tenant-weekly"',
    }]);
  });

  it('checks team budgets like tenant budgets', () => {
    const text = v2('  cost_per_week: 70\n  cost_per_month: 60').replace('type: tenant-budget-config\n', 'type: team-budget-config\nteam_name: research\n');
    expect(lint('budget-sanity', text).findings).toEqual(['9:18 error cost_per_week 70 is above cost_per_month 60']);
  });
});
