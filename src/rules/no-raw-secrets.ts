// Rule no-raw-secrets: credentials are tfy-secret:// references, never literal keys, tokens, passwords or key files.
import type { JsonPath } from '../core/diagnostic.ts';
import { formatPath, getPath, isRecord, type Scalar } from '../core/jsonpath.ts';
import {
  findRawKey, isMisspeltReference, isPlaceholder, isSecretKey, isSecretReference, isTemplate, keyFormatOf,
  looksLikeSecret, parseSecretRef, redact, redactCredential, schemelessReference,
} from '../core/secrets.ts';
import { quote } from '../core/text.ts';
import { defineRule, type Report } from '../lint/rule.ts';
import type { Manifest } from '../parse/manifest.ts';
import { ownValue } from '../core/own.ts';
import { endsWithHeaders } from '../core/mask.ts';

/** Secret-group names (DOMAIN.md §1.1), to recognise a reference written without its tfy-secret:// prefix. */
const SECRET_GROUP = /^(?!.*--)[a-z][a-z0-9-]{3,48}[a-z0-9]$/;

/** Fields whose value is a credential wherever they appear (DOMAIN.md §3.1), with what to call them in messages. */
const CREDENTIAL_FIELDS: Record<string, string> = {
  api_key: 'API key',
  apiKey: 'API key',
  access_key_id: 'access key ID',
  secret_access_key: 'secret access key',
  session_token: 'session token',
  aws_access_key_id: 'access key ID',
  aws_secret_access_key: 'secret access key',
  api_token: 'API token',
  bearer_token: 'bearer token',
  bot_token: 'bot token',
  token: 'token',
  pat_token: 'programmatic access token',
  password: 'password',
  client_secret: 'client secret',
  oauth_secret: 'OAuth secret',
  private_key: 'private key',
  certificate: 'client certificate',
  certificate_thumbprint: 'certificate thumbprint',
  key_file_content: 'service-account key file',
  connection_string: 'connection string',
  integration_key: 'integration key',
  secret_id: 'secret ID',
  webhook_url: 'webhook URL',
};

/**
 * Header names whose value authenticates the caller: `strong` ones always carry a credential (so their value must be a
 * reference); `weak` ones merely mention one (X-Token-Type) and are reported only when the value looks like a key.
 */
function authHeader(name: string): 'strong' | 'weak' | undefined {
  const n = name.toLowerCase();
  if (/^(?:authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth|x-auth-key|x-auth-token)$/.test(n)) return 'strong';
  if (/(?:^|[-_])(?:api[-_]?key|key|token|secret|password|passwd|credentials?|signature)$/.test(n)) return 'strong';
  if (/token|secret|password|passwd|api[-_]?key|auth|credential/.test(n)) return 'weak';
  return undefined;
}

/** Whether the leaf at `path` is a value of a map of HTTP headers (whose values may be credentials). */
function inHeaderMap(path: JsonPath): boolean {
  const map = path[path.length - 2];
  if (typeof map !== 'string' || typeof path[path.length - 1] !== 'string') return false;
  return endsWithHeaders(map) || (map === 'set' && path[path.length - 3] === 'headers_override');
}

