// CLI: the tool's version, from package.json, and the identity of this build (what cached results were made by).
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, toolVersion } from '../validate/schemas.ts';

declare const __TFY_BUILD_ID__: string | undefined;

export { toolVersion };

let buildIdCache: string | undefined;

/**
 * Changes whenever the code, schemas or packs change: in the bundle, a hash of its sources written at build time;
 * running from the sources, a hash of their names, sizes and modification times.
 */
export function buildId(): string {
  if (buildIdCache) return buildIdCache;
  if (typeof __TFY_BUILD_ID__ !== 'undefined' && __TFY_BUILD_ID__) return (buildIdCache = `${toolVersion()}+${__TFY_BUILD_ID__}`);
  const root = packageRoot();
  const h = createHash('sha256').update(toolVersion());
  const walk = (dir: string) => {
    let names: string[];
    try { names = readdirSync(dir).sort(); } catch { return; }
    for (const n of names) {
      const p = join(dir, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const d of ['src', 'schemas', 'policies']) walk(join(root, d));
  return (buildIdCache = `${toolVersion()}+dev.${h.digest('hex').slice(0, 16)}`);
}
