// Schema generation: the types and fields that only the platform's 2026-06 SDKs know (schema-tables.md §B/§C).
//
// The reference snapshot (2026-04-13) predates them. Everything here is written in the reference's own dialect
// (pydantic-style draft-07: `definitions`, `anyOf` unions, `enum: [x]` for a type literal) and applied to the raw
// reference before import.mjs transforms anything, so SDK-derived schemas get exactly the same treatment.
//
// Facts come from the Fern-generated SDKs (truefoundry-python-sdk f4e1527 / truefoundry-typescript-sdk 7b9bf5c,
// 2026-06-30) as tabulated in schema-tables.md §B. Fern drops patterns and lengths, and it marks some fields required
// that the platform fills in by default. So, consistently:
//   - a field the SDK marks required but gives a default is optional here, with that default;
//   - where the reference and the SDK disagree, tfy-lint accepts what either accepts (a field required in one and
//     optional in the other is optional; enum values and union members are the union of both), so that a document
//     the platform accepts is never flagged;
//   - an SDK field with a direct counterpart in the reference takes that counterpart's constraints (account and
//     integration names, model ids, base URLs, credentials: DOMAIN.md §1.1 suggests the model-account and
//     model-integration name patterns for the custom-endpoint names, which the SDK leaves open); every other SDK
//     string is just a string.
// docs/schemas.md lists each of these decisions.

export const SDK_SNAPSHOT = '2026-06-30';
export const SDK_SOURCE = `SDK ${SDK_SNAPSHOT}`;

const clone = (x) => JSON.parse(JSON.stringify(x));
const lit = (value) => ({ enum: [value], type: 'string' });
const ref = (name) => ({ $ref: `#/definitions/${name}` });
const str = { type: 'string' };
const bool = { type: 'boolean' };
const num = { type: 'number' };
const strings = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const freeMap = { type: 'object' };
const arrayOf = (name) => ({ type: 'array', items: ref(name) });
const obj = (properties, required = []) => ({ type: 'object', properties, required, additionalProperties: false });

/** Patterns the reference uses for the same kind of field (DOMAIN.md §1.1). */
const P = {
  modelAccountName: '^[a-z][a-z0-9\\-]{1,30}[a-z0-9]$',
  modelIntegrationName: '^[a-zA-Z](?:[a-zA-Z0-9\\-._]{0,60}[a-zA-Z0-9])$',
  shortName: '^[a-z][a-z0-9\\-]{1,34}[a-z0-9]$',
  mcpServerName: '^[a-z][a-z0-9\\-]{1,71}[a-z0-9]$',
  nonBlank: '^\\S+$',
  httpUrlNoTrailingSlash: '^https?:\\/\\/[^\\s\\/]+(\\/[^\\s\\/]*)*[^\\/\\s]$',
};
const patterned = (pattern) => ({ pattern, type: 'string' });

/** The definitions `names` of reference type `from`, with every definition they reference, deep-copied. */
function defsFrom(raw, from, names) {
  const src = raw[from]?.definitions ?? {};
  const out = {};
  const visit = (name) => {
    if (out[name]) return;
    if (!src[name]) throw new Error(`sdk-additions: ${from} has no definition ${name}`);
    out[name] = clone(src[name]);
    JSON.stringify(src[name], (k, v) => { if (k === '$ref' && typeof v === 'string') visit(v.split('/').pop()); return v; });
  };
  names.forEach(visit);
  return out;
}

/** The union branches (anyOf/oneOf) of a property, whichever keyword the reference used. */
function branches(node) {
  if (node.anyOf) return node.anyOf;
  if (node.oneOf) return node.oneOf;
  if (node.$ref) { const b = [{ $ref: node.$ref }]; delete node.$ref; node.anyOf = b; return b; }
  if (node.allOf?.length === 1 && node.allOf[0].$ref) { const b = [node.allOf[0]]; delete node.allOf; node.anyOf = b; return b; }
  throw new Error(`sdk-additions: not a union: ${JSON.stringify(node).slice(0, 80)}`);
}

/** Adds union members (by definition name) to a property that may hold one definition or a union of them. */
function addMembers(node, names) {
  const b = branches(node);
  for (const n of names) if (!b.some((x) => x.$ref === `#/definitions/${n}`)) b.push(ref(n));
}

/** Inserts a property into a schema's `properties`, keeping the reference's order for the others. */
function addProperty(schema, name, prop) {
  schema.properties[name] = prop;
}

