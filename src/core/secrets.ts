// Core: recognising and redacting secret values, so that no output ever carries one.

/** Keys whose values are credentials (DOMAIN.md §3.1), compared case-insensitively with '-' and '_' ignored. */
const SECRET_KEYS = new Set([
  'apikey', 'secretaccesskey', 'accesskeyid', 'sessiontoken', 'password', 'token', 'bearertoken', 'apitoken',
  'clientsecret', 'oauthsecret', 'privatekey', 'keyfilecontent', 'certificate', 'pattoken', 'secret', 'authtoken',
  'authorization', 'xapikey', 'apisecret', 'webhookurl', 'accesstoken', 'refreshtoken', 'credentials', 'servicekey',
  'secretkey', 'xikey', 'proxyauthorization', 'cookie', 'signingkey', 'encryptionkey',
]);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** True when a mapping key names a credential. */
export function isSecretKey(key: string | number | undefined): boolean {
  if (typeof key !== 'string') return false;
  const k = normaliseKey(key);
  return SECRET_KEYS.has(k) || k.endsWith('apikey') || k.endsWith('secret') || k.endsWith('token') || k.endsWith('password');
}

/** True when any segment of a JSON path names a credential or a header map (whose values may be credentials). */
export function isSecretPath(path: readonly (string | number)[]): boolean {
  return path.some((seg, i) => isSecretKey(seg) || (typeof seg === 'string' && /headers$/i.test(seg) && i < path.length - 1)
    || (seg === 'set' && path[i - 1] === 'headers_override'));
}

/** A secret reference is not itself a secret. */
export function isSecretReference(value: string): boolean {
  return value.startsWith('tfy-secret://');
}

const KNOWN_KEY_PREFIX = /(?:sk-(?:proj|ant|svcacct|admin)-|sk-[A-Za-z0-9]{20}|gsk_|AIza|AKIA|ASIA|xai-|pplx-|hf_|ghp_|gho_|github_pat_|xox[abpr]-|glpat-|r8_|nvapi-|fw_|csk-)/;

/** Heuristic: a string that is shaped like a credential (a known key prefix, or a long high-entropy token). */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 12 || /\s/.test(value) || isSecretReference(value)) return false;
  if (KNOWN_KEY_PREFIX.test(value)) return true;
  if (value.length < 24 || /^[a-z]+:\/\//i.test(value)) return false;
  return shannonEntropy(value) >= 4.0 && /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}

export function shannonEntropy(s: string): number {
  const freq = new Map<string, number>();
  for (const ch of s) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The redacted form of a secret: its first and last four characters when it is long enough, else asterisks. */
export function redact(value: string): string {
  const v = value.trim();
  if (v.length >= 16) return `${v.slice(0, 4)}…${v.slice(-4)}`;
  return '****';
}

/** A value as it may be shown to a user: redacted when its path or its shape says it is a secret. */
export function safeValue(path: readonly (string | number)[], value: unknown): unknown {
  if (typeof value === 'string') {
    if (isSecretReference(value)) return value;
    if (isSecretPath(path) || looksLikeSecret(value)) return redact(value);
    return value;
  }
  if (value && typeof value === 'object' && isSecretPath(path)) return '{…}';
  return value;
}

/**
 * A source line made safe to print in a code frame: the value after a credential key, and any token shaped like a
 * credential, are replaced by their redacted form. Secret references are kept.
 */
export function redactLine(line: string): string {
  const m = /^(\s*(?:-\s+)?)(["']?)([^"':#]+)\2(\s*:\s+)(.+)$/.exec(line);
  if (m && isSecretKey(m[3].trim())) {
    const raw = m[5].trim().replace(/^["']|["']$/g, '');
    if (raw && !isSecretReference(raw) && !raw.startsWith('{') && !raw.startsWith('[') && raw !== '|' && raw !== '>') {
      return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${redact(raw)}`;
    }
  }
  return line.replace(/[A-Za-z0-9_\-+/=.]{12,}/g, (tok) => (looksLikeSecret(tok) ? redact(tok) : tok));
}
