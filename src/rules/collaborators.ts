// Rule collaborators: who may see and manage each resource, and the subjects gateway rules select, use the platform's vocabulary.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { didYouMean, orList } from '../core/text.ts';
import { defineRule, type Report } from '../lint/rule.ts';
import {
  collaboratorRoles, EVERYONE, roleOwner, ruleSubjectLists, SUBJECT_NAME_RULES, SUBJECT_RULE_CONFIGS, subjectProblem,
} from '../project/subjects.ts';

type Emit = (r: Report) => void;

/** Reports what is wrong with one subject string; `inRule` is true for gateway-rule subjects (where "*" is only odd). */
function checkSubject(subject: string, path: JsonPath, inRule: boolean, report: Emit): void {
  const p = subjectProblem(subject);
  if (!p) return;
  const at = 'value' as const;
  switch (p.problem) {
    case 'placeholder':
      report({ messageId: 'subjectPlaceholder', path, at, data: { subject } });
      return;
    case 'wildcard':
      report({
        messageId: 'subjectWildcard', path, at, severity: inRule ? 'info' : undefined,
        data: { advice: inRule ? 'leave "subjects" out to match every caller' : `use "${EVERYONE}" for every user` },
      });
      return;
    case 'spelling':
      report({ messageId: 'subjectSpelling', path, at, data: { subject, fixed: p.fixed }, fix: { path, value: p.fixed } });
      return;
    case 'prefix':
      report({ messageId: 'subjectPrefix', path, at, data: { subject, fixed: p.fixed }, fix: { path, value: p.fixed } });
      return;
    case 'kind':
      report({ messageId: 'subjectKind', path, at, data: { subject, suggestion: p.suggestions.length ? ` (did you mean ${orList(p.suggestions.map((s) => `${s}:`))}?)` : '' } });
      return;
    case 'empty':
      report({ messageId: 'subjectEmpty', path, at, data: { subject, kind: p.kind } });
      return;
    case 'email':
      report({ messageId: 'subjectEmail', path, at, data: { subject } });
      return;
    case 'name':
      report({ messageId: 'subjectName', path, at, data: { subject, kind: p.kind, rule: SUBJECT_NAME_RULES[p.kind] } });
  }
}

