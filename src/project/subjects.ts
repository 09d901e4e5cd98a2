// Project: the subject vocabulary (user:, team:, virtualaccount:) and the collaborator roles of each resource kind.
import { closest } from '../core/text.ts';

export type SubjectKind = 'user' | 'team' | 'virtualaccount';
export const SUBJECT_KINDS: readonly SubjectKind[] = ['user', 'team', 'virtualaccount'];

/** The team every user belongs to implicitly (virtual accounts are not members). */
export const EVERYONE = 'team:everyone';

/** Spellings of `virtualaccount` seen in older docs and by hand; all mean the same kind. */
const VIRTUAL_ACCOUNT_SPELLINGS = /^(?:virtual[-_ ]account|virtualaccounts|virtual[-_]?accounts?|va)$/i;

const TEAM_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{1,34}[a-zA-Z0-9]$/;
const VIRTUAL_ACCOUNT_NAME = /^[a-z][a-z0-9-]{1,34}[a-z0-9]$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export type SubjectProblem =
  /** `user:<USER_EMAIL>`, `{{team}}`: a stand-in still to be filled in. */
  | { problem: 'placeholder' }
  /** `*`: no documented wildcard; leaving subjects out matches everyone. */
  | { problem: 'wildcard' }
  /** `virtual-account:ci` and other spellings of a known kind: `fixed` is the subject spelt right. */
  | { problem: 'spelling'; kind: SubjectKind; fixed: string }
  /** An e-mail address without its `user:` prefix. */
  | { problem: 'prefix'; fixed: string }
  /** No `kind:` prefix, or an unknown one; `suggestions` are the closest kinds. */
  | { problem: 'kind'; kind: string; suggestions: string[] }
  /** `team:` with nothing after it. */
  | { problem: 'empty'; kind: SubjectKind }
  /** `user:` followed by something that is not an e-mail address. */
  | { problem: 'email'; name: string }
  /** A team or virtual-account name that breaks that kind's name pattern. */
  | { problem: 'name'; kind: SubjectKind; name: string };

