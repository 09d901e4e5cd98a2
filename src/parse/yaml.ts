// Parse: YAML text -> Manifest[] with positions (yaml v2; offsets turned into lines and columns by ./positions.ts); syntax problems become diagnostics.
import { parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node as YNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic, JsonPath, Range } from '../core/diagnostic.ts';
import type { SourceFile } from '../load/files.ts';
import { fastParse, type PlainResolver } from './fast.ts';
import { FastManifest } from './fast-locate.ts';
import { typeAndName, type Location, type Manifest } from './manifest.ts';
import { constructTagged, displayTag, resolvePlainScalar, SAFE_TAGS, scalarKey, type ResolvedScalar } from './scalars.ts';
import { setOwn } from '../core/own.ts';
import { ownString } from '../core/text.ts';
import { rangesOf } from './positions.ts';

import { releasePositions as releaseFastPositions } from './fast-locate.ts';

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
  const bytes = src.bytes;
  if (bytes) src.bytes = undefined; // needed only here
  if (opts.fast !== false) {
    const fast = fastParse(src.text, resolvePlain, bytes);
    if (fast) {
      // The document's range is yaml's (its end depends on how yaml attaches trailing comments): read from the
      // syntax tree when asked for, as every other position is.
      let line = 1;
      let at = 0;
      const manifests = fast.map((d) => {
        for (let i = src.text.indexOf('\n', at); i !== -1 && i < d.start; i = src.text.indexOf('\n', i + 1)) line++;
        at = d.start;
        return manifestFromData(src, d.docIndex, d.data, line);
      });
      return { manifests, diagnostics: [] };
    }
  }
  const diagnostics: Diagnostic[] = [];
  const toRange = rangesOf(src.text);
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(src.text, YAML_OPTIONS);
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    diagnostics.push(fileDiagnostic(src.path, e instanceof RangeError
      ? 'YAML is nested too deeply to read' : `YAML could not be read: ${(e as Error).message}`));
    return { manifests: [], diagnostics };
  }
  const manifests: Manifest[] = [];
  const verbatim: [number, number][] = [];
  // The trees just built serve the first findings' positions (schema findings come right after parsing).
  const trees: Tree[] = [];
  let readable = true;
  docs.forEach((doc, docIndex) => {
    // One syntax error usually sets off several more in the parser; the first is the root cause.
    const err = doc.errors[0];
    if (err) {
      readable = false;
      const more = doc.errors.length - 1;
      diagnostics.push({
        ruleId: 'yaml-syntax', severity: 'error', message: yamlMessage(err.code, err.message), file: src.path, docIndex, path: [],
        range: toRange(err.pos[0], err.pos[1]),
        hint: [yamlHint(err.code), more ? `The parser reported ${more} more error${more === 1 ? '' : 's'} after this one in the same document; fix this one first.` : undefined].filter(Boolean).join(' ') || undefined,
      });
    }
    for (const w of doc.warnings) {
      // Tags are judged below by what PyYAML's safe loader does with them.
      if (w.code === 'TAG_RESOLVE_FAILED') continue;
      diagnostics.push({
        ruleId: 'yaml-syntax', severity: 'warning', message: yamlMessage(w.code, w.message), file: src.path, docIndex, path: [],
        range: toRange(w.pos[0], w.pos[1]),
      });
    }
    if (doc.errors.length > 0) return; // a document with syntax errors is not checked any further
    const contents = doc.contents as YNode | null;
    const duplicateAnchors: YNode[] = [];
    const aliases = resolveAliases(contents, verbatim, duplicateAnchors);
    trees[docIndex] = { doc, contents: contents as YNode, aliases, toRange };
    if (contents == null) return; // empty document
    if (duplicateAnchors.length) {
      for (const n of duplicateAnchors) {
        // The anchor's own text is just before the node; the node's range is the best position the engine gives.
        diagnostics.push({ ruleId: 'yaml-syntax', severity: 'error', message: `anchor &${n.anchor} is defined twice in this document: PyYAML (the platform's CLI) refuses that`, hint: 'Give each anchor its own name.', file: src.path, docIndex, path: [], range: toRange(nodeStart(n), nodeEnd(n)) });
      }
      return;
    }
    try {
      const converter = new Converter(aliases, opts.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED);
      const data = converter.convert(contents, 0);
      for (const d of converter.problems) {
        const duplicate = d.related !== undefined;
        diagnostics.push({
          ruleId: 'yaml-syntax', severity: 'error', message: d.message, file: src.path, docIndex, path: [], range: toRange(d.start, d.end),
          ...(duplicate ? { hint: 'The platform keeps only the last of the values, so the others silently disappear. Remove or rename the repeated key.' } : {}),
          ...(d.related ? { related: [{ file: src.path, range: toRange(d.related.start, d.related.end), message: d.related.message }] } : {}),
        });
      }
      if (converter.problems.some((p) => p.fatal)) return;
      if (data == null) return; // a null document (`~`) holds nothing to check
      const range = contents.range ? toRange(contents.range[0], contents.range[1]) : toRange(0, 0);
      manifests.push(new YamlManifest(src, docIndex, data, range));
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
  if (manifests.length) remember(src, docs.map((doc, i) => trees[i] ?? { doc, contents: doc.contents as YNode, aliases: resolveAliases(doc.contents as YNode), toRange }));
  if (readable) {
    for (const c of characterProblems(src.text, verbatim)) {
      const docIndex = Math.max(0, docs.findIndex((d) => c.offset < (d.range?.[2] ?? Infinity)));
      diagnostics.push({ ruleId: 'yaml-syntax', severity: 'error', message: c.message, hint: c.hint, file: src.path, docIndex, path: [], range: toRange(c.offset, c.offset + 1) });
    }
  }
  return { manifests, diagnostics };
}

/**
 * A plain scalar's value as the `yaml` path's converter gives it (PyYAML's resolver, scalars.ts), or undefined when the
 * fast path must leave the file to that path: scalars PyYAML refuses, `<<` and `=`, and keys that are not strings
 * (whose identity as keys, and so duplicates, the converter judges).
 */
const resolvePlain: PlainResolver = (text, atKey) => {
  let known = RESOLVED.get(text);
  if (known === undefined) {
    const r = resolvePlainScalar(text);
    const fine = !(r.error || r.tag === 'merge' || r.tag === 'value');
    if (text.length > RESOLVED_MAX_LENGTH) return fine && !(atKey && r.tag !== 'str') ? { value: r.value } : undefined;
    // Kept: a string of its own (the text may be a view into the file's, see ownString), which is then the value of
    // every scalar with this text.
    const own = ownString(text);
    known = fine ? { value: r.tag === 'str' ? own : r.value, str: r.tag === 'str' } : null;
    if (RESOLVED.size >= RESOLVED_ENTRIES) RESOLVED.clear();
    RESOLVED.set(own, known);
  }
  return known === null || (atKey && !known.str) ? undefined : known;
};

/**
 * Plain scalars already resolved, by text: manifests repeat the same short texts thousands of times (keys, types,
 * enum values, status codes), and each is resolved once, through five patterns, and kept as one string, not one per
 * occurrence. Bounded (cleared when full); long texts are not kept.
 */
const RESOLVED = new Map<string, { value: unknown; str: boolean } | null>();
const RESOLVED_MAX_LENGTH = 64;
const RESOLVED_ENTRIES = 16384;

/**
 * A manifest from data read earlier (the results cache) for a document of `src`: positions come from parsing the
 * text when a finding needs them, exactly as for a freshly parsed document.
 */
export function manifestFromData(src: SourceFile, docIndex: number, data: unknown, line?: number): Manifest {
  // Files the fast reader takes are placed by it (yaml is asked only for what it alone knows); others by yaml.
  const m = new FastManifest(src, docIndex, data, resolvePlain, slowManifest);
  if (line !== undefined) m.line = line;
  return m;
}

const slowManifest = (src: SourceFile, docIndex: number, data: unknown): Manifest => new YamlManifest(src, docIndex, data);

/** Characters PyYAML's reader refuses anywhere in a file, comments included. */
const NON_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * What PyYAML's reader and scanner refuse although the yaml engine reads it: control characters, and tabs outside
 * quoted scalars, block scalars and comments (PyYAML skips only spaces between tokens, and ends a plain scalar at a
 * tab). One finding each, at the first occurrence, since the platform's CLI stops there.
 */
function characterProblems(text: string, verbatim: [number, number][]): { offset: number; message: string; hint: string }[] {
  const out: { offset: number; message: string; hint: string }[] = [];
  const bad = NON_PRINTABLE.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    out.push({ offset: bad.index, message: `character U+${code} is not allowed in YAML: PyYAML (the platform's CLI) refuses the file`, hint: 'Remove the control character, or write it as an escape inside a double-quoted string ("\\x01").' });
  }
  if (text.includes('\t')) {
    verbatim.sort((a, b) => a[0] - b[0]);
    let v = 0;
    let at = text.indexOf('\t');
    while (at !== -1) {
      while (v < verbatim.length && verbatim[v][1] <= at) v++;
      const inScalar = v < verbatim.length && verbatim[v][0] <= at;
      if (!inScalar && !inComment(text, at, verbatim)) {
        out.push({ offset: at, message: 'tab character outside a quoted string, block scalar or comment: PyYAML (the platform\'s CLI) refuses the file', hint: 'Use spaces to separate and indent YAML; a tab may appear only inside quotes, a | or > block, or a comment.' });
        break;
      }
      at = text.indexOf('\t', at + 1);
    }
  }
  return out;
}

/** Whether the character at `at` is inside a comment: after a `#` that starts one on its line (not inside a scalar). */
function inComment(text: string, at: number, verbatim: [number, number][]): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  for (let i = text.indexOf('#', lineStart); i !== -1 && i < at; i = text.indexOf('#', i + 1)) {
    const before = i === lineStart ? ' ' : text[i - 1];
    if ((before === ' ' || before === '\t') && !verbatim.some(([s, e]) => s <= i && i < e)) return true;
  }
  return false;
}

