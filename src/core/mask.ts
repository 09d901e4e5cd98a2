// Core: masks secret values in manifests (read from the platform, compared in a plan, written by build), and scrubs credentials from text.
import type { JsonPath } from './diagnostic.ts';
import { isRecord } from './jsonpath.ts';
import { findRawKey, isSecretPath, isSecretReference, looksLikeSecret, redact } from './secrets.ts';
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
  return /^<redacted:[^<>]*>$/.test(value);
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
      return v;
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

/** Replaces every occurrence of a credential (the API token) in a text: the last guard before anything is printed. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

/**
 * Whether any value in `data` is a secret value (as maskSecrets would mask it), or a number or boolean under a
 * credential key, or a text holding a provider's key format anywhere. A key-shaped value outside credential fields
 * that reads as an address (holds `/` or `:`, as `xai-prod/grok-3` or `team:x`) counts only when it holds such a key.
 */
export function holdsSecretValue(data: unknown): boolean {
  const walk = (v: unknown, path: JsonPath): boolean => {
    if (typeof v === 'string') {
      if (findRawKey(v) !== undefined) return true; // a provider key anywhere, even inside a sentence
      return isSecretValue(path, v) && (isSecretPath(path) || !/[/:]/.test(v));
    }
    if (typeof v === 'number' || typeof v === 'boolean') return isSecretPath(path);
    if (Array.isArray(v)) return v.some((x, i) => walk(x, [...path, i]));
    if (isRecord(v)) return Object.entries(v).some(([k, x]) => walk(x, [...path, k]));
    return false;
  };
  return walk(data, []);
}
