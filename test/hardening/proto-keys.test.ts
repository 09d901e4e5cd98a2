// `__proto__`, `constructor` and `prototype` (and other Object.prototype names) are ordinary keys of free-form maps
// such as `when.metadata` and `tags`: every stage keeps them as data and none changes an object's prototype.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/yaml.ts';
import { runCli } from '../helpers.ts';

const RATE_LIMITS = `type: gateway-rate-limiting-config
name: limits
rules:
  - id: by-metadata
    when:
      metadata:
        __proto__: a
        constructor: b
        prototype: c
        hasOwnProperty: d
    limit_to: 10
    unit: requests_per_minute
`;
const MCP = `type: mcp-server/remote
name: docs-search
description: Searches the docs
url: https://mcp.example.com/mcp
collaborators:
  - subject: team:platform
    role_id: mcp-server-manager
tags:
  __proto__: x
  constructor: y
  toString: z
`;
// JSON.parse makes `__proto__` an own key (an object literal would set the prototype instead).
const METADATA = JSON.parse('{"__proto__": "a", "constructor": "b", "prototype": "c", "hasOwnProperty": "d"}') as Record<string, unknown>;
const TAGS = JSON.parse('{"__proto__": "x", "constructor": "y", "toString": "z"}') as Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'tfy-proto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'limits.yaml'), RATE_LIMITS);
writeFileSync(join(dir, 'mcp.yaml'), MCP);


function manifestsIn(folder: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.yaml')) for (const m of parseSource({ path: e.name, text: readFileSync(join(d, e.name), 'utf8') }).manifests) out.push(m.data as Record<string, unknown>);
    }
  };
  walk(folder);
  return out;
}

describe('prototype-named keys are data', () => {
  it('parse keeps them as own keys and leaves every prototype alone', () => {
    const [m] = parseSource({ path: 'limits.yaml', text: RATE_LIMITS }).manifests;
    const metadata = ((m.data as any).rules[0].when.metadata) as Record<string, unknown>;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty']);
    expect(metadata).toEqual(METADATA);
    expect(m.rangeOf(['rules', 0, 'when', 'metadata', 'constructor'], 'value').start).toEqual({ line: 8, column: 22 });
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('check reports nothing about them (schema and rules)', async () => {
    const r = await runCli(['check', '--format', 'json'], dir);
    const report = JSON.parse(r.stdout) as { diagnostics: { message: string; ruleId: string; severity: string }[] };
    expect(report.diagnostics.filter((d) => /__proto__|constructor|prototype|toString|hasOwnProperty|function|\[object/.test(d.message))).toEqual([]);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('build writes them out', async () => {
    const out = join(dir, '..', `${dir.split('/').pop()}-build`);
    const r = await runCli(['build', '--out', out], dir);
    expect(r.code).toBe(0);
    const built = manifestsIn(out);
    rmSync(out, { recursive: true, force: true });
    const limits = built.find((m) => m.type === 'gateway-rate-limiting-config') as any;
    const mcp = built.find((m) => m.type === 'mcp-server/remote') as any;
    expect(limits.rules[0].when.metadata).toEqual(METADATA);
    expect(mcp.tags).toEqual(TAGS);
  });

  it('plan compares them like any key, and plans nothing when they agree; dump writes them', async () => {
    const resource = (manifest: Record<string, unknown>, i: number) => ({ type: manifest.type, name: manifest.name, id: `id-${i}`, fingerprint: `f${i}`, manifest });
    const desired = manifestsIn(dir);
    const snapshot = (manifests: Record<string, unknown>[]) => JSON.stringify({ version: 1, source: 'test', readAt: '2026-01-01T00:00:00.000Z', kinds: ['mcp-server', 'gateway-rate-limiting-config'], resources: manifests.map(resource) });
    writeFileSync(join(dir, '..', 'proto-same.json'), snapshot(desired));
    const same = await runCli(['plan', '.', '--format', 'json', '--live-state', join(dir, '..', 'proto-same.json')], dir);
    expect(JSON.parse(same.stdout).changes).toEqual([]);

    const changed = JSON.parse(JSON.stringify(desired)) as any[];
    changed.find((m) => m.type === 'gateway-rate-limiting-config').rules[0].when.metadata.constructor = 'other';
    writeFileSync(join(dir, '..', 'proto-changed.json'), snapshot(changed));
    const plan = JSON.parse((await runCli(['plan', '.', '--format', 'json', '--live-state', join(dir, '..', 'proto-changed.json')], dir)).stdout);
    expect(plan.changes.map((c: any) => [c.action, c.type, c.fields.map((f: any) => f.path)])).toEqual([
      ['update', 'gateway-rate-limiting-config', ['rules[id=by-metadata].when.metadata.constructor']],
    ]);

    const dumped = join(dir, '..', `${dir.split('/').pop()}-dump`);
    const d = await runCli(['dump', '--live-state', join(dir, '..', 'proto-same.json'), '--out', dumped], dir);
    expect(d.code).toBe(0);
    const written = [...d.written.entries()].filter(([p]) => p.endsWith('.yaml')).flatMap(([p, t]) => parseSource({ path: p, text: t }).manifests.map((m) => m.data as any));
    rmSync(dumped, { recursive: true, force: true });
    for (const f of ['proto-same.json', 'proto-changed.json']) rmSync(join(dir, '..', f), { force: true });
    expect(written.find((m) => m.type === 'mcp-server/remote').tags).toEqual(TAGS);
    expect(written.find((m) => m.type === 'gateway-rate-limiting-config').rules[0].when.metadata).toEqual(METADATA);
    expect(Object.prototype).not.toHaveProperty('a');
  });
});