function fileDiagnostic(file: string, message: string): Diagnostic {
  return { ruleId: 'yaml-syntax', severity: 'error', message, file, docIndex: -1, path: [], range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
}

function yamlMessage(code: string, message: string): string {
  if (/maximum call stack/i.test(message)) return 'YAML is nested too deeply to read';
  let first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  if (/^[A-Z][a-z]/.test(first)) first = first[0].toLowerCase() + first.slice(1);
  switch (code) {
    case 'TAB_AS_INDENT': return 'tab used for indentation: YAML indents with spaces only';
    default: return first.endsWith('.') ? first.slice(0, -1) : first;
  }
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'TAB_AS_INDENT': return 'Replace the tab characters at the start of the line with spaces.';
    case 'BAD_INDENT': return 'Align the entry with its siblings; nested entries need more indentation than their parent key.';
    default: return undefined;
  }
}

/** The yaml engine reads structure only; what each scalar means is decided by PyYAML's rules (scalars.ts). */
const YAML_OPTIONS = { version: '1.1', schema: 'failsafe', prettyErrors: false, uniqueKeys: false, keepSourceTokens: false } as const;

const CORE = 'tag:yaml.org,2002:';

/** Each alias of a document with the node it stands for: the closest anchor of that name before it, as PyYAML does. */
type AliasTargets = Map<Alias, YNode | undefined>;

