import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report/index.ts';
import { lint } from './harness.ts';

// Fake credentials in the shapes of real ones (none of them is valid anywhere).
const GROQ = `gsk_${'Q7xK2mPz9Lr4Vb8N'.repeat(3)}Tw5Y`;
const OPENAI = `sk-proj-${'R4nd0mCh4rsXyZ12'.repeat(3)}`;
const ANTHROPIC = `sk-ant-api03-${'Zq8_Wv3-Ty6Ub1Nm'.repeat(6)}AA`;
const AWS_ID = 'AKIAZQ3R7T2Y4U6W5V2X';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9Lm3Kx';
const GEMINI = `AIzaSy${'Dk4Lm9Qr2Tv7Xz1'.repeat(2)}abc`;
const BEARER = 'f3a9c8b7e6d5c4b3a29180f7e6d5c4b3';
const PRIVATE_KEY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
const SLACK = 'https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/q8W3zR5tY7uI9oP1aS2dF4gH';
const EXA = '8c1f0e4d-2b7a-4c3e-9f6d-5a1b2c3d4e5f';
const ENTROPIC = 'q8W3zR5tY7uI9oP1aS2dF4gH6jK';
const HUNTER = 'hunter2!Pw';

const SECRETS = [GROQ, OPENAI, ANTHROPIC, AWS_ID, AWS_SECRET, GEMINI, BEARER, PRIVATE_KEY, SLACK, EXA, ENTROPIC, HUNTER];

const groq = (apiKey: string) => `type: provider-account/groq
name: groq-main
auth_data:
  type: api-key
  api_key: ${apiKey}
integrations: []
`;

const mcpHeader = (value: string, level = 'global') => `type: mcp-server/remote
name: analytics
description: Analytics tools
url: https://mcp.example.com/mcp
auth_data:
  type: header
  auth_level: ${level}
  headers:
    Authorization: ${value}
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
`;

const selfHosted = (extra: string) => `type: provider-account/self-hosted-model
name: in-cluster
integrations:
  - type: integration/model/self-hosted-model
    name: llama
    hosted_model_name: llama
    model_server: vllm-openai
    url: http://llama.models.svc.cluster.local:8000
${extra}`;

const VALID: [string, string][] = [
  ['an API key reference', groq('tfy-secret://acme:llm-keys:GROQ_API_KEY')],
  ['a quoted reference', groq('"tfy-secret://acme:llm-keys:GROQ_API_KEY"')],
  ['a Gemini apiKey reference', 'type: provider-account/google-gemini\nname: gemini\nauth_data:\n  type: api-key\n  apiKey: tfy-secret://acme:llm-keys:GEMINI\nintegrations: []\n'],
  ['AWS access keys as references, role ARN as is', `type: provider-account/aws-bedrock
name: bedrock
region: us-east-1
auth_data:
  type: access-key-based
  access_key_id: tfy-secret://acme:aws-keys:ACCESS_KEY_ID
  secret_access_key: tfy-secret://acme:aws-keys:SECRET_ACCESS_KEY
integrations: []
`],
  ['Azure certificate auth: ids as is, certificate as references', `type: provider-account/azure-openai
name: azure
azure_endpoint: https://acme.openai.azure.com
auth_data:
  type: certificate
  tenant_id: 3e9f3789-3dbd-47e1-8e2a-bdc4014d74c3
  client_id: 487fe224-28a8-43d1-bbfd-c88754fae3c2
  certificate: tfy-secret://acme:azure-keys:CERT_PEM
  certificate_thumbprint: tfy-secret://acme:azure-keys:CERT_THUMBPRINT
integrations: []
`],
  ['a bearer reference in an MCP header', mcpHeader('"Bearer tfy-secret://acme:mcp-keys:ANALYTICS_TOKEN"')],
  ['a per-user MCP header template', mcpHeader('"Bearer {{API_KEY}}"', 'per_user')],
  ['headers that are not credentials', selfHosted('    headers:\n      X-Team: growth\n      X-Request-Source: gateway\n')],
  ['a public CA certificate', selfHosted('    tls_settings:\n      reject_unauthorized: true\n      ca_cert: |\n        -----BEGIN CERTIFICATE-----\n        MIIBszCCAVmgAwIBAgIUQ\n        -----END CERTIFICATE-----\n')],
  ['a description that mentions a key prefix only', `type: mcp-server/remote
name: notes
description: "Keys look like sk-proj-... and are stored as tfy-secret://<tenant>:<group>:<key>"
url: https://mcp.example.com/mcp
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
`],
  ['a key-file reference', 'type: provider-account/google-vertex\nname: vertex\nproject_id: acme\nregion: us-central1\nauth_data:\n  type: key-file\n  key_file_content: tfy-secret://acme:gcp-keys:SA_JSON\nintegrations: []\n'],
  ['a header override with a reference', `type: provider-account/virtual-model
name: routing
integrations:
  - type: integration/model/virtual
    name: chat
    routing_config:
      type: weight-based-routing
      load_balance_targets:
        - target: openai-main/gpt-4o
          weight: 100
          headers_override:
            set:
              Authorization: Bearer tfy-secret://acme:llm-keys:OPENAI
              X-Tenant: acme
            remove: [Authorization]
`],
  ['a plain webhook URL of a generic webhook', 'type: provider-account/webhook\nname: alerts\nintegrations:\n  - type: integration/notification-channel/webhook\n    name: ops\n    webhook_url: https://alerts.example.com/hooks/gateway\n'],
  ['an MCP URL whose query holds no credential', 'type: mcp-server/remote\nname: exa\ndescription: Search\nurl: https://mcp.exa.ai/mcp?tools=web_search_exa\ncollaborators:\n  - subject: team:platform\n    role_id: mcp-server-manager\n'],
];

