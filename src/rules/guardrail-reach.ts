// Rule guardrail-reach: every guardrails-config rule can apply: it has a target that can match, runs at least one
// guardrail, and puts no guardrail in a phase that guardrail never checks.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { quote } from '../core/text.ts';
import { defineRule } from '../lint/rule.ts';

/** The four guardrail lists and the phase of a request each runs in. */
const LISTS: readonly { key: string; phase: 'request' | 'response' }[] = [
  { key: 'llm_input_guardrails', phase: 'request' },
  { key: 'llm_output_guardrails', phase: 'response' },
  { key: 'mcp_tool_pre_invoke_guardrails', phase: 'request' },
  { key: 'mcp_tool_post_invoke_guardrails', phase: 'response' },
];
const CONDITIONS = ['model', 'mcpServers', 'mcpTools'] as const;

/**
 * The one phase a guardrail checks when its own settings fix it: a custom guardrail's `target` and Patronus's
 * `config.target` are "request" or "response" (a guardrail for the other phase is never asked).
 */
function fixedPhase(data: Record<string, unknown>): 'request' | 'response' | undefined {
  const own = data.type === 'integration/guardrail-config/custom' ? data.target
    : data.type === 'integration/guardrail-config/patronus' && isRecord(data.config) ? (data.config.target ?? 'response') : undefined;
  return own === 'request' || own === 'response' ? own : undefined;
}

export default defineRule({
  id: 'guardrail-reach',
  meta: {
    description: 'Guardrail rules can apply: a target that can match, at least one guardrail, and each guardrail in a phase it checks',
    appliesTo: ['gateway-guardrails-config'],
    needs: 'project',
    recommended: 'warning',
    messages: {
      noTarget: 'guardrails rule {{id}} has no when.target conditions, so it applies to no request',
      matchesNothing: 'guardrails rule {{id}} cannot match any request: {{what}} lists no value to match',
      noGuardrails: 'guardrails rule {{id}} runs no guardrail: all four guardrail lists are empty',
      wrongPhase: 'guardrail {{guardrail}} checks only the {{own}}, so it never runs in {{list}} of rule {{id}}',
    },
  },
  hints: {
    noTarget: 'The gateway applies a guardrails rule only to the models, MCP servers or MCP tools its when.target names. Add conditions, e.g. when.target: {operator: or, conditions: {model: {values: ["*"]}}} for every model.',
    matchesNothing: 'A target condition with "in" (the default) and an empty values list matches nothing, and the conditions are ORed, so with no other condition the rule never applies. List what the rule is for, or "*" for every model.',
    noGuardrails: 'A rule that names no guardrail does nothing, whatever it matches. Add guardrails as <group>/<guardrail>, or delete the rule.',
    wrongPhase: 'Input lists (llm_input_guardrails, mcp_tool_pre_invoke_guardrails) run on the request and output lists on the response; a guardrail whose target setting is the other phase is skipped there. Move it to a list of its phase, or change its target.',
  },
  check(manifest, ctx) {
    const data = manifest.data;
    if (!isRecord(data) || !Array.isArray(data.rules)) return;
    data.rules.forEach((rule, r) => {
      if (!isRecord(rule)) return;
      const id = quote(typeof rule.id === 'string' ? rule.id : `#${r + 1}`);
      const when = isRecord(rule.when) ? rule.when : undefined;
      const target = when && isRecord(when.target) ? when.target : undefined;
      const conditions = target && isRecord(target.conditions) ? target.conditions : undefined;
      const present = CONDITIONS.filter((c) => conditions && isRecord(conditions[c]));
      if (present.length === 0) {
        const path: JsonPath = conditions ? ['rules', r, 'when', 'target', 'conditions'] : target ? ['rules', r, 'when', 'target'] : when ? ['rules', r, 'when'] : ['rules', r];
        ctx.report({ messageId: 'noTarget', path, data: { id } });
      } else {
        // Conditions are ORed: the rule matches nothing only when every one of them is "in" an empty list.
        const empty = present.filter((c) => {
          const cond = conditions![c] as Record<string, unknown>;
          return (cond.condition ?? 'in') === 'in' && Array.isArray(cond.values) && cond.values.length === 0;
        });
        if (empty.length === present.length) {
          ctx.report({ messageId: 'matchesNothing', path: ['rules', r, 'when', 'target', 'conditions', empty[0], 'values'], at: 'value', data: { id, what: empty.map((c) => `when.target.conditions.${c}`).join(' and ') } });
        }
      }
      const lists = LISTS.map((l) => ({ ...l, items: Array.isArray(rule[l.key]) ? rule[l.key] as unknown[] : undefined }));
      if (lists.every((l) => l.items !== undefined && l.items.length === 0)) {
        ctx.report({ messageId: 'noGuardrails', path: ['rules', r, 'llm_input_guardrails'], data: { id } });
      }
      for (const l of lists) {
        l.items?.forEach((selector, i) => {
          if (typeof selector !== 'string') return;
          const ref = ctx.project.integration(selector)[0];
          const own = ref ? fixedPhase(ref.data) : undefined;
          if (!ref || !own || own === l.phase) return;
          ctx.report({
            messageId: 'wrongPhase', path: ['rules', r, l.key, i], at: 'value',
            data: { guardrail: quote(selector), own: own, list: l.key, id },
            related: [{ manifest: ref.account, path: [...ref.path, ref.data.type === 'integration/guardrail-config/custom' ? 'target' : 'config'], message: `${quote(selector)} is set to check the ${own}` }],
          });
        });
      }
    });
  },
});