/**
 * One walk in document order records every anchor and resolves every alias. (The yaml engine's own `resolve`
 * walks the whole document for each alias, which makes files with many aliases quadratic.)
 */
function resolveAliases(contents: YNode | null, verbatim?: [number, number][], duplicateAnchors?: YNode[]): AliasTargets {
  const targets: AliasTargets = new Map();
  const anchors = new Map<string, YNode>();
  const stack: AnyNode[] = [contents];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (isPair(n)) { stack.push(n.value as AnyNode, n.key as AnyNode); continue; }
    if (isAlias(n)) { targets.set(n, anchors.get(n.source)); continue; }
    const node = n as YNode;
    if (node.anchor) {
      // PyYAML refuses a second anchor of the same name in one document.
      if (duplicateAnchors && anchors.has(node.anchor)) duplicateAnchors.push(node);
      anchors.set(node.anchor, node);
    }
    // Quoted and block scalars may hold tabs for PyYAML; collected here for the tab check.
    if (verbatim && isScalar(node) && node.type !== 'PLAIN' && node.range) verbatim.push([node.range[0], node.range[1]]);
    if (isMap(node) || isSeq(node)) {
      const items = node.items as AnyNode[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
  return targets;
}

/** What a scalar node means to PyYAML: plain ones go through the implicit resolver, tagged ones through their tag. */
function scalarMeaning(node: Scalar): ResolvedScalar {
  const text = node.value == null ? '' : String(node.value);
  const tag = node.tag;
  // `!` is the non-specific tag: PyYAML resolves the text as if it were plain, even when quoted.
  if (tag === '!' || (!tag && node.type === 'PLAIN')) return resolvePlainScalar(text);
  if (!tag) return { tag: 'str', value: text };
  return constructTagged(tag, text);
}

function isMergeKey(key: AnyNode, aliases: AliasTargets): boolean {
  if (isAlias(key)) key = aliases.get(key);
  if (!isScalar(key)) return false;
  return key.tag === `${CORE}merge` || (!key.tag && key.type === 'PLAIN' && key.value === '<<');
}

/** A mapping key as the platform receives it (JSON text of PyYAML's key); undefined for a collection key. */
function keyText(key: AnyNode, aliases: AliasTargets): string | undefined {
  if (key == null) return 'null';
  if (isAlias(key)) key = aliases.get(key);
  if (!isScalar(key)) return undefined;
  const r = scalarMeaning(key);
  // PyYAML turns a `=` key into the string "="; as a key, `!!value` is no error.
  if (r.tag === 'value' || (isScalar(key) && key.tag === `${CORE}value`)) return '=';
  return scalarKey(r);
}

/** Which keys are one key to Python's dict (yes, 1 and 1.0 are the same key; two NaN never are). */
function keyIdentity(key: AnyNode, aliases: AliasTargets): string | undefined {
  if (key == null) return 'null';
  if (isAlias(key)) key = aliases.get(key);
  if (!isScalar(key)) return undefined;
  const r = scalarMeaning(key);
  if (typeof r.value === 'number' || typeof r.value === 'boolean') {
    const n = Number(r.value);
    return Number.isNaN(n) ? undefined : `n:${Object.is(n, -0) ? 0 : n}`;
  }
  if (r.tag === 'timestamp' && !r.error) return `t:${timestampIdentity(String(r.value))}`;
  return r.value === null ? 'null' : `s:${keyText(key, aliases)}`;
}

/** Equal dates and equal instants written differently are one key in Python; naive and aware times never match. */
function timestampIdentity(text: string): string {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/.exec(text);
  if (!m) return text;
  const [y, mo, d] = [m[1], m[2], m[3]].map(Number);
  if (m[4] === undefined) return `date:${y}-${mo}-${d}`;
  const micro = Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  const local = Date.UTC(y, mo - 1, d, Number(m[4]), Number(m[5]), Number(m[6]));
  if (m[8] === undefined) return `naive:${local}.${micro}`;
  const offset = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0)) : 0;
  return `aware:${local - offset * 60_000}.${micro}`;
}

