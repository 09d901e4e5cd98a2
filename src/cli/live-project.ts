// CLI: what the commands that compare the project with live state (plan, drift) share: loading the project, how
// places are shown, and reading the live state through the shared plan steps.
import { parseSize } from './args.ts';
import { displayPath, forDisplay } from './display.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { scrub } from '../core/mask.ts';
import { displayUrl } from '../live/client.ts';
import { makeLiveState, type LiveState } from '../live/state.ts';
import type { LiveReader } from '../plan/project-plan.ts';
import { formatStylish } from '../report/stylish.ts';
import { useColor, type Io } from './io.ts';
import { loadLiveState, type LiveSource } from './live-source.ts';
import { DEFAULT_MAX_FILE_SIZE, loadProject, type LoadedProject } from '../project/pipeline.ts';

/** An Io whose every output has the given secrets replaced, whatever produced the text. */
export function scrubbed(io: Io, secrets: readonly (string | undefined)[]): Io {
  return {
    ...io,
    stdout: { write: (s) => io.stdout.write(scrub(s, secrets)), isTTY: io.stdout.isTTY },
    stderr: { write: (s) => io.stderr.write(scrub(s, secrets)), isTTY: io.stderr.isTTY },
    writeFile: (p, t) => io.writeFile(p, scrub(t, secrets)),
  };
}

/** --color / --no-color as given: forced on, forced off, or undefined (decided by the terminal and the env). */
export function colorFlagOf(values: { color?: boolean; 'no-color'?: boolean }): boolean | undefined {
  return values['no-color'] ? false : values.color ? true : undefined;
}

export interface ProjectValues {
  root?: string;
  config?: string;
  'max-file-size'?: string;
  color?: boolean;
  'no-color'?: boolean;
}

export interface LiveProject {
  loaded: LoadedProject;
  /** The path a report shows for a place: project files cwd-relative; live places, the snapshot and URLs as they are. */
  display: (file: string) => string;
  color: boolean;
  /** The findings in the stylish format, with the project's sources and counts. */
  stylish: (diagnostics: Diagnostic[]) => string;
}

/** Loads the project the command's PATHs and options name, and how its reports show places. */
export function loadLiveProject(values: ProjectValues, positionals: string[], io: Io, source: LiveSource): LiveProject {
  const loaded = loadProject({
    cwd: io.cwd, paths: positionals, root: values.root, configPath: values.config,
    maxFileSize: values['max-file-size'] ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE,
  });
  const inProject = displayPath(loaded.target.root, io.cwd);
  const display = (file: string) => {
    if (file.startsWith('live:') || file.startsWith('(')) return file;
    if (source.kind === 'file' && file === source.display) return file;
    if (/^https?:\/\//.test(file)) return file;
    return inProject(file);
  };
  const color = useColor(io.env, io.stdout, colorFlagOf(values));
  const stylish = (diagnostics: Diagnostic[]) => formatStylish({
    ...forDisplay(diagnostics, loaded.sources, display), files: loaded.filesInScope, documents: loaded.documentsInScope, color,
  });
  return { loaded, display, color, stylish };
}

/** Reads the live state from the command's source, writing the read's notes to stderr. */
export function liveReader(source: LiveSource, loaded: LoadedProject, io: Io): LiveReader {
  return async (kinds, optional) => {
    const live = await loadLiveState(source, kinds, loaded.schemas, { optional });
    for (const n of live.notes) io.stderr.write(`tfy-lint: note: ${n}\n`);
    return live;
  };
}

/** The live state when the project holds nothing to compare: empty, named after the source. */
export function emptyLive(source: LiveSource): () => LiveState {
  return () => makeLiveState(source.kind === 'file' ? source.display : displayUrl(source.baseUrl), [], []);
}
