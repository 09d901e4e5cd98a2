// Core: masks secret values in manifests (read from the platform, compared in a plan, written by build), and scrubs credentials from text.
import type { JsonPath } from './diagnostic.ts';
import { isRecord } from './jsonpath.ts';
import { findRawKey, isSecretKey, isSecretPath, isSecretReference, looksLikeSecret, redact } from './secrets.ts';
import { setOwn } from './own.ts';

/**
 * The masked form of a secret value: `<redacted:sk-p…9f2Q>` (the redacted form of core/secrets). It has no
 * whitespace, so a dumped manifest still passes the `^\S+$` patterns of credential fields, and it is stable, so
 * the same raw value masks the same way on both sides of a plan. Masking a masked value leaves it as it is.
 */
export function maskValue(value: string): string {
  if (isMasked(value)) return value;
  return `<redacted:${redact(value)}>`;
}

export function isMasked(value: string): boolean {
  // The redacted form is 4 to 9 characters of any kind (a placeholder such as `<API_KEY>` keeps its brackets in it),
  // so masking stays idempotent whatever the value held.
  return /^<redacted:[\s\S]{4,9}>$/.test(value);
}

/** Whether a value holds a masked secret anywhere (a string, or inside arrays and objects). */
export function holdsMasked(v: unknown): boolean {
  if (typeof v === 'string') return isMasked(v);
  if (Array.isArray(v)) return v.some(holdsMasked);
  if (isRecord(v)) return Object.values(v).some(holdsMasked);
  return false;
}

/** Prefixes of provider keys and tokens, masked wherever they appear (not only under credential keys). */
const KEY_SHAPED = /^(?:sk-|sk_|gsk_|AIza|AKIA|ASIA|ABSK|xai-|pplx-|hf_|ghp_|gho_|ghu_|ghs_|github_pat_|xox[abpr]-|glpat-|r8_|nvapi-|fw_|csk-|dapi|lsv2_|-----BEGIN|eyJ[A-Za-z0-9_-]{10,}\.)/;

/** Whether a string found at `path` is a secret value to mask: under a credential key or header map, or key-shaped. */
export function isSecretValue(path: JsonPath, value: string): boolean {
  if (value === '' || isSecretReference(value) || isMasked(value)) return false;
  if (isSecretPath(path)) return true;
  return KEY_SHAPED.test(value) && looksLikeSecret(value);
}

export interface MaskResult<T> { value: T; masked: JsonPath[] }

/**
 * A copy of `data` with every secret value masked. `tfy-secret://` references are kept: they name a secret, they
 * are not one. Returns the paths it masked, so callers can say how many values were not references.
 */
export function maskSecrets<T>(data: T, base: JsonPath = []): MaskResult<T> {
  const masked: JsonPath[] = [];
  const walk = (v: unknown, path: JsonPath): unknown => {
    if (typeof v === 'string') {
      if (isSecretValue(path, v)) { masked.push(path); return maskValue(v); }
      const inner = maskEmbeddedKeys(v);
      if (inner !== v) masked.push(path);
      return inner;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) setOwn(out, k, walk(x, [...path, k]));
      return out;
    }
    return v;
  };
  return { value: walk(data, base) as T, masked };
}

/**
 * A text with every raw provider key inside it masked (`the key is sk-proj-…` in a description): the rest of the
 * text is kept. A private key or a service-account JSON masks the whole text, since only its start is recognised.
 */
export function maskEmbeddedKeys(text: string): string {
  let out = text;
  for (let guard = 0; guard < 100; guard++) {
    const found = findRawKey(out);
    if (!found) return out;
    if (found.format.provider === 'PEM' || found.format.provider === 'Google Cloud') return maskValue(text);
    out = out.replace(found.match, maskValue(found.match));
  }
  return maskValue(text);
}

/** Replaces every occurrence of a credential (the API token) in a text: the last guard before anything is printed. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

/**
 * Removes credentials from a short text, whole and in part: every stretch of 8 or more characters that also occurs in
 * a credential is replaced (a platform may echo a key cut short or with a prefix). For error messages, not reports.
 */
