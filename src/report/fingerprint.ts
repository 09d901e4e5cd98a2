// Report: fingerprints that identify a finding across commits (SARIF partialFingerprints, GitLab's fingerprint).
import * as crypto from 'node:crypto';
import { compareDiagnostics, type Diagnostic } from '../core/diagnostic.ts';

/**
 * What a finding is, without where it is: rule id, file, JSON path inside the document and the message template
 * (the rule's message id; for the pipeline's own checks the message with its numbers blanked, since some of them
 * name lines). Lines and columns are left out, so inserting lines above a finding keeps its fingerprint.
 */
function identity(d: Diagnostic): string {
  const template = d.messageId ? `#${d.messageId}` : d.message.replace(/\d+/g, '0');
  return `${d.ruleId}\u0000${d.file}\u0000${JSON.stringify(d.path)}\u0000${template}`;
}

// crypto.hash (Node 20.12+) hashes a string in one call, without a Hash object per finding.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = oneShot
  ? (text: string) => oneShot('sha256', text, 'hex')
  : (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * One fingerprint per diagnostic, in the order given (sorted by file, line, column). Findings with the same identity
 * (one rule, one path, in two documents of a file) are told apart by their order, as `<hash>:<n>`.
 */
export function fingerprints(list: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return list.map((d) => {
    const hash = sha256Hex(identity(d)).slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

/** The last run's fingerprints, by list of shown findings: SARIF and GitLab written in one run share them. */
const computed = new WeakMap<readonly Diagnostic[], { suppressed: readonly Diagnostic[]; prints: Map<Diagnostic, string> }>();
const NONE: readonly Diagnostic[] = [];

/**
 * The fingerprints of a run's findings, shown and silenced ones counted together in canonical order (so a finding
 * keeps its fingerprint when a comment silences it, and SARIF and GitLab agree), by finding. Computed once for a
 * pair of lists (the lists are read-only).
 */
export function runFingerprints(shown: readonly Diagnostic[], suppressed: readonly Diagnostic[] = NONE): Map<Diagnostic, string> {
  const known = computed.get(shown);
  if (known && known.suppressed === suppressed) return known.prints;
  const ordered = [...shown, ...suppressed].sort(compareDiagnostics);
  const list = fingerprints(ordered);
  const prints = new Map(ordered.map((d, i) => [d, list[i]]));
  computed.set(shown, { suppressed, prints });
  return prints;
}