function modelIntegrationDefs(raw) {
  // Cost metrics the SDK added; their metric literals are the SDK's "+value=" markers.
  return {
    PerMillionCharactersCostMetric: obj({ metric: { pattern: '^per_million_characters$', type: 'string' }, value: ref('PerMillionCharactersCostMetricValue') }, ['metric', 'value']),
    PerMillionCharactersCostMetricValue: obj({ input: { minimum: 0, type: 'number' } }, ['input']),
    PerMinuteOfAudioCostMetric: obj({ metric: { pattern: '^per_minute_of_audio$', type: 'string' }, value: ref('PerMinuteOfAudioCostMetricValue') }, ['metric', 'value']),
    PerMinuteOfAudioCostMetricValue: obj({ input: { minimum: 0, type: 'number' } }, ['input']),
    OcrCostMetric: obj({ metric: { pattern: '^per_1000_pages$', type: 'string' }, value: ref('OcrCostMetricValue') }, ['metric', 'value']),
    OcrCostMetricValue: obj({ pages: { minimum: 0, type: 'number' }, annotated_pages: { minimum: 0, type: 'number' } }, ['pages']),
    ...defsFrom(raw, 'provider-account/openai', ['PerThousandTokensCostMetric', 'PerThousandEmbeddingTokensCostMetric', 'PublicCostMetric', 'ModelType']),
  };
}
const NEW_COST_METRICS = ['PerMillionCharactersCostMetric', 'PerMinuteOfAudioCostMetric', 'OcrCostMetric'];
const costUnion = () => ({ anyOf: ['PerThousandTokensCostMetric', 'PerThousandEmbeddingTokensCostMetric', ...NEW_COST_METRICS, 'PublicCostMetric'].map(ref) });

/** A model integration of a new SDK provider, shaped like the reference's (name, model_id, model_types, cost, ...). */
function modelIntegration(type, extra = {}) {
  return obj({
    type: lit(type),
    name: patterned(P.modelIntegrationName),
    model_id: patterned(P.nonBlank),
    // The SDK marks model_types required, as it does for every reference integration where the platform defaults
    // it; its default for these new providers is not published, so tfy-lint leaves it optional without one.
    model_types: { type: 'array', items: ref('ModelType') },
    ...extra,
    cost: costUnion(),
    authorized_subjects: strings,
  }, ['type', 'name', 'model_id']);
}

function modelAccount(type, { props, required, integration, defs }) {
  return {
    type: 'object',
    properties: {
      type: lit(type),
      name: patterned(P.modelAccountName),
      ...props,
      integrations: arrayOf(integration),
      collaborators: arrayOf('Collaborator'),
      ownedBy: ref('OwnedBy'),
      discount_percent: num,
    },
    required: ['type', 'name', ...required],
    additionalProperties: false,
    definitions: defs,
  };
}

const apiKeyAuth = () => obj({ type: lit('api-key'), api_key: patterned(P.nonBlank) }, ['type', 'api_key']);
const azureEntraAuths = () => ({
  AzureClientSecretAuth: obj({ type: lit('client-secret'), tenant_id: patterned(P.nonBlank), client_id: patterned(P.nonBlank), client_secret: patterned(P.nonBlank) }, ['type', 'tenant_id', 'client_id', 'client_secret']),
  AzureWorkloadIdentityAuth: obj({ type: lit('workload-identity'), tenant_id: patterned(P.nonBlank), client_id: patterned(P.nonBlank) }, ['type', 'tenant_id', 'client_id']),
});
const msTeamsWebhookTarget = () => obj({ type: lit('ms-teams-webhook'), notification_channel: { minLength: 1, type: 'string' } }, ['type', 'notification_channel']);
const mcpToolAnnotations = () => obj({ readOnlyHint: bool, destructiveHint: bool });
const identityProviderMapping = () => obj({ identity_provider: str, value: str }, ['identity_provider', 'value']);

/** Model provider accounts to which the SDK added `discount_percent` (schema-tables.md §C). */
const DISCOUNT_ACCOUNTS = ['ai21', 'anthropic', 'aws-bedrock', 'aws-sagemaker', 'azure-foundry', 'azure-openai', 'baseten', 'cartesia',
  'cerebras', 'cloudera', 'cohere', 'databricks', 'deepgram', 'deepinfra', 'elevenlabs', 'google-gemini', 'google-vertex', 'groq',
  'mistral-ai', 'nomic', 'ollama', 'openai', 'openrouter', 'palm', 'perplexity-ai', 'sambanova', 'self-hosted-model',
  'snowflake-cortex', 'together-ai', 'xai'].map((p) => `provider-account/${p}`);