const PROVIDERS: Record<string, string> = {
  openai: 'OpenAI', anthropic: 'Anthropic', 'aws-bedrock': 'AWS Bedrock', 'aws-sagemaker': 'AWS SageMaker',
  'aws-bedrock-mantle': 'AWS Bedrock Mantle', 'aws-claude-platform': 'AWS Claude Platform', 'azure-openai': 'Azure OpenAI',
  'azure-foundry': 'Azure AI Foundry', 'google-vertex': 'Google Vertex AI', 'google-gemini': 'Google Gemini', groq: 'Groq',
  'together-ai': 'Together AI', 'mistral-ai': 'Mistral AI', cohere: 'Cohere', ai21: 'AI21', deepinfra: 'DeepInfra',
  nomic: 'Nomic', palm: 'PaLM', ollama: 'Ollama', openrouter: 'OpenRouter', 'perplexity-ai': 'Perplexity', xai: 'xAI',
  cerebras: 'Cerebras', sambanova: 'SambaNova', 'snowflake-cortex': 'Snowflake Cortex', baseten: 'Baseten',
  cartesia: 'Cartesia', cloudera: 'Cloudera', databricks: 'Databricks', deepgram: 'Deepgram', elevenlabs: 'ElevenLabs',
  'smallest-ai': 'Smallest AI', wafer: 'Wafer', 'self-hosted-model': 'self-hosted model', 'custom-endpoint': 'custom endpoint',
  'virtual-model': 'virtual model', 'mcp-server-group': 'MCP server', slack: 'Slack', 'ms-teams': 'Microsoft Teams',
  pagerduty: 'PagerDuty', webhook: 'webhook', github: 'GitHub', gitlab: 'GitLab', bitbucket: 'Bitbucket',
  dockerhub: 'Docker Hub', jfrog: 'JFrog', quay: 'Quay', hashicorp: 'HashiCorp Vault', aws: 'AWS', azure: 'Azure',
  gcp: 'Google Cloud', custom: 'custom integration', google: 'Google', mistral: 'Mistral AI',
};

const GUARDRAILS: Record<string, string> = {
  'openai-moderations': 'OpenAI Moderations', 'aws-bedrock': 'AWS Bedrock', 'azure-pii': 'Azure PII',
  'azure-content-safety': 'Azure Content Safety', 'azure-prompt-shield': 'Azure Prompt Shield', 'enkrypt-ai': 'Enkrypt AI',
  'palo-alto-prisma-airs': 'Palo Alto Prisma AIRS', fiddler: 'Fiddler', pangea: 'Pangea', patronus: 'Patronus',
  opa: 'OPA', 'google-model-armor': 'Google Model Armor', 'grayswan-cygnal': 'Gray Swan Cygnal', akto: 'Akto',
  trojai: 'TrojAI', custom: 'custom', 'crowdstrike-aidr': 'CrowdStrike AIDR',
};

/** Whose credential a path holds, from the manifest type (and, in guardrail groups, the integration type). */
function ownerOf(manifest: Manifest, path: JsonPath): string {
  const type = manifest.type ?? '';
  if (type === 'provider-account/guardrail-config-group' && path[0] === 'integrations' && typeof path[1] === 'number') {
    const t = getPath(manifest.data, ['integrations', path[1], 'type']);
    const kind = typeof t === 'string' ? t.slice(t.lastIndexOf('/') + 1) : '';
    return `${ownValue(GUARDRAILS, kind) ?? kind} guardrail`.trim();
  }
  if (type.startsWith('provider-account/')) {
    const p = type.slice('provider-account/'.length);
    return ownValue(PROVIDERS, p) ?? p;
  }
  if (type.startsWith('mcp-server/')) return 'MCP server';
  if (type === 'gateway-otel-config') return 'OTEL exporter';
  if (type === 'gateway-load-balancing-config') return 'load-balancing target';
  if (type === 'agent' || type === 'truefoundry-agent' || type.startsWith('remote-agent/')) return 'agent';
  return type;
}

function isMcp(manifest: Manifest): boolean {
  const t = manifest.type ?? '';
  return t.startsWith('mcp-server/') || t === 'provider-account/mcp-server-group';
}

/** Webhook URLs that embed a secret; other webhook URLs (a plain https endpoint) are addresses, not credentials. */
function isSecretWebhook(manifest: Manifest, value: string): boolean {
  const t = manifest.type ?? '';
  if (t === 'provider-account/slack' || t === 'provider-account/ms-teams') return true;
  const f = keyFormatOf(value);
  return f?.kind === 'webhook URL';
}

/** What the credential is, for messages: "Groq API key", "MCP server "Authorization" header". */
function describe(manifest: Manifest, path: JsonPath, label: string, value: string): string {
  const format = value ? keyFormatOf(value.replace(/^\s*(?:bearer|basic|token|bot|apikey|key)\s+/i, '')) : undefined;
  if (format) return `${format.provider} ${format.kind}`;
  return `${ownerOf(manifest, path)} ${label}`;
}