const INVALID: [string, string, string[]][] = [
  ['a raw Groq key', groq(GROQ),
    ['5:12 error auth_data.api_key holds a raw Groq API key (gsk_…Tw5Y); use a tfy-secret:// reference']],
  ['a raw key of another provider than the account', groq(OPENAI),
    ['5:12 error auth_data.api_key holds a raw OpenAI API key (sk-p…yZ12); use a tfy-secret:// reference']],
  ['a raw key without a known format', groq('"0123456789abcdefXYZ"'),
    ['5:12 error auth_data.api_key holds a raw Groq API key (0123…fXYZ); use a tfy-secret:// reference']],
  ['a raw Gemini apiKey', `type: provider-account/google-gemini\nname: gemini\nauth_data:\n  type: api-key\n  apiKey: ${GEMINI}\nintegrations: []\n`,
    ['5:11 error auth_data.apiKey holds a raw Google API key (AIza…1abc); use a tfy-secret:// reference']],
  ['raw AWS keys', `type: provider-account/aws-bedrock
name: bedrock
region: us-east-1
auth_data:
  type: access-key-based
  access_key_id: ${AWS_ID}
  secret_access_key: ${AWS_SECRET}
integrations: []
`, [
    '6:18 error auth_data.access_key_id holds a raw AWS access key ID (AKIA…5V2X); use a tfy-secret:// reference',
    '7:22 error auth_data.secret_access_key holds a raw AWS Bedrock secret access key (wJal…m3Kx); use a tfy-secret:// reference',
  ]],
  ['a service-account key file inline', `type: provider-account/google-vertex
name: vertex
project_id: acme
region: us-central1
auth_data:
  type: key-file
  key_file_content:
    type: service_account
    project_id: acme
    private_key: "-----BEGIN PRIVATE KEY-----\\n${PRIVATE_KEY}\\n-----END PRIVATE KEY-----\\n"
integrations: []
`, ['7:3 error auth_data.key_file_content holds a raw Google Vertex AI service-account key file inline; use a tfy-secret:// reference']],
  ['a PEM private key', `type: provider-account/cloudera
name: cdp
auth_data:
  type: workload-auth-token
  cdp_base_url: https://cdp.example.com
  access_key_id: tfy-secret://acme:cdp:ACCESS_KEY_ID
  workload_name: df
  private_key: |
    -----BEGIN PRIVATE KEY-----
    ${PRIVATE_KEY}
    -----END PRIVATE KEY-----
integrations: []
`, ['8:16 error auth_data.private_key holds a raw PEM private key (-----BEGIN …-----); use a tfy-secret:// reference']],
  ['a bearer token and a basic-auth password on a self-hosted model', selfHosted(`    auth_data:
      type: bearer-auth
      bearer_token: ${BEARER}
  - type: integration/model/self-hosted-model
    name: mistral
    hosted_model_name: mistral
    model_server: vllm-openai
    url: http://mistral:8000
    auth_data: {type: basic-auth, username: bob, password: "${HUNTER}"}
`), [
    '11:21 error integrations[0].auth_data.bearer_token holds a raw self-hosted model bearer token (f3a9…c4b3); use a tfy-secret:// reference',
    '17:60 error integrations[1].auth_data.password holds a raw self-hosted model password (****); use a tfy-secret:// reference',
  ]],
  ['a numeric password', selfHosted('    auth_data:\n      type: basic-auth\n      username: bob\n      password: 12345678\n'),
    ['12:17 error integrations[0].auth_data.password holds a raw self-hosted model password (****); use a tfy-secret:// reference']],
  ['an Authorization header with a raw token', mcpHeader(`"Bearer ${BEARER}"`),
    ['9:20 error auth_data.headers.Authorization holds a raw MCP server "Authorization" header (Bearer f3a9…c4b3); use a tfy-secret:// reference']],
  ['an API-key header among plain headers', selfHosted(`    headers:\n      X-Team: growth\n      X-Api-Key: ${ENTROPIC}\n`),
    ['11:18 error integrations[0].headers.X-Api-Key holds a raw self-hosted model "X-Api-Key" header (q8W3…H6jK); use a tfy-secret:// reference']],
  ['a header override that injects a raw key', `type: gateway-load-balancing-config
name: lb
rules:
  - id: r1
    type: weight-based-routing
    when: {}
    load_balance_targets:
      - target: openai-main/gpt-4o
        weight: 100
        headers_override:
          set:
            Authorization: Bearer ${OPENAI}
`, ['12:28 error rules[0].load_balance_targets[0].headers_override.set.Authorization holds a raw OpenAI API key (Bearer sk-p…yZ12); use a tfy-secret:// reference']],
  ['an OTEL exporter header', `type: gateway-otel-config
name: otel
otel_config:
  traces_exporter_config:
    type: http
    endpoint: https://otel.example.com/v1/traces
    headers:
      x-api-key: ${ENTROPIC}
`, ['8:18 error otel_config.traces_exporter_config.headers.x-api-key holds a raw OTEL exporter "x-api-key" header (q8W3…H6jK); use a tfy-secret:// reference']],
  ['a Slack webhook URL', `type: provider-account/slack
name: alerts
integrations:
  - type: integration/notification-channel/slack-webhook
    name: ops
    auth_data:
      type: slack-webhook
      webhook_url: ${SLACK}
`, ['8:20 error integrations[0].auth_data.webhook_url holds a raw Slack webhook URL (http…F4gH); use a tfy-secret:// reference']],
  ['a key pasted into a description', `type: mcp-server/remote
name: notes
description: "temporary: ${ANTHROPIC}"
url: https://mcp.example.com/mcp
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
`, ['3:14 error description contains what looks like a raw Anthropic API key (sk-a…NmAA)']],
  ['a high-entropy token under an auth-like key', `type: mcp-server/remote
name: notes
description: Notes
url: https://mcp.example.com/mcp
tags:
  deploy_token: ${ENTROPIC}
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
`, ['6:17 error tags.deploy_token holds a raw MCP server credential (q8W3…H6jK); use a tfy-secret:// reference']],
  ['a key in a URL query string', `type: mcp-server/remote
name: exa
description: Search
url: https://mcp.exa.ai/mcp?exaApiKey=${EXA}
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
`, ['4:6 error url carries a credential in its query parameter "exaApiKey" (8c1f…4e5f)']],
];

