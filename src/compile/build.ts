// Compile: the compiled desired state: every resource as the platform will receive it (composed, defaults applied).
import { isRecord } from '../core/jsonpath.ts';
import { maskSecrets } from '../core/mask.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import type { DesiredDocument, DesiredSource } from './compose.ts';
import { applyDefaults } from './defaults.ts';
import { manifestPath } from './output.ts';

export interface CompiledResource {
  type: string;
  name: string;
  /** Where `build --out` writes it, '/'-separated, relative to the output folder. */
  path: string;
  /** The manifest with schema defaults filled in; a secret value that is not a tfy-secret:// reference is masked. */
  manifest: Record<string, unknown>;
  /** The documents it is built from: the manifest, or a composed config's fragments in order. */
  sources: DesiredSource[];
  /** Whether it is a singleton config composed from fragments (a compose entry). */
  composed: boolean;
  /** How many secret values were masked (only when a rule that forbids them is turned off). */
  masked: number;
}

/**
 * Compiles desired documents into resources, ordered by output path (then type and name), which is also the order
 * of the JSON output. Two resources that would share a path get a numbered suffix, so nothing overwrites anything.
 */
export function compileResources(documents: readonly DesiredDocument[], schemas: SchemaSet): CompiledResource[] {
  const out: CompiledResource[] = documents.map((d) => {
    const filled = applyDefaults(d.data, schemas);
    const { value, masked } = maskSecrets(isRecord(filled) ? filled : d.data);
    return { type: d.type, name: d.name, path: manifestPath(d.type, d.name), manifest: value, sources: d.fragments ?? [d.source], composed: d.fragments !== undefined, masked: masked.length };
  });
  out.sort((a, b) => cmp(a.path, b.path) || cmp(a.type, b.type) || cmp(a.name, b.name));
  const used = new Set<string>();
  for (const r of out) {
    let p = r.path;
    for (let n = 2; used.has(p); n++) p = r.path.replace(/\.yaml$/, `-${n}.yaml`);
    used.add(p);
    r.path = p;
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
