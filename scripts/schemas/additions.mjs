// Schema generation: tfy-lint's own additions to the reference schemas (see import.mjs).
export const SNAPSHOT = '2026-04-13';
export const ID_BASE = 'https://schemas.tfy-lint.dev/v1/';

/** The four gateway configs the platform refuses without a top-level name, though the reference omits it. */
const NAMED_GATEWAY_CONFIGS = [
  'gateway-load-balancing-config',
  'gateway-rate-limiting-config',
  'gateway-budget-config',
  'gateway-guardrails-config',
];

/**
 * Type strings found in public TrueFoundry material that the platform rejects (DOMAIN.md §1.12), with the type to
 * use instead and why. Checked before "did you mean", so these get a specific message.
 */
export const WRONG_TYPES = {
  'provider-account/google': { why: 'there is no plain "google" provider: Vertex AI and Gemini (AI Studio) are separate provider types', use: 'provider-account/google-vertex' },
  'integration/model/google': { why: 'Google models are integration/model/vertex (Vertex AI) or integration/model/gemini (AI Studio)', use: 'integration/model/vertex' },
  'provider-account/mistral': { why: 'the Mistral provider type is spelled with its "-ai" suffix', use: 'provider-account/mistral-ai' },
  'integration/model/mistral': { why: 'the Mistral model type is spelled with its "-ai" suffix', use: 'integration/model/mistral-ai' },
  'provider-account/together': { why: 'the Together provider type is spelled with its "-ai" suffix', use: 'provider-account/together-ai' },
  'provider-account/perplexity': { why: 'the Perplexity provider type is spelled with its "-ai" suffix', use: 'provider-account/perplexity-ai' },
  'provider-account/gemini': { why: 'Gemini through AI Studio is the google-gemini provider', use: 'provider-account/google-gemini' },
  'provider-account/vertex': { why: 'Vertex AI is the google-vertex provider', use: 'provider-account/google-vertex' },
  'provider-account/bedrock': { why: 'Bedrock is the aws-bedrock provider', use: 'provider-account/aws-bedrock' },
  'integration/model/azure': { why: 'Azure OpenAI deployments are integration/model/azure-openai, inside a provider-account/azure-openai', use: 'integration/model/azure-openai' },
  'integration/model/aws-bedrock': { why: 'Bedrock models are integration/model/bedrock, even though the account type is provider-account/aws-bedrock', use: 'integration/model/bedrock' },
  'integration/model/google-vertex': { why: 'Vertex AI models are integration/model/vertex, even though the account type is provider-account/google-vertex', use: 'integration/model/vertex' },
  'integration/model/google-gemini': { why: 'Gemini models are integration/model/gemini, even though the account type is provider-account/google-gemini', use: 'integration/model/gemini' },
  'integration/model/custom': { why: 'the platform removed custom model integrations in late 2025; serve an OpenAI-compatible endpoint as a self-hosted model instead', use: 'integration/model/self-hosted-model' },
  'provider-account/nvidia-nim': { why: 'there is no NVIDIA NIM provider; reach NIM or any OpenAI-compatible API as a self-hosted model with bearer-auth', use: 'provider-account/self-hosted-model' },
  'budget-config': { why: 'the budget config type carries the "gateway-" prefix', use: 'gateway-budget-config' },
  'rate-limiting-config': { why: 'the rate-limit config type carries the "gateway-" prefix', use: 'gateway-rate-limiting-config' },
  'load-balancing-config': { why: 'the load-balancing config type carries the "gateway-" prefix', use: 'gateway-load-balancing-config' },
  'guardrails-config': { why: 'the guardrails config type carries the "gateway-" prefix', use: 'gateway-guardrails-config' },
  'data-access-config': { why: 'the data-access config type carries the "gateway-" prefix', use: 'gateway-data-access-config' },
  'openai-model': { why: 'this is the shape of an old Apply API example; OpenAI models are integration/model/openai entries of a provider-account/openai', use: 'integration/model/openai' },
  'integration/guardrail/tfy-pii': { why: 'guardrail integration types live under integration/guardrail-config/', use: 'integration/guardrail-config/tfy-pii' },
  'integration/guardrail/tfy-content-moderation': { why: 'guardrail integration types live under integration/guardrail-config/', use: 'integration/guardrail-config/tfy-content-moderation' },
  'integration/guardrail/tfy-prompt-injection': { why: 'guardrail integration types live under integration/guardrail-config/', use: 'integration/guardrail-config/tfy-prompt-injection' },
  // Auth object types from older provider templates (DOMAIN.md §1.12): the platform's auth_data types are shorter.
  'openai-api-key': { why: 'provider API keys use auth_data type "api-key" (this spelling comes from an old Apply API example)', use: 'api-key' },
  'azure-auth': { why: 'Azure OpenAI accounts authenticate with auth_data type "api-key" (or "certificate", "client-secret", "workload-identity"); api_base/api_version are not auth fields', use: 'api-key' },
  'aws-access-key-auth': { why: 'AWS access keys use auth_data type "access-key-based" with access_key_id and secret_access_key, and the region is a field of the account', use: 'access-key-based' },
  'aws-irsa-auth': { why: 'there is no IRSA auth type; let the gateway assume an IAM role with auth_data type "assumed-role-based" (assumed_role_arn), or use "access-key-based"', use: 'assumed-role-based' },
  'gcp-service-account-auth': { why: 'a Google service-account key uses auth_data type "key-file" with key_file_content; project_id and region are fields of the account', use: 'key-file' },
};

