// Rule unique-names: names the platform treats as identities are defined once; singleton configs appear once.
import { isRecord } from '../core/jsonpath.ts';
import { quote } from '../core/text.ts';
import { defineRule, type RuleContext } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';
import type { ProjectIndex } from '../project/index.ts';
import { SINGLETON_GATEWAY_TYPES } from '../project/gateway-configs.ts';
import { isAddressedAccountType } from '../project/integration-types.ts';

type Report = RuleContext['report'];

/** API envelopes (a GET response, an apply request body) carry a `type` but are not manifests of it. */
const isEnvelope = (m: Manifest) => isRecord(m.data) && isRecord(m.data.manifest);

/** Documents of types whose names share one namespace: all MCP server kinds serve under /mcp/v1/<name>. */
const namespaceOf = (type: string) => (type.startsWith('mcp-server/') ? 'mcp-server/*' : type);

/** Reports every entry after the first of each group, pointing back at the first. */
function reportRepeats<T>(groups: Map<string, T[]>, each: (later: T, first: T) => void) {
  for (const list of groups.values()) for (const later of list.slice(1)) each(later, list[0]);
}

function group<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function checkDocuments(project: ProjectIndex, report: Report, composed: ReadonlySet<string>) {
  const byName = new Map<string, Manifest[]>();
  const singletons = new Map<string, Manifest[]>();
  const accountsByName = new Map<string, Manifest[]>();
  for (const m of project.manifests) {
    if (!m.type || isEnvelope(m)) continue;
    if (SINGLETON_GATEWAY_TYPES.includes(m.type)) {
      if (!composed.has(m.type)) group(singletons, m.type, m);
      continue;
    }
    if (typeof m.name !== 'string' || !m.name) continue;
    group(byName, `${namespaceOf(m.type)}\u0000${m.name}`, m);
    if (m.type.startsWith('provider-account/') && isAddressedAccountType(m.type)) group(accountsByName, m.name, m);
  }
  reportRepeats(byName, (later, first) => {
    const kind = later.type?.startsWith('mcp-server/') ? 'MCP server' : later.type as string;
    report({
      manifest: later, messageId: 'duplicate', path: ['name'], at: 'value',
      data: { kind, name: quote(later.name), first: first.file, firstType: first.type === later.type ? '' : ` as a ${first.type}` },
      related: [{ manifest: first, path: ['name'], message: `${quote(later.name)} is first defined here` }],
    });
  });
  reportRepeats(singletons, (later, first) => {
    report({
      manifest: later, messageId: 'singleton', path: ['type'], at: 'value',
      data: { type: later.type as string, first: first.file },
      related: [{ manifest: first, path: ['type'], message: `the first ${later.type}` }],
    });
  });
  // Accounts of different provider types with one name: each is valid, but "<name>/<integration>" is ambiguous.
  for (const list of accountsByName.values()) {
    const firstOfType = new Map<string, Manifest>();
    for (const m of list) if (!firstOfType.has(m.type as string)) firstOfType.set(m.type as string, m);
    const distinct = [...firstOfType.values()];
    for (const later of distinct.slice(1)) {
      const first = distinct[0];
      report({
        manifest: later, messageId: 'sharedAccountName', path: ['name'], at: 'value', severity: 'warning',
        data: { name: quote(later.name), raw: later.name as string, type: later.type as string, otherType: first.type as string, first: first.file },
        related: [{ manifest: first, path: ['name'], message: `the ${first.type} account ${quote(first.name)}` }],
      });
    }
  }
}

function checkSlugs(project: ProjectIndex, report: Report) {
  const slugs = new Map<string, { m: Manifest; i: number }[]>();
  for (const m of project.byType('provider-account/virtual-model')) {
    const data = m.data;
    if (!isRecord(data) || !Array.isArray(data.integrations)) continue;
    data.integrations.forEach((item, i) => {
      if (isRecord(item) && typeof item.slug === 'string' && item.slug) group(slugs, item.slug, { m, i });
    });
  }
  reportRepeats(slugs, (later, first) => {
    const slug = ((later.m.data as Record<string, unknown[]>).integrations[later.i] as Record<string, string>).slug;
    report({
      manifest: later.m, messageId: 'duplicateSlug', path: ['integrations', later.i, 'slug'], at: 'value',
      data: { slug: quote(slug), first: first.m.file },
      related: [{ manifest: first.m, path: ['integrations', first.i, 'slug'], message: `slug ${quote(slug)} is first used here` }],
    });
  });
}

export default defineRule({
  id: 'unique-names',
  meta: {
    description: 'Provider accounts, integrations within an account, virtual-model slugs, MCP servers and other named manifests are defined once; one document per singleton gateway config unless composed',
    appliesTo: ['**'],
    needs: 'project',
    checkReads: 'document',
    recommended: 'error',
    messages: {
      duplicate: '{{kind}} {{name}} is already defined in {{first}}{{firstType}}; applying both makes the later overwrite the earlier',
      singleton: 'a second {{type}} (the first is in {{first}}); the platform keeps one per tenant, so applying both makes the later replace the earlier',
      sharedAccountName: 'provider account name {{name}} ({{type}}) is also used by a {{otherType}} account in {{first}}; addresses "{{raw}}/<integration>" are ambiguous',
      duplicateIntegration: 'integration {{name}} appears more than once in this account (first at integrations[{{firstIndex}}])',
      duplicateSlug: 'virtual-model slug {{slug}} is already used in {{first}}',
    },
    options: { type: 'object', properties: {}, additionalProperties: false },
  },
  hints: {
    duplicate: 'The platform identifies these resources by type and name: apply creates the first and then updates it with the second, so one definition silently wins. Rename one of them or merge the two.',
    singleton: 'Load-balancing, rate-limiting, budget, guardrails and the other gateway-* configs exist once per tenant and apply replaces the whole document. Merge the rules into one document, or declare the documents as fragments with a compose entry in tfy-lint.config.yaml so tfy-lint builds the one config the platform receives.',
    sharedAccountName: 'Both accounts are valid (the platform tells them apart by provider), but targets, when.models and guardrail selectors name integrations as <account>/<integration>, which no longer says which account is meant. Give each account its own name.',
    duplicateIntegration: 'Callers reach an integration as <account>/<integration>; with two entries of one name only one of them can be reached, and apply keeps one. Rename or remove the repeat.',
    duplicateSlug: 'A slug is a tenant-wide short name callers use instead of <group>/<model>; two virtual models cannot share it. Give each its own slug.',
  },
  check(manifest, ctx) {
    const data = manifest.data;
    if (!manifest.type?.startsWith('provider-account/') || !isRecord(data) || !Array.isArray(data.integrations)) return;
    const first = new Map<string, number>();
    data.integrations.forEach((item, i) => {
      if (!isRecord(item) || typeof item.name !== 'string') return;
      const earlier = first.get(item.name);
      if (earlier === undefined) { first.set(item.name, i); return; }
      ctx.report({
        messageId: 'duplicateIntegration', path: ['integrations', i, 'name'], at: 'value',
        data: { name: quote(item.name), firstIndex: earlier },
        related: [{ manifest, path: ['integrations', earlier, 'name'], message: `${quote(item.name)} is first defined here` }],
      });
    });
  },
  checkProject(project, ctx) {
    // Types the config composes from fragments: several documents are expected (the composition checks them).
    checkDocuments(project, ctx.report, project.composition.composedTypes);
    checkSlugs(project, ctx.report);
  },
});
