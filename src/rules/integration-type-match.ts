// Rule integration-type-match: an integration whose type belongs to another kind of provider account.
import { isRecord } from '../core/jsonpath.ts';
import { orList, quote } from '../core/text.ts';
import { defineRule, type Related } from '../lint/rule.ts';
import { accountTypesFor, integrationTypesOf } from '../project/integration-types.ts';

export default defineRule({
  id: 'integration-type-match',
  meta: {
    description: 'An integration\'s type belongs to its provider account\'s type; names the account type an integration of another provider belongs in',
    appliesTo: ['provider-account/*'],
    needs: 'project',
    recommended: 'error',
    messages: {
      otherProvider: '{{type}} is an integration of {{owner}}, not of {{account}}; move this entry to a {{owner}} account{{instead}}',
    },
  },
  hints: {
    otherProvider: 'Each provider account holds only its own provider\'s integrations: the account carries the credentials, region and endpoint the gateway uses for them. An entry of another provider cannot be served by this account; move it to an account of that provider (create one if the repository has none), or, if it really is this provider\'s model, change its type.',
  },
  // Only the case the schema cannot explain is reported: the type is valid, but for another account type (a misspelt
  // or retired type is left to the schema's "did you mean"). The schema rejects the same value at the same place, so
  // the finding is marked overlapsSchema: `check` shows one finding there, the schema's.
  check(manifest, ctx) {
    const account = manifest.type;
    const data = manifest.data;
    if (!account || !isRecord(data) || !Array.isArray(data.integrations)) return;
    const allowed = integrationTypesOf(account);
    if (!allowed) return; // an unknown account type: the schema reports the account's own type
    data.integrations.forEach((item, i) => {
      if (!isRecord(item) || typeof item.type !== 'string' || allowed.includes(item.type)) return;
      const owners = accountTypesFor(item.type);
      if (!owners.length) return;
      const owner = owners[0];
      const instead = allowed.length === 1 ? `, or change its type to ${quote(allowed[0])}` : '';
      const existing = ctx.project.byType(owner).find((m) => m.name !== undefined);
      const related: Related[] | undefined = existing
        ? [{ manifest: existing, path: ['type'], message: `${owner} account "${existing.name}" is defined here` }]
        : undefined;
      ctx.report({
        messageId: 'otherProvider', path: ['integrations', i, 'type'], at: 'value',
        data: { type: quote(item.type), owner: owners.length === 1 ? owner : orList(owners), account, instead },
        related,
        overlapsSchema: true,
      });
    });
  },
});