/** New manifest types: type -> raw schema. */
function newTypes(raw) {
  const base = defsFrom(raw, 'provider-account/openai', ['Collaborator', 'OwnedBy']);
  const aws = defsFrom(raw, 'provider-account/aws-bedrock', ['AWSRegion', 'AwsAccessKeyBasedAuth', 'AwsBedrockAssumedRoleBasedAuth', 'AwsBedrockApiKeyAuth']);
  const awsAuth = () => ({ anyOf: ['AwsAccessKeyBasedAuth', 'AwsBedrockAssumedRoleBasedAuth', 'AwsBedrockApiKeyAuth'].map(ref) });
  const tls = defsFrom(raw, 'provider-account/self-hosted-model', ['CustomTLSSettings']);
  const guardrail = defsFrom(raw, 'provider-account/guardrail-config-group', ['EnforcingStrategy']);
  const notify = defsFrom(raw, 'gateway-budget-config', ['Email', 'SlackWebhook', 'SlackBot', 'PagerDuty']);
  const toolSetting = defsFrom(raw, 'mcp-server/remote', ['MCPToolSetting']);
  const t = {};

  t['provider-account/custom-endpoint'] = {
    type: 'object',
    properties: {
      type: lit('provider-account/custom-endpoint'),
      name: patterned(P.modelAccountName),
      endpoint_type: ref('CustomEndpointType'),
      routing_type: ref('CustomEndpointRoutingType'),
      slug: patterned(P.modelIntegrationName),
      auth_data: ref('CustomHeaderAuth'),
      integrations: arrayOf('CustomEndpoint'),
      collaborators: arrayOf('Collaborator'),
      ownedBy: ref('OwnedBy'),
    },
    required: ['type', 'name', 'integrations'],
    additionalProperties: false,
    definitions: {
      ...base, ...tls,
      CustomEndpointType: { enum: ['azure-speech-service', 'other'], type: 'string' },
      CustomEndpointRoutingType: { enum: ['weight', 'priority'], type: 'string' },
      // The SDK's CustomHeaderAuth is the type the generic secret store of provider-account/custom uses.
      ...defsFrom(raw, 'provider-account/custom', ['CustomHeaderAuth']),
      CustomEndpoint: obj({
        type: lit('integration/model/custom-endpoint'),
        name: patterned(P.modelIntegrationName),
        // The docs require the upstream origin without a trailing slash, as the self-hosted model URL pattern says.
        base_url: patterned(P.httpUrlNoTrailingSlash),
        auth_data: ref('CustomHeaderAuth'),
        headers: stringMap,
        tls_settings: ref('CustomTLSSettings'),
        loadbalancing_config: ref('CustomEndpointTargetConfig'),
        authorized_subjects: strings,
      }, ['type', 'name', 'base_url']),
      CustomEndpointTargetConfig: obj({
        weight: num,
        priority: num,
        fallback_status_codes: strings,
        fallback_candidate: { default: true, type: 'boolean' },
        metadata_match: stringMap,
      }),
    },
  };

  const budgetV2 = (type, scope) => {
    const teamScoped = scope === 'team';
    return {
      type: 'object',
      properties: {
        type: lit(type),
        ...(teamScoped ? { team_name: { minLength: 1, type: 'string' } } : {}),
        name: { minLength: 1, type: 'string' },
        when: ref(teamScoped ? 'BudgetV2WhenTeamScoped' : 'BudgetV2WhenTenantScoped'),
        limits: ref('BudgetV2Limits'),
        applies_to: { anyOf: ['BudgetV2AppliesToAggregate', 'BudgetV2AppliesToPerUser', 'BudgetV2AppliesToPerModel', 'BudgetV2AppliesToPerVirtualAccount', 'BudgetV2AppliesToMetadata'].map(ref) },
        mode: ref('BudgetV2Mode'),
        alerts: ref('BudgetV2Alert'),
      },
      required: ['type', ...(teamScoped ? ['team_name'] : []), 'name', 'when', 'limits', 'applies_to', 'mode'],
      additionalProperties: false,
      definitions: {
        ...notify,
        MSTeamsWebhook: msTeamsWebhookTarget(),
        BudgetV2InNotInFilter: obj({ in: strings, not_in: strings }),
        [teamScoped ? 'BudgetV2SubjectsTeamScoped' : 'BudgetV2SubjectsTenantScoped']: obj({
          users: ref('BudgetV2InNotInFilter'),
          ...(teamScoped ? {} : { teams: ref('BudgetV2InNotInFilter') }),
          virtual_accounts: ref('BudgetV2InNotInFilter'),
        }),
        [teamScoped ? 'BudgetV2WhenTeamScoped' : 'BudgetV2WhenTenantScoped']: obj({
          subjects: ref(teamScoped ? 'BudgetV2SubjectsTeamScoped' : 'BudgetV2SubjectsTenantScoped'),
          models: ref('BudgetV2InNotInFilter'),
          metadata: { type: 'object', additionalProperties: ref('BudgetV2InNotInFilter') },
        }),
        BudgetV2Limits: obj({ cost_per_day: num, cost_per_week: num, cost_per_month: num, cost_per_quarter: num }),
        BudgetV2OverrideLimits: obj({ cost_per_day: num, cost_per_week: num, cost_per_month: num, cost_per_quarter: num }),
        BudgetV2AppliesToAggregate: obj({ type: lit('aggregate') }, ['type']),
        BudgetV2AppliesToPerUser: obj({ type: lit('per-user'), overrides: arrayOf('BudgetV2PerUserOverride') }, ['type']),
        BudgetV2PerUserOverride: obj({ users: strings, limits: ref('BudgetV2OverrideLimits') }, ['users', 'limits']),
        BudgetV2AppliesToPerModel: obj({ type: lit('per-model'), overrides: arrayOf('BudgetV2PerModelOverride') }, ['type']),
        BudgetV2PerModelOverride: obj({ models: strings, limits: ref('BudgetV2OverrideLimits') }, ['models', 'limits']),
        BudgetV2AppliesToPerVirtualAccount: obj({ type: lit('per-virtual-account'), overrides: arrayOf('BudgetV2PerVirtualAccountOverride') }, ['type']),
        BudgetV2PerVirtualAccountOverride: obj({ virtual_accounts: strings, limits: ref('BudgetV2OverrideLimits') }, ['virtual_accounts', 'limits']),
        BudgetV2AppliesToMetadata: obj({ type: lit('metadata'), metadata: { minLength: 1, type: 'string' }, overrides: arrayOf('BudgetV2PerMetadataOverride') }, ['type', 'metadata']),
        BudgetV2PerMetadataOverride: obj({ metadata_values: strings, limits: ref('BudgetV2OverrideLimits') }, ['metadata_values', 'limits']),
        BudgetV2Mode: { enum: ['enforce', 'audit'], type: 'string' },
        BudgetV2AlertSendTo: { enum: ['shared', 'breaching-user'], type: 'string' },
        BudgetV2Alert: obj({
          // Same shape and default as the V1 budget alert's thresholds (the SDK description states the default).
          thresholds: { default: [75, 90, 95, 100], type: 'array', items: { type: 'number', minimum: 0, maximum: 100 } },
          send_to: ref('BudgetV2AlertSendTo'),
          notification_target: { type: 'array', items: { anyOf: ['Email', 'SlackWebhook', 'SlackBot', 'PagerDuty', 'MSTeamsWebhook'].map(ref) } },
        }, ['send_to']),
      },
    };
  };
  t['tenant-budget-config'] = budgetV2('tenant-budget-config', 'tenant');
  t['team-budget-config'] = budgetV2('team-budget-config', 'team');

  t['provider-account/aws-claude-platform'] = modelAccount('provider-account/aws-claude-platform', {
    props: { workspace_id: str, region: ref('AWSRegion'), auth_data: awsAuth() },
    required: ['workspace_id', 'region'],
    integration: 'AwsClaudePlatformModel',
    defs: { ...base, ...aws, ...modelIntegrationDefs(raw), AwsClaudePlatformModel: modelIntegration('integration/model/aws-claude-platform') },
  });
  t['provider-account/aws-bedrock-mantle'] = modelAccount('provider-account/aws-bedrock-mantle', {
    props: { region: ref('AWSRegion'), auth_data: awsAuth() },
    required: ['region', 'integrations'],
    integration: 'BedrockMantleModel',
    defs: { ...base, ...aws, ...modelIntegrationDefs(raw), BedrockMantleModel: modelIntegration('integration/model/bedrock-mantle', { region: ref('AWSRegion') }) },
  });
  t['provider-account/smallest-ai'] = modelAccount('provider-account/smallest-ai', {
    props: { auth_data: ref('SmallestAiApiKeyAuth'), base_url: patterned(P.nonBlank) },
    required: ['auth_data', 'integrations'],
    integration: 'SmallestAiModel',
    defs: { ...base, ...modelIntegrationDefs(raw), SmallestAiApiKeyAuth: apiKeyAuth(), SmallestAiModel: modelIntegration('integration/model/smallest-ai') },
  });
  t['provider-account/wafer'] = modelAccount('provider-account/wafer', {
    props: { auth_data: ref('WaferApiKeyAuth'), base_url: patterned(P.nonBlank), zero_data_retention: { default: true, type: 'boolean' } },
    required: ['auth_data'],
    integration: 'WaferModel',
    defs: { ...base, ...modelIntegrationDefs(raw), WaferApiKeyAuth: apiKeyAuth(), WaferModel: modelIntegration('integration/model/wafer') },
  });

  t['provider-account/ms-teams'] = {
    type: 'object',
    properties: {
      type: lit('provider-account/ms-teams'),
      // Same pattern as the other notification accounts (provider-account/slack, /pagerduty, /webhook).
      name: patterned(P.shortName),
      integrations: { type: 'array', items: ref('MSTeamsWebhookIntegration') },
      ownedBy: ref('OwnedBy'),
    },
    required: ['type', 'name', 'integrations'],
    additionalProperties: false,
    definitions: {
      ...defsFrom(raw, 'provider-account/slack', ['OwnedBy']),
      MSTeamsWebhookIntegration: obj({ type: lit('integration/notification-channel/ms-teams-webhook'), name: patterned(P.shortName), auth_data: ref('MSTeamsWebhookAuth'), authorized_subjects: strings }, ['type', 'name', 'auth_data']),
      MSTeamsWebhookAuth: obj({ type: lit('ms-teams-webhook'), webhook_url: patterned(P.nonBlank) }, ['type', 'webhook_url']),
    },
  };

  const remote = raw['mcp-server/remote'];
  t['mcp-server/tfy-managed'] = {
    type: 'object',
    properties: {
      type: lit('mcp-server/tfy-managed'),
      name: clone(remote.properties.name),
      description: clone(remote.properties.description),
      server_identifier: { minLength: 1, type: 'string' },
      tool_settings: arrayOf('MCPToolSetting'),
      collaborators: arrayOf('Collaborator'),
      ownedBy: ref('OwnedBy'),
      auth_data: ref('TfyManagedMCPServerOAuth'),
      tags: freeMap,
    },
    required: ['type', 'name', 'description', 'server_identifier', 'collaborators'],
    additionalProperties: false,
    definitions: {
      ...base, ...toolSetting,
      MCPToolAnnotations: mcpToolAnnotations(),
      TfyManagedMCPServerOAuth: obj({ type: lit('oauth2'), grant_type: { default: 'authorization_code', enum: ['authorization_code'], type: 'string' } }, ['type']),
    },
  };
  t['mcp-server/tfy-managed'].definitions.MCPToolSetting.properties.annotations = ref('MCPToolAnnotations');

  // Agents: the three members of the SDK's AgentManifest union. The SDK gives no name pattern; names are non-empty.
  const agentCommon = () => ({ name: { minLength: 1, type: 'string' }, description: { minLength: 1, type: 'string' } });
  const agentDefs = () => ({ ...base, SampleAgentInput: obj({ text: str, variables: stringMap }) });
  t.agent = {
    type: 'object',
    properties: {
      type: lit('agent'),
      ...agentCommon(),
      source: { anyOf: [ref('PromptAgentSource'), ref('HostedA2AAgentSource')] },
      collaborators: arrayOf('Collaborator'),
      sample_inputs: arrayOf('SampleAgentInput'),
      ownedBy: ref('OwnedBy'),
    },
    required: ['type', 'name', 'description', 'source', 'collaborators'],
    additionalProperties: false,
    definitions: {
      ...agentDefs(),
      PromptAgentSource: obj({ type: lit('prompt'), prompt_version_fqn: { minLength: 1, type: 'string' }, skills: arrayOf('A2AAgentSkill') }, ['type', 'prompt_version_fqn']),
      A2AAgentSkill: obj({ id: str, name: str, description: str, tags: strings, examples: strings, inputModes: strings, outputModes: strings }, ['id', 'name', 'description']),
      HostedA2AAgentSource: obj({ type: lit('hosted-a2a-agent'), agent_card_url: { minLength: 1, type: 'string' }, headers: stringMap }, ['type', 'agent_card_url']),
    },
  };
  const enabled = (extra = {}, defaults = true) => obj({ enabled: { default: defaults, type: 'boolean' }, ...extra });
  t['truefoundry-agent'] = {
    type: 'object',
    properties: {
      type: lit('truefoundry-agent'),
      ...agentCommon(),
      tags: freeMap,
      model: ref('TrueFoundryAgentModel'),
      skills: arrayOf('TrueFoundryAgentSkill'),
      mcp_servers: arrayOf('TrueFoundryAgentMCPServer'),
      instructions: str,
      messages: arrayOf('TrueFoundryAgentUserMessage'),
      variables: { type: 'object', additionalProperties: ref('TrueFoundryAgentVariable') },
      sample_inputs: arrayOf('SampleAgentInput'),
      response_format: { anyOf: ['ResponseFormatText', 'ResponseFormatJsonSchema', 'ResponseFormatJsonObject'].map(ref) },
      config: ref('TrueFoundryAgentConfig'),
      collaborators: arrayOf('Collaborator'),
      ownedBy: ref('OwnedBy'),
    },
    required: ['type', 'name', 'description', 'model', 'collaborators'],
    additionalProperties: false,
    definitions: {
      ...agentDefs(),
      TrueFoundryAgentModel: obj({ name: { minLength: 1, type: 'string' }, params: ref('TrueFoundryAgentModelParams') }, ['name']),
      TrueFoundryAgentModelParams: obj({ max_tokens: num, reasoning_effort: str, temperature: num, top_p: num, top_k: num, parallel_tool_calls: bool }),
      TrueFoundryAgentSkill: obj({ fqn: { minLength: 1, type: 'string' }, preload: { default: false, type: 'boolean' } }, ['fqn']),
      TrueFoundryAgentMCPServer: obj({ name: { minLength: 1, type: 'string' }, preload: { default: false, type: 'boolean' }, enable_tools: strings, disable_tools: strings, preload_tools: strings, require_approval_for_tools: strings }, ['name']),
      TrueFoundryAgentUserMessage: obj({ role: { default: 'user', enum: ['user'], type: 'string' }, content: str }, ['content']),
      TrueFoundryAgentVariable: obj({ default_value: str, description: str }),
      ResponseFormatText: obj({ type: lit('text') }, ['type']),
      ResponseFormatJsonSchema: obj({ type: lit('json_schema'), json_schema: ref('ResponseFormatJsonSchemaSpec') }, ['type', 'json_schema']),
      ResponseFormatJsonSchemaSpec: obj({ name: str, description: str, schema: freeMap, strict: bool }, ['name']),
      ResponseFormatJsonObject: obj({ type: lit('json_object') }, ['type']),
      TrueFoundryAgentConfig: obj({
        iteration_limit: { default: 100, type: 'number' },
        sandbox: ref('TrueFoundryAgentSandboxConfig'),
        dynamic_sub_agents: ref('TrueFoundryAgentToggle'),
        context_management: ref('TrueFoundryAgentContextManagementConfig'),
        generative_ui: ref('TrueFoundryAgentToggle'),
        ask_user_questions: ref('TrueFoundryAgentToggle'),
      }),
      TrueFoundryAgentSandboxConfig: enabled({ file_downloads: { default: true, type: 'boolean' } }),
      TrueFoundryAgentToggle: enabled(),
      TrueFoundryAgentContextManagementConfig: obj({ compaction: ref('TrueFoundryAgentCompactionConfig'), large_tool_response: ref('TrueFoundryAgentToggle') }),
      TrueFoundryAgentCompactionConfig: enabled({ compaction_threshold_tokens: { default: 50000, type: 'number' } }),
    },
  };
  t['remote-agent/self-hosted'] = {
    type: 'object',
    properties: {
      type: lit('remote-agent/self-hosted'),
      ...agentCommon(),
      tags: freeMap,
      collaborators: arrayOf('Collaborator'),
      ownedBy: ref('OwnedBy'),
      url: { minLength: 1, type: 'string' },
      auth_data: { anyOf: [ref('AgentServerHeaderAuth'), ref('AgentServerPassthrough')] },
      framework: { anyOf: [ref('A2AFramework'), ref('CustomAgentFramework')] },
    },
    required: ['type', 'name', 'description', 'collaborators', 'url', 'framework'],
    additionalProperties: false,
    definitions: {
      ...base,
      AgentServerHeaderAuth: obj({ type: lit('header'), headers: stringMap }, ['type', 'headers']),
      AgentServerPassthrough: obj({ type: lit('passthrough') }, ['type']),
      A2AFramework: obj({ type: lit('a2a'), agent_card_path: { default: '/.well-known/agent-card.json', type: 'string' } }, ['type']),
      CustomAgentFramework: obj({ type: lit('custom') }, ['type']),
    },
  };
  return t;
}

