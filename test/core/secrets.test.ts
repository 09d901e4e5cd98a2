import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheableData, holdsSecretValue, isSecretValue } from '../../src/core/mask.ts';
import { exactInJson } from '../../src/core/jsonpath.ts';
import { parseText, REPO, SHARED } from '../helpers.ts';
import {
  findRawKey, isSecretPath, isMisspeltReference, isPlaceholder, isTemplate, keyFormatOf, parseSecretRef, redactCredential, redactLine,
} from '../../src/core/secrets.ts';

describe('secret references', () => {
  it.each([
    ['tfy-secret://acme:llm-keys:OPENAI', ['acme', 'llm-keys', 'OPENAI'], 0],
    ['Bearer tfy-secret://acme:mcp:TOKEN', ['acme', 'mcp', 'TOKEN'], 7],
    ['tfy-secret://acme:OPENAI', ['acme', 'OPENAI'], 0],
    ['tfy-secret://', [''], 0],
  ])('parses %s', (value, parts, offset) => {
    expect(parseSecretRef(value)).toMatchObject({ parts, offset });
  });

  it.each(['store it as tfy-secret://a:b:c please', 'sk-proj-abc', 'Hello tfy-secret://a:b:c'])('does not take %s for a reference', (value) => {
    expect(parseSecretRef(value)).toBeUndefined();
  });

  it('recognises misspelt schemes only', () => {
    expect(isMisspeltReference('tfy-secrets://acme:g:k')).toBe(true);
    expect(isMisspeltReference('TFY-SECRET://acme:g:k')).toBe(true);
    expect(isMisspeltReference('tfy-secret://acme:g:k')).toBe(false);
    expect(isMisspeltReference('tfy-lint')).toBe(false);
  });
});

describe('placeholders and templates', () => {
  it.each([
    '<API_KEY>', 'sk-...', 'your-api-key', 'YOUR_API_KEY', '${OPENAI_API_KEY}', 'OPENAI_API_KEY', 'xxxxxxxx', 'changeme',
    'Bearer <API_KEY>', '{{API_KEY}}', 'AKIAIOSFODNN7EXAMPLE', 'tfy-secret://TENANT:llm-keys:K', 'tfy-secret://<tenant>:<secret-group>:K',
    'tfy-secret://acme:SECRET_GROUP:K', 'tfy-secret://tenant:mcp-secrets:token',
  ])('%s is a placeholder', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });

  it.each(['gsk_Q7xK2mPz9Lr4Vb8N', 'hunter2', 'tfy-secret://acme:llm-keys:OPENAI_API_KEY', 'f3a9c8b7e6d5c4b3', 'Bearer f3a9c8b7'])('%s is not a placeholder', (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });

  it('accepts per-user header templates', () => {
    expect(isTemplate('Bearer {{API_KEY}}')).toBe(true);
    expect(isTemplate('{{ token }}')).toBe(true);
    expect(isTemplate('Bearer {{API_KEY}} extra')).toBe(false);
  });
});