/** Parses `kind:name`; undefined when it is well-formed. Pure vocabulary: whether the subject exists is not checked. */
export function subjectProblem(subject: string): SubjectProblem | undefined {
  const s = subject.trim();
  if (s === '*') return { problem: 'wildcard' };
  if (/[<>]|\{\{|\$\{|\.\.\.|\u2026/.test(s)) return { problem: 'placeholder' };
  const colon = s.indexOf(':');
  if (colon < 0 && EMAIL.test(s)) return { problem: 'prefix', fixed: `user:${s}` };
  if (colon <= 0) return { problem: 'kind', kind: colon === 0 ? '' : s, suggestions: [] };
  const kind = s.slice(0, colon);
  const name = s.slice(colon + 1);
  if (!(SUBJECT_KINDS as readonly string[]).includes(kind)) {
    if (VIRTUAL_ACCOUNT_SPELLINGS.test(kind) || kind.toLowerCase() === 'virtualaccount') {
      return { problem: 'spelling', kind: 'virtualaccount', fixed: `virtualaccount:${name}` };
    }
    const lower = kind.toLowerCase();
    if (lower === 'user' || lower === 'users') return { problem: 'spelling', kind: 'user', fixed: `user:${name}` };
    if (lower === 'team' || lower === 'teams') return { problem: 'spelling', kind: 'team', fixed: `team:${name}` };
    return { problem: 'kind', kind, suggestions: closest(kind, SUBJECT_KINDS) };
  }
  const k = kind as SubjectKind;
  if (!name) return { problem: 'empty', kind: k };
  if (k === 'user' && !EMAIL.test(name)) return { problem: 'email', name };
  if (k === 'team' && !TEAM_NAME.test(name)) return { problem: 'name', kind: k, name };
  if (k === 'virtualaccount' && !VIRTUAL_ACCOUNT_NAME.test(name)) return { problem: 'name', kind: k, name };
  return undefined;
}

/** What a name of each subject kind may look like, for messages. */
export const SUBJECT_NAME_RULES: Record<SubjectKind, string> = {
  user: 'an e-mail address',
  team: '3 to 36 letters, digits, "-" or "_", starting with a letter',
  virtualaccount: '3 to 36 lowercase letters, digits or "-", starting with a letter',
};

/** The collaborator roles one kind of resource takes. */
export interface CollaboratorRoles {
  /** The resource kind, for messages ("provider accounts"), and one of it ("provider account"). */
  label: string;
  one: string;
  roles: readonly string[];
  /** Roles that can manage the resource; empty when none is known (then no manager is required). */
  managers: readonly string[];
  /** Whether the resource should list collaborators at all (without them it is invisible to other users). */
  expected: boolean;
}

const PROVIDER_ACCOUNT: CollaboratorRoles = {
  label: 'provider accounts', one: 'provider account', roles: ['provider-account-manager', 'provider-account-access'], managers: ['provider-account-manager'], expected: true,
};
const MCP_SERVER: CollaboratorRoles = {
  label: 'MCP servers', one: 'MCP server', roles: ['mcp-server-manager', 'mcp-server-user'], managers: ['mcp-server-manager'], expected: true,
};
/** The older group form of MCP servers is a provider account (the official sample uses provider-account roles). */
const MCP_SERVER_GROUP: CollaboratorRoles = {
  label: 'MCP server groups', one: 'MCP server group', roles: [...PROVIDER_ACCOUNT.roles, ...MCP_SERVER.roles], managers: ['provider-account-manager', 'mcp-server-manager'], expected: true,
};
const AGENT: CollaboratorRoles = { label: 'agents', one: 'agent', roles: ['agent-access'], managers: [], expected: true };
const SECRET_GROUP: CollaboratorRoles = { label: 'secret groups', one: 'secret group', roles: ['secret-group-admin'], managers: ['secret-group-admin'], expected: true };

/** Provider-account types that are infrastructure integrations (registries, stores, notifications): no collaborators. */
const INFRA_ACCOUNTS = new Set([
  'aws', 'azure', 'gcp', 'custom', 'bitbucket', 'dockerhub', 'github', 'gitlab', 'hashicorp', 'jfrog', 'ms-teams',
  'pagerduty', 'quay', 'slack', 'truefoundry', 'ttl', 'webhook',
]);

/** The collaborator roles of a manifest type; undefined for types that take no collaborators. */
export function collaboratorRoles(type: string | undefined): CollaboratorRoles | undefined {
  if (!type) return undefined;
  if (type === 'provider-account/mcp-server-group') return MCP_SERVER_GROUP;
  if (type === 'provider-account/virtual-model') return { ...PROVIDER_ACCOUNT, label: 'virtual model groups', one: 'virtual model group' };
  if (type === 'provider-account/guardrail-config-group') return { ...PROVIDER_ACCOUNT, label: 'guardrail groups', one: 'guardrail group' };
  if (type.startsWith('provider-account/')) return INFRA_ACCOUNTS.has(type.slice('provider-account/'.length)) ? undefined : PROVIDER_ACCOUNT;
  if (type.startsWith('mcp-server/')) return MCP_SERVER;
  if (type === 'agent' || type === 'truefoundry-agent' || type.startsWith('remote-agent/')) return AGENT;
  if (type === 'secret-group') return SECRET_GROUP;
  return undefined;
}

/** Every collaborator role id known, with the kinds that take it (for "this role belongs to MCP servers"). */
export function roleOwner(role: string): string | undefined {
  for (const r of [PROVIDER_ACCOUNT, MCP_SERVER, AGENT, SECRET_GROUP]) if (r.roles.includes(role)) return r.label;
  return undefined;
}

/**
 * Where gateway configs list subjects, as JSON paths to string arrays: `when.subjects` of load-balancing,
 * rate-limiting and budget rules; `when.subjects.conditions.in` / `not_in` of guardrail rules.
 */
export function ruleSubjectLists(type: string | undefined, data: unknown): { path: (string | number)[]; values: unknown[] }[] {
  const out: { path: (string | number)[]; values: unknown[] }[] = [];
  if (!data || typeof data !== 'object') return out;
  const rules = (data as Record<string, unknown>).rules;
  if (!Array.isArray(rules)) return out;
  rules.forEach((rule, i) => {
    const when = rule && typeof rule === 'object' ? (rule as Record<string, unknown>).when : undefined;
    if (!when || typeof when !== 'object' || Array.isArray(when)) return;
    const subjects = (when as Record<string, unknown>).subjects;
    if (type === 'gateway-guardrails-config') {
      const conditions = subjects && typeof subjects === 'object' ? (subjects as Record<string, unknown>).conditions : undefined;
      if (!conditions || typeof conditions !== 'object') return;
      for (const op of ['in', 'not_in']) {
        const list = (conditions as Record<string, unknown>)[op];
        if (Array.isArray(list)) out.push({ path: ['rules', i, 'when', 'subjects', 'conditions', op], values: list });
      }
    } else if (Array.isArray(subjects)) {
      out.push({ path: ['rules', i, 'when', 'subjects'], values: subjects });
    }
  });
  return out;
}

/** Gateway config types whose rules select requests by `when.subjects`. */
export const SUBJECT_RULE_CONFIGS: readonly string[] = [
  'gateway-load-balancing-config', 'gateway-rate-limiting-config', 'gateway-budget-config', 'gateway-guardrails-config',
];
