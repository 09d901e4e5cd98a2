import { describe, expect, it } from 'vitest';
import { lint } from './harness.ts';

const selfHosted = (url: string) => `type: provider-account/self-hosted-model
name: in-cluster
integrations:
  - type: integration/model/self-hosted-model
    name: llama
    hosted_model_name: llama
    model_server: vllm-openai
    url: ${url}
`;

describe('url-format', () => {
  it.each([
    ['https://models.example.com/v1'],
    ['http://llama.models.svc.cluster.local:8000/v1'],
    ['http://vllm:8000'],
    ['"https://models.example.com"'],
  ])('accepts %s', (url) => {
    expect(lint('url-format', selfHosted(url)).findings).toEqual([]);
  });

  it.each([
    ['https://models.example.com/v1/', ['8:10 error url "https://models.example.com/v1/" ends with "/"; the platform requires it without']],
    ['ftp://models.example.com', ['8:10 error url "ftp://models.example.com" is not an http:// or https:// URL']],
    ['https://bob:hunter2@models.example.com', ['8:10 error url carries credentials in the URL (user:password@); they would be stored and logged in clear']],
    ['http://models.example.com/v1', ['8:10 warning url "http://models.example.com/v1" uses plain http to a host outside the cluster (models.example.com)']],
    ['https://exa mple.com', ['8:10 error url "https://exa mple.com" is not a valid URL']],
  ])('reports %s', (url, expected) => {
    expect(lint('url-format', selfHosted(url)).findings).toEqual(expected);
  });

  it('never shows credentials from the URL', () => {
    const run = lint('url-format', selfHosted('https://bob:hunter2@models.example.com'));
    expect(JSON.stringify(run.diagnostics)).not.toContain('hunter2');
  });

  it('fixes a trailing slash in place, keeping quotes and comments', () => {
    const text = selfHosted('"https://models.example.com/v1/"   # our vLLM');
    const { fixed } = lint('url-format', text);
    expect(fixed['example.yaml']).toBe(text.replace('/v1/"', '/v1"'));
    expect(lint('url-format', fixed['example.yaml']).findings).toEqual([]);
  });

  it('checks custom-endpoint base_url the same way', () => {
    const text = 'type: provider-account/custom-endpoint\nname: speech\nintegrations:\n  - type: integration/model/custom-endpoint\n    name: stt\n    base_url: https://speech.example.com/\n';
    expect(lint('url-format', text).findings).toEqual(['6:15 error base_url "https://speech.example.com/" ends with "/"; the platform requires it without']);
  });
});
