// Parse: a fast reader for the plain subset of YAML that most manifests are written in; anything else goes to `yaml`.
//
// The subset: block mappings and sequences indented with spaces, single-line plain and quoted scalars, one-line flow
// sequences and mappings of scalars, comments, and `---` between documents. Anchors, aliases, tags, block scalars,
// multi-line scalars, complex keys, merge keys, duplicate keys, directives, tabs, CR line endings, unusual
// characters and everything else make fastParse return undefined, and the caller parses the file with `yaml`,
// which then also reports any problem. Within the subset the result must be exactly what the `yaml` path gives
// (the differential tests in test/parse/fast.test.ts compare both on every corpus and on generated documents).
import { ownString } from '../core/text.ts';

/** One non-empty document of a file read by the fast path. */
export interface FastDocument {
  /** Index of the '---' document in its file, counting empty documents (as the `yaml` path counts them). */
  docIndex: number;
  data: Record<string, unknown>;
  /** Offset of the document's content (its first key), where `yaml` starts the document's range. */
  start: number;
}

/**
 * Resolves a plain scalar's text to its value (`atKey`: the scalar is a mapping key), or says (undefined) that the
 * fast path must not decide it.
 */
export type PlainResolver = (text: string, atKey: boolean) => { value: unknown } | undefined;

/**
 * Where a node of a fast-read document is: offsets of its start and end as `yaml` gives them, end -1 when only
 * `yaml` knows it (block collections, whose end depends on how it attaches trailing comments, and empty values).
 */
export interface PosNode {
  start: number;
  end: number;
  /** A mapping's entries by key, in order. */
  entries?: Map<string, { keyStart: number; keyEnd: number; value: PosNode }>;
  /** A sequence's items. */
  items?: PosNode[];
}

/** Reads `text` again with positions (it must be a text fastParse accepted); one root node per non-empty document. */
export function fastPositions(text: string, resolve: PlainResolver): Map<number, PosNode> | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    const reader = new Reader(text, resolve, true);
    const docs = reader.documents();
    return new Map(docs.map((d, i) => [d.docIndex, reader.roots[i]]));
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

const UNKNOWN: PosNode = { start: -1, end: -1 };

class OutsideSubset extends Error {}
const OUTSIDE = new OutsideSubset();

/** Characters that send a whole file to `yaml`: tabs, CR, control characters, NEL, line/paragraph separators, BOM. */
// eslint-disable-next-line no-control-regex
const UNUSUAL = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;
const DOT = 0x2e;
const BACKSLASH = 0x5c;

/** Longest implicit key `yaml` accepts is 1024 characters; stay well inside it. */
const MAX_KEY = 1000;
/** Deeper documents go to `yaml`, whose converter reports nesting past its limit. */
const MAX_DEPTH = 200;

/**
 * Reads every document of `text` when the whole file is within the subset; undefined otherwise. Empty documents
 * (only comments, or nothing, between `---` lines) are counted in docIndex but not returned.
 */
export function fastParse(text: string, resolve: PlainResolver, bytes?: Buffer): FastDocument[] | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    // Bytes as many as characters: all ASCII (any other character takes more bytes than UTF-16 units), so a value
    // can be cut from the bytes at its text offsets, as a string of its own.
    return new Reader(text, resolve, false, bytes !== undefined && bytes.length === text.length ? bytes : undefined).documents();
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

/** Whether `c` may start a plain scalar in block context (YAML's indicators may not, save `-`, `?`, `:` before a safe character). */
function plainStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  switch (c) {
    case DASH: case 0x3f /* ? */: case COLON: {
      const n = text.charCodeAt(i + 1);
      // `-1`, `-x`: plain. `- `, `-` at the end: an indicator. `?`, `:` are rare first characters: leave them to yaml.
      return c === DASH && !Number.isNaN(n) && n !== SPACE && n !== 0x0a && n !== COMMA && n !== LBRACKET && n !== RBRACKET && n !== LBRACE && n !== RBRACE;
    }
    case COMMA: case LBRACKET: case RBRACKET: case LBRACE: case RBRACE: case HASH: case 0x26 /* & */: case 0x2a /* * */:
    case 0x21 /* ! */: case 0x7c /* | */: case 0x3e /* > */: case SQUOTE: case DQUOTE: case 0x25 /* % */: case 0x40 /* @ */:
    case 0x60 /* ` */: case SPACE: case 0x0a:
      return false;
    default:
      return !Number.isNaN(c);
  }
}

