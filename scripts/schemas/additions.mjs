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
};

export function applyAdditions(types, report) {
  for (const type of NAMED_GATEWAY_CONFIGS) {
    const { root } = types[type];
    root.properties = { type: root.properties.type, name: { type: 'string', minLength: 1 }, ...Object.fromEntries(Object.entries(root.properties).filter(([k]) => k !== 'type')) };
    root.required = ['type', 'name', ...root.required.filter((r) => r !== 'type')];
  }
  for (const [type, t] of Object.entries(types)) t.meta ??= { title: type };
  report.push(`required top-level name added to ${NAMED_GATEWAY_CONFIGS.length} gateway configs`);
}
