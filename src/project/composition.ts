// Project: which documents are fragments of which composed singleton config (the config's `compose`, DESIGN.md §5),
// and what is wrong with the composition itself.
import type { Diagnostic, JsonPath, Range, Related } from '../core/diagnostic.ts';
import { FILE_START } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import type { Manifest } from '../parse/manifest.ts';
import type { RuleEntry } from './routing.ts';
import { setOwn } from '../core/own.ts';

/** One `compose` entry of tfy-lint.config.yaml. */
export interface ComposeEntry { type: string; name: string; from: string[] }

export interface ComposedConfig {
  entry: ComposeEntry;
  /** Index of the entry in the config's `compose` list. */
  entryIndex: number;
  /** The fragments in rule order: `from` order, a glob's matches sorted by path, documents in file order. */
  fragments: Manifest[];
  /** Every rule of the composed list, in order: the fragment holding it and its index in that fragment's `rules`. */
  rules: RuleEntry[];
}

export interface Composition {
  configs: ComposedConfig[];
  /** Types some entry composes (several documents of these are expected). */
  composedTypes: ReadonlySet<string>;
  /** The composed config a document is a fragment of. */
  of(m: Manifest): ComposedConfig | undefined;
  diagnostics: Diagnostic[];
}

/** Where findings about the config file point. */
export interface ConfigSite { file: string; manifest?: Manifest }

/** Keys of a fragment that are not merged field by field: the entry names the config, and rules are concatenated. */
const OWN_KEYS = new Set(['type', 'name', 'rules']);

/**
 * Resolves the config's `compose` entries against the project's manifests. Each is a clear error at its place:
 * a `from` pattern that matches no file, a type composed by two entries, a file claimed by two entries, a document
 * of another type in a fragment file, a document of a composed type that no entry claims, and a field (other than
 * `type`, `name` and `rules`) that two fragments set to different values.
 */
export function resolveComposition(manifests: readonly Manifest[], entries: readonly ComposeEntry[], site: ConfigSite): Composition {
  const diagnostics: Diagnostic[] = [];
  const configRange = (path: JsonPath): Range => site.manifest?.rangeOf(path, 'value') ?? FILE_START;
  const configDiag = (path: JsonPath, message: string, hint: string, related?: Related[]) => diagnostics.push({
    ruleId: 'compose', severity: 'error', file: site.file, docIndex: 0, path, range: configRange(path), message, hint, ...(related ? { related } : {}),
  });
  const configRelated = (path: JsonPath, message: string): Related => ({ file: site.file, range: configRange(path), message });
  const docDiag = (m: Manifest, path: JsonPath, message: string, hint: string, related?: Related[]) => diagnostics.push({
    ruleId: 'compose', severity: 'error', file: m.file, docIndex: m.docIndex, path, range: m.rangeOf(path, 'value'), message, hint, ...(related ? { related } : {}),
  });

  const files = [...new Set(manifests.map((m) => m.file))].sort(byteOrder);
  const docsOf = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const list = docsOf.get(m.file);
    if (list) list.push(m);
    else docsOf.set(m.file, [m]);
  }

  const configs: ComposedConfig[] = [];
  const fragmentOf = new Map<Manifest, ComposedConfig>();
  /** The entry (and its pattern) that first claimed each file. */
  const claimedBy = new Map<string, { config: ComposedConfig; patternIndex: number }>();
  const firstEntryOfType = new Map<string, number>();

  entries.forEach((entry, entryIndex) => {
    const earlier = firstEntryOfType.get(entry.type);
    if (earlier !== undefined) {
      configDiag(['compose', entryIndex, 'type'], `${entry.type} is composed twice (also by compose[${earlier}] "${entries[earlier].name}")`,
        'The platform holds one config of each gateway type. Merge the two entries into one, with the from lists in the order the rules should be evaluated.',
        [configRelated(['compose', earlier, 'type'], 'first composed here')]);
      return;
    }
    firstEntryOfType.set(entry.type, entryIndex);
    const config: ComposedConfig = { entry, entryIndex, fragments: [], rules: [] };
    configs.push(config);
    entry.from.forEach((pattern, patternIndex) => {
      const re = globToRegExp(pattern);
      const matched = files.filter((f) => re.test(f));
      const patternPath = ['compose', entryIndex, 'from', patternIndex];
      if (matched.length === 0) {
        configDiag(patternPath, `"${pattern}" in the from list of "${entry.name}" matches no manifest file`,
          'Paths and globs are relative to the project root (`*` within a folder, `**` across folders). Fix the pattern, or remove it if the fragments it named are gone.');
        return;
      }
      for (const file of matched) {
        const prior = claimedBy.get(file);
        if (prior) {
          if (prior.config === config) continue; // two patterns of one entry: the first one places the file
          const first = (docsOf.get(file) ?? [])[0];
          if (first) {
            docDiag(first, ['type'], `${file} is a fragment of two compose entries: "${prior.config.entry.name}" and "${entry.name}"`,
              'A fragment belongs to one composed config. Narrow the from patterns so that only one entry matches this file.',
              [configRelated(['compose', prior.config.entryIndex, 'from', prior.patternIndex], `claimed by "${prior.config.entry.name}"`),
                configRelated(patternPath, `claimed again by "${entry.name}"`)]);
          }
          continue;
        }
        claimedBy.set(file, { config, patternIndex });
        for (const m of docsOf.get(file) ?? []) {
          if (m.type === entry.type) {
            config.fragments.push(m);
            fragmentOf.set(m, config);
          } else {
            docDiag(m, ['type'], `${file} is a fragment of "${entry.name}" (${entry.type}) but this document is ${m.type === undefined ? 'of no type' : `a ${m.type}`}`,
              `Every document in a fragment file must be a ${entry.type}. Move this document to a file that no from pattern of "${entry.name}" matches, or narrow the pattern (compose[${entryIndex}].from[${patternIndex}]: "${pattern}").`,
              [configRelated(patternPath, `"${pattern}" matches ${file}`)]);
          }
        }
      }
    });
    for (const f of config.fragments) {
      const rules = isRecord(f.data) && Array.isArray(f.data.rules) ? f.data.rules : [];
      rules.forEach((_, index) => config.rules.push({ manifest: f, index }));
    }
    reportFieldConflicts(config, docDiag);
  });

  const composedTypes = new Set(configs.map((c) => c.entry.type));
  for (const m of manifests) {
    if (m.type === undefined || !composedTypes.has(m.type) || fragmentOf.has(m) || claimedBy.has(m.file)) continue;
    const c = configs.find((x) => x.entry.type === m.type) as ComposedConfig;
    docDiag(m, ['type'], `this ${m.type} is not a fragment of the composed config "${c.entry.name}": no pattern of its from list matches ${m.file}`,
      `tfy-lint composes ${m.type} from the files compose[${c.entryIndex}] lists, and would leave this document out of what the platform receives. Add its path to that from list at the place its rules belong, or delete the document.`,
      [configRelated(['compose', c.entryIndex, 'from'], `the fragments of "${c.entry.name}"`)]);
  }
  return { configs, composedTypes, of: (m) => fragmentOf.get(m), diagnostics };
}

