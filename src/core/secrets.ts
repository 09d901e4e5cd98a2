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
  let known = secretKeyMemo.get(key);
  if (known === undefined) {
    const k = normaliseKey(key);
    known = SECRET_KEYS.has(k) || k.endsWith('apikey') || k.endsWith('secret') || k.endsWith('token') || k.endsWith('password');
    // Manifests use few distinct keys; a document full of odd ones must not grow this without bound.
    if (secretKeyMemo.size < 10_000) secretKeyMemo.set(key, known);
  }
  return known;
}

const secretKeyMemo = new Map<string, boolean>();

/** True when any segment of a JSON path names a credential or a header map (whose values may be credentials). */
export function isSecretPath(path: readonly (string | number)[]): boolean {
  return path.some((seg, i) => isSecretKey(seg) || (typeof seg === 'string' && /headers$/i.test(seg) && i < path.length - 1)
    || (seg === 'set' && path[i - 1] === 'headers_override'));
}

/** A secret reference is not itself a secret. */
export function isSecretReference(value: string): boolean {
  return value.startsWith('tfy-secret://');
}

const KNOWN_KEY_PREFIX = /(?:sk-(?:proj|ant|svcacct|admin|or-v1)-|sk-[A-Za-z0-9]{20}|gsk_|AIza|AKIA|ASIA|ABSK|xai-|pplx-|hf_|ghp_|gho_|ghu_|ghs_|github_pat_|xox[abpr]-|glpat-|r8_|nvapi-|fw_|csk-|dapi[0-9a-f]{8}|lsv2_|-----BEGIN)/;

/**
 * Heuristic: a string that is shaped like a credential: a known key prefix followed by a long unbroken token (a name
 * such as `xai-vision-prod` or `hf_models_team` only starts like one), or a long high-entropy token.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 12 || /\s/.test(value) || isSecretReference(value)) return false;
  if (KEY_FORMATS.some((f) => f.pattern.test(value))) return true;
  const known = KNOWN_KEY_PREFIX.exec(value);
  if (known && (known[0] === '-----BEGIN' || /[A-Za-z0-9_+/]{16,}/.test(value.slice(known.index + known[0].length)))) return true;
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
    if (findRawKey(value)) return redactCredential(value);
    return value;
  }
  if (value && typeof value === 'object' && isSecretPath(path)) return '{…}';
  return value;
}

/**
 * A text with every raw provider key in it replaced by its redacted form; a private key (from its BEGIN line to its
 * END line or the end of the text) and a service-account JSON key (quoted or escaped, to its closing brace) whole.
 */
