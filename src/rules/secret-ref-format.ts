// Rule secret-ref-format: tfy-secret:// references are tenant:group:key with a valid group, all naming one tenant.
import type { JsonPath } from '../core/diagnostic.ts';
import { eachLeaf } from '../core/jsonpath.ts';
import { isMisspeltReference, isPlaceholderRefPart, parseSecretRef } from '../core/secrets.ts';
import { plural } from '../core/text.ts';
import { defineRule } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';

/** Secret-group names (DOMAIN.md §1.1): 5 to 50 characters, lowercase letters, digits and "-", no "--". */
const SECRET_GROUP = /^(?!.*--)[a-z][a-z0-9-]{3,48}[a-z0-9]$/;
const PARTS = ['tenant', 'secret group', 'key'];

interface RefSite { manifest: Manifest; path: JsonPath; ref: string; tenant: string }

/** A well-formed reference's tenant, or undefined (placeholders and malformed references take no part). */
function tenantOf(value: string): { ref: string; tenant: string } | undefined {
  const ref = parseSecretRef(value);
  if (!ref || ref.parts.length !== 3 || ref.parts.some((p) => !p) || ref.parts.some((p, i) => isPlaceholderRefPart(p, i))) return undefined;
  return { ref: ref.text, tenant: ref.parts[0] };
}

/**
 * Counts the tenants of the well-formed references in `v` (`at`: the document's place in the project, kept for each
 * tenant first met: ties go to the tenant met first).
 */
function countTenants(v: unknown, counts: Map<string, { n: number; first: number }>, at: number): void {
  if (typeof v === 'string') {
    if (!v.includes('tfy-secret://')) return;
    const t = tenantOf(v);
    if (!t) return;
    const c = counts.get(t.tenant);
    if (c) {
      c.n++;
      if (at < c.first) c.first = at;
    } else counts.set(t.tenant, { n: 1, first: at });
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) countTenants(v[i], counts, at);
    return;
  }
  for (const k in v) if (Object.hasOwn(v, k)) countTenants((v as Record<string, unknown>)[k], counts, at);
}

/** The well-formed references of a manifest, with their places, for the findings of the tenant comparison. */
function collect(m: Manifest): RefSite[] {
  const out: RefSite[] = [];
  eachLeaf(m.data, (path, _key, v) => {
    if (typeof v !== 'string' || !v.includes('tfy-secret://')) return;
    const t = tenantOf(v);
    if (t) out.push({ manifest: m, path: path.slice(), ...t });
  });
  return out;
}

export default defineRule({
  id: 'secret-ref-format',
  meta: {
    description: 'tfy-secret:// references have the form tfy-secret://<tenant>:<secret-group>:<key> with a valid group name, and all name the same tenant',
    appliesTo: ['**'],
    needs: 'project',
    checkReads: 'document',
    recommended: 'error',
    fixable: true,
    messages: {
      scheme: '"{{value}}" is not spelt as a secret reference; write "{{fixed}}"',
      parts: 'secret reference "{{ref}}" has {{count}}; the form is tfy-secret://<tenant>:<secret-group>:<key>',
      emptyPart: 'secret reference "{{ref}}" has an empty {{part}}',
      group: 'secret group "{{group}}" in "{{ref}}" is not a valid secret-group name',
      otherTenant: 'secret reference "{{ref}}" names tenant "{{tenant}}", but {{majority}} of the {{total}} references in the repository name "{{expected}}"',
    },
  },
  hints: {
    scheme: 'The platform resolves only values that start with exactly tfy-secret:// (lowercase, one hyphen, two slashes); anything else is sent upstream as the literal text. tfy-lint --fix corrects the prefix.',
    parts: 'A reference has three parts separated by ":": the tenant (the part of your control-plane URL before .truefoundry.cloud), the secret group, and the key inside the group, e.g. tfy-secret://acme:llm-keys:OPENAI_API_KEY.',
    emptyPart: 'Fill in all three parts: tfy-secret://<tenant>:<secret-group>:<key>.',
    group: 'Secret-group names are 5 to 50 characters: lowercase letters, digits and "-", starting with a letter, ending with a letter or digit, never "--". A reference to a group that cannot exist never resolves; use the name shown in the Secrets page.',
    otherTenant: 'A repository applies to one tenant, and a reference to another tenant does not resolve there (or reads secrets the tenant should not see). Correct the tenant, or move the manifest to the repository of its tenant.',
  },
  check(manifest, ctx) {
    ctx.eachLeaf((live, _key, value) => {
      if (typeof value !== 'string' || !/tfy[-_]?secrets?:/i.test(value)) return;
      const path = live.slice(); // the walk's path is shared by every leaf
      if (isMisspeltReference(value)) {
        const fixed = value.replace(/tfy[-_]?secrets?:\/{0,3}/i, 'tfy-secret://');
        if (parseSecretRef(fixed)?.parts.some((p, i) => isPlaceholderRefPart(p, i))) return;
        ctx.report({ messageId: 'scheme', path, at: 'value', data: { value: value.trim(), fixed: fixed.trim() }, fix: { path, value: fixed } });
        return;
      }
      const ref = parseSecretRef(value);
      if (!ref) return;
      // References with placeholder parts are no-raw-secrets' "unfilled placeholder".
      if (ref.parts.some((p, i) => isPlaceholderRefPart(p, i))) return;
      if (ref.parts.length !== 3) {
        ctx.report({ messageId: 'parts', path, at: 'value', data: { ref: ref.text, count: plural(ref.parts.length, 'part') } });
        return;
      }
      const empty = ref.parts.findIndex((p) => !p);
      if (empty !== -1) {
        ctx.report({ messageId: 'emptyPart', path, at: 'value', data: { ref: ref.text, part: PARTS[empty] } });
        return;
      }
      if (!SECRET_GROUP.test(ref.parts[1])) {
        ctx.report({ messageId: 'group', path, at: 'value', data: { group: ref.parts[1], ref: ref.text } });
      }
    });
  },
  // Reads every document's references again (check reads one document, and runs only on the run's files whose
  // findings are not kept): a document holds few values that could be references, and the walk skips the rest at once.
  checkProject(project, ctx) {
    // Tenants are counted first, without the references' paths: most repositories name one tenant, and then there
    // is nothing to report. Findings land on references in the run's files: with none there (a pre-commit run on a
    // file without any), the other documents' references need not be counted.
    const counts = new Map<string, { n: number; first: number }>();
    const count = (inScope: boolean) => project.manifests.forEach((m, i) => { if (ctx.inScope(m.file) === inScope) countTenants(m.data, counts, i); });
    count(true);
    if (counts.size === 0) return;
    count(false);
    if (counts.size < 2) return;
    // The most common tenant; on a tie, the one met first in repository order.
    let expected = '';
    let best = 0;
    let first = Infinity;
    for (const [tenant, c] of counts) if (c.n > best || (c.n === best && c.first < first)) { expected = tenant; best = c.n; first = c.first; }
    const sites = project.manifests.flatMap(collect);
    const example = sites.find((s) => s.tenant === expected) as RefSite;
    for (const s of sites) {
      if (s.tenant === expected) continue;
      ctx.report({
        messageId: 'otherTenant', manifest: s.manifest, path: s.path, at: 'value', severity: 'warning',
        data: { ref: s.ref, tenant: s.tenant, expected, majority: best, total: sites.length },
        related: [{ manifest: example.manifest, path: example.path, message: `a reference to tenant "${expected}"` }],
      });
    }
  },
});