export default defineRule({
  id: 'no-raw-secrets',
  meta: {
    description: 'Credentials are tfy-secret:// references: no raw API keys, tokens, passwords, key files or auth headers, and no unfilled placeholders',
    appliesTo: ['**'],
    needs: 'document',
    recommended: 'error',
    suppressible: false,
    fixable: true,
    messages: {
      rawSecret: '{{field}} holds a raw {{what}} ({{redacted}}); use a tfy-secret:// reference',
      rawKeyFile: '{{field}} holds a raw {{what}} inline; use a tfy-secret:// reference',
      rawKeyInText: '{{field}} contains what looks like a {{what}} ({{redacted}})',
      rawInUrl: '{{field}} carries a credential in its query parameter "{{param}}" ({{redacted}})',
      placeholder: '{{field}} holds an unfilled placeholder ({{value}}) instead of a reference to the {{what}}',
      missingScheme: '{{field}} looks like a secret reference without its prefix; write "{{fixed}}"',
    },
  },
  hints: {
    rawSecret: 'Anything committed to git stays in its history and reaches every clone, CI log and diff. Store the value in a TrueFoundry secret group and write tfy-secret://<tenant>:<secret-group>:<key> here; then rotate the exposed credential, since removing it from the file does not remove it from history.',
    rawKeyFile: 'A service-account key file contains a private key. Save the whole JSON in a secret group and reference it as tfy-secret://<tenant>:<secret-group>:<key>; then rotate the key, since git history keeps it.',
    rawKeyInText: 'A key pasted into a description, comment field or parameter leaks just like one in a credential field. Remove it, rotate it, and keep credentials only in secret groups, referenced with tfy-secret://.',
    rawInUrl: 'URLs are stored and logged in clear. Send the credential in an auth header backed by a tfy-secret:// reference instead, or keep the whole URL in a secret; then rotate the exposed value.',
    missingScheme: 'Only values starting with tfy-secret:// are resolved from a secret group; without the prefix the text itself is sent as the credential. tfy-lint --fix adds the prefix.',
    placeholder: 'The placeholder from a template or example was never filled in: applied as is, the platform stores the literal text and every call fails to authenticate. Create the secret in a secret group and write its reference, tfy-secret://<tenant>:<secret-group>:<key>.',
  },
  check(manifest, ctx) {
    if (!isRecord(manifest.data)) return;
    const keyFiles = new Set<string>();
    ctx.eachLeaf((path, key, value) => {
      // The walk's path is shared by every leaf; the engine copies a reported path.
      const found = leafFinding(manifest, path as JsonPath, key, value, keyFiles);
      if (found) ctx.report(found);
    });
  },
});