export function redactKeysIn(text: string): string {
  let out = text
    .replace(/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g, '-----BEGIN …-----')
    .replace(/\{[^{]*?\\?"type\\?"\s*:\s*\\?"service_account\\?"[\s\S]*?(?:\}|$)/g, '{…}');
  for (let guard = 0; guard < 100; guard++) {
    const found = findRawKey(out);
    if (!found) break;
    out = out.replace(found.match, redactCredential(found.match));
  }
  return out;
}

/**
 * A source line made safe to print in a code frame: the value after a credential key, and any token shaped like a
 * credential, are replaced by their redacted form. Secret references are kept.
 */
export function redactLine(line: string): string {
  const m = /^(\s*(?:-\s+)?)(["']?)([^"':#]+)\2(\s*:\s+)(.+)$/.exec(line);
  if (m && isSecretKey(m[3].trim())) {
    const raw = m[5].trim().replace(/^["']|["']$/g, '');
    // An unquoted { or [ opens a flow collection (handled below); a quoted one is a string such as a JSON key file.
    const flow = /^[{[]/.test(m[5].trim());
    if (raw && !isSecretReference(raw) && !flow && raw !== '|' && raw !== '>') {
      return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${redact(raw)}`;
    }
  }
  return redactKeysIn(line)
    // Credential keys inside flow mappings: {type: basic-auth, password: hunter2}.
    .replace(/([{,]\s*)(["']?)([A-Za-z0-9_-]+)\2(\s*:\s*)("[^"]*"|'[^']*'|[^,}\]\s][^,}\]]*)/g, (all, pre: string, q: string, key: string, sep: string, val: string) => {
      const raw = val.trim().replace(/^["']|["']$/g, '');
      return isSecretKey(key) && raw && !isSecretReference(raw) ? `${pre}${q}${key}${q}${sep}${redact(raw)}` : all;
    })
    // Credentials in URL query strings: ?api_key=..., &token=...
    .replace(/([?&])([^=&\s#"']+)=([^&\s#"']+)/g, (all, sep: string, name: string, val: string) => (
      (isSecretKey(name) || /key$/i.test(name)) && !isSecretReference(val) ? `${sep}${name}=${redact(val)}` : all))
    .replace(/[A-Za-z0-9_\-+/=.]{12,}/g, (tok) => (looksLikeSecret(tok) ? redact(tok) : tok));
}

/**
 * Raw key formats of the providers the gateway talks to (DOMAIN.md §3.2, after gitleaks and trufflehog). `pattern`
 * finds a key inside any text; `prefix` recognises the start of a value, to name whose key a credential field holds.
 */
export interface KeyFormat {
  provider: string;
  /** What kind of credential it is, e.g. "API key", "access key ID". */
  kind: string;
  pattern: RegExp;
  prefix: RegExp;
}

const B = '(?<![A-Za-z0-9_])';

export const KEY_FORMATS: readonly KeyFormat[] = [
  { provider: 'Anthropic', kind: 'API key', pattern: new RegExp(`${B}sk-ant-(?:api|admin)\\d\\d-[\\w-]{20,}`), prefix: /^sk-ant-/ },
  { provider: 'OpenRouter', kind: 'API key', pattern: new RegExp(`${B}sk-or-v1-[0-9a-f]{32,}`), prefix: /^sk-or-/ },
  { provider: 'OpenAI', kind: 'API key', pattern: new RegExp(`${B}(?:sk-(?:proj|svcacct|admin)-[\\w-]{20,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})`), prefix: /^sk-(?:proj-|svcacct-|admin-|[A-Za-z0-9]{20}T3BlbkFJ)/ },
  { provider: 'DeepSeek', kind: 'API key', pattern: new RegExp(`${B}sk-[a-f0-9]{32}(?![A-Za-z0-9])`), prefix: /^sk-[a-f0-9]{32}$/ },
  { provider: 'ElevenLabs', kind: 'API key', pattern: new RegExp(`${B}sk_[a-f0-9]{48}(?![A-Za-z0-9])`), prefix: /^sk_[a-f0-9]{48}$/ },
  { provider: 'Groq', kind: 'API key', pattern: new RegExp(`${B}gsk_[A-Za-z0-9]{40,}`), prefix: /^gsk_/ },
  { provider: 'xAI', kind: 'API key', pattern: new RegExp(`${B}xai-[A-Za-z0-9_]{60,}`), prefix: /^xai-/ },
  { provider: 'Perplexity', kind: 'API key', pattern: new RegExp(`${B}pplx-[A-Za-z0-9]{40,}`), prefix: /^pplx-/ },
  { provider: 'NVIDIA', kind: 'API key', pattern: new RegExp(`${B}nvapi-[\\w-]{60,}`), prefix: /^nvapi-/ },
  { provider: 'Hugging Face', kind: 'token', pattern: new RegExp(`${B}hf_[A-Za-z]{30,}`), prefix: /^hf_/ },
  { provider: 'Replicate', kind: 'API token', pattern: new RegExp(`${B}r8_[\\w-]{30,}`), prefix: /^r8_/ },
  { provider: 'Databricks', kind: 'access token', pattern: new RegExp(`${B}dapi[0-9a-f]{32}(?:-\\d)?(?![A-Za-z0-9])`), prefix: /^dapi[0-9a-f]{32}/ },
  { provider: 'AWS', kind: 'access key ID', pattern: new RegExp(`${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])`), prefix: /^(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/ },
  { provider: 'AWS Bedrock', kind: 'API key', pattern: new RegExp(`${B}(?:ABSK[A-Za-z0-9+/]{100,}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%-]*)`), prefix: /^(?:ABSK|bedrock-api-key-)/ },
  { provider: 'Google', kind: 'API key', pattern: new RegExp(`${B}AIza[\\w-]{35}(?![\\w-])`), prefix: /^AIza/ },
  { provider: 'GitHub', kind: 'token', pattern: new RegExp(`${B}(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_\\w{60,})`), prefix: /^(?:gh[pousr]_|github_pat_)/ },
  { provider: 'GitLab', kind: 'token', pattern: new RegExp(`${B}glpat-[\\w-]{20,}`), prefix: /^glpat-/ },
  { provider: 'Slack', kind: 'token', pattern: new RegExp(`${B}xox[abposr]-[A-Za-z0-9-]{10,}`), prefix: /^xox[abposr]-/ },
  { provider: 'Slack', kind: 'webhook URL', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]{20,}/, prefix: /^https:\/\/hooks\.slack\.com\// },
  { provider: 'Microsoft Teams', kind: 'webhook URL', pattern: /https:\/\/[\w.-]+\.webhook\.office\.com\/[^\s"']{20,}/, prefix: /^https:\/\/[\w.-]+\.webhook\.office\.com\// },
  { provider: 'Discord', kind: 'webhook URL', pattern: /https:\/\/(?:discord|discordapp)\.com\/api\/webhooks\/\d+\/[\w-]{20,}/, prefix: /^https:\/\/(?:discord|discordapp)\.com\/api\/webhooks\// },
  { provider: 'LangSmith', kind: 'API key', pattern: new RegExp(`${B}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}`), prefix: /^lsv2_/ },
  { provider: 'Microsoft Entra', kind: 'client secret', pattern: new RegExp(`${B}[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`), prefix: /^[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}$/ },
  { provider: 'JWT', kind: 'token', pattern: new RegExp(`${B}eyJ[\\w-]{10,}\\.eyJ[\\w-]{10,}\\.[\\w-]{10,}`), prefix: /^eyJ[\w-]{10,}\.eyJ/ },
  { provider: 'PEM', kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, prefix: /^-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { provider: 'Google Cloud', kind: 'service-account key', pattern: /"type"\s*:\s*"service_account"/, prefix: /^\{[\s\S]*"type"\s*:\s*"service_account"/ },
];

/** A cheap test that a text may hold one of KEY_FORMATS (most strings are skipped without running them all). */
const ANY_KEY_HINT = /sk-|sk_|gsk_|xai-|pplx-|nvapi-|hf_|r8_|dapi|A3T|AKIA|ASIA|ABIA|ACCA|ABSK|bedrock-api-key|AIza|gh[pousr]_|github_pat_|glpat-|xox|hooks\.slack|webhook\.office|discord|lsv2_|Q~|eyJ|PRIVATE KEY|service_account/;

/** The first raw key found inside a text, with its format; undefined when there is none. */
export function findRawKey(text: string): { format: KeyFormat; match: string } | undefined {
  if (text.length < 20 || !ANY_KEY_HINT.test(text)) return undefined;
  for (const format of KEY_FORMATS) {
    const m = format.pattern.exec(text);
    // Documentation keys (AWS's AKIAIOSFODNN7EXAMPLE) are examples, not leaks.
    if (m && !isInsideReference(text, m.index) && !/EXAMPLE/.test(m[0])) return { format, match: m[0] };
  }
  return undefined;
}

/** The key format a credential value starts with (more lenient than findRawKey: it only names the provider). */
export function keyFormatOf(value: string): KeyFormat | undefined {
  const v = value.trim();
  return KEY_FORMATS.find((f) => f.prefix.test(v));
}

function isInsideReference(text: string, index: number): boolean {
  const start = text.lastIndexOf('tfy-secret://', index);
  return start !== -1 && !/\s/.test(text.slice(start, index));
}

/** The redacted form of a credential value, keeping an auth scheme word (`Bearer sk-p…9f2Q`) and naming blocks. */
export function redactCredential(value: string): string {
  const v = value.trim();
  if (/^-----BEGIN/.test(v)) return '-----BEGIN …-----';
  if (/^[{[]/.test(v)) return '{…}';
  const scheme = /^([A-Za-z][\w-]*)\s+(\S.*)$/s.exec(v);
  if (scheme && AUTH_SCHEMES.test(scheme[1])) return `${scheme[1]} ${redact(scheme[2])}`;
  return redact(v);
}

/** Words that may precede a credential in an Authorization-style header value. */
const AUTH_SCHEMES = /^(?:bearer|basic|token|bot|apikey|api-key|key|digest|sso-key|dsn)$/i;

/** `tfy-secret://` references, whole or after an auth scheme word (`Bearer tfy-secret://...`). */
export const SECRET_REF_SCHEME = 'tfy-secret://';

export interface SecretRef {
  /** The reference itself, from `tfy-secret://` to the end of the value. */
  text: string;
  /** Everything after the scheme, split on ':'. */
  parts: string[];
  /** Where the reference starts in the value (after a scheme word such as "Bearer "). */
  offset: number;
}

/**
 * The secret reference a value consists of: `tfy-secret://...` or `<Scheme> tfy-secret://...`. Prose that merely
 * mentions a reference among other words is not one.
 */
export function parseSecretRef(value: string): SecretRef | undefined {
  if (!value.includes('tfy-secret://')) return undefined; // most strings: no expression to run
  const m = /^(\s*(?:[A-Za-z][\w-]*\s+)?)tfy-secret:\/\/(\S*)\s*$/.exec(value);
  if (!m) return undefined;
  if (m[1].trim() && !AUTH_SCHEMES.test(m[1].trim())) return undefined;
  return { text: `${SECRET_REF_SCHEME}${m[2]}`, parts: m[2].split(':'), offset: m[1].length };
}

/** A reference with a misspelt scheme (`tfy-secrets://`, `tfy_secret:/`, `tfysecret://`): meant as a reference. */
export function isMisspeltReference(value: string): boolean {
  if (value.length < 13 || !/tfy/i.test(value)) return false; // the shortest: "tfysecret:a::"
  return /^\s*(?:[A-Za-z][\w-]*\s+)?tfy[-_]?secrets?:\/{0,3}\S+:\S*:\S*$/i.test(value) && !parseSecretRef(value);
}

/** `<tenant>:<group>:<key>` written without the tfy-secret:// prefix: its three parts, else undefined. */
export function schemelessReference(value: string): string[] | undefined {
  const m = /^\s*([^\s:/]+):([^\s:/]+):([^\s:/]+)\s*$/.exec(value);
  return m ? [m[1], m[2], m[3]] : undefined;
}

/** Words and shapes that stand for a value someone has yet to fill in. */
const PLACEHOLDER_WORD = /^(?:x{3,}|\*{3,}|_{3,}|-{3,}|\?{3,}|#{3,}|\.{3,}|changeme|change[-_]me|replace[-_]?me|todo|tbd|fixme|placeholder|dummy|example|sample|redacted|none|null|nil|undefined|secret|password|passwd|api[-_]?key|apikey|token|key|value|xxx+[-_]?xxx+)$/i;

/** Tenant or group parts of a reference that are placeholders (`TENANT`, `<secret-group>`, `your-tenant`). */
const REF_PART_PLACEHOLDER = /^(?:your[-_]?)?(?:tenant|tenant[-_]?name|org|org[-_]?name|organi[sz]ation|owner|secret[-_]?group|secret[-_]?group[-_]?name|group|group[-_]?name)$/i;

/** True when a part of a secret reference is a placeholder. `index` 0 is the tenant, 1 the group, 2 the key. */
export function isPlaceholderRefPart(part: string, index: number): boolean {
  if (/[<>]|\{\{|\$\{|\.\.\.|\u2026/.test(part)) return true;
  if (index < 2 && REF_PART_PLACEHOLDER.test(part)) return true;
  return index < 2 && /^(?:YOUR|MY)[-_]/.test(part);
}

/**
 * True when a credential value is a stand-in for one: `<API_KEY>`, `sk-...`, `your-api-key`, `${OPENAI_API_KEY}`,
 * `OPENAI_API_KEY`, `xxxx`, AWS's documented EXAMPLE keys, or a secret reference with placeholder parts.
 * `{{NAME}}` templates count as placeholders here; callers that allow per-user templates check those first.
 */
export function isPlaceholder(value: string): boolean {
  const ref = parseSecretRef(value);
  if (ref) return ref.parts.some((p, i) => isPlaceholderRefPart(p, i));
  let v = value.trim();
  const scheme = /^([A-Za-z][\w-]*)\s+(\S.*)$/s.exec(v);
  if (scheme && AUTH_SCHEMES.test(scheme[1])) v = scheme[2].trim();
  if (!v) return false;
  const bare = schemelessReference(v);
  if (bare && (isPlaceholderRefPart(bare[0], 0) || isPlaceholderRefPart(bare[1], 1))) return true;
  if (/<[^<>]*>|\{\{[^{}]*\}\}|\$\{[^{}]*\}|\.\.\.|\u2026/.test(v)) return true;
  if (/^\$[A-Z_][A-Z0-9_]*$/.test(v) || /^%[A-Z_][A-Z0-9_]*%$/.test(v)) return true;
  if (PLACEHOLDER_WORD.test(v)) return true;
  if (/^(?:your|my|enter|insert|put|paste|replace)[-_ ]?[\w-]*(?:key|token|secret|password|here|id)$/i.test(v)) return true;
  if (/[-_](?:here|placeholder)$/i.test(v)) return true;
  // An environment variable's name written where its value belongs (OPENAI_API_KEY).
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) && /KEY|TOKEN|SECRET|PASSWORD|PASS|CREDENTIAL/.test(v)) return true;
  // AWS's documentation keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY).
  return /EXAMPLE/.test(v);
}

/** True when a `{{NAME}}` template stands where the value goes (per-user MCP headers: `Bearer {{API_KEY}}`). */
export function isTemplate(value: string): boolean {
  return /^\s*(?:[A-Za-z][\w-]*\s+)?\{\{\s*[A-Za-z_][\w.-]*\s*\}\}\s*$/.test(value);
}
