// Lint: runs the enabled rules over the project, once per kind, and turns their reports into diagnostics.
import type { Diagnostic, JsonPath, Severity } from '../core/diagnostic.ts';
import { eachLeaf } from '../core/jsonpath.ts';
import { severityAtLeast } from '../core/diagnostic.ts';
import type { Manifest } from '../parse/manifest.ts';
import type { ProjectIndex } from '../project/index.ts';
import { lineStarts, offsetOf, scalarSource, type TextEdit } from './fix.ts';
import type { LintSettings, Setting } from './policies.ts';
import { checksOneDocument, interpolate, typeMatches, type Report, type Rule } from './rule.ts';
import { parseSuppressions, SUPPRESSION_MARK, type Suppression } from './suppressions.ts';

export interface LintInput {
  project: ProjectIndex;
  registry: ReadonlyMap<string, Rule>;
  settings: LintSettings;
  /**
   * Source text of the files reported on (suppression comments, fixes). With `held`, suppression comments are looked
   * for only in the texts it gives (a run's SourceTexts: texts it let go of hold none), so no file is read again for them.
   */
  sources: ReadonlyMap<string, string> & { held?(): Iterable<[string, string]> };
  inScope(file: string): boolean;
  /** Which kinds of rules may run: 'live' rules only under plan. */
  kinds?: ReadonlySet<'document' | 'project' | 'live'>;
  /**
   * Findings of the checks that read one document (checksOneDocument) on files whose content and configuration are
   * unchanged since they were computed (the results cache): these files' documents are not checked by those rules
   * again.
   */
  knownDocumentFindings?: ReadonlyMap<string, readonly DocumentFinding[]>;
}

/** A finding of a document rule, before suppressions, with its text edit when it has a fix. */
export interface DocumentFinding { d: Diagnostic; edit?: TextEdit }

export interface LintResult {
  diagnostics: Diagnostic[];
  /** Findings an inline comment silenced, each with `suppressed` set (only SARIF reports them). */
  suppressed: Diagnostic[];
  /** Text edits of fixable findings, by file. */
  edits: Map<string, TextEdit[]>;
  /**
   * Findings of the document rules, by file, for every file in scope whose documents those rules checked in this
   * run. They depend only on the file and the configuration (a document rule reads one manifest), so they can be
   * kept for the next run.
   */
  documentFindings: Map<string, DocumentFinding[]>;
}

const lower = (a: Severity, b: Severity | undefined): Severity => (b && severityAtLeast(a, b) ? b : a);

/** A rule's setting in a file's settings, when the rule is on there. */
function activeIn(settings: ReadonlyMap<string, Setting>, rule: Rule): Setting | undefined {
  const s = settings.get(rule.id);
  return s && s.severity !== 'off' ? s : undefined;
}

/** The options a rule runs with under a setting (its defaults, then the setting's), made once per setting. */
const optionsBySetting = new WeakMap<Setting, Record<string, unknown>>();
function optionsOf(rule: Rule, setting: Setting): Record<string, unknown> {
  let options = optionsBySetting.get(setting);
  if (!options) optionsBySetting.set(setting, (options = Object.freeze({ ...rule.meta.defaultOptions, ...setting.options })));
  return options;
}

