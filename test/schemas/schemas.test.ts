// Schemas: the generated schemas/ folder keeps its conventions: strict-mode ajv compiles it, every schema has $id and
// title, every property a description, every type exactly one schema, shared pieces one definition.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { AJV_OPTIONS, type Catalog } from '../../src/validate/schemas.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMAS = join(ROOT, 'schemas');
const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'tfy-manifest-schemas-2026-04-13.json');
const HAVE_REFERENCE = existsSync(REFERENCE);
/** tfy-lint's own schemas (config, policy files) are hand-written, not generated. */
const HAND_WRITTEN = /^tfy-lint\.[^/]+\.schema\.json$/;

type Json = Record<string, unknown>;
const read = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Json;
const catalog = read('catalog.json') as unknown as Catalog & { sdkSnapshot: string; types: Record<string, { sdkChanges?: string[] }> };
const typeFiles = Object.values(catalog.types).map((t) => t.file);
const generated = ['common.schema.json', ...typeFiles];

function listSchemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listSchemaFiles(p) : [relative(SCHEMAS, p).split('\\').join('/')];
  }).filter((f) => f.endsWith('.schema.json') && !HAND_WRITTEN.test(f));
}

/** Calls `visit(properties, where)` for every `properties` map, skipping the conditions of if/then chains. */
function eachPropertiesMap(node: unknown, where: string, visit: (props: Json, where: string) => void): void {
  if (Array.isArray(node)) { node.forEach((n, i) => eachPropertiesMap(n, `${where}/${i}`, visit)); return; }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'if') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      visit(v as Json, `${where}/properties`);
      for (const [p, s] of Object.entries(v as Json)) eachPropertiesMap(s, `${where}/properties/${p}`, visit);
    } else {
      eachPropertiesMap(v, `${where}/${k}`, visit);
    }
  }
}

function definitionsOf(file: string): Json {
  return (read(file).definitions ?? {}) as Json;
}

