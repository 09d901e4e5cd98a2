// Rule deprecated: config types, fields and spellings the platform has replaced, with what replaced them.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { quote } from '../core/text.ts';
import { defineRule, type RuleContext } from '../lint/rule.ts';

const OLD_VA_PREFIX = 'virtual-account:';
const NEW_VA_PREFIX = 'virtualaccount:';

/** The old dynamic rate-limit ids: `{user}-daily`, `{model}`, `{metadata.team}`. */
const PLACEHOLDER = /\{(user|model|virtualaccount|metadata\.[^{}]+)\}/;

/**
 * Subject strings this rule checks for the old spelling: integrations' authorized_subjects. Collaborators and rule
 * subjects (when.subjects) are the collaborators rule's, which reports the same spelling there with the same fix.
 */
function subjectStrings(data: Record<string, unknown>): { path: JsonPath; value: string }[] {
  const out: { path: JsonPath; value: string }[] = [];
  if (!Array.isArray(data.integrations)) return out;
  data.integrations.forEach((item, i) => {
    if (!isRecord(item) || !Array.isArray(item.authorized_subjects)) return;
    item.authorized_subjects.forEach((s, j) => {
      if (typeof s === 'string') out.push({ path: ['integrations', i, 'authorized_subjects', j], value: s });
    });
  });
  return out;
}

function checkLegacyFields(type: string, data: Record<string, unknown>, report: RuleContext['report']) {
  if (type === 'gateway-load-balancing-config' && 'model_configs' in data) {
    // The current schema rejects the key as unknown at the same place: one finding is shown there, the schema's.
    report({ messageId: 'modelConfigs', path: ['model_configs'], overlapsSchema: true });
  }
  if (type === 'gateway-rate-limiting-config' && Array.isArray(data.rules)) {
    data.rules.forEach((rule, r) => {
      if (!isRecord(rule) || typeof rule.id !== 'string') return;
      const m = PLACEHOLDER.exec(rule.id);
      if (m) report({ messageId: 'dynamicId', path: ['rules', r, 'id'], at: 'value', data: { id: quote(rule.id), placeholder: m[0], entity: quote(m[1]) } });
    });
  }
  for (const { path, value } of subjectStrings(data)) {
    if (!value.startsWith(OLD_VA_PREFIX)) continue;
    const fixed = NEW_VA_PREFIX + value.slice(OLD_VA_PREFIX.length);
    report({ messageId: 'virtualAccountSubject', path, at: 'value', data: { subject: quote(value), fixed: quote(fixed) }, fix: { path, value: fixed } });
  }
}

/** Deprecated config types: reported once per repository, at the first document, since they are one decision. */
const DEPRECATED_TYPES: Record<string, string> = {
  'gateway-load-balancing-config': 'deprecatedLoadBalancing',
  'gateway-budget-config': 'deprecatedBudgetV1',
};

export default defineRule({
  id: 'deprecated',
  meta: {
    description: 'Deprecated config types (load-balancing config, budget V1) and legacy fields and spellings, with their replacements',
    appliesTo: ['gateway-load-balancing-config', 'gateway-budget-config', 'gateway-rate-limiting-config', 'provider-account/*'],
    needs: 'project',
    checkReads: 'document',
    recommended: 'info',
    fixable: true,
    messages: {
      deprecatedLoadBalancing: 'gateway-load-balancing-config is deprecated in favour of virtual models{{count}}',
      deprecatedBudgetV1: 'gateway-budget-config (Budget V1) is deprecated in favour of tenant-budget-config and team-budget-config (Budget V2){{count}}',
      modelConfigs: 'model_configs is a legacy block of the load-balancing config that the platform no longer reads',
      dynamicId: 'rule id {{id}} uses the legacy placeholder {{placeholder}}, which no longer creates a limit per entity; use rate_limit_applies_per: [{{entity}}]',
      virtualAccountSubject: 'subject {{subject}} uses the old "virtual-account:" spelling; write {{fixed}}',
    },
  },
  hints: {
    deprecatedLoadBalancing: 'The global load-balancing config still works for existing tenants, but TrueFoundry recommends virtual models (provider-account/virtual-model with integration/model/virtual and a routing_config) for new routing: callers name the virtual model directly instead of relying on rule order.',
    deprecatedBudgetV1: 'Budget V2 keeps one manifest per budget (tenant-budget-config, or team-budget-config owned by a team), checks every matching budget instead of the first matching rule, and splits per user, model, virtual account or metadata key with applies_to. V1 and V2 run side by side during a migration.',
    modelConfigs: 'Per-model limits moved out of the load-balancing config: request and token limits belong in gateway-rate-limiting-config rules (when.models), and failure handling in each target\'s retry_config and fallback_status_codes. The current schema rejects the key.',
    dynamicId: 'Since gateway v0.109 a rule keeps a separate counter per entity only through rate_limit_applies_per (at most two of user, model, virtualaccount, metadata.<key>); braces in the id are kept literally. Rename the rule without the placeholder and add rate_limit_applies_per.',
    virtualAccountSubject: 'Subjects name virtual accounts as virtualaccount:<name>, without the hyphen; the hyphenated form comes from older documentation and matches no one. tfy-lint --fix rewrites it.',
  },
  check(manifest, ctx) {
    if (!manifest.type || !isRecord(manifest.data)) return;
    checkLegacyFields(manifest.type, manifest.data, ctx.report);
  },
  checkProject(project, ctx) {
    for (const [type, messageId] of Object.entries(DEPRECATED_TYPES)) {
      const docs = project.byType(type).filter((m) => isRecord(m.data) && !isRecord(m.data.manifest));
      if (!docs.length) continue;
      const count = docs.length > 1 ? ` (${docs.length} documents; reported once, here)` : '';
      ctx.report({ manifest: docs[0], messageId, path: ['type'], at: 'value', data: { count } });
    }
  },
});