type Problem = { message: string; start: number; end: number; fatal: boolean; related?: { start: number; end: number; message: string } };

const nodeStart = (n: AnyNode) => (n as YNode | null)?.range?.[0] ?? 0;
const nodeEnd = (n: AnyNode) => (n as YNode | null)?.range?.[1] ?? 0;

/** Builds plain data from the YAML AST in one walk, resolving aliases and merge keys, with an expansion budget. */
class Converter {
  readonly problems: Problem[] = [];
  private readonly sizes = new Map<object, number>();
  private readonly values = new Map<object, unknown>();
  private readonly inProgress = new Set<object>();
  private readonly flat = new Map<YAMLMap, Pair[]>();
  private readonly keys = new Map<Pair, string | undefined>();
  private expanded = 0;
  constructor(private readonly aliases: AliasTargets, private readonly budget: number) {}

  private problem(n: AnyNode, message: string, fatal = true) {
    this.problems.push({ message, start: nodeStart(n), end: nodeEnd(n), fatal });
  }

  private charge(n: number) {
    this.expanded += n;
    if (this.expanded > this.budget) throw new DocumentTooLarge();
  }

  /**
   * Number of values a node stands for once expanded. Memoised per node, so each node is sized once and each
   * alias use costs one lookup: linear in the file and its number of alias uses, however they nest.
   */
  private sizeOf(node: AnyNode, depth: number): number {
    if (!node || typeof node !== 'object') return 1;
    if (depth > MAX_DEPTH) throw new DocumentTooDeep();
    const cached = this.sizes.get(node);
    if (cached !== undefined) return cached;
    let n = 1;
    if (isAlias(node)) {
      const target = this.aliases.get(node);
      // An alias to a node still being sized is recursive; convert() reports it.
      n = target && !this.inProgress.has(target) ? this.sizeOf(target, depth + 1) : 1;
    } else if (isMap(node) || isSeq(node)) {
      this.inProgress.add(node);
      for (const item of node.items as AnyNode[]) {
        if (isPair(item)) n += this.sizeOf(item.value as AnyNode, depth + 1);
        else n += this.sizeOf(item, depth + 1);
        if (n > this.budget) throw new DocumentTooLarge();
      }
      this.inProgress.delete(node);
    }
    this.sizes.set(node, n);
    return n;
  }