/** Wrong type strings that follow a pattern over the known types: a missing prefix, a wrong folder. */
export function derivedWrongTypes(knownTypes) {
  const out = {};
  for (const t of knownTypes) {
    const gw = /^gateway-(.+)$/.exec(t);
    if (gw && !knownTypes.includes(gw[1])) out[gw[1]] = { why: `the type carries the "gateway-" prefix`, use: t };
  }
  return out;
}

/** Guardrail integration kinds also appear as integration/guardrail/<kind>; the folder is guardrail-config. */
export function guardrailFolderWrongTypes(integrationTypes) {
  const out = {};
  for (const t of integrationTypes) {
    const m = /^integration\/guardrail-config\/(.+)$/.exec(t);
    if (m) out[`integration/guardrail/${m[1]}`] = { why: 'guardrail integration types live under integration/guardrail-config/', use: t };
  }
  return out;
}

/**
 * Meaningful names for the reference's generated definition names (pydantic numbers its anonymous classes). Applied
 * to every type before anything is shared, so names in common.schema.json read well in editors and error messages.
 */
export const RENAMES = {
  Config: 'AWSBedrockGuardrailSettings',
  Config1: 'AktoSettings',
  Config2: 'AzureContentSafetySettings',
  Config3: 'AzurePIISettings',
  Config4: 'AzurePromptShieldSettings',
  Config5: 'CedarSettings',
  Config6: 'CustomGuardrailSettings',
  Config7: 'EnkryptAISettings',
  Config8: 'FiddlerSettings',
  Config9: 'GoogleModelArmorSettings',
  Config10: 'GraySwanCygnalSettings',
  Config11: 'OPASettings',
  Config12: 'OpenAIModerationsSettings',
  Config13: 'PaloAltoPrismaAIRSSettings',
  Config14: 'PangeaSettings',
  Config15: 'PatronusSettings',
  Config16: 'RegexGuardrailSettings',
  Config17: 'SQLSanitizerSettings',
  Config18: 'SecretDetectionSettings',
  Config19: 'TfyContentModerationSettings',
  Config20: 'TfyPIISettings',
  Config21: 'TrojAISettings',
  Operation: 'GuardrailOperation',
  Operation1: 'GuardrailOperationMutateFirst',
  Target: 'GuardrailTarget',
  Target1: 'PatronusTarget',
  Mode1: 'PaloAltoPrismaAIRSMode',
  Domain: 'AzurePIIDomain',
  Region1: 'ControlPlaneStorageRegion',
  Type1: 'RoleBindingSubjectType',
  Source: 'StickySessionSource',
  Method: 'HttpMethod',
  Condition: 'InNotIn',
  Operator: 'AndOr',
};

/**
 * Definitions with different names but the same content are one shared definition: the name it gets, and the
 * names it replaces. The generator refuses to merge a group of names that is not listed here, so every shared
 * name is chosen by a person.
 */