class Reader {
  private pos = 0;
  /** Start offset of the current line. */
  private lineStart = 0;
  private readonly len: number;
  /** With positions: the node of the value read last, and the root node of each document. */
  private last: PosNode = UNKNOWN;
  /** Where the flow collection read last ends (past its closing bracket). */
  private flowEnd = 0;
  readonly roots: PosNode[] = [];
  constructor(private readonly text: string, private readonly resolvePlain: PlainResolver, private readonly rec = false, private readonly bytes?: Buffer) {
    this.len = text.length;
  }

  /**
   * The text in [a, b). From the file's bytes when it is all ASCII: `text.slice` would give a view that keeps the
   * whole text alive for as long as the value lives (see ownString); decoding the bytes gives a string of its own.
   */
  private cut(a: number, b: number): string {
    return this.bytes ? this.bytes.toString('latin1', a, b) : this.text.slice(a, b);
  }

  private fail(): never {
    throw OUTSIDE;
  }

  /** End offset of the line holding `i` (the offset of its '\n', or the text's length). */
  private eol(i: number): number {
    const n = this.text.indexOf('\n', i);
    return n === -1 ? this.len : n;
  }

  /** Indentation of the line starting at `ls`. */
  private indentAt(ls: number): number {
    let i = ls;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - ls;
  }

  /** Whether the line starting at `ls` is blank or a comment. */
  private isEmptyLine(ls: number): boolean {
    let i = ls;
    while (this.text.charCodeAt(i) === SPACE) i++;
    const c = this.text.charCodeAt(i);
    return i >= this.len || c === 0x0a || c === HASH;
  }

  /** A `---` line (optionally followed by spaces and a comment); any other use of `---` or `...` leaves the subset. */
  private isMarker(ls: number): boolean {
    const t = this.text;
    if (t.charCodeAt(ls) === DASH && t.charCodeAt(ls + 1) === DASH && t.charCodeAt(ls + 2) === DASH) {
      let i = ls + 3;
      const c = t.charCodeAt(i);
      if (i >= this.len || c === 0x0a) return true;
      if (c !== SPACE) return false; // `---x` is a plain scalar
      while (t.charCodeAt(i) === SPACE) i++;
      const d = t.charCodeAt(i);
      if (i >= this.len || d === 0x0a || d === HASH) return true;
      this.fail(); // content after `--- `
    }
    if (t.charCodeAt(ls) === DOT && t.charCodeAt(ls + 1) === DOT && t.charCodeAt(ls + 2) === DOT) {
      const c = t.charCodeAt(ls + 3);
      if (ls + 3 >= this.len || c === 0x0a || c === SPACE) this.fail();
    }
    if (t.charCodeAt(ls) === 0x25 /* % */) this.fail(); // a directive
    return false;
  }

  /** Moves to the start of the next line holding content (skipping blank and comment lines); false at the end. */
  private nextContentLine(): boolean {
    let ls = this.lineStart;
    while (ls < this.len && this.isEmptyLine(ls)) ls = this.eol(ls) + 1;
    this.lineStart = ls;
    this.pos = ls;
    return ls < this.len;
  }

  /**
   * Moves to the next entry of a block collection whose entries stand at column `col`: the next content line, at
   * exactly that indent and not a document marker. False when the collection ends there (less indent, a marker, the
   * end of the text); deeper indent is not in the subset.
   */
  private toNextEntry(col: number): boolean {
    if (!this.nextContentLine()) return false;
    const ls = this.lineStart;
    const indent = this.indentAt(ls);
    if (indent < col) return false;
    if (indent > col) this.fail();
    if (this.isMarker(ls)) return false;
    this.pos = ls + indent;
    return true;
  }

