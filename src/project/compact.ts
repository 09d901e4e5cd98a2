// Project: what `check` keeps of a document once the rules that read it alone have run: for most provider accounts,
// only what the rules comparing files read. A large repository is mostly provider accounts, and holding all their data
// to the end of the run is most of what such a run holds (and what every garbage collection walks again).
import { isRecord } from '../core/jsonpath.ts';

/**
 * Account types whose documents are kept whole: rules that compare files read more of them than of other accounts
 * (target-exists reads a virtual model's targets and an MCP group's servers, guardrail-reach a guardrail's phase).
 */
const KEPT_WHOLE: ReadonlySet<string> = new Set(['provider-account/virtual-model', 'provider-account/mcp-server-group', 'provider-account/guardrail-config-group']);

/** The fields of an integration the cross-file rules read: its address, kind and model types (project/addresses.ts). */
const INTEGRATION_FIELDS = ['name', 'type', 'slug', 'model_types'] as const;

/** Whether `compactData` keeps less than the whole of a document of this type. */
export function isCompacted(type: string | undefined): boolean {
  return type !== undefined && type.startsWith('provider-account/') && !KEPT_WHOLE.has(type);
}

/**
 * What the rules that compare files read of a document, once its own checks ran (RuleMeta.checkReads): for a provider
 * account other than those kept whole, its type and name, an API envelope's `manifest` as it is, each integration's
 * name, type, slug and model types (at the same index), and every value holding a `tfy-secret://` reference, at its
 * path (secret-ref-format counts the tenants). Keys stay in their order. Every other document is returned as it is.
 */
export function compactData(data: unknown): unknown {
  if (!isRecord(data) || !isCompacted(typeof data.type === 'string' ? data.type : undefined)) return data;
  const out: Record<string, unknown> = {};
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const v = data[key];
    if (key === 'type' || key === 'name' || key === 'manifest') setOwn(out, key, v);
    else if (key === 'integrations' && Array.isArray(v)) out.integrations = v.map((item) => (isRecord(item) ? compactIntegration(item) : item));
    else {
      const refs = referencesIn(v);
      if (refs !== undefined) setOwn(out, key, refs);
    }
  }
  return out;
}

function compactIntegration(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in item) {
    if (!Object.hasOwn(item, key)) continue;
    const v = (INTEGRATION_FIELDS as readonly string[]).includes(key) ? item[key] : referencesIn(item[key]);
    if (v !== undefined) setOwn(out, key, v);
  }
  return out;
}

/** The part of a value that holds `tfy-secret://` references (lists keep their indexes), or undefined when none does. */
function referencesIn(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('tfy-secret://') ? v : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  let out: Record<string | number, unknown> | undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = referencesIn(v[i]);
      if (r !== undefined) (out ??= [] as unknown as Record<number, unknown>)[i] = r;
    }
    return out;
  }
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    const r = referencesIn((v as Record<string, unknown>)[key]);
    if (r !== undefined) setOwn((out ??= {}), key, r);
  }
  return out;
}

/** Sets an own property, `__proto__` included (as the parsers do: a key, never the prototype). */
function setOwn(node: Record<string | number, unknown>, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  else node[key] = value;
}