  convert(node: AnyNode, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new DocumentTooDeep();
    if (node == null) return null;
    if (isAlias(node)) {
      const target = this.aliases.get(node);
      if (!target) {
        this.problem(node, `alias *${node.source} refers to no anchor &${node.source} defined before it in this document`);
        return null;
      }
      if (this.inProgress.has(target)) {
        this.problem(node, `alias *${node.source} is used inside the node it names, which makes the data endless; the platform cannot receive it`);
        return null;
      }
      this.charge(this.sizeOf(target, depth));
      if (this.values.has(target)) return this.values.get(target);
      return this.convert(target, depth + 1);
    }
    // A merge can bring in an entry of an enclosing mapping whose value holds this very node: endless data.
    if (this.inProgress.has(node)) {
      this.problem(node, 'a merge key (<<) here brings in a value that contains this mapping itself, which makes the data endless; the platform cannot receive it');
      return null;
    }
    this.charge(1);
    let out: unknown;
    if (isScalar(node)) {
      const r = scalarMeaning(node);
      if (r.error) this.problem(node, r.error);
      out = typeof r.value === 'string' ? ownString(r.value) : r.value;
    } else if (isSeq(node)) {
      this.inProgress.add(node);
      out = this.convertSeq(node, depth);
      this.inProgress.delete(node);
    } else if (isMap(node)) {
      this.inProgress.add(node);
      out = this.convertMap(node as YAMLMap, depth);
      this.inProgress.delete(node);
    } else out = null;
    if ((node as YNode).anchor) this.values.set(node, out);
    return out;
  }

