// CLI: how reports name files: relative to the working directory (the repository root in CI), '/'-separated.
import { isAbsolute, join, relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.ts';
import { SourceTexts } from '../load/files.ts';

/** Turns a root-relative path into the path a report shows: cwd-relative, or absolute when outside the cwd. */
export function displayPath(root: string, cwd: string): (file: string) => string {
  // Asked once per finding, for a few files each: each file's path is worked out once.
  const shown = new Map<string, string>();
  return (file) => {
    let path = shown.get(file);
    if (path === undefined) {
      const abs = join(root, file);
      const rel = relative(cwd, abs);
      path = (rel.startsWith('..') || isAbsolute(rel) ? abs : rel).split('\\').join('/');
      shown.set(file, path);
    }
    return path;
  };
}

/** Diagnostics (and their related places) and source texts keyed by the paths a report shows. */
export function forDisplay(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, display: (file: string) => string) {
  return {
    // A finding already named as shown (the project is the working directory) is passed as it is, not copied.
    diagnostics: diagnostics.map((d) => {
      const file = display(d.file);
      if (file === d.file && d.related === undefined) return d;
      return { ...d, file, related: d.related?.map((r) => ({ ...r, file: display(r.file) })) };
    }),
    sources: shownTexts(diagnostics, sources, display),
  };
}

/**
 * The texts of the files with findings (code frames; naming every file would cost for nothing), under their shown
 * names. Each is asked of `sources` only when a report reads it: most formats never do, and a run may have let go of
 * a text (SourceTexts), which is then read again.
 */
function shownTexts(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, display: (file: string) => string): SourceTexts {
  const shown = new SourceTexts();
  for (const file of new Set(diagnostics.map((d) => d.file))) {
    if (sources.has(file)) shown.add({ path: display(file), get text() { return sources.get(file) as string; } });
  }
  return shown;
}
