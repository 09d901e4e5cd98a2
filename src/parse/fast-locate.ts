// Parse: positions of findings in files the fast reader accepts, found by reading the file again with positions
// (fast, and only for files with findings) instead of building `yaml`'s syntax tree. Keys and scalars are placed by
// the fast reader; the few ranges only `yaml` knows exactly (the end of a block mapping or list, an empty value) are
// asked of the `yaml`-based manifest, which parses the file then.
import type { JsonPath, Range } from '../core/diagnostic.ts';
import type { SourceFile } from '../load/files.ts';
import { fastPositions, type PlainResolver, type PosNode } from './fast.ts';
import type { Location, Manifest } from './manifest.ts';
import { rangesOf } from './positions.ts';

interface FilePositions { roots: Map<number, PosNode> | undefined; toRange(start: number, end: number): Range }

/** Position trees of the files whose findings are being placed (most recently used last). */
const cache = new Map<SourceFile, FilePositions>();
const CACHED_FILES = 64;

function filePositions(src: SourceFile, resolve: PlainResolver): FilePositions {
  let p = cache.get(src);
  if (p) {
    cache.delete(src);
    cache.set(src, p);
    return p;
  }
  p = { roots: fastPositions(src.text, resolve), toRange: rangesOf(src.text) };
  if (cache.size >= CACHED_FILES) cache.delete(cache.keys().next().value as SourceFile);
  cache.set(src, p);
  return p;
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
    const rec = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
    if (typeof rec?.type === 'string') this.type = rec.type;
    if (typeof rec?.name === 'string') this.name = rec.name;
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

  locate(path: JsonPath): Location {
    const r = this.root();
    if (!r) return this.slow.locate(path);
    let node = r.node;
    let key: Range | undefined;
    let depth = 0;
    for (const seg of path) {
      let next: PosNode | undefined;
      let nextKey: Range | undefined;
      if (node.entries) {
        const e = node.entries.get(String(seg));
        if (!e) break;
        next = e.value;
        nextKey = r.toRange(e.keyStart, e.keyEnd);
      } else if (node.items && typeof seg === 'number' && seg >= 0 && seg < node.items.length) {
        next = node.items[seg];
      } else break;
      depth++;
      key = nextKey;
      node = next;
    }
    const known = node.end >= 0 ? r.toRange(node.start, node.end) : undefined;
    const loc: Location = { key, depth, value: known as Range };
    if (!known) {
      // Only yaml knows where this node ends: ask it, when (and only if) the value's range is read.
      let asked: Range | undefined;
      Object.defineProperty(loc, 'value', { enumerable: true, get: () => (asked ??= this.slow.locate(path).value) });
    }
    return loc;
  }

  rangeOf(path: JsonPath, prefer: 'key' | 'value' = 'key'): Range {
    const r = this.root();
    if (!r) return this.slow.rangeOf(path, prefer);
    const loc = this.locate(path);
    if (loc.depth < path.length) {
      // Missing: the key of the deepest existing entry; at the top of a document its `type` key; else the first key
      // of the deepest existing mapping.
      if (loc.key) return loc.key;
      const top = r.node.entries;
      if (loc.depth === 0 && top) {
        const type = top.get('type');
        if (type) return r.toRange(type.keyStart, type.keyEnd);
      }
      let node: PosNode | undefined = r.node;
      for (const seg of path.slice(0, loc.depth)) node = node?.entries ? node.entries.get(String(seg))?.value : node?.items?.[seg as number];
      const first = node?.entries?.values().next().value;
      return first ? r.toRange(first.keyStart, first.keyEnd) : loc.value;
    }
    if (prefer === 'key' && loc.key) return loc.key;
    return loc.value;
  }
}