/**
 * Applies the SDK's changes to the raw reference schemas (type -> schema, mutated in place) and adds the new types.
 * Returns what changed, per type, in words (for catalog.json and docs/schemas.md).
 */
export function applySdkAdditions(raw) {
  const changes = new Map();
  const note = (type, what) => { if (!changes.has(type)) changes.set(type, []); changes.get(type).push(what); };
  const defs = (type) => raw[type].definitions;

  for (const type of DISCOUNT_ACCOUNTS) { addProperty(raw[type], 'discount_percent', num); note(type, 'discount_percent'); }

  for (const type of ['provider-account/openai', 'provider-account/anthropic']) {
    raw[type].required = raw[type].required.filter((r) => r !== 'auth_data');
    note(type, 'auth_data optional');
  }

  // Model integrations: the "ocr" model type and three cost metrics. Virtual models keep the reference's list under a
  // name of their own (the SDK gives them a separate, shorter enum; tfy-lint keeps accepting what the reference did).
  for (const [type, s] of Object.entries(raw)) {
    const d = s.definitions ?? {};
    if (type === 'provider-account/virtual-model') {
      d.VirtualModelType = d.ModelType; delete d.ModelType;
      d.VirtualModel.properties.model_types.items = ref('VirtualModelType');
      continue;
    }
    if (d.ModelType) { d.ModelType.enum = [...d.ModelType.enum, 'ocr']; note(type, 'model type "ocr"'); }
    let costs = false;
    for (const def of Object.values(d)) {
      const cost = def.properties?.cost;
      if (!cost?.anyOf?.some((b) => b.$ref === '#/definitions/PerThousandTokensCostMetric')) continue;
      const publicAt = cost.anyOf.findIndex((b) => b.$ref === '#/definitions/PublicCostMetric');
      cost.anyOf.splice(publicAt, 0, ...NEW_COST_METRICS.map(ref));
      costs = true;
    }
    if (costs) {
      const extra = modelIntegrationDefs(raw);
      for (const n of [...NEW_COST_METRICS, ...NEW_COST_METRICS.map((m) => `${m}Value`)]) d[n] = extra[n];
      note(type, 'cost metrics per_million_characters, per_minute_of_audio, per_1000_pages');
    }
  }

  // Azure: Entra client-secret and workload-identity auth wherever the reference has Azure key/certificate auth.
  for (const [type, s] of Object.entries(raw)) {
    const d = s.definitions ?? {};
    if (!d.AzureCertificateAuth) continue;
    let touched = false;
    const visit = (node) => {
      if (!node || typeof node !== 'object') return;
      for (const v of Object.values(node)) visit(v);
      for (const kw of ['anyOf', 'oneOf']) {
        if (Array.isArray(node[kw]) && node[kw].some((b) => b.$ref === '#/definitions/AzureCertificateAuth')) {
          addMembers(node, ['AzureClientSecretAuth', 'AzureWorkloadIdentityAuth']);
          if (node.discriminator) delete node.discriminator;
          touched = true;
        }
      }
    };
    visit(s);
    if (touched) { Object.assign(d, azureEntraAuths()); note(type, 'Azure auth client-secret and workload-identity'); }
  }

  // Google Vertex: workload-identity-federation file auth, and the "eu" / "us" multi-regions.
  {
    const s = raw['provider-account/google-vertex'];
    const d = s.definitions;
    d.VertexWifFileAuth = clone(d.VertexKeyFileAuth);
    d.VertexWifFileAuth.properties.type = lit('workload-identity-federation-file');
    s.properties.auth_data = { anyOf: [ref('VertexKeyFileAuth'), ref('VertexWifFileAuth')] };
    d.VertexRegion = { ...clone(d.GCPRegion), enum: [...d.GCPRegion.enum, 'eu', 'us'] };
    s.properties.region = ref('VertexRegion');
    d.VertexModel.properties.region = ref('VertexRegion');
    delete d.GCPRegion;
    note('provider-account/google-vertex', 'auth workload-identity-federation-file; regions "eu" and "us"');
  }

  // Guardrails.
  {
    const type = 'provider-account/guardrail-config-group';
    const s = raw[type];
    const d = s.definitions;
    d.CrowdStrikeAidrKeyAuth = apiKeyAuth();
    d.CrowdStrikeAidrSettings = obj({ base_url: patterned(P.nonBlank) });
    d.CrowdStrikeAidrGuardrailConfig = obj({
      name: patterned(P.shortName),
      description: { default: 'CrowdStrike AIDR AI Guard for content security and PII protection', type: 'string' },
      type: lit('integration/guardrail-config/crowdstrike-aidr'),
      auth_data: ref('CrowdStrikeAidrKeyAuth'),
      operation: { enum: ['validate', 'mutate'], type: 'string' },
      priority: { default: 1, exclusiveMinimum: 0, type: 'integer' },
      enforcing_strategy: ref('EnforcingStrategy'),
      config: ref('CrowdStrikeAidrSettings'),
    }, ['name', 'type', 'auth_data', 'operation', 'enforcing_strategy', 'config']);
    d.TfyMetadataGuardrailConfig = obj({
      name: patterned(P.shortName),
      description: str,
      type: lit('integration/guardrail-config/tfy-metadata'),
      operation: { default: 'validate', enum: ['validate'], type: 'string' },
      enforcing_strategy: ref('EnforcingStrategy'),
      config: ref('TfyMetadataSettings'),
    }, ['name', 'type', 'enforcing_strategy', 'config']);
    d.TfyMetadataSettings = obj({ allow_unknown_keys: { default: true, type: 'boolean' }, keys: { type: 'object', additionalProperties: { anyOf: [ref('MetadataKeyPresence'), ref('MetadataKeyValue')] } } }, ['keys']);
    d.MetadataKeyPresence = obj({ required: { enum: [true], type: 'boolean' } });
    d.MetadataKeyValue = obj({ required: { default: true, type: 'boolean' }, value: { anyOf: [ref('MetadataRegexConstraint'), ref('MetadataAllowedValuesConstraint')] } }, ['value']);
    d.MetadataRegexConstraint = obj({ constraint: lit('regex'), regex: { minLength: 1, type: 'string' } }, ['constraint', 'regex']);
    d.MetadataAllowedValuesConstraint = obj({ constraint: lit('allowed_values'), allowed_values: { minItems: 1, type: 'array', items: { type: 'string' } } }, ['constraint', 'allowed_values']);
    addMembers(s.properties.integrations.items, ['CrowdStrikeAidrGuardrailConfig', 'TfyMetadataGuardrailConfig']);
    note(type, 'guardrails crowdstrike-aidr and tfy-metadata');
  }
  addProperty(defs('gateway-guardrails-config').GuardrailsRule, 'custom_error_message', str);
  note('gateway-guardrails-config', 'rule custom_error_message');

  // Priority routing: the time-to-first-token SLA cutoff, beside time-per-output-token.
  for (const type of ['gateway-load-balancing-config', 'provider-account/virtual-model']) {
    const sla = defs(type).SLACutoff;
    addProperty(sla, 'time_to_first_token_ms', clone(sla.properties.time_per_output_token_ms));
    note(type, 'sla_cutoff.time_to_first_token_ms');
  }

  // MCP servers.
  for (const type of ['mcp-server/remote', 'mcp-server/openapi', 'provider-account/mcp-server-group']) {
    const d = defs(type);
    const o = d.MCPServerOAuth2;
    addProperty(o, 'use_organization', bool);
    addProperty(o, 'default_organization', str);
    addProperty(o, 'introspection_url', str);
    addProperty(o, 'provider', { enum: ['auth0'], type: 'string' });
    addProperty(o, 'additional_token_params', stringMap);
    note(type, 'OAuth2 use_organization, default_organization, introspection_url, provider, additional_token_params');
    if (type === 'provider-account/mcp-server-group') continue;
    addProperty(raw[type], 'additional_headers', freeMap);
    d.MCPToolAnnotations = mcpToolAnnotations();
    addProperty(d[type === 'mcp-server/remote' ? 'MCPToolSetting' : 'OpenAPIMCPToolSetting'], 'annotations', ref('MCPToolAnnotations'));
    note(type, 'additional_headers; tool annotations');
  }
  {
    const s = raw['mcp-server/stdio'];
    Object.assign(s.definitions, defsFrom(raw, 'mcp-server/remote', ['MCPToolSetting']), { MCPToolAnnotations: mcpToolAnnotations() });
    addProperty(s, 'tool_settings', arrayOf('MCPToolSetting'));
    note('mcp-server/stdio', 'tool_settings');
  }

  // Access control.
  {
    const s = raw.team;
    addProperty(s, 'displayName', str);
    addProperty(s, 'description', str);
    addProperty(s, 'identity_provider_mapping', arrayOf('IdentityProviderMapping'));
    s.definitions.IdentityProviderMapping = identityProviderMapping();
    note('team', 'displayName, description, identity_provider_mapping');
  }
  {
    const s = raw['virtual-account'];
    addProperty(s, 'identity_provider_mapping', arrayOf('IdentityProviderMapping'));
    addProperty(s, 'token_type', { enum: ['jwt', 'opaque'], type: 'string' });
    s.definitions.IdentityProviderMapping = identityProviderMapping();
    s.definitions.MSTeamsWebhook = msTeamsWebhookTarget();
    addMembers(s.properties.notification_target, ['MSTeamsWebhook']);
    delete s.properties.notification_target.discriminator;
    note('virtual-account', 'identity_provider_mapping, token_type; ms-teams-webhook notification target');
  }

  // Gateway configs.
  {
    const d = defs('gateway-budget-config');
    d.BudgetLimitUnit.enum = [...d.BudgetLimitUnit.enum, 'cost_per_quarter'];
    d.MSTeamsWebhook = msTeamsWebhookTarget();
    addMembers(d.BudgetAlert.properties.notification_target.items, ['MSTeamsWebhook']);
    note('gateway-budget-config', 'unit cost_per_quarter; ms-teams-webhook notification target');
  }
  {
    const s = raw['gateway-global-settings'];
    s.definitions.GuardrailSettings = obj({ timeout_ms: num, enable_parallel_execution: bool });
    addProperty(s, 'guardrail_settings', ref('GuardrailSettings'));
    note('gateway-global-settings', 'guardrail_settings');
  }

  // Source-control integrations of the infra accounts: OAuth or personal-access-token auth; Bitbucket Data Center.
  {
    const vcsAuth = { VcsOAuthAuth: obj({ type: lit('oauth') }, ['type']), VcsTokenAuth: obj({ type: lit('token'), token: patterned(P.nonBlank) }, ['type', 'token']) };
    for (const [type, def] of [['provider-account/github', 'GithubIntegration'], ['provider-account/gitlab', 'GitlabIntegration'], ['provider-account/azure', 'AzureReposIntegration'], ['provider-account/bitbucket', 'BitbucketIntegration']]) {
      const d = defs(type);
      if (!d[def]) throw new Error(`sdk-additions: ${type} has no ${def}`);
      Object.assign(d, clone(vcsAuth));
      addProperty(d[def], 'auth_data', { anyOf: [ref('VcsOAuthAuth'), ref('VcsTokenAuth')] });
      note(type, 'source-control auth_data (oauth or token)');
    }
    const s = raw['provider-account/bitbucket'];
    const bb = s.definitions.BitbucketIntegration;
    s.definitions.BitbucketDataCenterIntegration = obj({
      type: lit('integration/vcs/bitbucket/data-center'),
      name: clone(bb.properties.name),
      account_name: clone(bb.properties.account_name),
      auth_data: ref('VcsTokenAuth'),
      authorized_subjects: strings,
    }, ['type', 'name', 'account_name', 'auth_data']);
    s.properties.integrations.items = { anyOf: [ref('BitbucketIntegration'), ref('BitbucketDataCenterIntegration')] };
    note('provider-account/bitbucket', 'integration/vcs/bitbucket/data-center');
  }

  const added = newTypes(raw);
  for (const [type, schema] of Object.entries(added)) {
    if (raw[type]) throw new Error(`sdk-additions: ${type} already exists in the reference`);
    raw[type] = schema;
  }
  return { added: Object.keys(added), changes };
}