describe('raw key formats', () => {
  it('finds keys inside text and names their provider', () => {
    expect(findRawKey(`see gsk_${'a1B2c3D4e5'.repeat(5)} here`)?.format.provider).toBe('Groq');
    expect(findRawKey('AKIAZQ3R7T2Y4U6W5V2X')?.format.kind).toBe('access key ID');
    expect(findRawKey('https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/q8W3zR5tY7uI9oP1')?.format.kind).toBe('webhook URL');
  });

  it('ignores documentation keys, references and near misses', () => {
    expect(findRawKey('the key AKIAIOSFODNN7EXAMPLE from the AWS docs')).toBeUndefined();
    expect(findRawKey('tfy-secret://acme:keys:gsk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(findRawKey('pattern: sk-proj-[A-Za-z0-9_-]{20,}')).toBeUndefined();
    expect(findRawKey('task-0123456789abcdef0123456789abcdef')).toBeUndefined();
  });

  it('names a credential by its prefix', () => {
    expect(keyFormatOf('sk-ant-api03-xyz')?.provider).toBe('Anthropic');
    expect(keyFormatOf('sk-proj-xyz')?.provider).toBe('OpenAI');
    expect(keyFormatOf('0123456789')).toBeUndefined();
  });
});

describe('redaction', () => {
  it('keeps an auth scheme word and names blocks', () => {
    expect(redactCredential('Bearer f3a9c8b7e6d5c4b3a291')).toBe('Bearer f3a9…a291');
    expect(redactCredential('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----')).toBe('-----BEGIN …-----');
    expect(redactCredential('{"type": "service_account"}')).toBe('{…}');
  });

  it('redacts credentials in flow mappings and URL query strings of code frames', () => {
    expect(redactLine('auth_data: {type: basic-auth, username: bob, password: hunter2}')).toBe('auth_data: {type: basic-auth, username: bob, password: ****}');
    expect(redactLine('url: https://mcp.example.com/mcp?exaApiKey=0f3a9b8c7d6e5f4a&tools=web')).toBe('url: https://mcp.example.com/mcp?exaApiKey=0f3a…5f4a&tools=web');
    expect(redactLine('{type: api-key, api_key: "tfy-secret://a:bbbbb:c"}')).toBe('{type: api-key, api_key: "tfy-secret://a:bbbbb:c"}');
  });
});

describe('holdsSecretValue (what the results cache refuses to keep)', () => {
  it.each([
    [{ auth_data: { api_key: 'tfy-secret://acme:keys:OPENAI' } }, false],
    [{ auth_data: { api_key: 'plain-text-credential' } }, true],
    [{ auth_data: { password: 123456 } }, true],
    [{ rules: [{ when: { models: ['xai-legal-ai-eval/grok-3'] } }] }, false],
    [{ subjects: ['team:xai-research'] }, false],
    [{ description: `xai-${'a1B2'.repeat(18)}` }, true],
    [{ notes: [`see sk-proj-${'a'.repeat(24)} for access`] }, true],
    [{ name: 'openai-main', integrations: [{ name: 'gpt-4o' }] }, false],
  ])('%j -> %s', (data, expected) => {
    expect(holdsSecretValue(data)).toBe(expected);
  });
});

describe('holdsSecretValue equals its definition (isSecretValue on every path, as maskSecrets decides)', () => {
  // The definition, written the plain way: every leaf with its whole path.
  const reference = (data: unknown): boolean => {
    const walk = (v: unknown, path: (string | number)[]): boolean => {
      if (typeof v === 'string') {
        if (findRawKey(v) !== undefined) return true;
        return isSecretValue(path, v) && (isSecretPath(path) || !/[/:]/.test(v));
      }
      if (typeof v === 'number' || typeof v === 'boolean') return isSecretPath(path);
      if (Array.isArray(v)) return v.some((x, i) => walk(x, [...path, i]));
      if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => walk(x, [...path, k]));
      return false;
    };
    return walk(data, []);
  };
  const key = fc.constantFrom('name', 'api_key', 'headers', 'extra_headers', 'headers_override', 'set', 'token', 'value', 'Authorization', 'url', 'aws_secret_access_key', 'items');
  const leaf = fc.oneof(
    fc.constantFrom('', 'plain', 'tfy-secret://acme:keys:K', `sk-proj-${'a1'.repeat(20)}`, 'xai-prod/grok-3', `xai-${'a1B2'.repeat(18)}`, 'team:x', '<redacted:sk-p…9f2Q>', `see sk-proj-${'a'.repeat(24)} here`),
    fc.integer(), fc.boolean(), fc.constant(null),
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
  })).node;
  it('on generated documents with credential keys, header maps and headers_override', () => {
    // The cases the generator may rarely build, spelt out.
    for (const d of [{ headers_override: { set: { X: 'plain' } } }, { headers_override: { set: 'plain' } }, { set: { X: 'plain' } }, { headers: 'plain' }, { headers: { X: 'plain' } }, { extra_headers: [1] }, { headers: { X: { Y: 2 } } }]) {
      expect(holdsSecretValue(d)).toBe(reference(d));
    }
    fc.assert(fc.property(tree, (data) => holdsSecretValue(data) === reference(data)), { numRuns: 3000, seed: 14 });
  });
  it('cacheableData is exactly: no secret value, and exact in JSON (one walk for both)', () => {
    const number = fc.oneof(fc.integer(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0.5));
    const anyTree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, number, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    for (const d of [{ a: Number.NaN }, { api_key: -0 }, { list: [1, Infinity] }, { name: 'x', n: 2.5 }]) {
      expect(cacheableData(d)).toBe(exactInJson(d) && !holdsSecretValue(d));
    }
    fc.assert(fc.property(anyTree, (data) => cacheableData(data) === (exactInJson(data) && !holdsSecretValue(data))), { numRuns: 3000, seed: 15 });
    // and leaves holdsSecretValue as it was: an inexact number is no secret
    expect(holdsSecretValue({ a: Number.NaN })).toBe(false);
  });

  it('on a key-shaped value of every prefix, outside and inside credential fields', () => {
    // One per provider prefix the key shapes know, each a long unbroken token: a prefix the fast path forgot would
    // make holdsSecretValue miss it (fw_ once was).
    const prefixes = ['sk-', 'sk_', 'gsk_', 'AIza', 'AKIA', 'ASIA', 'ABSK', 'xai-', 'pplx-', 'hf_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'github_pat_',
      'xoxb-', 'glpat-', 'r8_', 'nvapi-', 'fw_', 'csk-', 'dapi', 'lsv2_', 'eyJabcdefghijkl.'];
    for (const p of prefixes) {
      const value = `${p}${'Q7x9Lm2Pz4'.repeat(4)}`;
      for (const d of [{ note: value }, { api_key: value }, { list: [value] }]) {
        expect(holdsSecretValue(d), `${p} ${JSON.stringify(d)}`).toBe(reference(d));
      }
      expect(holdsSecretValue({ api_key: value })).toBe(true);
    }
    const outside = prefixes.filter((p) => reference({ note: `${p}${'Q7x9Lm2Pz4'.repeat(4)}` }));
    expect(outside).toContain('fw_');
  });
  it('on every document of the fixtures, the example and the real-world corpus', () => {
    const docs: unknown[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) docs.push(...parseText(readFileSync(p, 'utf8'), p).manifests.map((m) => m.data));
      }
    };
    for (const d of [join(REPO, 'fixtures'), join(REPO, 'examples'), join(SHARED, 'corpus', 'real-world')]) walk(d);
    expect(docs.length).toBeGreaterThan(100);
    expect(docs.some((d) => reference(d))).toBe(true);
    for (const d of docs) expect(holdsSecretValue(d)).toBe(reference(d));
  });
});