export const SHARED_NAMES = {
  ApiKeyAuth: ['AI21KeyAuth', 'AnthropicKeyAuth', 'AwsBedrockApiKeyAuth', 'AzureKeyAuth', 'BasetenKeyAuth', 'CartesiaApiKeyAuth',
    'CerebrasKeyAuth', 'CohereKeyAuth', 'DatabricksApiKeyAuth', 'DeepgramApiKeyAuth', 'DeepinfraKeyAuth', 'ElevenLabsApiKeyAuth',
    'GroqKeyAuth', 'OpenaiApiKeyAuth', 'EnkryptAIKeyAuth', 'PaloAltoPrismaAIRSKeyAuth', 'FiddlerKeyAuth', 'PangeaKeyAuth',
    'PatronusKeyAuth', 'GoogleModelArmorApiKeyAuth', 'GraySwanCygnalApiKeyAuth', 'MistralAIKeyAuth', 'NomicKeyAuth',
    'OpenRouterApiKeyAuth', 'PalmKeyAuth', 'PerplexityAIKeyAuth', 'SambaNovaKeyAuth', 'TogetherAIKeyAuth', 'XAIKeyAuth',
    'SmallestAiApiKeyAuth', 'WaferApiKeyAuth', 'CrowdStrikeAidrKeyAuth'],
  OwnedBy: ['TeamOwnedBy'],
  RuleWhen: ['BudgetWhen', 'LoadBalancingWhen', 'RateLimitWhen'],
  MetadataFilter: ['GatewayDataMetadataFilter', 'GatewayDataRoutingConfigDestinationMetadataCondition'],
  CreatedByFilter: ['GatewayDataCreatedByFilter', 'GatewayDataRoutingConfigDestinationCreatedByCondition'],
  ConfigRuleWhen: ['GatewayLoggingWhen', 'GatewayMetadataWhen'],
  UsernamePasswordAuth: ['AzureBasicAuth', 'JfrogBasicAuth'],
  HeaderAuth: ['CustomHeaderAuth', 'OPAHeaderAuth'],
  HeaderOverrideAuth: ['MCPServerHeaderOverrideAuth', 'AgentServerHeaderAuth'],
  PassthroughAuth: ['AgentServerPassthrough', 'MCPServerPassthrough'],
  InputCostMetricValue: ['PerMillionCharactersCostMetricValue', 'PerMinuteOfAudioCostMetricValue'],
  BudgetV2Limits: ['BudgetV2OverrideLimits'],
  RegistryBasicAuth: ['DockerhubBasicAuth', 'QuayBasicAuth'],
  KeyFileAuth: ['GcpKeyFileAuth', 'VertexKeyFileAuth', 'GoogleModelArmorKeyFileAuth'],
  GuardrailOperation: ['Operation2', 'Operation4', 'Operation6', 'Operation7', 'Operation8', 'Operation10'],
  GuardrailOperationMutateFirst: ['Operation9'],
  TokenAuth: ['AktoTokenAuth', 'HashicorpTokenAuth', 'VcsTokenAuth'],
  GuardrailServiceSettings: ['AktoSettings', 'TrojAISettings'],
};

/** Credential fields (DOMAIN.md §3.1) whose reference schema is a non-blank string: they share one definition. */
const CREDENTIAL_FIELDS = new Set(['api_key', 'apiKey', 'access_key_id', 'secret_access_key', 'client_secret', 'oauth_secret', 'certificate',
  'certificate_thumbprint', 'pat_token', 'api_token', 'bearer_token', 'token', 'password', 'integration_key', 'bot_token',
  'connection_string']);

const NON_BLANK = { pattern: '^\\S+$', type: 'string' };

/**
 * Property schemas that recur across types and become one shared definition each: `match(propertyName, schema)`
 * decides, `schema` is the shared definition (the property keeps its own description at the use site).
 */