/** What is wrong with one scalar, if anything (at `path`, the walk's shared path: only reported, never kept here). */
function leafFinding(manifest: Manifest, path: JsonPath, key: string | number | undefined, value: Scalar, keyFiles: Set<string>): Report | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;

  // A key file given as a mapping: one finding for the whole object, at its key.
  const kfc = path.indexOf('key_file_content');
  if (kfc !== -1 && kfc < path.length - 1) {
    const at = path.slice(0, kfc + 1);
    const id = JSON.stringify(at);
    if (keyFiles.has(id)) return undefined;
    keyFiles.add(id);
    return { messageId: 'rawKeyFile', path: at, data: { field: formatPath(at), what: `${ownerOf(manifest, at)} service-account key file` } };
  }

  let label: string | undefined;
  const headerMap = inHeaderMap(path);
  if (typeof key === 'string' && headerMap) {
    if (authHeader(key) === 'strong') label = `"${key}" header`;
  } else if (typeof key === 'string' && Object.hasOwn(CREDENTIAL_FIELDS, key)) {
    label = CREDENTIAL_FIELDS[key];
    if (key === 'webhook_url' && typeof value === 'string' && !isSecretWebhook(manifest, value)) label = undefined;
  }

  if (typeof value === 'number') {
    return label ? { messageId: 'rawSecret', path, at: 'value', data: { field: formatPath(path), what: `${ownerOf(manifest, path)} ${label}`, redacted: '****' } } : undefined;
  }
  if (!value.trim()) return undefined;

  // References are fine here (secret-ref-format checks their shape), unless parts of them are placeholders.
  if (parseSecretRef(value) || isMisspeltReference(value)) {
    if (!isPlaceholder(value)) return undefined;
    return { messageId: 'placeholder', path, at: 'value', data: { field: formatPath(path), value: quote(value.trim()), what: label ? describe(manifest, path, label, '') : `${ownerOf(manifest, path)} ${typeof key === 'string' ? key.replace(/_/g, ' ') : 'secret'}` } };
  }

  if (label) {
    if (isMcp(manifest) && headerMap && isTemplate(value)) return undefined;
    // A real key outweighs placeholder-like text around it (`Bearer sk-proj-...` with a pasted key).
    if (isPlaceholder(value) && !findRawKey(value)) {
      return { messageId: 'placeholder', path, at: 'value', data: { field: formatPath(path), value: shownPlaceholder(value), what: describe(manifest, path, label, value) } };
    }
    const bare = schemelessReference(value);
    if (bare && SECRET_GROUP.test(bare[1])) {
      const fixed = `tfy-secret://${value.trim()}`;
      return { messageId: 'missingScheme', path, at: 'value', data: { field: formatPath(path), fixed }, fix: { path, value: fixed } };
    }
    if (key === 'key_file_content' && /^\s*[{[]/.test(value)) {
      return { messageId: 'rawKeyFile', path, at: 'value', data: { field: formatPath(path), what: `${ownerOf(manifest, path)} service-account key file` } };
    }
    return { messageId: 'rawSecret', path, at: 'value', data: { field: formatPath(path), what: describe(manifest, path, label, value), redacted: redactCredential(value) } };
  }

  // Every other string: a provider's key format anywhere in it, a high-entropy value under an auth-like key, or a
  // credential in a URL's query string.
  const found = findRawKey(value);
  if (found) {
    return { messageId: 'rawKeyInText', path, at: 'value', data: { field: formatPath(path), what: `raw ${found.format.provider} ${found.format.kind}`, redacted: redactCredential(found.match) } };
  }
  // Auth-like keys outside the known credential fields, and any header of a header-auth map (auth_data.headers).
  const authLike = typeof key === 'string' && (headerMap ? authHeader(key) === 'weak' || path.includes('auth_data') : isSecretKey(key));
  if (authLike && looksLikeSecret(value.trim()) && !isPlaceholder(value)) {
    const what = headerMap ? `${ownerOf(manifest, path)} "${String(key)}" header` : `${ownerOf(manifest, path)} credential`;
    return { messageId: 'rawSecret', path, at: 'value', data: { field: formatPath(path), what, redacted: redact(value) } };
  }
  return /^https?:\/\/\S+\?/i.test(value) ? urlQueryFinding(value, path) : undefined;
}

function urlQueryFinding(value: string, path: JsonPath): Report | undefined {
  let url: URL;
  try { url = new URL(value.trim()); } catch { return undefined; }
  for (const [param, v] of url.searchParams) {
    if (!isSecretKey(param) && !/key$/i.test(param)) continue;
    if (v.length < 8 || isPlaceholder(v) || isSecretReference(v) || isTemplate(v)) continue;
    return { messageId: 'rawInUrl', path, at: 'value', data: { field: formatPath(path), param, redacted: redact(v) } };
  }
  return undefined;
}

/** A placeholder as it may be shown: quoted, unless part of it looks like a real key (`sk-proj-Ab12...`). */
function shownPlaceholder(value: string): string {
  const v = value.trim();
  const tokens = v.split(/[\s<>{}$.\u2026]+/).filter(Boolean);
  if (v.length > 60 || tokens.some((t) => looksLikeSecret(t) || (t.length >= 12 && keyFormatOf(t)))) return redactCredential(v);
  return quote(v);
}
