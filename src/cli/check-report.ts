// CLI: what the reports of `check` receive: findings with the paths each format shows, the files and documents checked.
import { isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../core/diagnostic.ts';
import { REPOSITORY_RELATIVE, type CheckedFile, type FormatName, type ReportInput } from '../report/index.ts';
import type { SarifOptions } from '../report/sarif.ts';
import { displayPath, forDisplay } from './display.ts';
import { workTreeRoot } from './git.ts';
import type { CheckOutcome } from '../project/pipeline.ts';

/**
 * The folder SARIF and GitLab paths are relative to: the git work tree holding the project, else the working
 * directory when the project is inside it (CI checks out the repository there), else the project root.
 */
export function repositoryRoot(projectRoot: string, cwd: string): string {
  const tree = workTreeRoot(projectRoot);
  if (tree) return tree;
  const rel = relative(cwd, projectRoot);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)) ? cwd : projectRoot;
}

/** The files in scope with their documents (root-relative): files read, and files a finding names (unreadable ones). */
function checkedFiles(result: CheckOutcome, diagnostics: readonly Diagnostic[]): CheckedFile[] {
  const files = new Map<string, CheckedFile>();
  for (const [file, documents] of result.documents) files.set(file, { file, documents });
  for (const d of diagnostics) if (!files.has(d.file)) files.set(d.file, { file: d.file, documents: [] });
  return [...files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export interface CheckReports {
  /** The input of a format: paths relative to the working directory, or to the repository root for SARIF and GitLab. */
  input(format: FormatName, color: boolean): ReportInput;
  sarif: SarifOptions;
}

export function checkReports(result: CheckOutcome, opts: { cwd: string; quiet: boolean; version: string; category?: string }): CheckReports {
  const keep = (list: readonly Diagnostic[]) => (opts.quiet ? list.filter((d) => d.severity === 'error') : list);
  const diagnostics = keep(result.diagnostics);
  const suppressed = keep(result.suppressed);
  let checked: CheckedFile[] | undefined;
  const repoRoot = repositoryRoot(result.target.root, opts.cwd);
  const inputs = new Map<string, ReportInput>();
  const build = (base: string, color: boolean): ReportInput => {
    const display = displayPath(result.target.root, base);
    const shown = forDisplay(diagnostics, result.sources, display);
    let shownChecked: CheckedFile[] | undefined;
    return {
      diagnostics: shown.diagnostics, sources: shown.sources, files: result.filesInScope, documents: result.documentsInScope, color,
      suppressed: forDisplay(suppressed, new Map(), display).diagnostics,
      // Only JUnit lists every file checked: built when a format reads it.
      get checked() { return (shownChecked ??= (checked ??= checkedFiles(result, diagnostics)).map((f) => ({ file: display(f.file), documents: f.documents }))); },
    };
  };
  return {
    input(format, color) {
      const base = REPOSITORY_RELATIVE.has(format) ? repoRoot : opts.cwd;
      const key = `${base}\u0000${color}`;
      if (!inputs.has(key)) inputs.set(key, build(base, color));
      return inputs.get(key) as ReportInput;
    },
    sarif: {
      version: opts.version,
      customRules: result.customRules,
      ...(opts.category !== undefined ? { category: opts.category } : {}),
      srcRoot: `${pathToFileURL(repoRoot).href.replace(/\/?$/, '/')}`,
    },
  };
}
