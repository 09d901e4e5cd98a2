// Plan: the integrations a document sends traffic to (routing targets, guardrail selectors, virtual MCP sources).
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';

export interface Reference {
  /** `<account>/<integration>`. */
  address: string;
  account: string;
  integration: string;
  path: JsonPath;
  /** What kind of use: a routing target, a guardrail, an MCP server source. */
  use: 'target' | 'guardrail' | 'mcp-server';
}

const GUARDRAIL_LISTS = new Set(['llm_input_guardrails', 'llm_output_guardrails', 'mcp_tool_pre_invoke_guardrails', 'mcp_tool_post_invoke_guardrails']);

function split(address: string): { account: string; integration: string } | undefined {
  const i = address.indexOf('/');
  if (i <= 0 || i === address.length - 1) return undefined;
  return { account: address.slice(0, i), integration: address.slice(i + 1) };
}

/**
 * Every `<account>/<integration>` a document routes to: `load_balance_targets[].target` (load-balancing rules and
 * virtual models), the four guardrail lists of guardrail rules, and `servers[].name` of virtual MCP servers.
 */
export function referencesOf(data: unknown): Reference[] {
  const out: Reference[] = [];
  const add = (address: unknown, path: JsonPath, use: Reference['use']) => {
    if (typeof address !== 'string') return;
    const s = split(address);
    if (s) out.push({ address, ...s, path, use });
  };
  const walk = (v: unknown, path: JsonPath) => {
    if (Array.isArray(v)) {
      const key = path[path.length - 1];
      v.forEach((x, i) => {
        if (key === 'load_balance_targets' && isRecord(x)) add(x.target, [...path, i, 'target'], 'target');
        else if (typeof key === 'string' && GUARDRAIL_LISTS.has(key)) add(x, [...path, i], 'guardrail');
        else if (key === 'servers' && isRecord(x)) add(x.name, [...path, i, 'name'], 'mcp-server');
        walk(x, [...path, i]);
      });
    } else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    }
  };
  walk(data, []);
  return out;
}