export const SHARED_PROPERTIES = [
  { name: 'Credential', schema: NON_BLANK, match: (prop) => CREDENTIAL_FIELDS.has(prop) },
  { name: 'ModelAccountName', schema: { pattern: '^[a-z][a-z0-9\\-]{1,30}[a-z0-9]$', type: 'string' } },
  { name: 'ModelName', schema: { pattern: '^[a-zA-Z](?:[a-zA-Z0-9\\-._]{0,60}[a-zA-Z0-9])$', type: 'string' } },
  { name: 'ResourceName', schema: { pattern: '^[a-z][a-z0-9\\-]{1,34}[a-z0-9]$', type: 'string' } },
  { name: 'MCPServerName', schema: { pattern: '^[a-z][a-z0-9\\-]{1,71}[a-z0-9]$', type: 'string' } },
  { name: 'VirtualModelName', schema: { pattern: '^[a-z][a-z0-9\\-_]{1,62}[a-z0-9]$', type: 'string' } },
  { name: 'RuleId', schema: { pattern: '^[a-zA-Z](?:[a-zA-Z0-9\\-]{0,60}[a-zA-Z0-9])$', type: 'string' } },
  { name: 'RateLimitRuleId', schema: { pattern: '^[A-Za-z{}][A-Za-z0-9{}._-]{0,60}[A-Za-z0-9{}._]$', type: 'string' } },
  { name: 'HttpUrl', schema: { pattern: '^https?:\\/\\/[^\\s]+$', type: 'string' } },
  { name: 'HttpUrlNoTrailingSlash', schema: { pattern: '^https?:\\/\\/[^\\s\\/]+(\\/[^\\s\\/]*)*[^\\/\\s]$', type: 'string' } },
  { name: 'HttpsHostUrl', schema: { pattern: '^https:\\/\\/(([a-zA-Z0-9-]{1,63}\\.)+[a-zA-Z]{2,63})(\\/[^\\s]*)?$', type: 'string' } },
  { name: 'Collaborators', schema: { type: 'array', items: { $ref: '#/definitions/Collaborator' } }, match: (prop) => prop === 'collaborators' },
  { name: 'AuthorizedSubjects', schema: { type: 'array', items: { type: 'string' } }, match: (prop) => prop === 'authorized_subjects' },
  { name: 'ModelTypes', schema: { default: ['chat'], type: 'array', items: { $ref: '#/definitions/ModelType' } }, match: (prop) => prop === 'model_types' },
  { name: 'Tags', schema: { type: 'object' }, match: (prop) => prop === 'tags' },
];


const stable = (x) => JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

/** Renames local definitions of one type (keys and `#/definitions/` references). */
function renameDefs(t, renames) {
  const map = (node) => {
    if (Array.isArray(node)) return node.map(map);
    if (!node || typeof node !== 'object') return node;
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/') && renames[v.slice(14)] ? `#/definitions/${renames[v.slice(14)]}` : map(v);
    }
    return out;
  };
  t.root = map(t.root);
  t.defs = Object.fromEntries(Object.entries(t.defs).map(([n, d]) => [renames[n] ?? n, map(d)]));
}

/** Replaces every property schema listed in SHARED_PROPERTIES by a reference to its shared definition. */
function hoistSharedProperties(t) {
  const shapes = SHARED_PROPERTIES.map((s) => ({ ...s, key: stable(s.schema) }));
  const visit = (node) => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (!node || typeof node !== 'object') return;
    if (node.properties && typeof node.properties === 'object') {
      for (const [prop, schema] of Object.entries(node.properties)) {
        const hit = shapes.find((s) => (!s.match || s.match(prop)) && s.key === stable(schema));
        if (hit) { node.properties[prop] = { $ref: `#/definitions/${hit.name}` }; t.defs[hit.name] = JSON.parse(JSON.stringify(hit.schema)); }
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'if') visit(v);
  };
  visit(t.root);
  for (const d of Object.values(t.defs)) visit(d);
}

/** tfy-lint's own changes to the transformed schemas (type -> {root, defs}), after unions became if/then chains. */
export function applyAdditions(types, report) {
  for (const type of NAMED_GATEWAY_CONFIGS) {
    const { root } = types[type];
    root.properties = { type: root.properties.type, name: { type: 'string', minLength: 1 }, ...Object.fromEntries(Object.entries(root.properties).filter(([k]) => k !== 'type')) };
    root.required = ['type', 'name', ...root.required.filter((r) => r !== 'type')];
  }
  report.push(`required top-level name added to ${NAMED_GATEWAY_CONFIGS.length} gateway configs`);
  for (const t of Object.values(types)) {
    const clash = Object.entries(RENAMES).filter(([from, to]) => t.defs[from] && t.defs[to]);
    if (clash.length) throw new Error(`additions: RENAMES target already defined: ${clash.map(([f, to]) => `${f} -> ${to}`).join(', ')}`);
    renameDefs(t, RENAMES);
    hoistSharedProperties(t);
  }
}