  private convertSeq(node: YNode & { items: unknown[] }, depth: number): unknown {
    const tag = node.tag;
    const items = node.items as AnyNode[];
    if (tag === `${CORE}omap` || tag === `${CORE}pairs`) {
      // PyYAML builds a list of (key, value) tuples, which reach the platform as two-element lists.
      const out: unknown[] = [];
      for (const item of items) {
        const m = isAlias(item) ? this.aliases.get(item) : item;
        if (!isMap(m) || m.items.length !== 1) { this.problem(item, `each entry of ${displayTag(tag)} must be a mapping of exactly one key`); continue; }
        const pair = m.items[0] as Pair;
        out.push([this.keyOf(pair), this.convert(pair.value as AnyNode, depth + 1)]);
      }
      return out;
    }
    if (tag && tag !== '!' && tag !== `${CORE}seq`) this.problem(node, tagProblem(tag, 'list'));
    const out: unknown[] = [];
    for (const item of items) out.push(this.convert(item, depth + 1));
    return out;
  }

  /**
   * A mapping's entries as PyYAML's flatten_mapping lists them: the merged entries first (each `<<` in turn; for a
   * list of maps, the last map first; each merged map flattened the same way), then the explicit ones. Memoised
   * per mapping, so a map merged into many others is flattened once.
   */
  private flattened(node: YAMLMap, depth: number): Pair[] {
    const known = this.flat.get(node);
    if (known) return known;
    if (depth > MAX_DEPTH) throw new DocumentTooDeep();
    this.flat.set(node, []); // a map that merges itself (through an alias) adds nothing the second time
    const merged: Pair[] = [];
    const explicit: Pair[] = [];
    for (const pair of node.items as Pair[]) {
      if (!isMergeKey(pair.key as AnyNode, this.aliases)) { explicit.push(pair); continue; }
      const v = pair.value as AnyNode;
      const target = isAlias(v) ? this.aliases.get(v) : v;
      const sources = isSeq(target) ? [...(target.items as AnyNode[])].reverse() : [v];
      for (const s of sources) {
        const source = isAlias(s) ? this.aliases.get(s) : s;
        if (isAlias(s) && !source) { this.problem(s, `alias *${s.source} refers to no anchor &${s.source} defined before it in this document`); continue; }
        if (!isMap(source)) { this.problem(s ?? (pair.key as AnyNode), 'a merge key (<<) takes a mapping or a list of mappings'); continue; }
        if (source.tag && source.tag !== '!' && source.tag !== `${CORE}map`) this.problem(source, tagProblem(source.tag, 'mapping'));
        const pairs = this.flattened(source as YAMLMap, depth + 1);
        this.charge(pairs.length);
        for (const p of pairs) merged.push(p);
      }
    }
    const all = merged.length ? merged.concat(explicit) : explicit;
    this.flat.set(node, all);
    return all;
  }

