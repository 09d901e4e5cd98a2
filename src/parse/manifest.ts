// Parse: the Manifest interface every later stage reads. The YAML engine behind it is replaceable.
import type { JsonPath, Range } from '../core/diagnostic.ts';

/** Where a JSON path sits in the source. */
export interface Location {
  /** The mapping key's range, when the path ends at a mapping entry. */
  key?: Range;
  /** The value's range (for a missing or unknown path: the nearest existing ancestor's). */
  value: Range;
  /** How many leading segments of the path exist in the source; equals path.length when the path was found. */
  depth: number;
}

export interface Manifest {
  file: string;
  /** Index of the '---' document in its file, 0-based, counting empty documents. */
  docIndex: number;
  /** The document as plain data (anchors, aliases and merge keys resolved). Read-only for every stage. */
  data: unknown;
  /** The document's `type` when it is a string. */
  type?: string;
  /** The document's `name` when it is a string. */
  name?: string;
  /** The whole document's range. */
  range: Range;
  /**
   * The line the document's content starts on (range.start.line), when it is known without a syntax tree (the fast
   * reader and the results cache know it); reading `range` may parse the file.
   */
  line?: number;
  /** Turns a JSON path into source ranges; never throws. */
  locate(path: JsonPath): Location;
  /**
   * The range a finding about `path` should point at: the key of a mapping entry (for a property that is there
   * but wrong, or for an unknown property), the value for an item of a list, and for a property that is missing,
   * the key of the object that should hold it.
   */
  rangeOf(path: JsonPath, prefer?: 'key' | 'value'): Range;
}

/** A document's `type` and `name`, each when it is a string (what Manifest.type and Manifest.name hold). */
export function typeAndName(data: unknown): { type?: string; name?: string } {
  // Called for every document a run makes: plain assignments, no object spreads (V8 clones an object to spread it).
  const out: { type?: string; name?: string } = {};
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const { type, name } = data as Record<string, unknown>;
    if (typeof type === 'string') out.type = type;
    if (typeof name === 'string') out.name = name;
  }
  return out;
}
