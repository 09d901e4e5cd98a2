// Report: what every formatter receives. Formatters are pure: (input) -> text.
import type { Diagnostic } from '../core/diagnostic.ts';

/** One file a run looked at, with the documents it holds (JUnit has a test case per document). */
export interface CheckedFile {
  file: string;
  documents: readonly CheckedDocument[];
}

export interface CheckedDocument {
  /** Index of the '---' document in its file, 0-based (Diagnostic.docIndex). */
  docIndex: number;
  type?: string;
  name?: string;
  /** Line where the document starts. */
  line: number;
}

export interface ReportInput {
  diagnostics: readonly Diagnostic[];
  /** Source text of each reported file (for code frames), keyed by Diagnostic.file. */
  sources: ReadonlyMap<string, string>;
  /** Files and documents looked at, for the summary. */
  files: number;
  documents: number;
  color: boolean;
  /**
   * Findings that inline comments silenced (each with `suppressed` set), keyed like `diagnostics`. Only SARIF reports
   * them (as suppressed results); every other format leaves them out.
   */
  suppressed?: readonly Diagnostic[];
  /** The files in scope and their documents, sorted by file (JUnit: one test suite per file, even a clean one). */
  checked?: readonly CheckedFile[];
}

export type FormatName = 'stylish' | 'compact' | 'json' | 'github' | 'sarif' | 'junit' | 'gitlab';
export const FORMATS: readonly FormatName[] = ['stylish', 'compact', 'json', 'github', 'sarif', 'junit', 'gitlab'];
