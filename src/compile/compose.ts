// Compile: the desired state: every manifest of the repository, singleton gateway configs composed from fragments (§5).
import type { Diagnostic, JsonPath, Range } from '../core/diagnostic.ts';
import { FILE_START } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import type { ComposeEntry } from '../lint/config.ts';
import type { Manifest } from '../parse/manifest.ts';

/** Where a desired document comes from: a manifest of the repository, or the first fragment of a composed config. */
export interface DesiredSource { file: string; docIndex: number; line: number }

/** One document of the desired state, as the platform will receive it (before defaults). */
export interface DesiredDocument {
  type: string;
  name: string;
  data: Record<string, unknown>;
  source: DesiredSource;
  /** For a composed config: the fragments it was built from, in order. */
  fragments?: DesiredSource[];
  /** Where a path of `data` is written in the repository (for a composed config, in the fragment that holds the rule). */
  locate(path: JsonPath): { file: string; docIndex: number; range: Range };
}

export interface DesiredState { documents: DesiredDocument[]; diagnostics: Diagnostic[] }

/**
 * Builds the desired state from the repository's manifests. A `compose` entry of the config turns the documents of
 * its type found in its `from` files (globs expanded, sorted by path; documents in file order) into one document
 * named as the entry says, whose `rules` are the fragments' rules in that order. Documents without a `type` or a
 * `name` are left out (check reports them). `configFile` is where findings about a compose entry point.
 */
export function buildDesiredState(manifests: readonly Manifest[], compose: readonly ComposeEntry[] = [], configFile = 'tfy-lint.config.yaml'): DesiredState {
  const diagnostics: Diagnostic[] = [];
  const used = new Set<Manifest>();
  const documents: DesiredDocument[] = [];
  for (const entry of compose) {
    const fragments: Manifest[] = [];
    for (const pattern of entry.from) {
      const re = globToRegExp(pattern);
      const files = [...new Set(manifests.filter((m) => re.test(m.file)).map((m) => m.file))].sort(byteOrder);
      for (const file of files) {
        for (const m of manifests) {
          if (m.file === file && m.type === entry.type && !used.has(m)) { fragments.push(m); used.add(m); }
        }
      }
    }
    if (fragments.length === 0) {
      diagnostics.push({
        ruleId: 'compose', severity: 'warning', file: configFile, docIndex: -1, path: ['compose'], range: FILE_START,
        message: `compose entry "${entry.name}" (${entry.type}) matches no document; nothing is planned for it`,
        hint: 'Check the paths and globs in its from list.',
      });
      continue;
    }
    const first = fragments[0];
    const base = isRecord(first.data) ? first.data : {};
    const origins: { m: Manifest; index: number }[] = [];
    const rules: unknown[] = [];
    for (const f of fragments) {
      const list = isRecord(f.data) && Array.isArray(f.data.rules) ? f.data.rules : [];
      list.forEach((r, index) => { rules.push(r); origins.push({ m: f, index }); });
    }
    const data: Record<string, unknown> = { ...base, type: entry.type, name: entry.name, rules };
    const locate = (path: JsonPath) => {
      const o = path[0] === 'rules' && typeof path[1] === 'number' ? origins[path[1]] : undefined;
      if (o) return at(o.m, ['rules', o.index, ...path.slice(2)]);
      return at(first, path);
    };
    documents.push({ type: entry.type, name: entry.name, data, source: sourceOf(first), fragments: fragments.map(sourceOf), locate });
  }
  for (const m of manifests) {
    if (used.has(m) || !m.type || m.name === undefined || !isRecord(m.data)) continue;
    documents.push({ type: m.type, name: m.name, data: m.data, source: sourceOf(m), locate: (path) => at(m, path) });
  }
  return { documents, diagnostics };
}

function at(m: Manifest, path: JsonPath) {
  return { file: m.file, docIndex: m.docIndex, range: m.rangeOf(path, 'value') };
}

function sourceOf(m: Manifest): DesiredSource {
  return { file: m.file, docIndex: m.docIndex, line: m.range.start.line };
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A gitignore-free glob (`*`, `?`, `**`, `{a,b}`) over '/'-separated root-relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      const end = g.indexOf('}', i);
      if (end < 0) { re += '\\{'; continue; }
      re += `(?:${g.slice(i + 1, end).split(',').map(escapeRe).join('|')})`;
      i = end;
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}
