import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

const account = (apiKey: string, name = 'openai-main') => `type: provider-account/openai
name: ${name}
auth_data:
  type: api-key
  api_key: ${apiKey}
integrations: []
`;

const mcp = (authorization: string) => `type: mcp-server/remote
name: analytics
description: Analytics tools
url: https://mcp.example.com/mcp
auth_data:
  type: header
  headers:
    Authorization: ${authorization}
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
`;

const VALID: [string, string | Record<string, string>][] = [
  ['a well-formed reference', account('tfy-secret://acme:llm-keys:OPENAI_API_KEY')],
  ['a reference after Bearer', mcp('"Bearer tfy-secret://acme:mcp-secrets:analytics-token"')],
  ['one tenant across files', {
    'a.yaml': account('tfy-secret://acme:llm-keys:OPENAI_API_KEY', 'a'),
    'b.yaml': mcp('Bearer tfy-secret://acme:mcp-secrets:TOKEN'),
  }],
  ['placeholder references (no-raw-secrets reports those)', {
    'a.yaml': account('tfy-secret://TENANT:llm-keys:OPENAI_API_KEY', 'a'),
    'b.yaml': account('"tfy-secret://<tenant>:<secret-group>:KEY"', 'b'),
    'c.yaml': account('tfy-secret://acme:llm-keys:OPENAI_API_KEY', 'c'),
  }],
  ['prose that mentions the scheme', 'type: mcp-server/remote\nname: notes\ndescription: "store keys as tfy-secret://tenant:group:key refs"\nurl: https://x.example.com\ncollaborators: []\n'],
];

const INVALID: [string, string | Record<string, string>, string[]][] = [
  ['two parts', account('tfy-secret://acme:OPENAI_API_KEY'),
    ['5:12 error secret reference "tfy-secret://acme:OPENAI_API_KEY" has 2 parts; the form is tfy-secret://<tenant>:<secret-group>:<key>']],
  ['four parts', account('tfy-secret://acme:llm-keys:openai:KEY'),
    ['5:12 error secret reference "tfy-secret://acme:llm-keys:openai:KEY" has 4 parts; the form is tfy-secret://<tenant>:<secret-group>:<key>']],
  ['nothing after the scheme', account('tfy-secret://'),
    ['5:12 error secret reference "tfy-secret://" has 1 part; the form is tfy-secret://<tenant>:<secret-group>:<key>']],
  ['an empty group', account('tfy-secret://acme::OPENAI_API_KEY'),
    ['5:12 error secret reference "tfy-secret://acme::OPENAI_API_KEY" has an empty secret group']],
  ['an empty key', account('"tfy-secret://acme:llm-keys:"'),
    ['5:12 error secret reference "tfy-secret://acme:llm-keys:" has an empty key']],
  ['an invalid group name', account('tfy-secret://acme:LLM_Keys:OPENAI_API_KEY'),
    ['5:12 error secret group "LLM_Keys" in "tfy-secret://acme:LLM_Keys:OPENAI_API_KEY" is not a valid secret-group name']],
  ['a group name with "--"', mcp('Bearer tfy-secret://acme:mcp--secrets:TOKEN'),
    ['8:20 error secret group "mcp--secrets" in "tfy-secret://acme:mcp--secrets:TOKEN" is not a valid secret-group name']],
  ['a misspelt scheme', account('tfy-secrets://acme:llm-keys:OPENAI_API_KEY'),
    ['5:12 error "tfy-secrets://acme:llm-keys:OPENAI_API_KEY" is not spelt as a secret reference; write "tfy-secret://acme:llm-keys:OPENAI_API_KEY"']],
  ['a reference to another tenant', {
    'a.yaml': account('tfy-secret://acme:llm-keys:OPENAI_API_KEY', 'a'),
    'b.yaml': mcp('Bearer tfy-secret://acme:mcp-secrets:TOKEN'),
    'c.yaml': account('tfy-secret://globex:llm-keys:OPENAI_API_KEY', 'c'),
  }, ['c.yaml:5:12 warning secret reference "tfy-secret://globex:llm-keys:OPENAI_API_KEY" names tenant "globex", but 2 of the 3 references in the repository name "acme"']],
];

describe('secret-ref-format', () => {
  it.each(VALID)('accepts %s', (_name, files) => {
    expect(lint('secret-ref-format', files).findings).toEqual([]);
  });

  it.each(INVALID)('reports %s', (_name, files, expected) => {
    expect(lint('secret-ref-format', files).findings).toEqual(expected);
  });

  it('points a tenant warning at an example of the majority tenant', () => {
    const run = lint('secret-ref-format', {
      'a.yaml': account('tfy-secret://acme:llm-keys:OPENAI_API_KEY', 'a'),
      'b.yaml': account('tfy-secret://globex:llm-keys:OPENAI_API_KEY', 'b'),
      'c.yaml': account('tfy-secret://acme:llm-keys:OPENAI_API_KEY', 'c'),
    });
    const d = run.diagnostics.filter((x) => x.ruleId === 'secret-ref-format');
    expect(d).toHaveLength(1);
    expect(d[0].file).toBe('b.yaml');
    expect(d[0].related).toEqual([{ file: 'a.yaml', range: expect.anything(), message: 'a reference to tenant "acme"' }]);
    expect(d[0].related?.[0].range.start).toEqual({ line: 5, column: 3 });
  });

  it('fixes a misspelt scheme, keeping the auth scheme word', () => {
    const text = mcp('"Bearer TFY-SECRET://acme:mcp-secrets:TOKEN"');
    const { fixed, findings } = lint('secret-ref-format', text);
    expect(findings).toEqual(['8:20 error "Bearer TFY-SECRET://acme:mcp-secrets:TOKEN" is not spelt as a secret reference; write "Bearer tfy-secret://acme:mcp-secrets:TOKEN"']);
    expect(fixed['example.yaml']).toBe(mcp('"Bearer tfy-secret://acme:mcp-secrets:TOKEN"'));
  });

  it('never throws on documents of the wrong shape', () => {
    for (const text of ['type: provider-account/openai\nauth_data: tfy-secret://a\n', 'type: x\n', '[1, 2]\n']) {
      expect(() => lint('secret-ref-format', text)).not.toThrow();
    }
  });
});
