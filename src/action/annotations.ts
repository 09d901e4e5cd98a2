// Action: which findings become workflow annotations. GitHub keeps 10 of each level per step and drops the rest
// silently, so tfy-lint chooses: the most severe first, findings on the pull request's changed files first, and one
// notice saying how many more there are and where to read them.
import { compareDiagnostics, type Diagnostic, type Severity } from '../core/diagnostic.ts';
import { plural } from '../core/text.ts';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  /** Only on a one-line range: GitHub ignores an end column on a range over several lines. */
  endColumn?: number;
}

/** Annotations of one level GitHub shows per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Record<Severity, AnnotationLevel> = { error: 'error', warning: 'warning', info: 'notice' };
const ORDER: Severity[] = ['error', 'warning', 'info'];

export function toAnnotation(d: Diagnostic): Annotation {
  const { start, end } = d.range;
  return {
    level: LEVEL[d.severity],
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    title: `tfy-lint ${d.ruleId}`,
    file: d.file,
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    ...(end.line === start.line ? { endColumn: Math.max(end.column, start.column) } : {}),
  };
}

export interface AnnotationSelection {
  annotations: Annotation[];
  /** Findings not annotated, by severity. */
  omitted: Record<Severity, number>;
  /** The notice about the omitted findings, when there are any (it is one of the notices GitHub keeps). */
  overflow?: { title: string; message: string };
}

/**
 * Picks at most 10 annotations of each level. `diagnostics` name files as the annotations will (relative to the
 * workspace); `changed` is the pull request's changed files, or undefined outside a pull request. `elsewhere` says
 * where the full list is (job summary, SARIF file).
 */
export function selectAnnotations(diagnostics: readonly Diagnostic[], changed: ReadonlySet<string> | undefined, elsewhere: string): AnnotationSelection {
  const onChanged = (d: Diagnostic) => (changed?.has(d.file) ? 0 : 1);
  const picked: Diagnostic[] = [];
  const omitted: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const bySeverity = ORDER.map((s) => diagnostics.filter((d) => d.severity === s && d.file && !d.file.startsWith('live:'))
    .sort((a, b) => onChanged(a) - onChanged(b) || compareDiagnostics(a, b)));
  const unplaced = diagnostics.filter((d) => !d.file || d.file.startsWith('live:'));
  for (const d of unplaced) omitted[d.severity]++;
  for (const [i, list] of bySeverity.entries()) {
    picked.push(...list.slice(0, ANNOTATIONS_PER_LEVEL));
    omitted[ORDER[i]] += Math.max(0, list.length - ANNOTATIONS_PER_LEVEL);
  }
  let total = omitted.error + omitted.warning + omitted.info;
  const notices = picked.filter((d) => d.severity === 'info');
  // The overflow notice takes a notice's place, else GitHub would drop it (or the tenth notice) silently.
  if (total > 0 && notices.length === ANNOTATIONS_PER_LEVEL) {
    const last = notices[notices.length - 1];
    picked.splice(picked.indexOf(last), 1);
    omitted.info++;
    total++;
  }
  const annotations = picked.map(toAnnotation);
  if (total === 0) return { annotations, omitted };
  const parts = ORDER.filter((s) => omitted[s] > 0).map((s) => plural(omitted[s], s === 'info' ? 'info' : s));
  const overflow = {
    title: 'tfy-lint: more findings',
    message: `${plural(total, 'more finding')} (${parts.join(', ')}) ${total === 1 ? 'is' : 'are'} not shown as annotations, `
      + `since GitHub shows at most ${ANNOTATIONS_PER_LEVEL} of each level per step: ${elsewhere}.`,
  };
  return { annotations, omitted, overflow };
}
