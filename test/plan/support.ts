// Test support for the planner: desired documents from YAML text, live states from manifests.
import { stringify } from 'yaml';
import { buildDesiredState, type DesiredDocument } from '../../src/compile/compose.ts';
import { resolveComposition, type ComposeEntry } from '../../src/project/composition.ts';
import { ALL_KINDS } from '../../src/live/kinds.ts';
import { liveResource, makeLiveState, type LiveState } from '../../src/live/state.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';

export const schemas = loadSchemaSet();

/** Desired documents from files of YAML text (or data, written as YAML). */
export function desired(files: Record<string, string | Record<string, unknown> | Record<string, unknown>[]>, compose: ComposeEntry[] = []): DesiredDocument[] {
  const manifests = Object.entries(files).flatMap(([path, content]) => {
    const text = typeof content === 'string' ? content : (Array.isArray(content) ? content : [content]).map((d) => stringify(d)).join('---\n');
    return parseSource({ path, text }).manifests;
  });
  return buildDesiredState(manifests, resolveComposition(manifests, compose, { file: 'tfy-lint.config.yaml' })).documents;
}

/** A live state holding these manifests, as read for every kind. */
export function live(manifests: Record<string, unknown>[], kinds: readonly string[] = ALL_KINDS): LiveState {
  const resources = manifests.map((m, i) => {
    const r = liveResource(m, schemas, { id: `id_${i}` });
    if (!r) throw new Error('manifest without type and name');
    return r;
  });
  return makeLiveState('test', kinds, resources);
}