  /** After a value on the current line: only spaces and a comment may follow. Moves to the next line. */
  private endLine(i: number) {
    const t = this.text;
    let j = i;
    while (t.charCodeAt(j) === SPACE) j++;
    const c = t.charCodeAt(j);
    if (j < this.len && c !== 0x0a) {
      if (c !== HASH || j === i) this.fail(); // a comment needs a space before it
    }
    const e = this.eol(j);
    this.lineStart = e + 1;
    this.pos = e + 1;
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    let docIndex = 0;
    let opened = false; // a `---` opened the current document
    for (;;) {
      const more = this.nextContentLine();
      if (!more) {
        return docs;
      }
      const ls = this.lineStart;
      if (this.isMarker(ls)) {
        if (opened) docIndex++; // the document the previous marker opened was empty
        opened = true;
        this.lineStart = this.eol(ls) + 1;
        continue;
      }
      // Content: a document (opened by a marker or implicit).
      const indent = this.indentAt(ls);
      this.pos = ls + indent;
      if (!this.isMappingEntry(this.pos)) this.fail(); // top-level sequences and scalars go to yaml
      const start = this.pos;
      const data = this.mapping(indent, 0);
      docs.push({ docIndex, data, start });
      if (this.rec) this.roots.push(this.last);
      // The document ends at a marker or at the end of the text; anything else is outside the subset.
      if (this.nextContentLine()) {
        if (!this.isMarker(this.lineStart)) this.fail();
        docIndex++;
        opened = true;
        this.lineStart = this.eol(this.lineStart) + 1;
      }
      else return docs;
    }
  }