export default defineRule({
  id: 'collaborators',
  meta: {
    description: 'Collaborators name a manager, use the roles of their resource kind and well-formed subjects; gateway rules use the same subject vocabulary',
    appliesTo: ['provider-account/*', 'mcp-server/*', 'agent', 'truefoundry-agent', 'remote-agent/*', 'secret-group', ...SUBJECT_RULE_CONFIGS],
    needs: 'document',
    recommended: 'warning',
    fixable: true,
    messages: {
      missing: '{{what}} has no collaborators, so no other user can see or use it',
      noManager: 'no collaborator of {{what}} has a manager role ({{managers}})',
      everyoneManager: '"team:everyone" is {{role}} of {{what}}: every user of the tenant can change or delete it',
      badRole: 'role "{{role}}" is not a role of {{label}}{{owner}}; use {{allowed}}{{suggestion}}',
      subjectPlaceholder: 'subject "{{subject}}" is an unfilled placeholder',
      subjectWildcard: 'subject "*" is not part of the subject vocabulary; {{advice}}',
      subjectSpelling: 'subject "{{subject}}" is misspelt; the platform writes it "{{fixed}}"',
      subjectPrefix: 'subject "{{subject}}" has no kind prefix; write "{{fixed}}"',
      subjectKind: 'subject "{{subject}}" is not user:<email>, team:<name> or virtualaccount:<name>{{suggestion}}',
      subjectEmpty: 'subject "{{subject}}" names no {{kind}}',
      subjectEmail: 'user subject "{{subject}}" is not an e-mail address',
      subjectName: '{{kind}} subject "{{subject}}" is not a valid name ({{rule}})',
    },
  },
  hints: {
    missing: 'A resource without collaborators is visible only to the one who created it (and tenant admins). Add a collaborators list with at least one manager, e.g. { subject: team:platform, role_id: provider-account-manager }, and grant access roles to the teams that use it.',
    noManager: 'Name at least one user or team as manager, so that ownership does not hinge on whoever applied the manifest first; give everyone else the access role.',
    everyoneManager: 'Managers can edit credentials, routing and access of the resource. Give team:everyone the access role instead and name a specific team or user as manager.',
    badRole: 'Collaborator roles are specific to the kind of resource: provider accounts, virtual models and guardrail groups take provider-account-manager / provider-account-access; MCP servers take mcp-server-manager / mcp-server-user; agents take agent-access; secret groups take secret-group-admin. An unknown role fails on apply.',
    subjectPlaceholder: 'Replace the placeholder with a real subject: user:<email>, team:<team name> or virtualaccount:<name>.',
    subjectWildcard: 'The gateway matches subjects literally; a "*" subject matches no one unless the platform treats it specially, which is not documented. To apply a rule to everybody, omit subjects (an absent condition matches all); to share a resource with all users, use team:everyone.',
    subjectSpelling: 'Subjects are user:<email>, team:<name> or virtualaccount:<name> (one word, lowercase). Older docs wrote virtual-account:; the current platform does not match that spelling. tfy-lint --fix rewrites it.',
    subjectPrefix: 'Every subject starts with its kind: user:, team: or virtualaccount:. tfy-lint --fix adds user: to a bare e-mail address.',
    subjectKind: 'Subjects are user:<email>, team:<team name> or virtualaccount:<virtual account name>; any other prefix matches no one.',
    subjectEmpty: 'Write the name after the colon, e.g. team:platform.',
    subjectEmail: 'Users are identified by their e-mail address (user:jane@example.com); a user name or a mangled address matches no one.',
    subjectName: 'Team names are 3 to 36 characters (letters, digits, "-", "_"); virtual account names 3 to 36 lowercase letters, digits or "-". A name outside these patterns cannot exist, so the subject matches no one.',
  },
  check(manifest, ctx) {
    const data = manifest.data;
    if (!isRecord(data)) return;
    const type = manifest.type;
    if (type && SUBJECT_RULE_CONFIGS.includes(type)) {
      for (const list of ruleSubjectLists(type, data)) {
        list.values.forEach((s, j) => {
          if (typeof s === 'string') checkSubject(s, [...list.path, j], true, ctx.report);
        });
      }
      return;
    }
    const roles = collaboratorRoles(type);
    const what = roles ? `${roles.one}${typeof data.name === 'string' ? ` "${data.name}"` : ''}` : 'this resource';
    const collaborators = data.collaborators;
    if (collaborators === undefined || collaborators === null) {
      if (roles?.expected) ctx.report({ messageId: 'missing', path: ['collaborators'], data: { what } });
      return;
    }
    if (!Array.isArray(collaborators)) return;
    let managers = 0;
    // An entry without a role (misspelt key, wrong type) is the schema's finding; whether it names a manager is unknown.
    let unknownRole = false;
    collaborators.forEach((c, i) => {
      if (!isRecord(c)) { unknownRole = true; return; }
      const subject = typeof c.subject === 'string' ? c.subject : undefined;
      const role = typeof c.role_id === 'string' ? c.role_id : undefined;
      if (role === undefined) unknownRole = true;
      if (subject !== undefined) checkSubject(subject, ['collaborators', i, 'subject'], false, ctx.report);
      if (!roles || role === undefined) return;
      if (!roles.roles.includes(role)) {
        const owner = roleOwner(role);
        ctx.report({
          messageId: 'badRole', path: ['collaborators', i, 'role_id'], at: 'value',
          data: { role, label: roles.label, owner: owner && owner !== roles.label ? ` (it belongs to ${owner})` : '', allowed: orList(roles.roles), suggestion: owner ? '' : didYouMean(role, roles.roles) },
        });
        return;
      }
      if (roles.managers.includes(role)) {
        managers++;
        if (subject?.trim() === EVERYONE) {
          ctx.report({ messageId: 'everyoneManager', path: ['collaborators', i, 'subject'], at: 'value', severity: 'warning', data: { role, what } });
        }
      }
    });
    if (roles && roles.managers.length && managers === 0 && !unknownRole) {
      ctx.report({ messageId: 'noManager', path: ['collaborators'], data: { what, managers: orList(roles.managers) } });
    }
  },
});
