// Report: fingerprints that identify a finding across commits (SARIF partialFingerprints, GitLab's fingerprint).
import { createHash } from 'node:crypto';
import { compareDiagnostics, type Diagnostic } from '../core/diagnostic.ts';

/**
 * What a finding is, without where it is: rule id, file, JSON path inside the document and the message template
 * (the rule's message id; for the pipeline's own checks the message with its numbers blanked, since some of them
 * name lines). Lines and columns are left out, so inserting lines above a finding keeps its fingerprint.
 */
function identity(d: Diagnostic): string {
  const template = d.messageId ? `#${d.messageId}` : d.message.replace(/\d+/g, '0');
  return [d.ruleId, d.file, JSON.stringify(d.path), template].join('\u0000');
}

/**
 * One fingerprint per diagnostic, in the order given (sorted by file, line, column). Findings with the same identity
 * (one rule, one path, in two documents of a file) are told apart by their order, as `<hash>:<n>`.
 */
export function fingerprints(list: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return list.map((d) => {
    const hash = createHash('sha256').update(identity(d)).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

/**
 * The fingerprints of a run's findings, shown and silenced ones counted together in canonical order (so a finding
 * keeps its fingerprint when a comment silences it, and SARIF and GitLab agree), by finding.
 */
export function runFingerprints(shown: readonly Diagnostic[], suppressed: readonly Diagnostic[] = []): Map<Diagnostic, string> {
  const ordered = [...shown, ...suppressed].sort(compareDiagnostics);
  const prints = fingerprints(ordered);
  return new Map(ordered.map((d, i) => [d, prints[i]]));
}