  /** Whether an implicit key followed by `:` starts at `i`. */
  private isMappingEntry(i: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quotedEnd(i);
      let j = close;
      while (t.charCodeAt(j) === SPACE) j++;
      return t.charCodeAt(j) === COLON;
    }
    if (!plainStart(t, i)) return false;
    return this.plainKeyEnd(i) !== -1;
  }

  /** For a plain key at `i`: the offset of the `:` that ends it, or -1 when the line is no `key:` entry. */
  private plainKeyEnd(i: number): number {
    const t = this.text;
    for (let j = i; j < this.len; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x0a) return -1;
      if (c === COLON) {
        const n = t.charCodeAt(j + 1);
        if (j + 1 >= this.len || n === SPACE || n === 0x0a) return j;
      } else if (c === HASH && t.charCodeAt(j - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** Offset just past the closing quote of a one-line quoted scalar starting at `i`. */
  private quotedEnd(i: number): number {
    const t = this.text;
    const q = t.charCodeAt(i);
    for (let j = i + 1; j < this.len; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x0a) this.fail(); // multi-line quoted scalars fold lines: yaml's business
      if (q === DQUOTE && c === BACKSLASH) { j++; continue; }
      if (c === q) {
        if (q === SQUOTE && t.charCodeAt(j + 1) === SQUOTE) { j++; continue; }
        return j + 1;
      }
    }
    return this.fail();
  }

  /** The value of a one-line quoted scalar spanning [i, end). */
  private quotedValue(i: number, end: number): string {
    const t = this.text;
    const body = this.cut(i + 1, end - 1);
    if (t.charCodeAt(i) === SQUOTE) return body.includes("''") ? body.replaceAll("''", "'") : body;
    if (!body.includes('\\')) return body;
    let out = '';
    for (let j = 0; j < body.length; j++) {
      const c = body[j];
      if (c !== '\\') { out += c; continue; }
      const e = body[++j];
      switch (e) {
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case '/': out += '/'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = body.slice(j + 1, j + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail();
          const code = Number.parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) this.fail(); // surrogates: leave pairing rules to yaml
          out += String.fromCharCode(code);
          j += 4;
          break;
        }
        default: this.fail(); // rarer escapes: yaml
      }
    }
    return out;
  }

  /** Reads a key at `this.pos` (plain or quoted) and the `:` after it; returns the key and leaves pos after the colon. */
  private key(): string {
    const t = this.text;
    const i = this.pos;
    const c = t.charCodeAt(i);
    let key: string;
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(i);
      key = this.quotedValue(i, end);
      let j = end;
      while (t.charCodeAt(j) === SPACE) j++;
      if (t.charCodeAt(j) !== COLON) this.fail();
      const n = t.charCodeAt(j + 1);
      if (!(j + 1 >= this.len || n === SPACE || n === 0x0a)) this.fail();
      if (end - i > MAX_KEY) this.fail();
      this.pos = j + 1;
      this.keyEnd = end;
      return key;
    }
    if (!plainStart(t, i)) this.fail();
    const colon = this.plainKeyEnd(i);
    if (colon === -1 || colon - i > MAX_KEY) this.fail();
    let e = colon;
    while (t.charCodeAt(e - 1) === SPACE) e--;
    const text = t.slice(i, e);
    if (text === '<<') this.fail(); // merge keys: yaml
    this.checkPlain(text, false);
    const r = this.resolvePlain(text, true);
    if (!r || (r.value !== null && typeof r.value === 'object')) this.fail();
    this.pos = colon + 1;
    this.keyEnd = e;
    return String(r.value);
  }

  /** End offset of the key read last. */
  private keyEnd = 0;

  /** Characters a plain scalar may not hold in the subset (the flow indicators inside flow collections, ` #`, `: `). */
  private checkPlain(text: string, flow: boolean) {
    for (let j = 0; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (flow && (c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE)) this.fail();
      if (c === COLON && (j + 1 === text.length || text.charCodeAt(j + 1) === SPACE || (flow && text.charCodeAt(j + 1) === COMMA))) this.fail();
      if (c === HASH && j > 0 && text.charCodeAt(j - 1) === SPACE) this.fail();
    }
  }

  /**
   * A value as data keeps it: a string of its own, not a view into the file's text (ownString; values cut from the
   * bytes are already). Reading for positions keeps no values.
   */
  private owned(v: unknown): unknown {
    return typeof v === 'string' && !this.rec && !this.bytes ? ownString(v) : v;
  }

  private plainValue(text: string, atKey = false): unknown {
    const r = this.resolvePlain(text, atKey);
    if (!r) this.fail();
    return r.value;
  }

  /** A block mapping whose first key is at `this.pos`, in column `col` (0-based). */
  private mapping(col: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) this.fail();
    const out: Record<string, unknown> = {};
    const entries = this.rec ? new Map<string, { keyStart: number; keyEnd: number; value: PosNode }>() : undefined;
    const node: PosNode = { start: this.pos, end: -1, entries };
    for (;;) {
      const keyStart = this.pos;
      const k = this.key();
      const keyEnd = this.keyEnd;
      if (Object.hasOwn(out, k)) this.fail(); // duplicates: yaml reports them
      const value = this.valueAfterKey(col, depth);
      if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      else out[k] = value;
      entries?.set(k, { keyStart, keyEnd, value: this.last });
      // Next entry: a content line at exactly `col`.
      if (!this.toNextEntry(col)) break;
      if (!this.isMappingEntry(this.pos)) {
        // A `- ` at the mapping's own column ends a compact sequence's parent; anything else is yaml's business.
        if (this.text.charCodeAt(this.pos) === DASH) break;
        this.fail();
      }
    }
    this.last = node;
    return out;
  }

  /** The value after `key:` (pos just past the colon) of a mapping in column `col`. */
  private valueAfterKey(col: number, depth: number): unknown {
    const t = this.text;
    let i = this.pos;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (i >= this.len || c === 0x0a || c === HASH) {
      if (c === HASH && t.charCodeAt(i - 1) !== SPACE) this.fail();
      // The value is on the following lines, or empty (null).
      const keyLineEnd = this.eol(i);
      this.lineStart = keyLineEnd + 1;
      this.last = UNKNOWN;
      if (!this.nextContentLine()) return null;
      const ls = this.lineStart;
      const indent = this.indentAt(ls);
      if (this.isMarker(ls)) return null;
      if (indent > col) return this.blockNode(ls, indent, depth + 1);
      if (indent === col && this.isSeqEntry(ls + indent)) {
        this.pos = ls + indent;
        return this.sequence(indent, depth + 1); // `key:` then `- item` at the key's own column
      }
      return null;
    }
    return this.inlineValue(i, depth);
  }

  /** Whether a `- ` sequence entry starts at `i`. */
  private isSeqEntry(i: number): boolean {
    const n = this.text.charCodeAt(i + 1);
    return this.text.charCodeAt(i) === DASH && (i + 1 >= this.len || n === SPACE || n === 0x0a);
  }

  /** A block node (mapping or sequence) whose first line starts at `ls` with indentation `indent`. */
  private blockNode(ls: number, indent: number, depth: number): unknown {
    const i = ls + indent;
    this.pos = i;
    if (this.isSeqEntry(i)) return this.sequence(indent, depth);
    if (this.isMappingEntry(i)) return this.mapping(indent, depth);
    return this.fail(); // a multi-line scalar or something rarer
  }

  /** A scalar or flow collection on the current line starting at `i`; consumes the rest of the line. */
  private inlineValue(i: number, depth: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(i);
    let value: unknown;
    let end: number;
    let flowNode: PosNode | undefined;
    if (c === DQUOTE || c === SQUOTE) {
      end = this.quotedEnd(i);
      value = this.owned(this.quotedValue(i, end));
    } else if (c === LBRACKET || c === LBRACE) {
      value = this.flow(i, depth);
      end = this.flowEnd;
      flowNode = this.last;
    } else {
      if (!plainStart(t, i)) this.fail();
      // A plain scalar runs to the end of the line or to a comment.
      const e = this.eol(i);
      let stop = e;
      for (let j = i; j < e; j++) {
        if (t.charCodeAt(j) === HASH && t.charCodeAt(j - 1) === SPACE) { stop = j; break; }
      }
      end = stop;
      while (t.charCodeAt(end - 1) === SPACE) end--;
      const text = this.cut(i, end);
      this.checkPlain(text, false);
      value = this.owned(this.plainValue(text));
    }
    if (this.rec) this.last = flowNode ?? { start: i, end };
    this.endLine(end);
    return value;
  }

  /**
   * A one-line flow sequence or mapping of scalars starting at `i`; returns it, with the offset past its closing
   * bracket in `this.flowEnd`. (Written without closures or temporary objects: `model_types: [chat]` is on most
   * integrations, and a position pass reads every one again.)
   */
  private flow(i: number, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail();
    const t = this.text;
    const isSeq = t.charCodeAt(i) === LBRACKET;
    const close = isSeq ? RBRACKET : RBRACE;
    const node: PosNode = { start: i, end: -1 };
    if (this.rec) {
      if (isSeq) node.items = [];
      else node.entries = new Map();
    }
    const items: unknown[] | undefined = isSeq ? [] : undefined;
    const map: Record<string, unknown> | undefined = isSeq ? undefined : {};
    let j = i + 1;
    while (t.charCodeAt(j) === SPACE) j++;
    if (t.charCodeAt(j) !== close) {
      for (;;) {
        while (t.charCodeAt(j) === SPACE) j++;
        const scalarStart = j;
        const scalar = this.flowScalar(j, !isSeq);
        j = scalar.end;
        while (t.charCodeAt(j) === SPACE) j++;
        if (items) {
          items.push(scalar.value);
          node.items?.push({ start: scalarStart, end: scalar.end });
        } else {
          const m = map as Record<string, unknown>;
          if (t.charCodeAt(j) !== COLON || t.charCodeAt(j + 1) !== SPACE) this.fail();
          if (scalar.value !== null && typeof scalar.value === 'object') this.fail();
          const k = scalar.quoted ? (scalar.value as string) : String(scalar.value);
          if (k === '<<' || Object.hasOwn(m, k)) this.fail();
          j += 2;
          while (t.charCodeAt(j) === SPACE) j++;
          const valueStart = j;
          const v = this.flowScalar(j);
          node.entries?.set(k, { keyStart: scalarStart, keyEnd: scalar.end, value: { start: valueStart, end: v.end } });
          j = v.end;
          while (t.charCodeAt(j) === SPACE) j++;
          if (k === '__proto__') Object.defineProperty(m, k, { value: v.value, enumerable: true, writable: true, configurable: true });
          else m[k] = v.value;
        }
        const c = t.charCodeAt(j);
        if (c === close) break;
        if (c !== COMMA) this.fail();
        j++;
        while (t.charCodeAt(j) === SPACE) j++;
        if (t.charCodeAt(j) === close) this.fail(); // a trailing comma: yaml
      }
    }
    node.end = j + 1;
    this.last = node;
    this.flowEnd = j + 1;
    // A pushed list keeps spare room; a copy of it does not (the data is kept for the whole run).
    return items ? items.slice() : map;
  }

  /** A scalar inside a flow collection starting at `i`. */
  private flowScalar(i: number, atKey = false): { value: unknown; end: number; quoted: boolean } {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(i);
      return { value: this.owned(this.quotedValue(i, end)), end, quoted: true };
    }
    if (!plainStart(t, i)) this.fail();
    let j = i;
    for (; j < this.len; j++) {
      const d = t.charCodeAt(j);
      if (d === 0x0a) this.fail();
      if (d === COMMA || d === RBRACKET || d === RBRACE) break;
      if (d === COLON) {
        const n = t.charCodeAt(j + 1);
        if (n === SPACE || n === COMMA || n === RBRACKET || n === RBRACE || n === 0x0a) break;
      }
      if (d === LBRACKET || d === LBRACE) this.fail();
      if (d === HASH && t.charCodeAt(j - 1) === SPACE) this.fail();
    }
    let end = j;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    const text = this.cut(i, end);
    this.checkPlain(text, true);
    return { value: this.owned(this.plainValue(text, atKey)), end, quoted: false };
  }

  /** A block sequence whose first `- ` is at `this.pos`, in column `col`. */
  private sequence(col: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) this.fail();
    const t = this.text;
    const out: unknown[] = [];
    const items: PosNode[] | undefined = this.rec ? [] : undefined;
    const node: PosNode = { start: this.pos, end: -1, items };
    for (;;) {
      // this.pos is at the dash.
      let i = this.pos + 1;
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      if (i >= this.len || c === 0x0a || c === HASH) {
        if (c === HASH && t.charCodeAt(i - 1) !== SPACE) this.fail();
        const lineEnd = this.eol(i);
        this.lineStart = lineEnd + 1;
        let item: unknown = null;
        this.last = UNKNOWN;
        if (this.nextContentLine()) {
          const ls = this.lineStart;
          const indent = this.indentAt(ls);
          if (indent > col && !this.isMarker(ls)) item = this.blockNode(ls, indent, depth + 1);
        }
        out.push(item);
      } else if (this.isSeqEntry(i)) {
        this.fail(); // `- - x`: yaml
      } else if (this.isMappingEntry(i)) {
        this.pos = i;
        out.push(this.mapping(i - this.lineStart, depth + 1));
      } else {
        out.push(this.inlineValue(i, depth + 1));
      }
      items?.push(this.last);
      // Next entry: a `- ` at exactly `col`.
      if (!this.toNextEntry(col)) break;
      if (!this.isSeqEntry(this.pos)) break; // back to the parent mapping (a compact sequence ends)
    }
    this.last = node;
    return out.slice();
  }
}
