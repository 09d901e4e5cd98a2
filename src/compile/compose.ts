// Compile: the desired state: every manifest of the repository, singleton gateway configs composed from fragments (§5).
import type { JsonPath, Range } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { composedData, fragmentSetting, type Composition } from '../project/composition.ts';
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

export interface DesiredState { documents: DesiredDocument[] }

/**
 * Builds the desired state from the repository's manifests: each composed config (see project/composition.ts) as the
 * one document its fragments make, every other manifest as it is. Documents without a `type` or a `name` are left
 * out (check reports them). Defaults are not applied here (compile/defaults.ts does, for build and plan alike).
 */
export function buildDesiredState(manifests: readonly Manifest[], composition: Composition): DesiredState {
  const documents: DesiredDocument[] = [];
  for (const config of composition.configs) {
    if (config.fragments.length === 0) continue;
    const first = config.fragments[0];
    const locate = (path: JsonPath) => {
      const o = path[0] === 'rules' && typeof path[1] === 'number' ? config.rules[path[1]] : undefined;
      if (o) return at(o.manifest, ['rules', o.index, ...path.slice(2)]);
      const owner = typeof path[0] === 'string' ? fragmentSetting(config, path[0]) : undefined;
      return at(owner ?? first, path);
    };
    documents.push({
      type: config.entry.type, name: config.entry.name, data: composedData(config), source: sourceOf(first),
      fragments: config.fragments.map(sourceOf), locate,
    });
  }
  for (const m of manifests) {
    if (composition.of(m) || !m.type || m.name === undefined || !isRecord(m.data)) continue;
    if (composition.composedTypes.has(m.type)) continue; // unclaimed: reported by the composition, never planned alone
    documents.push({ type: m.type, name: m.name, data: m.data, source: sourceOf(m), locate: (path) => at(m, path) });
  }
  return { documents };
}

function at(m: Manifest, path: JsonPath) {
  return { file: m.file, docIndex: m.docIndex, range: m.rangeOf(path, 'value') };
}

function sourceOf(m: Manifest): DesiredSource {
  return { file: m.file, docIndex: m.docIndex, line: m.range.start.line };
}

