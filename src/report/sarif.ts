// Report: SARIF 2.1.0 for code scanning (GitHub and any SARIF viewer): one run, every rule described, stable fingerprints.
import { joinParts } from './parts.ts';
import { compareDiagnostics, type Range, type Severity } from '../core/diagnostic.ts';
import { formatPath } from '../core/jsonpath.ts';
import type { Rule } from '../lint/rule.ts';
import { runFingerprints } from './fingerprint.ts';
import { jsonListParts } from './json-text.ts';
import { ruleCatalog, type RuleInfo } from './rule-catalog.ts';
import type { ReportInput } from './types.ts';

export interface SarifOptions {
  /** tfy-lint's version (tool.driver.version and semanticVersion). */
  version: string;
  /** Organisation rules of the run (policy `custom:` entries), described beside the built-in ones. */
  customRules?: readonly Rule[];
  /**
   * runs[0].automationDetails.id: tells apart the analyses uploaded for one commit (code scanning's "category").
   * Default `tfy-lint/`.
   */
  category?: string;
  /**
   * The repository root as an absolute `file:` URI ending in `/`, written as `originalUriBaseIds["%SRCROOT%"]` so that
   * a viewer can open the files; left out when not given (code scanning resolves against its checkout).
   */
  srcRoot?: string;
  /** The tool's home page (tool.driver.informationUri). Default: its npm package page. */
  informationUri?: string;
  /** Base URI of the published docs/ folder (rules' helpUri). Default: the package's files on unpkg, at `version`. */
  docsUri?: string;
}

/** The key under which results carry tfy-lint's fingerprint in `partialFingerprints`. */
export const FINGERPRINT_KEY = 'tfyLintFindingHash/v1';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

interface Message { text: string; markdown?: string }
interface PhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
}
export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message;
  helpUri: string;
  defaultConfiguration: { level: Level; enabled?: boolean };
  properties: { tags: string[]; precision: string; 'problem.severity': string; 'security-severity'?: string };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: Message;
  locations: { physicalLocation: PhysicalLocation }[];
  relatedLocations?: { id: number; physicalLocation: PhysicalLocation; message: Message }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource'; status: 'accepted'; justification: string; location: { physicalLocation: PhysicalLocation } }[];
  properties: { path: string; docIndex: number };
}
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [{
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    originalUriBaseIds?: Record<string, { uri: string }>;
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }];
}

/** A finding's file as a SARIF artifact location: relative paths percent-encoded under %SRCROOT%, others as file: URIs. */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const encode = (p: string) => p.split('/').map((s) => encodeURIComponent(s)).join('/');
  if (file.startsWith('/')) return { uri: `file://${encode(file)}` };
  if (/^[A-Za-z]:\//.test(file)) return { uri: `file:///${file.slice(0, 2)}${encode(file.slice(2))}` };
  return { uri: encode(file), uriBaseId: SRCROOT };
}

function physical(file: string, range: Range, artifact: (file: string) => PhysicalLocation['artifactLocation']): PhysicalLocation {
  // An empty range (a finding about a whole file sits at 1:1) still marks one character, as viewers expect.
  const empty = range.end.line < range.start.line || (range.end.line === range.start.line && range.end.column <= range.start.column);
  return {
    artifactLocation: artifact(file),
    region: {
      startLine: range.start.line, startColumn: range.start.column,
      endLine: empty ? range.start.line : range.end.line, endColumn: empty ? range.start.column + 1 : range.end.column,
    },
  };
}