export function scrubParts(text: string, secrets: readonly (string | undefined)[]): string {
  const WINDOW = 8;
  let out = scrub(text, secrets);
  for (const s of secrets) {
    if (!s || s.length < WINDOW) continue;
    const hit = new Uint8Array(out.length);
    let any = false;
    for (let i = 0; i + WINDOW <= s.length; i++) {
      const w = s.slice(i, i + WINDOW);
      for (let at = out.indexOf(w); at !== -1; at = out.indexOf(w, at + 1)) { hit.fill(1, at, at + WINDOW); any = true; }
    }
    if (!any) continue;
    let next = '';
    for (let i = 0; i < out.length; i++) {
      if (!hit[i]) next += out[i];
      else if (i === 0 || !hit[i - 1]) next += '***';
    }
    out = next;
  }
  return out;
}

/**
 * Whether any value in `data` is a secret value (as maskSecrets would mask it), or a number or boolean under a
 * credential key, or a text holding a provider's key format anywhere. A key-shaped value outside credential fields
 * that reads as an address (holds `/` or `:`, as `xai-prod/grok-3` or `team:x`) counts only when it holds such a key.
 */
export function holdsSecretValue(data: unknown): boolean {
  return holds(data, false, false, undefined);
}

/**
 * Whether the results cache may keep `data` as JSON: it holds no secret value (holdsSecretValue) and nothing JSON
 * cannot hold exactly (.nan, .inf and -0.0 would come back as null and 0; exactInJson), found in one walk.
 */
export function cacheableData(data: unknown): boolean {
  inexactCounts = true;
  try {
    return !holds(data, false, false, undefined);
  } finally {
    inexactCounts = false;
  }
}

/** While set (cacheableData), a number JSON cannot hold exactly counts as holding one. */
let inexactCounts = false;

// One walk without path arrays or closures. isSecretPath(path) is decided on the way down: `secret` is what it says
// of the path to `v`; `carry` is what it says of every path below `v` (a header map's own key counts only for what is
// inside it); `key` is v's key (for `headers_override.set`).
function holds(v: unknown, secret: boolean, carry: boolean, key: string | number | undefined): boolean {
  if (typeof v === 'string') {
    if (findRawKey(v) !== undefined) return true; // a provider key anywhere, even inside a sentence
    // Outside credential fields only a key-shaped value counts: most strings fail its first character.
    if (!secret && !KEY_SHAPED_START.has(v.charCodeAt(0))) return false;
    if (v === '' || isSecretReference(v) || (v.charCodeAt(0) === 0x3c && isMasked(v))) return false;
    return secret || (KEY_SHAPED.test(v) && looksLikeSecret(v) && !/[/:]/.test(v));
  }
  if (typeof v === 'number') return secret || (inexactCounts && (!Number.isFinite(v) || Object.is(v, -0)));
  if (typeof v === 'boolean') return secret;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      // An index is never a credential key.
      if (holds(v[i], carry, carry, i)) return true;
    }
    return false;
  }
  if (isRecord(v)) {
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const s = carry || isSecretKey(k) || (k === 'set' && key === 'headers_override');
      if (holds(v[k], s, s || endsWithHeaders(k), k)) return true;
    }
    return false;
  }
  return false;
}

/** The first characters KEY_SHAPED accepts, read from its alternatives (each starts with a literal character). */
const KEY_SHAPED_START = new Set(KEY_SHAPED.source.replace(/^\^\(\?:|\)$/g, '').split('|').map((alt) => {
  if (/^[\\[(.]/.test(alt)) throw new Error(`KEY_SHAPED alternative ${alt} does not start with a literal character`);
  return alt.charCodeAt(0);
}));

/** `/headers$/i.test(k)`, without a regular expression (the case of ASCII letters only, as /i without /u). */
export function endsWithHeaders(k: string): boolean {
  const n = k.length;
  if (n < 7) return false;
  for (let i = 0; i < 7; i++) if ((k.charCodeAt(n - 7 + i) | 0x20) !== HEADERS.charCodeAt(i)) return false;
  return true;
}
const HEADERS = 'headers';
