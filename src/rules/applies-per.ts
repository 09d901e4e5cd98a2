// Rule applies-per: rate_limit_applies_per / budget_applies_per use the platform's vocabulary and stay within its limits.
import { isRecord } from '../core/jsonpath.ts';
import { closest, quote } from '../core/text.ts';
import { defineRule } from '../lint/rule.ts';
import { APPLIES_PER_BY_TYPE, APPLIES_PER_ENTITIES, APPLIES_PER_METADATA_PREFIX, isAppliesPerValue } from '../project/gateway-configs.ts';
import { ownValue } from '../core/own.ts';

/** The value the author most likely meant, or undefined. */
function suggestionFor(value: string): string | undefined {
  const v = value.trim();
  const braces = /^\{(.+)\}$/.exec(v); // the legacy dynamic-id spelling, {user}
  if (braces) return suggestionFor(braces[1]) ?? (isAppliesPerValue(braces[1]) ? braces[1] : undefined);
  const meta = /^meta[-_]?data(?:[._:/\- ]|\.)(\S+)$/i.exec(v);
  if (meta) return `${APPLIES_PER_METADATA_PREFIX}${meta[1]}`;
  const near = closest(v, APPLIES_PER_ENTITIES, 2);
  return near.length === 1 ? near[0] : undefined;
}

export default defineRule({
  id: 'applies-per',
  meta: {
    description: 'rate_limit_applies_per (at most 2) and budget_applies_per (at most 1) name only user, model, virtualaccount or metadata.<key>, each once',
    appliesTo: ['gateway-rate-limiting-config', 'gateway-budget-config'],
    needs: 'document',
    recommended: 'error',
    fixable: true,
    messages: {
      tooMany: '{{field}} has {{count}} values ({{values}}); the platform accepts at most {{max}}',
      unknown: '{{field}} value {{value}} is not user, model, virtualaccount or metadata.<key>{{suggestion}}',
      team: '{{field}} value {{value}} is not in the platform\'s vocabulary (user, model, virtualaccount or metadata.<key>)',
      metadataKey: '{{field}} value {{value}} names no metadata key; write metadata.<key>, e.g. metadata.project_id',
      duplicate: '{{field}} lists {{value}} more than once',
    },
  },
  hints: {
    tooMany: 'Each value multiplies the counters the gateway keeps (one per user, per model, ...). Rate limits combine at most two entities and budgets split by one; keep the values that matter and write a separate rule for the others.',
    unknown: 'The gateway keeps a separate counter per user, per model, per virtual account or per value of one request metadata key (metadata.<key>, read from the X-TFY-METADATA header). Other values are not understood. tfy-lint --fix applies the suggested spelling.',
    team: 'The platform\'s own field description lists only user, model, virtualaccount and metadata.<key>; some TrueFoundry examples write "team" in budget rules (hence only a warning there), but nothing documents that it works. For a limit per team, write one rule per team with when.subjects: [team:<name>]; for a budget per team, a team-budget-config (Budget V2).',
    metadataKey: 'A metadata split needs the key whose values get separate counters, written metadata.<key> (the key as sent in the X-TFY-METADATA header).',
    duplicate: 'Listing an entity twice does not split the counter any further; remove the repeat.',
  },
  check(manifest, ctx) {
    const spec = manifest.type ? ownValue(APPLIES_PER_BY_TYPE, manifest.type) : undefined;
    const data = manifest.data;
    if (!spec || !isRecord(data) || !Array.isArray(data.rules)) return;
    const { field, max } = spec;
    data.rules.forEach((rule, r) => {
      if (!isRecord(rule) || !Array.isArray(rule[field])) return;
      const values = rule[field] as unknown[];
      const seen = new Set<string>();
      values.forEach((value, i) => {
        if (typeof value !== 'string') return; // the schema reports non-strings
        const path = ['rules', r, field, i];
        if (seen.has(value)) {
          ctx.report({ messageId: 'duplicate', path, at: 'value', data: { field, value: quote(value) } });
          return;
        }
        seen.add(value);
        if (isAppliesPerValue(value)) return;
        if (/^teams?$/i.test(value.trim())) {
          // Conflicting sources for budgets (examples use it, the schema description does not): a warning there.
          ctx.report({ messageId: 'team', path, at: 'value', data: { field, value: quote(value) }, severity: field === 'budget_applies_per' ? 'warning' : undefined });
          return;
        }
        if (/^meta[-_]?data\.?$/i.test(value.trim())) {
          ctx.report({ messageId: 'metadataKey', path, at: 'value', data: { field, value: quote(value) } });
          return;
        }
        const suggestion = suggestionFor(value);
        ctx.report({
          messageId: 'unknown', path, at: 'value',
          data: { field, value: quote(value), suggestion: suggestion ? ` (did you mean ${quote(suggestion)}?)` : '' },
          fix: suggestion ? { path, value: suggestion } : undefined,
        });
      });
      if (seen.size > max) {
        ctx.report({ messageId: 'tooMany', path: ['rules', r, field], data: { field, count: seen.size, values: [...seen].map(quote).join(', '), max } });
      }
    });
  },
});
