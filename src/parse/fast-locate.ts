// Parse: positions of findings in files the fast reader accepts, found by reading the file again with positions
// (fast, and only for files with findings) instead of building `yaml`'s syntax tree. Keys and scalars are placed by
// the fast reader; the few ranges only `yaml` knows exactly (the end of a block mapping or list, an empty value) are
// asked of the `yaml`-based manifest, which parses the file then.
import type { JsonPath, Range } from '../core/diagnostic.ts';
import type { SourceFile } from '../load/files.ts';
import { fastPositions, type PlainResolver, type PosNode } from './fast.ts';
import { typeAndName, type Location, type Manifest } from './manifest.ts';
import { rangesOf } from './positions.ts';

interface FilePositions { roots: Map<number, PosNode> | undefined; toRange(start: number, end: number): Range }
type Entry = NonNullable<PosNode['entries']> extends Map<string, infer E> ? E : never;

/**
 * Position trees of the files whose findings are being placed, most recently used last: the last few files asked
 * about (`recent`), and, within a budget of source text, the files asked about more than once (`kept`: a tree takes
 * about eight times its text's size). A run places the schema's findings file by file, then the rules' findings file
 * by file again: a file with several findings is read again with positions once per run, not twice, while a run with
 * one finding per file keeps no more trees than the last few.
 */
const recent = new Map<SourceFile, FilePositions & { uses: number }>();
const RECENT_FILES = 64;
const kept = new Map<SourceFile, FilePositions>();
const KEPT_TEXT = 8 * 1024 * 1024;
let keptText = 0;

function filePositions(src: SourceFile, resolve: PlainResolver): FilePositions {
  const k = kept.get(src);
  if (k) {
    kept.delete(src);
    kept.set(src, k);
    return k;
  }
  let p = recent.get(src);
  if (p) {
    recent.delete(src);
    if (++p.uses < 2) recent.set(src, p);
    else {
      while (kept.size > 0 && keptText + src.text.length > KEPT_TEXT) {
        const oldest = kept.keys().next().value as SourceFile;
        kept.delete(oldest);
        keptText -= oldest.text.length;
      }
      kept.set(src, p);
      keptText += src.text.length;
    }
    return p;
  }
  p = { roots: fastPositions(src.text, resolve), toRange: rangesOf(src.text), uses: 1 };
  if (recent.size >= RECENT_FILES) recent.delete(recent.keys().next().value as SourceFile);
  recent.set(src, p);
  return p;
}

/**
 * Drops the cached position trees: a run calls it once its findings are placed, so that the trees do not weigh on
 * the rest of it (the reports). A later question about positions reads the file again.
 */
export function releasePositions(): void {
  recent.clear();
  kept.clear();
  keptText = 0;
}

/**
 * A manifest of a file the fast reader takes: locate and rangeOf are answered from the fast reader's positions where
 * they are exact, and by the `yaml`-based manifest (`slowOf`, made on demand) otherwise. Both give the same ranges
 * (the differential tests compare them on every path of every document). A manifest at rest holds its data and a
 * few fields: positions are computed only for the files that get a finding.
 */
export class FastManifest implements Manifest {
  readonly file: string;
  readonly type?: string;
  readonly name?: string;
  line?: number;
  #slow: Manifest | undefined;

  constructor(readonly src: SourceFile, readonly docIndex: number, readonly data: unknown, private readonly resolve: PlainResolver,
    private readonly slowOf: (src: SourceFile, docIndex: number, data: unknown) => Manifest) {
    this.file = src.path;
    ({ type: this.type, name: this.name } = typeAndName(data));
  }

  private get slow(): Manifest {
    return (this.#slow ??= this.slowOf(this.src, this.docIndex, this.data));
  }

  get range(): Range {
    return this.slow.range;
  }

  private root(): { node: PosNode; toRange: FilePositions['toRange'] } | undefined {
    const p = filePositions(this.src, this.resolve);
    const node = p.roots?.get(this.docIndex);
    return node ? { node, toRange: p.toRange } : undefined;
  }

  /** Follows `path` from `start` as far as it exists: the node reached, how deep, and the entry of the last step. */
  private walk(start: PosNode, path: JsonPath): { node: PosNode; depth: number; entry?: Entry } {
    let node = start;
    let entry: Entry | undefined;
    let depth = 0;
    for (const seg of path) {
      let next: PosNode | undefined;
      let nextEntry: Entry | undefined;
      if (node.entries) {
        const e = node.entries.get(String(seg));
        if (!e) break;
        next = e.value;
        nextEntry = e;
      } else if (node.items && typeof seg === 'number' && seg >= 0 && seg < node.items.length) {
        next = node.items[seg];
      } else break;
      depth++;
      entry = nextEntry;
      node = next;
    }
    return { node, depth, entry };
  }

  /** The range of the node reached for `path`; only yaml knows where some nodes end, and is asked then. */
  private valueRange(node: PosNode, path: JsonPath, toRange: FilePositions['toRange']): Range {
    return node.end >= 0 ? toRange(node.start, node.end) : this.slow.locate(path).value;
  }

  locate(path: JsonPath): Location {
    const r = this.root();
    if (!r) return this.slow.locate(path);
    const { node, depth, entry } = this.walk(r.node, path);
    const key = entry ? r.toRange(entry.keyStart, entry.keyEnd) : undefined;
    const known = node.end >= 0 ? r.toRange(node.start, node.end) : undefined;
    const loc: Location = { key, depth, value: known as Range };
    if (!known) {
      // Only yaml knows where this node ends: ask it, when (and only if) the value's range is read.
      let asked: Range | undefined;
      Object.defineProperty(loc, 'value', { enumerable: true, get: () => (asked ??= this.slow.locate(path).value) });
    }
    return loc;
  }

  // Ranges are made only for what is returned (a finding's place is found once per finding: no range is made for
  // the keys along its path).
  rangeOf(path: JsonPath, prefer: 'key' | 'value' = 'key'): Range {
    const r = this.root();
    if (!r) return this.slow.rangeOf(path, prefer);
    const { node, depth, entry } = this.walk(r.node, path);
    if (depth < path.length) {
      // Missing: the key of the deepest existing entry; at the top of a document its `type` key; else the first key
      // of the deepest existing mapping.
      if (entry) return r.toRange(entry.keyStart, entry.keyEnd);
      const top = r.node.entries;
      if (depth === 0 && top) {
        const type = top.get('type');
        if (type) return r.toRange(type.keyStart, type.keyEnd);
      }
      const first = node.entries?.values().next().value;
      return first ? r.toRange(first.keyStart, first.keyEnd) : this.valueRange(node, path, r.toRange);
    }
    if (prefer === 'key' && entry) return r.toRange(entry.keyStart, entry.keyEnd);
    return this.valueRange(node, path, r.toRange);
  }
}