  private convertMap(node: YAMLMap, depth: number): Record<string, unknown> {
    const tag = node.tag;
    if (tag && tag !== '!' && tag !== `${CORE}map`) this.problem(node, tagProblem(tag, 'mapping'));
    // A later entry wins, so explicit keys override merged ones. Only each key's winning value is built: a merged
    // entry that an explicit key overrides is never read (PyYAML does not mind what it held either).
    // Keys equal to Python (yes, 1 and 1.0) are one entry, spelled as first written, with the last value.
    const winners = new Map<string, { key: string; pair: Pair }>();
    for (const pair of this.flattened(node, depth)) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      const identity = keyIdentity(pair.key as AnyNode, this.aliases) ?? `text:${key}`;
      const known = winners.get(identity);
      if (known) known.pair = pair;
      else winners.set(identity, { key, pair });
    }
    this.reportDuplicates(node);
    const out: Record<string, unknown> = {};
    for (const { key, pair } of winners.values()) setOwn(out, key, this.convert(pair.value as AnyNode, depth + 1));
    return out;
  }

  /** Every explicit key that repeats an earlier one of the same mapping, at its own position. */
  private reportDuplicates(node: YAMLMap) {
    const seen = new Map<string, Pair>();
    const seenText = new Map<string, Pair>();
    for (const pair of node.items as Pair[]) {
      if (isMergeKey(pair.key as AnyNode, this.aliases)) continue;
      const key = keyText(pair.key as AnyNode, this.aliases);
      if (key === undefined) continue;
      const identity = keyIdentity(pair.key as AnyNode, this.aliases);
      const first = (identity !== undefined ? seen.get(identity) : undefined) ?? seenText.get(key);
      if (first) {
        // PyYAML keeps the last value silently; the data here does the same, and each repeat is reported at its line.
        this.problems.push({
          message: `duplicate key "${key}": a key may appear only once in a mapping`,
          start: nodeStart(pair.key as AnyNode), end: nodeEnd(pair.key as AnyNode), fatal: false,
          related: { start: nodeStart(first.key as AnyNode), end: nodeEnd(first.key as AnyNode), message: `"${key}" first defined here` },
        });
        continue;
      }
      if (identity !== undefined) seen.set(identity, pair);
      seenText.set(key, pair);
    }
  }

  /** A key's text, computed and checked once per written key however many maps merge it. */
  private keyOf(pair: Pair): string | undefined {
    if (this.keys.has(pair)) return this.keys.get(pair);
    const text = this.checkKey(pair);
    this.keys.set(pair, text);
    return text;
  }

  private checkKey(pair: Pair): string | undefined {
    const k = pair.key as AnyNode;
    const text = keyText(k, this.aliases);
    if (text !== undefined) {
      const s = isAlias(k) ? this.aliases.get(k) : k;
      if (isScalar(s)) {
        const r = scalarMeaning(s);
        // `=` and `<<` are fine as keys; anything else PyYAML cannot construct is refused here too.
        if (r.error && r.tag !== 'value' && r.tag !== 'merge' && s.tag !== `${CORE}value`) this.problem(s, r.error);
      }
      return text;
    }
    if (isAlias(k) && !this.aliases.get(k)) {
      this.problem(k, `alias *${k.source} refers to no anchor &${k.source} defined before it in this document`);
      return undefined;
    }
    this.problem(k, 'a mapping key must be a plain value, not a list or mapping');
    return undefined;
  }
}

function tagProblem(tag: string, kind: 'list' | 'mapping'): string {
  if (tag === `${CORE}set`) return 'a set (!!set) becomes a Python set in PyYAML, which cannot be sent to the platform as JSON; use a list';
  if (SAFE_TAGS.has(tag)) return `the tag ${displayTag(tag)} cannot be put on a ${kind}; PyYAML refuses it`;
  return `PyYAML's safe loader has no constructor for the tag ${displayTag(tag)}; the platform's CLI cannot read this ${kind}`;
}


interface Tree { doc: Document.Parsed; contents: YNode; aliases: AliasTargets; toRange: (s: number, e: number) => Range }

/**
 * The syntax tree of one document, parsed again on demand. Manifests keep only their data and source text: trees
 * are needed just for the few paths that get a finding, so holding every tree of a large repository would cost
 * memory for nothing. A small cache serves the findings of one file from one parse.
 */
const treeCache = new Map<SourceFile, Tree[]>();
const TREE_CACHE_FILES = 16;

/**
 * Drops every cached syntax and position tree (both readers'): a run calls it once its findings are placed, so that
 * neither the trees nor the texts they were read from weigh on the rest of it. Later questions read the file again.
 */
export function releasePositions(): void {
  releaseFastPositions();
  treeCache.clear();
}

function remember(src: SourceFile, trees: Tree[]) {
  treeCache.delete(src);
  if (treeCache.size >= TREE_CACHE_FILES) treeCache.delete(treeCache.keys().next().value as SourceFile);
  treeCache.set(src, trees);
}

function reparsed(src: SourceFile, docIndex: number): Tree | undefined {
  let trees = treeCache.get(src);
  if (trees) {
    // Most recently used last, so a file whose findings are being placed stays in the cache.
    treeCache.delete(src);
    treeCache.set(src, trees);
  } else {
    const toRange = rangesOf(src.text);
    const parsed = parseAllDocuments(src.text, YAML_OPTIONS);
    trees = (Array.isArray(parsed) ? parsed : []).map((doc) => {
      const contents = doc.contents as YNode;
      return { doc, contents, aliases: resolveAliases(contents), toRange };
    });
    remember(src, trees);
  }
  return trees[docIndex];
}