const PLACEHOLDERS: [string, string, string[]][] = [
  ['<API_KEY>', groq('<API_KEY>'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("<API_KEY>") instead of a reference to the Groq API key']],
  ['sk-...', groq('sk-...'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("sk-...") instead of a reference to the Groq API key']],
  ['your-api-key', groq('your-api-key'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("your-api-key") instead of a reference to the Groq API key']],
  ['an environment variable', groq('${GROQ_API_KEY}'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("${GROQ_API_KEY}") instead of a reference to the Groq API key']],
  ['a variable name', groq('GROQ_API_KEY'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("GROQ_API_KEY") instead of a reference to the Groq API key']],
  ['a reference to TENANT:SECRET_GROUP', groq('tfy-secret://TENANT:SECRET_GROUP:GROQ_API_KEY'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("tfy-secret://TENANT:SECRET_GROUP:GROQ_API_KEY") instead of a reference to the Groq API key']],
  ['TENANT:SECRET_GROUP:KEY without a prefix', groq('TENANT:SECRET_GROUP:GROQ_API_KEY'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("TENANT:SECRET_GROUP:GROQ_API_KEY") instead of a reference to the Groq API key']],
  ['a reference with <tenant>', groq('"tfy-secret://<tenant>:<secret-group>:GROQ_API_KEY"'), ['5:12 error auth_data.api_key holds an unfilled placeholder ("tfy-secret://<tenant>:<secret-group>:GROQ_API_KEY") instead of a reference to the Groq API key']],
  ['Bearer <API_KEY> in an MCP header', mcpHeader('Bearer <API_KEY>'), ['9:20 error auth_data.headers.Authorization holds an unfilled placeholder ("Bearer <API_KEY>") instead of a reference to the MCP server "Authorization" header']],
  ['a {{template}} outside MCP servers', selfHosted('    headers:\n      Authorization: "Bearer {{API_KEY}}"\n'), ['10:22 error integrations[0].headers.Authorization holds an unfilled placeholder ("Bearer {{API_KEY}}") instead of a reference to the self-hosted model "Authorization" header']],
];

describe('no-raw-secrets', () => {
  it.each(VALID)('accepts %s', (_name, text) => {
    expect(lint('no-raw-secrets', text).findings).toEqual([]);
  });

  it.each(INVALID)('reports %s', (_name, text, expected) => {
    expect(lint('no-raw-secrets', text).findings).toEqual(expected);
  });

  it.each(PLACEHOLDERS)('reports the placeholder %s as unfilled', (_name, text, expected) => {
    expect(lint('no-raw-secrets', text).findings).toEqual(expected);
  });

  it('judges a text by where it stands, however often it was seen clean elsewhere', () => {
    // The same texts, first where only a key format would be reported (clean there), then where they are credentials.
    const plainFirst = `type: provider-account/groq
name: groq-main
description: ${HUNTER}
auth_data:
  type: api-key
  api_key: tfy-secret://acme:llm-keys:GROQ_API_KEY
integrations:
  - type: integration/model/groq
    name: llama
    model_id: ${ENTROPIC}
`;
    expect(lint('no-raw-secrets', plainFirst).findings).toEqual([]);
    const asCredentials = `${groq(HUNTER)}---
${mcpHeader(ENTROPIC)}---
type: provider-account/groq
name: groq-other
auth_data:
  type: api-key
  api_key: tfy-secret://acme:llm-keys:GROQ_API_KEY
  deploy_token: ${ENTROPIC}
integrations: []
`;
    const before = lint('no-raw-secrets', asCredentials).findings;
    expect(before.map((f) => f.replace(/^\d+:\d+ /, ''))).toEqual([
      expect.stringContaining('api_key holds a raw Groq API key'),
      expect.stringContaining('auth_data.headers.Authorization holds a raw MCP server "Authorization" header'),
      expect.stringContaining('auth_data.deploy_token holds a raw Groq credential'),
    ]);
    // Seen clean again and again in between, they are still reported where they are credentials.
    for (let i = 0; i < 3; i++) expect(lint('no-raw-secrets', plainFirst).findings).toEqual([]);
    expect(lint('no-raw-secrets', asCredentials).findings).toEqual(before);
    // And a key format is reported anywhere, after the same text was seen under a credential field.
    expect(lint('no-raw-secrets', plainFirst.replace(HUNTER, GROQ)).findings).toEqual([expect.stringContaining('description contains what looks like a raw Groq API key')]);
  });

  it('never shows a secret in any diagnostic field or report format', () => {
    for (const [name, text] of INVALID) {
      const run = lint('no-raw-secrets', text);
      const sources = new Map([['example.yaml', text]]);
      const outputs = [
        JSON.stringify(run.diagnostics),
        ...(['stylish', 'json', 'github'] as const).map((f) => formatReport(f, { diagnostics: run.diagnostics, sources, files: 1, documents: 1, color: false })),
      ];
      for (const out of outputs) {
        for (const secret of SECRETS) {
          if (text.includes(secret)) expect(out.includes(secret), `${name}: ${secret.slice(0, 6)}… leaked`).toBe(false);
        }
      }
    }
  });

  it('adds a missing tfy-secret:// prefix to a reference written without it', () => {
    const run = lint('no-raw-secrets', groq('acme:llm-keys:GROQ_API_KEY'));
    expect(run.findings).toEqual(['5:12 error auth_data.api_key looks like a secret reference without its prefix; write "tfy-secret://acme:llm-keys:GROQ_API_KEY"']);
    expect(run.fixed['example.yaml']).toBe(groq('tfy-secret://acme:llm-keys:GROQ_API_KEY'));
  });

  it('cannot be suppressed', () => {
    const text = `# tfy-lint-disable-file no-raw-secrets -- it is only a test key\n${groq(GROQ)}`;
    const run = lint('no-raw-secrets', text);
    expect(run.findings).toEqual(['6:12 error auth_data.api_key holds a raw Groq API key (gsk_…Tw5Y); use a tfy-secret:// reference']);
    expect(run.diagnostics.map((d) => d.message)).toContain('rule "no-raw-secrets" cannot be suppressed');
  });

  it('never throws on documents of the wrong shape', () => {
    for (const text of ['type: provider-account/groq\nauth_data: 12\n', 'type: provider-account/groq\nauth_data: [a, b]\n', 'type: mcp-server/remote\nauth_data:\n  headers: [x]\n', 'type: provider-account/groq\n']) {
      expect(() => lint('no-raw-secrets', text)).not.toThrow();
    }
  });
});