/** A rule's report as a finding on `m` (`own`: the rule's setting for m's file), with its text edit when it has a fix and `text` is m's text. */
function findingOf(rule: Rule, own: Setting, m: Manifest, r: Report, text: string | undefined): DocumentFinding {
  const template = rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message id "${r.messageId}"`);
  const d: Diagnostic = {
    ruleId: rule.id,
    severity: lower(own.severity as Severity, r.severity),
    message: interpolate(template, r.data),
    messageId: r.messageId,
    hint: r.hint ?? rule.hints?.[r.messageId],
    file: m.file,
    docIndex: m.docIndex,
    path: r.path.slice(), // a rule may report the path it walks with (eachLeaf), which changes after the report
    range: m.rangeOf(r.path, r.at ?? 'key'),
    related: r.related?.map((x) => ({ file: x.manifest.file, range: x.manifest.rangeOf(x.path, 'key'), message: x.message })),
    ...(r.overlapsSchema ? { overlapsSchema: true } : {}),
  };
  if (!r.fix || !rule.meta.fixable || text === undefined) return { d };
  const loc = m.locate(r.fix.path);
  if (loc.depth !== r.fix.path.length) return { d };
  const starts = lineStarts(text);
  const start = offsetOf(starts, loc.value.start);
  const end = offsetOf(starts, loc.value.end);
  return { d, edit: { start, end, text: scalarSource(text.slice(start, end), r.fix.value) } };
}

/**
 * What a check that reads one document gets for ctx.project: nothing. Its findings are kept with its file and used
 * while that file is unchanged, whatever else changes; a check that reads the project is a defect, and stopped.
 */
const NO_PROJECT = new Proxy({} as ProjectIndex, {
  get(_target, key) {
    throw new Error(`a check that reads one document (checkReads: 'document') read the project (project.${String(key)})`);
  },
});

export function runLint(input: LintInput): LintResult {
  const kinds = input.kinds ?? new Set(['document', 'project']);
  const raw: { d: Diagnostic; rule: Rule }[] = [];
  const edits = new Map<string, TextEdit[]>();
  const allRules = [...input.registry.values(), ...input.settings.customRules];
  const rulesById = new Map(allRules.map((r) => [r.id, r]));
  const documentFindings = new Map<string, DocumentFinding[]>();
  const known = input.knownDocumentFindings ?? new Map<string, readonly DocumentFinding[]>();
  const addEdit = (file: string, edit: TextEdit) => {
    const list = edits.get(file) ?? [];
    list.push(edit);
    edits.set(file, list);
  };
  for (const [file, findings] of known) {
    if (!input.inScope(file)) continue;
    for (const f of findings) {
      const rule = rulesById.get(f.d.ruleId);
      if (!rule) throw new Error(`a kept finding names rule "${f.d.ruleId}", which is not configured`);
      raw.push({ d: f.d, rule });
      if (f.edit) addEdit(file, f.edit);
    }
  }

  const settingFor = (rule: Rule, file: string): Setting | undefined => activeIn(input.settings.forFile(file), rule);

  /** `sink`: where a document check's findings on the checked file are collected for the cache. */
  const emit = (rule: Rule, checked: Manifest, r: Report, sink?: DocumentFinding[]) => {
    const m = r.manifest ?? checked;
    if (!input.inScope(m.file)) return;
    const own = settingFor(rule, m.file);
    if (!own) return;
    const f = findingOf(rule, own, m, r, r.fix ? input.sources.get(m.file) : undefined);
    raw.push({ d: f.d, rule });
    if (f.edit) addEdit(m.file, f.edit);
    sink?.push(f);
  };

  // Document-level checks: one pass over the manifests, every rule on each.
  const checking = allRules.filter((r) => r.check && kinds.has(r.meta.needs));
  // The rules that apply to each type, found once per type rather than once per document.
  const checkingByType = new Map<string | undefined, Rule[]>();
  const checkingFor = (type: string | undefined): Rule[] => {
    let rules = checkingByType.get(type);
    if (!rules) checkingByType.set(type, (rules = checking.filter((r) => typeMatches(type, r.meta.appliesTo))));
    return rules;
  };
  // `check` reports on the manifest it checks (Rule.check), so a manifest outside the run's scope is not checked: a
  // run that reports on part of the project (a pre-commit hook naming files) checks just those files' documents.
  for (const m of input.project.manifests) {
    if (!input.inScope(m.file)) continue;
    const kept = known.has(m.file);
    let sink: DocumentFinding[] | undefined;
    if (!kept && kinds.has('document')) {
      sink = documentFindings.get(m.file);
      if (!sink) documentFindings.set(m.file, (sink = []));
    }
    const fileSettings = input.settings.forFile(m.file);
    for (const rule of checkingFor(m.type)) {
      const documentRule = checksOneDocument(rule);
      if (documentRule && kept) continue;
      const setting = activeIn(fileSettings, rule);
      if (!setting) continue;
      (rule.check as NonNullable<Rule['check']>)(m, {
        options: optionsOf(rule, setting),
        project: documentRule ? NO_PROJECT : input.project,
        report: (r) => {
          if (r.manifest && r.manifest !== m) throw new Error(`rule ${rule.id} reported from check on another manifest than the one it checks (only checkProject may)`);
          emit(rule, m, r, documentRule ? sink : undefined);
        },
        inScope: input.inScope,
        eachLeaf: (visit) => eachLeaf(m.data, visit),
      });
    }
  }
  for (const rule of allRules) {
    if (!kinds.has(rule.meta.needs)) continue;
    if (rule.checkProject) {
      const anyFile = input.project.manifests.find((m) => typeMatches(m.type, rule.meta.appliesTo) && settingFor(rule, m.file));
      if (!anyFile) continue;
      const setting = settingFor(rule, anyFile.file) as Setting;
      rule.checkProject(input.project, {
        options: optionsOf(rule, setting),
        project: input.project,
        report: (r) => emit(rule, r.manifest ?? anyFile, r),
        inScope: input.inScope,
      });
    }
  }
  return { ...applySuppressions(raw, input, allRules), edits, documentFindings };
}

function applySuppressions(raw: { d: Diagnostic; rule: Rule }[], input: LintInput, rules: Rule[]): { diagnostics: Diagnostic[]; suppressed: Diagnostic[] } {
  const known = new Set(rules.map((r) => r.id));
  const out: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  const byFile = new Map<string, { s: Suppression; used: Set<string> }[]>();
  for (const [file, text] of input.sources.held?.() ?? input.sources) {
    if (!text.includes(SUPPRESSION_MARK)) continue;
    byFile.set(file, parseSuppressions(text).map((s) => ({ s, used: new Set<string>() })));
  }
  for (const { d, rule } of raw) {
    const sups = byFile.get(d.file) ?? [];
    const match = sups.find(({ s }) => s.rules.includes(d.ruleId) && (s.kind === 'file' || s.target === d.range.start.line));
    if (match && match.s.reason && rule.meta.suppressible !== false) {
      match.used.add(d.ruleId);
      const { s } = match;
      suppressed.push({ ...d, suppressed: { kind: s.kind, reason: s.reason, range: { start: { line: s.line, column: s.column }, end: { line: s.line, column: s.endColumn } } } });
      continue;
    }
    out.push(d);
  }
  for (const [file, sups] of byFile) {
    for (const { s, used } of sups) {
      const range = { start: { line: s.line, column: s.column }, end: { line: s.line, column: s.endColumn } };
      const base = { ruleId: 'suppression', file, docIndex: -1, path: [], range };
      if (s.rules.length === 0) {
        out.push({ ...base, severity: 'error', message: 'suppression comment names no rule', hint: `Write # tfy-lint-disable-${s.kind} <rule-id> -- <reason>.` });
        continue;
      }
      if (!s.reason) {
        out.push({ ...base, severity: 'error', message: `suppression of ${s.rules.join(', ')} has no reason`, hint: `Say why after " -- ": # tfy-lint-disable-${s.kind} ${s.rules.join(', ')} -- <reason>. A suppression without a reason silences nothing.` });
      }
      for (const id of s.rules) {
        const rule = rules.find((r) => r.id === id);
        if (!known.has(id)) {
          out.push({ ...base, severity: 'error', message: `suppression names unknown rule "${id}"`, hint: 'Run tfy-lint rules to list the rule ids.' });
        } else if (rule?.meta.suppressible === false) {
          out.push({ ...base, severity: 'error', message: `rule "${id}" cannot be suppressed`, hint: 'Fix the finding instead: this rule guards against leaks that a comment cannot make safe.' });
        } else if (s.reason && !used.has(id)) {
          out.push({ ...base, severity: 'warning', message: `unused suppression of "${id}": nothing here is reported by it`, hint: 'Remove the comment (or move it above the line it is meant for).' });
        }
      }
    }
  }
  return { diagnostics: out, suppressed };
}