/** A sentence: SARIF messages end with a period. */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The plain-text form of a docs page: Markdown emphasis, code marks and link targets dropped. */
export function markdownToText(md: string): string {
  return md
    .replace(/^```\w*\n/gm, '')
    .replace(/^#+ +/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1')
    .trimEnd();
}

function pascal(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function descriptor(r: RuleInfo, docsUri: string, informationUri: string): SarifRule {
  const level = r.defaultSeverity === 'off' ? 'warning' : LEVEL[r.defaultSeverity];
  const pageUri = r.docsPath ? `${docsUri}${r.docsPath.replace(/^docs\//, '')}` : informationUri;
  // Links between docs pages are relative; in a code scanning alert they must point at the published pages.
  const help = r.docs?.replace(/\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)/gi, (_m, link: string) => `](${new URL(link, pageUri).href})`)
    ?? `# ${r.id}\n\n${sentence(r.fullDescription)}\n\nAn organisation rule from the project's policy files.\n`;
  return {
    id: r.id,
    // A name that differs from the id only by case counts as the same (SARIF1001): single-word ids have none.
    ...(pascal(r.id).toLowerCase() !== r.id.toLowerCase() ? { name: pascal(r.id) } : {}),
    shortDescription: { text: sentence(r.description) },
    fullDescription: { text: sentence(r.fullDescription) },
    help: { text: markdownToText(help), markdown: help },
    helpUri: pageUri,
    defaultConfiguration: { level, ...(r.defaultSeverity === 'off' ? { enabled: false } : {}) },
    properties: {
      tags: [r.kind === 'rule' ? 'lint' : r.kind === 'check' ? 'validity' : 'policy', ...(r.security ? ['security'] : []), 'truefoundry-gateway'],
      precision: 'very-high',
      'problem.severity': r.defaultSeverity === 'off' ? 'recommendation' : r.defaultSeverity === 'info' ? 'recommendation' : r.defaultSeverity,
      ...(r.security ? { 'security-severity': '9.0' } : {}),
    },
  };
}

/** The log without its results (`results` stands for them) and a maker of the result of each finding, in order. */
function sarifParts(input: ReportInput, options: SarifOptions): { shell(results: unknown): unknown; count: number; result(i: number): SarifResult } {
  const informationUri = options.informationUri ?? 'https://www.npmjs.com/package/tfy-lint';
  const docsUri = options.docsUri ?? `https://unpkg.com/tfy-lint@${options.version}/docs/`;
  const catalog = ruleCatalog(options.customRules);
  const all = [...input.diagnostics, ...(input.suppressed ?? [])];
  // A finding of an id the catalog does not know (a newer stage's) still gets a descriptor, so every ruleIndex is valid.
  const described = new Set(catalog.map((r) => r.id));
  for (const d of all) {
    if (!described.has(d.ruleId)) {
      described.add(d.ruleId);
      catalog.push({ id: d.ruleId, description: `Findings of ${d.ruleId}`, fullDescription: `Findings of ${d.ruleId}`, defaultSeverity: d.severity, kind: 'check', security: false });
    }
  }
  const index = new Map(catalog.map((r, i) => [r.id, i]));
  // Shown and suppressed findings in one canonical order (file, line, column, rule); fingerprints are counted over
  // both, so a finding keeps its fingerprint when a comment silences it and a dismissal in code scanning sticks.
  const ordered = all.sort(compareDiagnostics);
  const prints = runFingerprints(input.diagnostics, input.suppressed);
  // Many findings share a file: its location is encoded once (the log is written as JSON, so sharing is invisible).
  const artifacts = new Map<string, ReturnType<typeof artifactLocation>>();
  const artifactOf = (file: string) => {
    let a = artifacts.get(file);
    if (!a) { a = artifactLocation(file); artifacts.set(file, a); }
    return a;
  };
  const physicalOf = (file: string, range: Range) => physical(file, range, artifactOf);
  const result = (i: number): SarifResult => {
    const d = ordered[i];
    const text = d.hint ? `${sentence(d.message)} ${sentence(d.hint)}` : sentence(d.message);
    const related = d.related ?? [];
    return {
      ruleId: d.ruleId,
      ruleIndex: index.get(d.ruleId) as number,
      level: LEVEL[d.severity],
      message: { text: related.length ? `${text} See ${related.map((r, n) => `[${r.file}:${r.range.start.line}](${n + 1})`).join(', ')}.` : text },
      locations: [{ physicalLocation: physicalOf(d.file, d.range) }],
      ...(related.length ? { relatedLocations: related.map((r, n) => ({ id: n + 1, physicalLocation: physicalOf(r.file, r.range), message: { text: sentence(r.message) } })) } : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: prints.get(d) as string },
      ...(d.suppressed ? {
        suppressions: [{ kind: 'inSource' as const, status: 'accepted' as const, justification: d.suppressed.reason, location: { physicalLocation: physicalOf(d.file, d.suppressed.range) } }],
      } : {}),
      properties: { path: formatPath(d.path), docIndex: d.docIndex },
    };
  };
  const rules = catalog.map((r) => descriptor(r, docsUri, informationUri));
  const shell = (results: unknown) => ({
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: { name: 'tfy-lint', version: options.version, semanticVersion: options.version, informationUri, rules },
      },
      automationDetails: { id: options.category ?? 'tfy-lint/' },
      ...(options.srcRoot ? { originalUriBaseIds: { [SRCROOT]: { uri: options.srcRoot } } } : {}),
      columnKind: 'utf16CodeUnits',
      results,
    }],
  });
  return { shell, count: ordered.length, result };
}

/** The SARIF log as an object (formatSarif writes the same log as text). */
export function sarifLog(input: ReportInput, options: SarifOptions): SarifLog {
  const { shell, count, result } = sarifParts(input, options);
  return shell(Array.from({ length: count }, (_, i) => result(i))) as SarifLog;
}

export function formatSarif(input: ReportInput, options: SarifOptions): string {
  return joinParts(sarifTextParts(input, options));
}

/** formatSarif's text in pieces. */
export function sarifTextParts(input: ReportInput, options: SarifOptions): Iterable<string> {
  const { shell, count, result } = sarifParts(input, options);
  return jsonListParts(shell, count, result, '\n');
}