/** Fields besides type, name and rules are merged: every fragment that sets one must set it to the same value. */
function reportFieldConflicts(config: ComposedConfig, docDiag: (m: Manifest, path: JsonPath, message: string, hint: string, related?: Related[]) => void) {
  const seen = new Map<string, { m: Manifest; json: string }>();
  for (const f of config.fragments) {
    if (!isRecord(f.data)) continue;
    for (const [key, value] of Object.entries(f.data)) {
      if (OWN_KEYS.has(key)) continue;
      const json = JSON.stringify(value);
      const first = seen.get(key);
      if (!first) { seen.set(key, { m: f, json }); continue; }
      if (first.json === json) continue;
      docDiag(f, [key], `"${key}" differs from the value set in ${first.m.file}; fragments of "${config.entry.name}" must agree on it`,
        'The composed config has one value for each field other than rules. Set it in one fragment only (the platform fragment, say), or to the same value everywhere.',
        [{ file: first.m.file, range: first.m.rangeOf([key], 'key'), message: `"${key}" first set here` }]);
    }
  }
}

/** The fragment whose value of a merged field (not type, name or rules) the composed config takes: the first that sets it. */
export function fragmentSetting(config: ComposedConfig, key: string): Manifest | undefined {
  if (OWN_KEYS.has(key)) return undefined;
  return config.fragments.find((m) => isRecord(m.data) && Object.hasOwn(m.data, key));
}

/** The composed document's data: the entry's type and name, merged fields, and every fragment's rules in order. */
export function composedData(config: ComposedConfig): Record<string, unknown> {
  const data: Record<string, unknown> = { type: config.entry.type, name: config.entry.name };
  const keys = new Set(config.fragments.flatMap((m) => (isRecord(m.data) ? Object.keys(m.data) : [])));
  for (const key of keys) {
    const owner = fragmentSetting(config, key);
    if (owner) setOwn(data, key, (owner.data as Record<string, unknown>)[key]);
  }
  data.rules = config.rules.map((r) => ((r.manifest.data as Record<string, unknown>).rules as unknown[])[r.index]);
  return data;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A glob (`*`, `?`, `**`, `{a,b}`) over '/'-separated root-relative paths; a plain path matches itself. */
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
