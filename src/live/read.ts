// Live: reads the live state of some kinds with one list call per kind (plus pages), never one call per resource.
import { isRecord } from '../core/jsonpath.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import { displayUrl, PlatformError, type PlatformClient } from './client.ts';
import { GATEWAY_CONFIG_TYPES, type LiveKind } from './kinds.ts';
import { liveResource, makeLiveState, type LiveResource, type LiveState } from './state.ts';

/** List endpoints by kind (DOMAIN.md §2.3–2.5). */
export const LIST_PATHS: Readonly<Record<string, string>> = {
  'provider-account': '/api/svc/v1/provider-accounts',
  'virtual-account': '/api/svc/v1/virtual-accounts',
  team: '/api/svc/v1/teams/user',
  'mcp-server': '/api/svc/v1/mcp-servers',
  'secret-group': '/api/svc/v1/secret-groups',
};

export const GATEWAY_CONFIG_PATH = '/api/svc/v1/llm-gateway/config/';

export interface ReadResult {
  state: LiveState;
  notes: string[];
  /** Optional kinds that could not be read because the platform does not serve their list route (404). */
  unread?: { kind: LiveKind; message: string }[];
}

/**
 * Reads the given kinds concurrently (within the client's bound) and returns them as a live state. A gateway
 * config the platform does not have (404, or an empty answer) is "none", not an error. Items without a usable
 * manifest are skipped with a note.
 */
export async function readLiveState(
  client: PlatformClient, kinds: readonly LiveKind[], schemas: SchemaSet,
  opts: { now?: Date; skipForbidden?: boolean; optional?: readonly LiveKind[] } = {},
): Promise<ReadResult> {
  const notes: string[] = [];
  const unread: { kind: LiveKind; message: string }[] = [];
  const read = new Set<LiveKind>(kinds);
  const lists = await Promise.all(kinds.map(async (kind) => {
    try {
      if (GATEWAY_CONFIG_TYPES.includes(kind)) return await readGatewayConfig(client, kind);
      const path = LIST_PATHS[kind];
      if (!path) throw new Error(`no list call for kind ${kind}`);
      const items = await client.listAll(path);
      return items.map((item) => manifestOfListItem(kind, item));
    } catch (e) {
      // dump reads every kind: one the key may not read (403) or the platform does not have (404) is left out.
      if (opts.skipForbidden && e instanceof PlatformError && (e.status === 403 || e.status === 404)) {
        notes.push(`${kind} left out: ${e.message}`);
        read.delete(kind);
        return [];
      }
      // A kind read only to guard something (what may route to a deleted account) on a control plane that does not
      // serve its list route (an older version): left out, and the caller says what could not be checked.
      if (opts.optional?.includes(kind) && !GATEWAY_CONFIG_TYPES.includes(kind) && e instanceof PlatformError && e.status === 404) {
        unread.push({ kind, message: e.message });
        read.delete(kind);
        return [];
      }
      // The other reads are of no use now: stop them rather than wait for their answers or timeouts.
      client.cancel();
      throw e;
    }
  }));
  const resources: LiveResource[] = [];
  const seen = new Set<string>();
  lists.forEach((list, i) => {
    for (const entry of list) {
      if (!entry.manifest) { notes.push(`skipped an item of ${kinds[i]} without a manifest${entry.label ? ` (${entry.label})` : ''}`); continue; }
      const r = liveResource(entry.manifest, schemas, entry.meta);
      if (!r) { notes.push(`skipped an item of ${kinds[i]} without a type and name${entry.label ? ` (${entry.label})` : ''}`); continue; }
      const key = `${r.type}\u0000${r.name}`;
      if (seen.has(key)) { notes.push(`${r.type} "${r.name}" was listed twice; kept the first`); continue; }
      seen.add(key);
      resources.push(r);
    }
  });
  const now = opts.now ?? new Date();
  return { state: makeLiveState(displayUrl(client.baseUrl), kinds.filter((k) => read.has(k)), resources, now.toISOString()), notes, ...(unread.length ? { unread } : {}) };
}

interface Entry { manifest?: Record<string, unknown>; meta: { id?: unknown; fqn?: unknown }; label?: string }

function manifestOfListItem(kind: LiveKind, item: unknown): Entry {
  if (!isRecord(item)) return { meta: {} };
  const meta = { id: item.id, fqn: item.fqn };
  const label = typeof item.fqn === 'string' ? item.fqn : typeof item.name === 'string' ? item.name : typeof item.id === 'string' ? `id ${item.id}` : undefined;
  if (!isRecord(item.manifest)) return { meta, label };
  const manifest: Record<string, unknown> = { ...item.manifest };
  if (kind === 'provider-account') {
    if (manifest.type === undefined && typeof item.provider === 'string') manifest.type = `provider-account/${item.provider}`;
    // The list also expands each integration; the account's own manifest is the one to compare, but when it
    // lacks the integrations they are taken from the expansion (the two are equivalent, DOMAIN.md §2.3).
    if (manifest.integrations === undefined && Array.isArray(item.integrations)) {
      manifest.integrations = item.integrations.map((i) => (isRecord(i) && isRecord(i.manifest) ? i.manifest : i));
    }
  } else if (kind !== 'mcp-server' && manifest.type === undefined) {
    manifest.type = kind;
  }
  if (manifest.name === undefined && typeof item.name === 'string') manifest.name = item.name;
  return { manifest, meta, label };
}

/** GET /llm-gateway/config/{type}: one config, a list (Budget V2 kinds), or none. */
async function readGatewayConfig(client: PlatformClient, type: string): Promise<Entry[]> {
  const r = await client.request('GET', `${GATEWAY_CONFIG_PATH}${encodeURIComponent(type)}`, { allowStatus: [404] });
  if (r.status === 404 || r.body === undefined || r.body === null) return [];
  const items = Array.isArray(r.body) ? r.body : isRecord(r.body) && Array.isArray(r.body.data) ? r.body.data : [r.body];
  const out: Entry[] = [];
  for (const item of items) {
    if (!isRecord(item) || !isRecord(item.manifest) || Object.keys(item.manifest).length === 0) continue;
    const manifest: Record<string, unknown> = { ...item.manifest };
    if (manifest.type === undefined) manifest.type = type;
    // A singleton config is matched by type; one stored without a name gets the type as its name.
    if (typeof manifest.name !== 'string') manifest.name = type;
    out.push({ manifest, meta: { id: item.id }, label: type });
  }
  return out;
}