describe('schemas/', () => {
  it('has one schema file per catalog type and no others', () => {
    expect(listSchemaFiles(SCHEMAS).sort()).toEqual([...generated].sort());
  });

  it('compiles every schema in ajv strict mode, with unicode regular expressions (the default)', () => {
    for (const options of [{ strict: true, allErrors: true }, AJV_OPTIONS]) {
      const ajv = new Ajv.default(options);
      expect(options).not.toHaveProperty('unicodeRegExp');
      for (const f of generated) ajv.addSchema(read(f));
      for (const f of typeFiles) expect(ajv.getSchema(read(f).$id as string), f).toBeTypeOf('function');
    }
  });

  it('gives every schema file a draft-07 $schema, the $id of its path and a title', () => {
    for (const f of generated) {
      const s = read(f);
      expect(s.$schema, f).toBe('http://json-schema.org/draft-07/schema#');
      expect(s.$id, f).toBe(`${catalog.idBase}${f}`);
      expect(s.title, f).toMatch(/\S/);
    }
    for (const [type, e] of Object.entries(catalog.types)) {
      const s = read(e.file);
      expect(s.title, type).toBe(e.title);
      expect(s.description, type).toMatch(/\S{3}/);
      expect(s.title, type).not.toBe(type);
    }
  });

  it('describes every property, in common definitions and in every type', () => {
    const undescribed: string[] = [];
    for (const f of generated) {
      eachPropertiesMap(read(f), f, (props, where) => {
        for (const [p, s] of Object.entries(props)) {
          const d = (s as Json).description;
          if (typeof d !== 'string' || d.trim().length < 4) undescribed.push(`${where}/${p}`);
        }
      });
    }
    expect(undescribed).toEqual([]);
  });

  it('declares every manifest type const exactly once, in the schema the catalog names', () => {
    const seen = new Map<string, string[]>();
    for (const f of typeFiles) {
      const root = read(f);
      const c = ((root.properties as Json).type as Json).const as string;
      seen.set(c, [...(seen.get(c) ?? []), f]);
      expect(root.required, f).toContain('type');
      expect(root.additionalProperties, f).toBe(false);
    }
    for (const [type, e] of Object.entries(catalog.types)) expect(seen.get(type), type).toEqual([e.file]);
    expect(seen.size).toBe(Object.keys(catalog.types).length);
  });

  it('declares every integration type in exactly one definition', () => {
    const declared = new Map<string, string[]>();
    for (const f of generated) {
      for (const [name, def] of Object.entries(definitionsOf(f))) {
        const c = (((def as Json).properties as Json | undefined)?.type as Json | undefined)?.const;
        if (typeof c === 'string' && c.startsWith('integration/')) declared.set(c, [...(declared.get(c) ?? []), `${f}#${name}`]);
      }
    }
    expect(declared.size).toBeGreaterThan(80);
    for (const [c, where] of declared) expect(where, c).toHaveLength(1);
  });

  it('keeps shared pieces as single definitions, never copies', () => {
    const byName = new Map<string, string[]>();
    const byContent = new Map<string, string[]>();
    for (const f of generated) {
      for (const [name, def] of Object.entries(definitionsOf(f))) {
        byName.set(name, [...(byName.get(name) ?? []), f]);
        const key = JSON.stringify(def);
        byContent.set(key, [...(byContent.get(key) ?? []), `${f}#${name}`]);
      }
    }
    expect([...byName].filter(([, files]) => files.length > 1)).toEqual([]);
    expect([...byContent.values()].filter((where) => where.length > 1)).toEqual([]);

    const common = definitionsOf('common.schema.json');
    for (const shared of ['Collaborator', 'Collaborators', 'OwnedBy', 'RetryConfig', 'LoadBalanceTarget', 'PriorityBasedLoadBalanceTarget',
      'LatencyBasedLoadBalanceTarget', 'HeadersOverride', 'StickyRouting', 'RuleWhen', 'Credential', 'ModelAccountName', 'ModelName',
      'ResourceName', 'MCPServerName', 'RuleId', 'ApiKeyAuth', 'ModelType']) {
      expect(common, shared).toHaveProperty(shared);
    }
    const openai = read('provider-account/openai.schema.json').properties as Record<string, Json>;
    expect(openai.collaborators.$ref).toBe('../common.schema.json#/definitions/Collaborators');
    expect(openai.name.$ref).toBe('../common.schema.json#/definitions/ModelAccountName');
    const apiKey = (common.ApiKeyAuth as Json).properties as Record<string, Json>;
    expect(apiKey.api_key.$ref).toBe('#/definitions/Credential');
  });

  it('records where each type comes from', () => {
    const sources = new Set(Object.values(catalog.types).map((t) => t.source));
    expect([...sources].sort()).toEqual([`SDK ${catalog.sdkSnapshot}`, `reference ${catalog.snapshot}`]);
    const fromSdk = Object.entries(catalog.types).filter(([, t]) => t.source.startsWith('SDK')).map(([type]) => type);
    expect(fromSdk).toEqual(expect.arrayContaining([
      'provider-account/custom-endpoint', 'tenant-budget-config', 'team-budget-config', 'provider-account/aws-claude-platform',
      'provider-account/aws-bedrock-mantle', 'provider-account/smallest-ai', 'provider-account/wafer', 'mcp-server/tfy-managed', 'agent',
    ]));
    expect(Object.keys(catalog.types).length - fromSdk.length).toBe(71);
    expect(catalog.types['provider-account/openai'].sdkChanges).toEqual(expect.arrayContaining(['discount_percent', 'auth_data optional']));
  });

  it('knows the SDK-only fields and auth forms', () => {
    const json = (f: string) => JSON.stringify(read(f));
    expect(json('provider-account/azure-openai.schema.json')).toContain('AzureWorkloadIdentityAuth');
    expect(json('provider-account/azure-openai.schema.json')).toContain('AzureClientSecretAuth');
    expect(json('provider-account/google-vertex.schema.json')).toContain('workload-identity-federation-file');
    expect(json('provider-account/custom-endpoint.schema.json')).toContain('integration/model/custom-endpoint');
    for (const f of ['provider-account/aws-claude-platform.schema.json', 'provider-account/aws-bedrock-mantle.schema.json',
      'provider-account/smallest-ai.schema.json', 'provider-account/wafer.schema.json', 'provider-account/anthropic.schema.json']) {
      expect(read(f).properties, f).toHaveProperty('discount_percent');
    }
  });

  it('names the right type for every wrong type string of DOMAIN.md §1.12', () => {
    const known = new Set<string>(Object.keys(catalog.types));
    for (const f of generated) JSON.stringify(read(f), (k, v) => { if (k === 'const' && typeof v === 'string') known.add(v); return v; });
    for (const w of ['provider-account/google', 'integration/model/google', 'provider-account/mistral', 'integration/model/mistral',
      'integration/model/azure', 'integration/model/aws-bedrock', 'integration/model/google-vertex', 'integration/model/custom',
      'provider-account/nvidia-nim', 'budget-config', 'data-access-config', 'integration/guardrail/tfy-pii', 'openai-model',
      'openai-api-key', 'azure-auth', 'aws-access-key-auth', 'aws-irsa-auth', 'gcp-service-account-auth']) {
      expect(catalog.wrongTypes, w).toHaveProperty(w);
    }
    for (const [w, { use, why }] of Object.entries(catalog.wrongTypes)) {
      expect(known.has(w), `${w} is accepted somewhere`).toBe(false);
      expect(why, w).toMatch(/\S/);
      if (use) expect(known.has(use), `${w} -> ${use}`).toBe(true);
    }
  });

  if (!HAVE_REFERENCE) console.info(`schemas.test: ${relative(ROOT, REFERENCE)} is absent, so the generator check is skipped; the other tests check the committed schemas`);
  it.runIf(HAVE_REFERENCE)('is what the generator writes (node scripts/schemas/import.mjs --check)', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'schemas', 'import.mjs'), '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  });
});
