// Report: what every formatter receives. Formatters are pure: (input) -> text.
import type { Diagnostic } from '../core/diagnostic.ts';

export interface ReportInput {
  diagnostics: readonly Diagnostic[];
  /** Source text of each reported file (for code frames), keyed by Diagnostic.file. */
  sources: ReadonlyMap<string, string>;
  /** Files and documents looked at, for the summary. */
  files: number;
  documents: number;
  color: boolean;
}

export type FormatName = 'stylish' | 'json' | 'github';
export const FORMATS: readonly FormatName[] = ['stylish', 'json', 'github'];
