// Report: what every finding id means: the lint rules, the pipeline's own checks and organisation rules, with docs.
import type { Severity } from '../core/diagnostic.ts';
import type { Rule } from '../lint/rule.ts';
import { RULES } from '../rules/index.ts';
import { CHECK_DOCS, RULE_DOCS } from './generated/rule-docs.ts';

export interface RuleInfo {
  id: string;
  /** One line: what is checked. */
  description: string;
  /** The first paragraph of the docs page (the description when there is no page). */
  fullDescription: string;
  /** The docs page as Markdown (docs/rules/<id>.md or docs/checks/<id>.md); organisation rules have none. */
  docs?: string;
  /** Where the page lives in the repository, relative to its root (`docs/rules/no-raw-secrets.md`). */
  docsPath?: string;
  /** The severity in the recommended pack ('off' when the rule must be switched on). */
  defaultSeverity: Severity | 'off';
  kind: 'rule' | 'check' | 'custom';
  /** The finding guards against leaked credentials (code scanning lists it under security). */
  security: boolean;
}

/** The pipeline's own finding ids (every one a `check` can report besides the rules), with their severity. */
const CHECKS: readonly { id: string; description: string; severity: Severity }[] = [
  { id: 'load', description: 'A file could not be read as text (binary, not UTF-8, too large or unreadable).', severity: 'error' },
  { id: 'yaml-syntax', description: 'A document is not well-formed YAML, or uses YAML the platform reads differently than it looks.', severity: 'error' },
  { id: 'schema', description: "A document does not match the platform's JSON Schema for its type.", severity: 'error' },
  { id: 'compose', description: 'Gateway config fragments cannot be composed into the one config the platform receives.', severity: 'error' },
  { id: 'suppression', description: 'An inline suppression comment names no rule, gives no reason, names an unknown rule or silences nothing.', severity: 'error' },
];

/** The first paragraph after a page's `# title`, as one line. */
export function firstParagraph(doc: string): string {
  const body = doc.replace(/^# .*\n+/, '');
  const end = body.search(/\n\s*\n/);
  return (end === -1 ? body : body.slice(0, end)).replace(/\s*\n\s*/g, ' ').trim();
}

/** Every id a `check` run can report: the built-in rules, then the pipeline's checks, then organisation rules. */
export function ruleCatalog(customRules: readonly Rule[] = []): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const r of RULES) {
    const docs = RULE_DOCS[r.id];
    out.push({
      id: r.id, description: r.meta.description, fullDescription: docs ? firstParagraph(docs) : r.meta.description,
      ...(docs ? { docs, docsPath: `docs/rules/${r.id}.md` } : {}),
      defaultSeverity: r.meta.recommended, kind: 'rule', security: r.meta.suppressible === false,
    });
  }
  for (const c of CHECKS) {
    const docs = CHECK_DOCS[c.id];
    out.push({
      id: c.id, description: c.description, fullDescription: docs ? firstParagraph(docs) : c.description,
      ...(docs ? { docs, docsPath: `docs/checks/${c.id}.md` } : {}),
      defaultSeverity: c.severity, kind: 'check', security: false,
    });
  }
  const known = new Set(out.map((r) => r.id));
  for (const r of customRules) {
    if (known.has(r.id)) continue;
    known.add(r.id);
    const hint = Object.values(r.hints ?? {})[0];
    out.push({
      id: r.id, description: r.meta.description, fullDescription: hint ? `${r.meta.description} ${hint}` : r.meta.description,
      defaultSeverity: 'warning', kind: 'custom', security: false,
    });
  }
  return out;
}
