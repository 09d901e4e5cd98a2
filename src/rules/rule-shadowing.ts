// Rule rule-shadowing: in first-match rule lists, no rule is hidden by earlier ones; catch-alls come last; ids are unique.
import { isRecord } from '../core/jsonpath.ts';
import { plural } from '../core/text.ts';
import { defineRule, type Related, type RuleContext } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';
import { analyseRuleOrder, describeRequest, ORDERED_RULE_TYPES, rulePath, type RuleEntry } from '../project/routing.ts';

function ruleNames(list: readonly { id: string }[]): string {
  const q = list.map((r) => `"${r.id}"`);
  if (q.length === 1) return `rule ${q[0]}`;
  return `rules ${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** What being hidden means for this config type. */
function effect(type: string | undefined): string {
  if (type === 'gateway-rate-limiting-config') return 'its limit never applies';
  if (type === 'gateway-budget-config') return 'its limit never blocks a request (cost is still tracked against it)';
  return 'its targets never receive traffic';
}

const SHADOWED_HINT = 'The gateway applies the first rule whose `when` matches a request and ignores the rest. Move this rule above the rule(s) that cover it, narrow those, or delete it if it is obsolete.';
const BUDGET_HINT = ' In a gateway-budget-config the first matching rule alone decides whether a request is allowed; later matching rules still count the cost (and send alerts) but never block.';

export default defineRule({
  id: 'rule-shadowing',
  meta: {
    description: 'In first-match rule lists (load balancing, rate limits, budgets), no rule is unreachable behind earlier ones, catch-alls come last, and rule ids are unique',
    appliesTo: ORDERED_RULE_TYPES,
    needs: 'document',
    // Which lists are analysed alone depends on the config's compose entries (a fragment's rules are analysed as
    // part of the composed list): known only once the whole project is read.
    checkReads: 'project',
    recommended: 'error',
    messages: {
      shadowed: 'rule "{{id}}" is unreachable: every request it matches (e.g. {{example}}) is taken first by {{by}}, so {{effect}}',
      catchAllNotLast: 'rule "{{id}}" matches every request but is not last: the {{count}} after it can never match',
      duplicateId: 'rule id "{{id}}" is used again (first at rules[{{first}}])',
      duplicateIdAcross: 'rule id "{{id}}" is also used in {{file}} (rules[{{first}}]), a fragment of the same composed config',
      overlap: 'rule "{{id}}" overlaps earlier {{with}} with a different outcome: {{example}} is taken by "{{firstId}}", not by this rule',
    },
    options: {
      type: 'object',
      properties: {
        reportOverlaps: { type: 'boolean', description: 'Also report (as info) rules that share some requests with earlier rules doing something else with them.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { reportOverlaps: false },
  },
  hints: {
    shadowed: SHADOWED_HINT,
    catchAllNotLast: 'A rule with an empty `when` (or only "*" wildcards) matches every request, so no rule after it is ever considered. Move it to the end of the list as the default.',
    duplicateId: 'The platform requires every rule of a config to have its own id (logs and metrics name rules by it). Rename one of them.',
    duplicateIdAcross: 'The fragments become one config on the platform, which requires every rule to have its own id (logs and metrics name rules by it). Agree with the other fragment\'s owners which rule keeps the id, and rename the other; a team prefix (team-a-...) keeps ids apart.',
    overlap: 'Requests in the overlap go to the earlier rule only. If this rule should handle them, move it first or narrow the earlier rule; if not, narrow this rule so it says what it really gets.',
  },
  check(manifest, ctx) {
    const data = manifest.data;
    if (!isRecord(data) || !Array.isArray(data.rules)) return;
    // A fragment of a composed config is checked as part of the composed list (checkProject).
    if (ctx.project.composition.of(manifest)) return;
    const entries: RuleEntry[] = data.rules.map((_, index) => ({ manifest, index }));
    reportRuleOrder(entries, ctx.options.reportOverlaps === true, ctx.report);
  },
  checkProject(project, ctx) {
    // The platform evaluates the composed list (DESIGN.md §5): fragments' rules in from order, one list per config.
    for (const config of project.composition.configs) {
      if (!ORDERED_RULE_TYPES.includes(config.entry.type)) continue;
      // Its findings are on its fragments: none of them in the run's scope, nothing to report.
      if (!config.fragments.some((f) => ctx.inScope(f.file))) continue;
      reportRuleOrder(config.rules, ctx.options.reportOverlaps === true, ctx.report);
    }
  },
});

/** Turns the analysis of one ordered list into reports, each in the manifest holding the rule. */
function reportRuleOrder(entries: readonly RuleEntry[], overlaps: boolean, report: RuleContext['report']): void {
  const related = (entry: RuleEntry, message: string): Related => ({ manifest: entry.manifest, path: rulePath(entry, 'id'), message });
  const here = (entry: RuleEntry): { manifest: Manifest } => ({ manifest: entry.manifest });
  const firstsReported = new Set<RuleEntry>();
  for (const f of analyseRuleOrder(entries, { overlaps })) {
    const type = f.rule.manifest.type;
    switch (f.kind) {
      case 'duplicateId': {
        const elsewhere = f.first.manifest !== f.rule.manifest;
        report({
          ...here(f.rule), messageId: elsewhere ? 'duplicateIdAcross' : 'duplicateId', path: rulePath(f.rule, 'id'), at: 'value',
          data: { id: f.id, first: f.first.index, file: f.first.manifest.file }, related: [related(f.first, `"${f.id}" first used here`)],
        });
        // Across fragments of a composed config, each owner should see the clash in their own file.
        if (elsewhere && !firstsReported.has(f.first)) {
          firstsReported.add(f.first);
          report({
            ...here(f.first), messageId: 'duplicateIdAcross', path: rulePath(f.first, 'id'), at: 'value',
            data: { id: f.id, first: f.rule.index, file: f.rule.manifest.file }, related: [related(f.rule, `"${f.id}" used again here`)],
          });
        }
        break;
      }
      case 'catchAllNotLast':
        report({
          ...here(f.rule), messageId: 'catchAllNotLast', path: rulePath(f.rule, 'when'), data: { id: f.id, count: plural(f.hidden.length, 'rule') },
          related: f.hidden.slice(0, 10).map((h) => related(h, 'never reached')),
        });
        break;
      case 'shadowed':
        report({
          ...here(f.rule), messageId: 'shadowed', path: rulePath(f.rule, 'when'),
          data: { id: f.id, by: ruleNames(f.by), example: describeRequest(f.example), effect: effect(type) },
          hint: type === 'gateway-budget-config' ? `${SHADOWED_HINT}${BUDGET_HINT}` : undefined,
          related: f.by.map((b) => related(b.rule, f.by.length === 1 ? `"${b.id}" matches every request of "${f.id}"` : `"${b.id}" takes part of the requests of "${f.id}"`)),
        });
        break;
      case 'overlap':
        report({
          ...here(f.rule), messageId: 'overlap', path: rulePath(f.rule, 'when'), severity: 'info',
          data: { id: f.id, with: ruleNames(f.with), example: describeRequest(f.example), firstId: f.with[0].id },
          related: f.with.map((w) => related(w.rule, `"${w.id}" takes the shared requests`)),
        });
        break;
    }
  }
}
