// Lint: what a rule is. Rules see data and paths; the engine owns positions, severities and suppressions.
import type { JsonPath, Severity } from '../core/diagnostic.ts';
import type { LeafVisitor } from '../core/jsonpath.ts';
import type { Manifest } from '../parse/manifest.ts';
import type { ProjectIndex } from '../project/index.ts';

export type RuleNeeds = 'document' | 'project' | 'live';

export interface RuleMeta {
  /** One line: what the rule checks. */
  description: string;
  /** Manifest types the rule looks at; `*` matches within one path segment (`provider-account/*`), `**` anything. */
  appliesTo: readonly string[];
  /** What the rule reads: one document, the whole project, or live state (only under `plan`). */
  needs: RuleNeeds;
  /**
   * What the rule's `check` reads (default: `document` for a document rule, else `project`). A project rule whose
   * `check` reads only the manifest it is given (its `checkProject` compares across files) says `document`: its
   * findings are then kept in the cache with the file's results, like a document rule's, and used while the file is
   * unchanged. Such a `check` gets no `ctx.project` (the engine stops one that touches it).
   */
  checkReads?: 'document' | 'project';
  /** Severity in the recommended pack (documentation; the packs are the source of truth). */
  recommended: Severity | 'off';
  fixable?: boolean;
  /** False for rules no comment may silence (raw secrets). Default true. */
  suppressible?: boolean;
  /** Message templates by id; `{{name}}` is replaced by data.name. */
  messages: Record<string, string>;
  /** JSON Schema of the rule's options object. */
  options?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
}

/** A text edit a fix makes: replace the value at `path` with `value` (its YAML form keeps the original quoting). */
export interface Fix { path: JsonPath; value: string | number | boolean }

export interface Related { manifest: Manifest; path: JsonPath; message: string }

export interface Report {
  messageId: string;
  path: JsonPath;
  data?: Record<string, string | number>;
  /** Point at the key (default) or at the value. */
  at?: 'key' | 'value';
  hint?: string;
  /** A lower severity for this finding than the rule's configured one (never a higher one). */
  severity?: Severity;
  related?: Related[];
  fix?: Fix;
  /** Report in another manifest: only from checkProject (`check` reports on the manifest it checks). */
  manifest?: Manifest;
  /** The schema also rejects this (same place, same cause): when it does, only its finding is shown (the fix stays). */
  overlapsSchema?: boolean;
}


export interface RuleContext {
  options: Record<string, unknown>;
  project: ProjectIndex;
  report(r: Report): void;
  /**
   * Whether findings on this file are reported in this run (a run may report on part of the project): a rule may skip
   * work whose findings would all land outside the run's files.
   */
  inScope(file: string): boolean;
  /** Visits every scalar of the manifest with its path, in document order (see LeafVisitor: the path is shared). */
  eachLeaf(visit: LeafVisitor): void;
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  /** Hint text per message id: why it matters and how to fix it. Falls back to meta-level `hint`. */
  hints?: Record<string, string>;
  /**
   * Checks one manifest and reports on it alone (related information may point anywhere; findings on other manifests
   * are checkProject's). Nothing checkProject needs may depend on it: a run that reports on part of the project (a
   * pre-commit hook naming files) checks only the manifests in it. The engine stops a rule that breaks this.
   */
  check?(manifest: Manifest, ctx: RuleContext): void;
  /** Runs once per project (for rules that compare manifests, e.g. across composed fragments). */
  checkProject?(project: ProjectIndex, ctx: Omit<RuleContext, 'eachLeaf'>): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Whether a rule's `check` reads only the manifest it checks (see RuleMeta.checkReads). */
export function checksOneDocument(rule: Rule): boolean {
  return (rule.meta.checkReads ?? (rule.meta.needs === 'document' ? 'document' : 'project')) === 'document';
}

export function interpolate(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => (k in data ? String(data[k]) : `{{${k}}}`));
}

/** Whether a manifest type matches one of the rule's `appliesTo` patterns. */
export function typeMatches(type: string | undefined, patterns: readonly string[]): boolean {
  if (!type) return false;
  return patterns.some((p) => p === '**' || p === type || (p.includes('*') && patternRe(p).test(type)));
}

const patternCache = new Map<string, RegExp>();
function patternRe(p: string): RegExp {
  let re = patternCache.get(p);
  if (!re) {
    re = new RegExp(`^${p.split('**').map((part) => part.split('*').map(escapeRe).join('[^/]*')).join('.*')}$`);
    patternCache.set(p, re);
  }
  return re;
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
