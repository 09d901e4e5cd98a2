// Parse: YAML text -> Manifest[] with positions (yaml v2 + LineCounter); syntax problems become diagnostics.
import { LineCounter, parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq, Schema, type Document, type Node as YNode, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic, JsonPath, Range } from '../core/diagnostic.ts';
import type { SourceFile } from '../load/files.ts';
import { fastParse, type PlainResolver } from './fast.ts';
import { withFastPositions } from './fast-locate.ts';
import type { Location, Manifest } from './manifest.ts';

export interface ParseResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Upper bound on the size of a document once its aliases are expanded (guards against "billion laughs"). */
  maxExpandedNodes?: number;
  /**
   * Try the fast reader for the plain subset of YAML first (default true); files outside it are parsed with `yaml`.
   * Both give the same manifests and diagnostics; false forces `yaml` (the differential tests compare the two).
   */
  fast?: boolean;
}

const DEFAULT_MAX_EXPANDED = 1_000_000;
/** Past this depth a document is rejected instead of risking the call stack. */
const MAX_DEPTH = 500;

type AnyNode = YNode | Pair | null | undefined;

class DocumentTooLarge extends Error {}
class DocumentTooDeep extends Error {}

/** Parses every document of a file. Never throws for any input text. */
export function parseSource(src: SourceFile, opts: ParseOptions = {}): ParseResult {
  if (opts.fast !== false) {
    const fast = fastParse(src.text, resolvePlain);
    if (fast) {
      // The document's range is yaml's (its end depends on how yaml attaches trailing comments): read from the
      // syntax tree when asked for, as every other position is.
      const manifests = fast.map((d) => manifestFromData(src, d.docIndex, d.data));
      return { manifests, diagnostics: [] };
    }
  }
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const toPos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const toRange = (start: number, end: number): Range => ({ start: toPos(start), end: toPos(Math.max(start, end)) });
  let docs: Document.Parsed[];
  try {
    // YAML 1.1 as the platform's Python loader reads it (yes/no booleans, merge keys, octal 0777).
    const parsed = parseAllDocuments(src.text, { lineCounter, version: '1.1', prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    diagnostics.push(fileDiagnostic(src.path, e instanceof RangeError
      ? 'YAML is nested too deeply to read' : `YAML could not be read: ${(e as Error).message}`));
    return { manifests: [], diagnostics };
  }
  const manifests: Manifest[] = [];
  docs.forEach((doc, docIndex) => {
    // One syntax error usually sets off several more in the parser; the first is the root cause.
    const err = doc.errors[0];
    if (err) {
      const more = doc.errors.length - 1;
      diagnostics.push({
        ruleId: 'yaml-syntax', severity: 'error', message: yamlMessage(err.code, err.message), file: src.path, docIndex, path: [],
        range: toRange(err.pos[0], err.code === 'DUPLICATE_KEY' ? keyEnd(src.text, err.pos[0]) : err.pos[1]),
        hint: [yamlHint(err.code), more ? `The parser reported ${more} more error${more === 1 ? '' : 's'} after this one in the same document; fix this one first.` : undefined].filter(Boolean).join(' ') || undefined,
      });
    }
    for (const w of doc.warnings) {
      diagnostics.push({
        ruleId: 'yaml-syntax', severity: 'warning', message: yamlMessage(w.code, w.message), file: src.path, docIndex, path: [],
        range: toRange(w.pos[0], w.pos[1]),
      });
    }
    if (doc.errors.length > 0) return; // a document with syntax errors is not checked any further
    const contents = doc.contents as YNode | null;
    if (contents == null || (isScalar(contents) && contents.value == null)) return; // empty (or null) document
    try {
      const converter = new Converter(doc, opts.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED);
      const data = converter.convert(contents, 0);
      for (const d of converter.problems) {
        diagnostics.push({ ruleId: 'yaml-syntax', severity: 'error', message: d.message, file: src.path, docIndex, path: [], range: toRange(d.start, d.end) });
      }
      if (converter.problems.length) return;
      const range = contents.range ? toRange(contents.range[0], contents.range[1]) : toRange(0, 0);
      manifests.push(makeManifest(src.path, docIndex, data, range, () => reparsed(src, docIndex)));
    } catch (e) {
      const r = contents.range ? toRange(contents.range[0], contents.range[0]) : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
      const message = e instanceof DocumentTooLarge
        ? `anchors and aliases expand this document to more than ${(opts.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED).toLocaleString('en-US')} values ("billion laughs"); it was not checked`
        : e instanceof DocumentTooDeep || e instanceof RangeError
          ? `document is nested too deeply (more than ${MAX_DEPTH} levels); it was not checked`
          : `document could not be read: ${(e as Error).message}`;
      diagnostics.push({ ruleId: 'yaml-syntax', severity: 'error', message, file: src.path, docIndex, path: [], range: r });
    }
  });
  return { manifests, diagnostics };
}

/** The YAML 1.1 schema the `yaml` path resolves plain scalars with, so that the fast path resolves them alike. */
let plainTagsOf: Schema['tags'] | undefined;
const plainTags = () => (plainTagsOf ??= new Schema({ schema: 'yaml-1.1', resolveKnownTags: false }).tags.filter((t) => t.default === true && t.test && !t.collection));

/** A plain scalar's value as the `yaml` path's converter gives it (timestamps kept as written, big integers as numbers). */
const resolvePlain: PlainResolver = (text, atKey) => {
  if (text === '') return { value: null };
  // Most scalars are words that cannot be anything but strings in YAML 1.1 (which starts its other forms with a
  // digit, a sign, a dot, ~, = or <, or is one of the null and boolean words, all starting with n, y, t, f, o).
  if (/^[a-eg-mp-su-xzA-EG-MP-SU-XZ_]/.test(text)) return { value: text };
  const tag = plainTags().find((t) => (t.test as RegExp).test(text));
  if (!tag) return { value: text };
  let failed = false;
  const r = (tag.resolve as (v: string, onError: (m: string) => void, o: object) => unknown)(text, () => { failed = true; }, {});
  if (failed) return undefined;
  const v = isScalar(r) ? r.value : r;
  if (v instanceof Date) return atKey ? undefined : { value: text }; // a timestamp key is the Date's string: yaml's way
  if (typeof v === 'bigint') return { value: Number(v) };
  if (v !== null && typeof v === 'object') return undefined; // binary, sets and other rarities: yaml
  if (typeof v === 'symbol') return undefined; // merge key
  return { value: v };
};

/**
 * A manifest from data read earlier (the results cache) for a document of `src`: positions come from parsing the
 * text when a finding needs them, exactly as for a freshly parsed document.
 */
export function manifestFromData(src: SourceFile, docIndex: number, data: unknown): Manifest {
  const slow = makeManifest(src.path, docIndex, data, () => contentsRange(reparsed(src, docIndex)), () => reparsed(src, docIndex));
  // Files the fast reader takes are placed by it (yaml is asked only for what it alone knows); others by yaml.
  return withFastPositions(src, slow, resolvePlain);
}

function fileDiagnostic(file: string, message: string): Diagnostic {
  return { ruleId: 'yaml-syntax', severity: 'error', message, file, docIndex: -1, path: [], range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
}

/** End offset of a mapping key starting at `start`: up to the ': ' that closes it on the same line. */
function keyEnd(text: string, start: number): number {
  const lineEnd = text.indexOf('\n', start);
  const line = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#]*?)\s*:(?:\s|$)/.exec(line);
  return m ? start + m[1].length : start + 1;
}

function yamlMessage(code: string, message: string): string {
  if (/maximum call stack/i.test(message)) return 'YAML is nested too deeply to read';
  let first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  if (/^[A-Z][a-z]/.test(first)) first = first[0].toLowerCase() + first.slice(1);
  switch (code) {
    case 'DUPLICATE_KEY': return 'duplicate key: a key may appear only once in a mapping';
    case 'TAB_AS_INDENT': return 'tab used for indentation: YAML indents with spaces only';
    default: return first.endsWith('.') ? first.slice(0, -1) : first;
  }
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY': return 'The platform keeps only one of the values, so the other silently disappears. Remove or rename one of them.';
    case 'TAB_AS_INDENT': return 'Replace the tab characters at the start of the line with spaces.';
    case 'BAD_INDENT': return 'Align the entry with its siblings; nested entries need more indentation than their parent key.';
    default: return undefined;
  }
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.source === '<<';
}

/** Builds plain data from the YAML AST in one walk, resolving aliases and merge keys, with an expansion budget. */
class Converter {
  readonly problems: { message: string; start: number; end: number }[] = [];
  private readonly sizes = new WeakMap<object, number>();
  private readonly values = new WeakMap<object, unknown>();
  private expanded = 0;
  constructor(private readonly doc: Document.Parsed, private readonly budget: number) {}

  private charge(n: number) {
    this.expanded += n;
    if (this.expanded > this.budget) throw new DocumentTooLarge();
  }

  /** Number of values a node stands for once expanded (memoised, so shared anchors are counted once per use). */
  private sizeOf(node: AnyNode, depth: number): number {
    if (!node || typeof node !== 'object') return 1;
    if (depth > MAX_DEPTH) throw new DocumentTooDeep();
    const cached = this.sizes.get(node);
    if (cached !== undefined) return cached;
    let n = 1;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      n = target ? this.sizeOf(target, depth + 1) : 1;
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as AnyNode[]) {
        if (isPair(item)) n += this.sizeOf(item.value as AnyNode, depth + 1);
        else n += this.sizeOf(item, depth + 1);
        if (n > this.budget) throw new DocumentTooLarge();
      }
    }
    this.sizes.set(node, n);
    return n;
  }

  convert(node: AnyNode, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new DocumentTooDeep();
    if (node == null) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        this.problems.push({ message: `alias *${node.source} refers to no anchor &${node.source} defined before it`, start: node.range?.[0] ?? 0, end: node.range?.[1] ?? 0 });
        return null;
      }
      this.charge(this.sizeOf(target, depth));
      const known = this.values.get(target);
      if (known !== undefined) return known;
      return this.convert(target, depth + 1);
    }
    this.charge(1);
    if (isScalar(node)) {
      const v = node.value;
      // Timestamps stay as written: the platform compares them as strings (e.g. expiration_date: yyyy-mm-dd).
      if (v instanceof Date) return node.source ?? v.toISOString();
      if (typeof v === 'bigint') return Number(v);
      return v;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      if (node.anchor) this.values.set(node, out);
      for (const item of node.items as AnyNode[]) out.push(this.convert(item, depth + 1));
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      if (node.anchor) this.values.set(node, out);
      this.fillMap(node as YAMLMap, out, depth);
      return out;
    }
    return null;
  }

  private fillMap(node: YAMLMap, out: Record<string, unknown>, depth: number) {
    const merges: AnyNode[] = [];
    for (const pair of node.items as Pair[]) {
      if (isMergeKey(pair.key)) { merges.push(pair.value as AnyNode); continue; }
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      setOwn(out, key, this.convert(pair.value as AnyNode, depth + 1));
    }
    // Merge keys: explicit keys win; among merged maps the first listed wins.
    for (const m of merges) {
      const sources = isSeq(m) ? (m.items as AnyNode[]) : [m];
      for (const s of sources) {
        const value = this.convert(s, depth + 1);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [k, v] of Object.entries(value)) if (!Object.hasOwn(out, k)) setOwn(out, k, v);
        } else {
          const n = s as YNode;
          this.problems.push({ message: 'a merge key (<<) takes a mapping or a list of mappings', start: n?.range?.[0] ?? 0, end: n?.range?.[1] ?? 0 });
        }
      }
    }
  }

  private keyOf(pair: Pair): string | undefined {
    const k = pair.key as AnyNode;
    if (k == null) return '';
    if (isScalar(k)) return String(k.value);
    if (isAlias(k)) {
      const t = k.resolve(this.doc);
      if (isScalar(t)) return String(t.value);
    }
    const n = k as YNode;
    this.problems.push({ message: 'a mapping key must be a plain value, not a list or mapping', start: n.range?.[0] ?? 0, end: n.range?.[1] ?? 0 });
    return undefined;
  }
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown) {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

interface Tree { doc: Document.Parsed; contents: YNode; toRange: (s: number, e: number) => Range }

/**
 * The syntax tree of one document, parsed again on demand. Manifests keep only their data and source text: trees
 * are needed just for the few paths that get a finding, so holding every tree of a large repository would cost
 * memory for nothing. A small cache serves the findings of one file from one parse.
 */
const treeCache = new Map<SourceFile, Tree[]>();
const TREE_CACHE_FILES = 16;

function reparsed(src: SourceFile, docIndex: number): Tree | undefined {
  let trees = treeCache.get(src);
  if (!trees) {
    const lineCounter = new LineCounter();
    const toRange = (start: number, end: number): Range => {
      const a = lineCounter.linePos(start);
      const b = lineCounter.linePos(Math.max(start, end));
      return { start: { line: a.line, column: a.col }, end: { line: b.line, column: b.col } };
    };
    const parsed = parseAllDocuments(src.text, { lineCounter, version: '1.1', prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
    trees = (Array.isArray(parsed) ? parsed : []).map((doc) => ({ doc, contents: doc.contents as YNode, toRange }));
    if (treeCache.size >= TREE_CACHE_FILES) treeCache.delete(treeCache.keys().next().value as SourceFile);
    treeCache.set(src, trees);
  }
  return trees[docIndex];
}

const FILE_START: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function contentsRange(t: Tree | undefined): Range {
  const r = t?.contents?.range;
  return t && r ? t.toRange(r[0], r[1]) : FILE_START;
}

function makeManifest(file: string, docIndex: number, data: unknown, range: Range | (() => Range), tree: () => Tree | undefined): Manifest {
  let known = typeof range === 'function' ? undefined : range;
  const docRange = () => (known ??= (range as () => Range)());
  const rec = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  let toRange: Tree['toRange'] = () => docRange();
  let doc: Document.Parsed;
  let contents: YNode;
  const rangeOfNode = (n: AnyNode, fallback: Range): Range => {
    const r = (n as YNode | null)?.range;
    return r ? toRange(r[0], r[1]) : fallback;
  };
  /** Loads the tree into the closure variables; false when it cannot be had (then every range is the document's). */
  const load = (): boolean => {
    const t = tree();
    if (!t) return false;
    ({ doc, contents, toRange } = t);
    return true;
  };

  const resolve = (n: AnyNode): AnyNode => {
    for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(doc);
    return n;
  };
  /** The pair of a key in a mapping, looking through merge keys (explicit keys first, then merged maps in order). */
  const findPair = (map: YAMLMap, key: string, depth = 0): Pair | undefined => {
    let merged: Pair | undefined;
    for (const pair of map.items as Pair[]) {
      if (isMergeKey(pair.key)) continue;
      const k = resolve(pair.key as AnyNode);
      if (isScalar(k) && String(k.value) === key) return pair;
    }
    if (depth > 20) return undefined;
    for (const pair of map.items as Pair[]) {
      if (!isMergeKey(pair.key) || merged) continue;
      const v = resolve(pair.value as AnyNode);
      const sources = isSeq(v) ? (v.items as AnyNode[]) : [v];
      for (const s of sources) {
        const m = resolve(s);
        if (isMap(m)) { merged = findPair(m as YAMLMap, key, depth + 1); if (merged) break; }
      }
    }
    return merged;
  };

  const locate = (path: JsonPath): Location => {
    if (!load()) return { value: docRange(), depth: 0 };
    let node: AnyNode = contents;
    let keyNode: AnyNode;
    let valueRange = docRange();
    let keyRange: Range | undefined;
    let depth = 0;
    for (const seg of path) {
      const n = resolve(node);
      let next: AnyNode;
      let nextKey: AnyNode;
      if (isMap(n)) {
        const pair = findPair(n as YAMLMap, String(seg));
        if (!pair) break;
        nextKey = pair.key as AnyNode;
        next = pair.value as AnyNode;
      } else if (isSeq(n) && typeof seg === 'number' && seg >= 0 && seg < n.items.length) {
        next = n.items[seg] as AnyNode;
        nextKey = undefined;
      } else break;
      depth++;
      keyNode = nextKey;
      keyRange = keyNode ? rangeOfNode(keyNode, valueRange) : undefined;
      // A key without a value (`key:`) has no value node: its range is the key's.
      valueRange = next ? rangeOfNode(next, keyRange ?? valueRange) : (keyRange ?? valueRange);
      if (next && isAlias(next)) valueRange = rangeOfNode(next, valueRange);
      node = next;
    }
    return { key: keyRange, value: valueRange, depth };
  };

  const firstKeyRange = (n: AnyNode): Range | undefined => {
    const m = resolve(n);
    if (isMap(m) && m.items.length) {
      const first = (m.items as Pair[])[0];
      return rangeOfNode(first.key as AnyNode, docRange());
    }
    return undefined;
  };

  const rangeOf = (path: JsonPath, prefer: 'key' | 'value' = 'key'): Range => {
    const loc = locate(path);
    if (!contents) return docRange();
    if (loc.depth < path.length) {
      // Missing: point at the key of the deepest existing object, or at its first key when it has no key of its own
      // (at the top of a document, at its `type`).
      if (loc.key) return loc.key;
      if (loc.depth === 0 && isMap(resolve(contents))) {
        const typePair = findPair(resolve(contents) as YAMLMap, 'type');
        if (typePair) return rangeOfNode(typePair.key as AnyNode, docRange());
      }
      const ancestor = nodeAt(path.slice(0, loc.depth));
      return firstKeyRange(ancestor) ?? loc.value;
    }
    if (prefer === 'key' && loc.key) return loc.key;
    return loc.value;
  };

  const nodeAt = (path: JsonPath): AnyNode => {
    let node: AnyNode = contents;
    for (const seg of path) {
      const n = resolve(node);
      if (isMap(n)) node = findPair(n as YAMLMap, String(seg))?.value as AnyNode;
      else if (isSeq(n) && typeof seg === 'number') node = n.items[seg] as AnyNode;
      else return undefined;
    }
    return node;
  };

  return {
    file,
    docIndex,
    data,
    type: typeof rec?.type === 'string' ? rec.type : undefined,
    name: typeof rec?.name === 'string' ? rec.name : undefined,
    get range() { return docRange(); },
    locate,
    rangeOf,
  };
}