const FILE_START: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function contentsRange(t: Tree | undefined): Range {
  const r = t?.contents?.range;
  return t && r ? t.toRange(r[0], r[1]) : FILE_START;
}

/**
 * What a manifest of the `yaml` path needs to turn paths into ranges: built on the first question (few documents get
 * a finding), so a manifest at rest is its data and a few fields.
 */
function buildEngine(m: YamlManifest): Pick<Manifest, 'locate' | 'rangeOf'> {
  const docRange = () => m.range;
  const tree = () => reparsed(m.src, m.docIndex);
  let toRange: Tree['toRange'] = () => docRange();
  let contents: YNode;
  let aliases: AliasTargets = new Map();
  /** Per mapping of the current tree: each key's effective pair (built once per mapping, so lookups are O(1)). */
  let index = new WeakMap<YAMLMap, Map<string, Pair>>();
  let loadedTree: Tree | undefined;
  const rangeOfNode = (n: AnyNode, fallback: Range): Range => {
    const r = (n as YNode | null)?.range;
    return r ? toRange(r[0], r[1]) : fallback;
  };
  /** Loads the tree into the closure variables; false when it cannot be had (then every range is the document's). */
  const load = (): boolean => {
    const t = tree();
    if (!t) return false;
    if (t !== loadedTree) {
      loadedTree = t;
      ({ contents, toRange, aliases } = t);
      index = new WeakMap();
    }
    return true;
  };

  const resolve = (n: AnyNode): AnyNode => (isAlias(n) ? aliases.get(n) : n);
  /**
   * The pair that gives a mapping's key its value, as PyYAML decides: the last explicit entry, else the merged
   * maps (a later `<<` first; within a list of maps, the first map first), looking through their own merges.
   */
  const pairsOf = (map: YAMLMap, depth = 0): Map<string, Pair> => {
    let pairs = index.get(map);
    if (pairs) return pairs;
    pairs = new Map();
    index.set(map, pairs);
    const merges: AnyNode[] = [];
    for (const pair of map.items as Pair[]) {
      if (isMergeKey(pair.key as AnyNode, aliases)) { merges.push(pair.value as AnyNode); continue; }
      const k = keyText(pair.key as AnyNode, aliases);
      if (k !== undefined) pairs.set(k, pair);
    }
    if (depth > 20) return pairs;
    for (let i = merges.length - 1; i >= 0; i--) {
      const v = resolve(merges[i]);
      const sources = isSeq(v) ? (v.items as AnyNode[]) : [v];
      for (const s of sources) {
        const m = resolve(s);
        if (!isMap(m) || m === map) continue;
        for (const [k, pair] of pairsOf(m as YAMLMap, depth + 1)) if (!pairs.has(k)) pairs.set(k, pair);
      }
    }
    return pairs;
  };
  const findPair = (map: YAMLMap, key: string): Pair | undefined => pairsOf(map).get(key);

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

  return { locate, rangeOf };
}

/** A document read by the `yaml` path (or kept data of one): positions from its syntax tree, parsed when asked. */
class YamlManifest implements Manifest {
  readonly file: string;
  readonly type?: string;
  readonly name?: string;
  line?: number;
  #range: Range | undefined;
  #engine: Pick<Manifest, 'locate' | 'rangeOf'> | undefined;

  constructor(readonly src: SourceFile, readonly docIndex: number, readonly data: unknown, range?: Range) {
    this.file = src.path;
    ({ type: this.type, name: this.name } = typeAndName(data));
    this.#range = range;
    if (range) this.line = range.start.line;
  }

  get range(): Range {
    return (this.#range ??= contentsRange(reparsed(this.src, this.docIndex)));
  }

  locate(path: JsonPath): Location {
    return (this.#engine ??= buildEngine(this)).locate(path);
  }

  rangeOf(path: JsonPath, prefer: 'key' | 'value' = 'key'): Range {
    return (this.#engine ??= buildEngine(this)).rangeOf(path, prefer);
  }
}
