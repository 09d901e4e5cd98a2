// Test support: a local stand-in for the TrueFoundry control plane (DOMAIN.md §2) on 127.0.0.1, with injectable faults.
//
// It behaves as the platform is documented to: Bearer auth (401 without a valid key, 403 for a read-only key on
// writes), list endpoints paginated with limit/offset and {data, pagination: {total, offset, limit}}, the provider
// accounts' `type` filter ignored, server-only fields (ids, FQNs, timestamps, createdBySubject...) added around
// every manifest, a few defaults and empty containers echoed back inside manifests, gateway configs fetched by type
// (404 when there is none), HttpError bodies {statusCode, message}, 409 on a name taken by another provider type,
// 422 on a malformed secret reference, and PUT /api/svc/v1/apply + POST /api/svc/v1/delete for writes.
// Faults (status codes, Retry-After, slow answers, dropped connections) are queued with inject().
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Manifest = Record<string, unknown>;

export interface Fault {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests to this pathname (a string is an exact match). Default: any. */
  path?: string | RegExp;
  /** Answer with this status (and `body`, default an HttpError). */
  status?: number;
  body?: unknown;
  /** Retry-After header value sent with the status. */
  retryAfter?: string;
  /** Wait this long before answering (a slow platform); without `status`, then answer normally. */
  delayMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** How many matching requests the fault hits (default 1). */
  times?: number;
  /** Serve the request (a write is stored), then close the connection without answering: a lost response. */
  lose?: boolean;
}

/** A write the platform refuses for good (a permanent 4xx), matched by the manifest's type and name. */
export interface Refusal {
  /** Only manifests of this type (default any). */
  type?: string;
  /** Only manifests with this name (default any). */
  name?: string;
  /** Only PUT /apply (`apply`) or POST /delete (`delete`) (default both). */
  on?: 'apply' | 'delete';
  status: number;
  message: string;
  /** How many matching writes are refused (default: all, until clearFaults). */
  times?: number;
}

export interface FakePlatformOptions {
  /** The API key accepted for everything (default "tfy-test-key-0123456789abcdef"). */
  token?: string;
  /** A key that may read but not write. */
  readOnlyToken?: string;
  tenant?: string;
  /** Largest page the list endpoints return, whatever `limit` asks (default 100). */
  maxPageSize?: number;
  /** Wait this long before answering every request (a distant platform). */
  latencyMs?: number;
  /**
   * Refuse writes that break references, as the platform does (default true): 422 when an applied virtual model,
   * gateway config or virtual MCP server routes to an integration that does not exist, 409 when a delete (or an
   * update that drops an integration) removes something another stored document still routes to.
   */
  referentialIntegrity?: boolean;
  /** Applied to every manifest stored through PUT /apply (a platform-side normalisation the planner does not know). */
  storeTransform?: (manifest: Manifest) => Manifest;
}

export interface RequestRecord { method: string; path: string; query: Record<string, string>; status: number }

/** A write the platform accepted, in the order it was stored (dry runs included, marked). */
export interface WriteRecord { op: 'apply' | 'delete'; type: string; name: string; dryRun: boolean }

interface Stored { id: string; manifest: Manifest; createdAt: string; updatedAt: string; seq: number; by?: Subject }

/** The platform's `Subject` (DOMAIN.md §2.4): who it records as a resource's creator (`createdBySubject`). */
export interface Subject { subjectId: string; subjectType: string; subjectSlug?: string; subjectDisplayName?: string }

const GATEWAY_TYPES = new Set([
  'gateway-rate-limiting-config', 'gateway-fallback-config', 'gateway-load-balancing-config', 'gateway-guardrails-config',
  'gateway-budget-config', 'tenant-budget-config', 'team-budget-config', 'gateway-otel-config', 'gateway-global-settings',
  'gateway-data-access-config', 'gateway-data-routing-config',
]);
const LIST_BY_NAME_GATEWAY = new Set(['tenant-budget-config', 'team-budget-config']);
/** Model integrations whose model_types does not default to chat (speech models, and a few SDK-only kinds). */
const OTHER_MODEL_TYPE_DEFAULT = new Set(['integration/model/cartesia', 'integration/model/deepgram', 'integration/model/bedrock-mantle',
  'integration/model/aws-claude-platform', 'integration/model/smallest-ai', 'integration/model/wafer']);
const SECRET_REF = /^tfy-secret:\/\/.+:.+:.+$/;

export const DEFAULT_TOKEN = 'tfy-test-key-0123456789abcdef';

function kindOf(type: string): string | undefined {
  if (type.startsWith('provider-account/')) return 'provider-account';
  if (type.startsWith('mcp-server/')) return 'mcp-server';
  if (['virtual-account', 'team', 'secret-group'].includes(type)) return type;
  if (GATEWAY_TYPES.has(type)) return LIST_BY_NAME_GATEWAY.has(type) ? type : `gateway:${type}`;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** JSON with keys sorted at every level, as a document store would hand them back. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isRecord(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** What the platform stores for a manifest: a few defaults and empty containers filled in, keys reordered. */
function serverForm(m: Manifest): Manifest {
  const out = structuredClone(m);
  if (typeof out.type === 'string' && out.type.startsWith('provider-account/')) {
    if (out.collaborators === undefined) out.collaborators = [];
    if (Array.isArray(out.integrations)) {
      for (const i of out.integrations) {
        if (!isRecord(i) || typeof i.type !== 'string') continue;
        if (i.type.startsWith('integration/model/') && !OTHER_MODEL_TYPE_DEFAULT.has(i.type) && i.model_types === undefined) i.model_types = ['chat'];
        const rc = i.routing_config;
        if (isRecord(rc) && Array.isArray(rc.load_balance_targets)) {
          for (const t of rc.load_balance_targets) if (isRecord(t) && t.fallback_candidate === undefined) t.fallback_candidate = true;
        }
      }
    }
  }
  if (typeof out.type === 'string' && ['gateway-rate-limiting-config', 'gateway-budget-config', 'gateway-load-balancing-config'].includes(out.type) && Array.isArray(out.rules)) {
    for (const r of out.rules) {
      if (!isRecord(r)) continue;
      const when = isRecord(r.when) ? r.when : {};
      r.when = { subjects: [], models: [], metadata: {}, ...when };
      if (Array.isArray(r.load_balance_targets)) {
        for (const t of r.load_balance_targets) if (isRecord(t) && t.fallback_candidate === undefined) t.fallback_candidate = true;
      }
    }
  }
  return sortKeys(out) as Manifest;
}

function badSecretRef(v: unknown, path = ''): string | undefined {
  if (typeof v === 'string') return v.startsWith('tfy-secret://') && !SECRET_REF.test(v) ? path : undefined;
  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) { const p = badSecretRef(v[i], `${path}[${i}]`); if (p) return p; } return undefined; }
  if (isRecord(v)) { for (const [k, x] of Object.entries(v)) { const p = badSecretRef(x, path ? `${path}.${k}` : k); if (p) return p; } }
  return undefined;
}

class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) { super(message); }
}

export class FakePlatform {
  readonly log: RequestRecord[] = [];
  readonly writes: WriteRecord[] = [];
  /** Requests being answered now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  private readonly store = new Map<string, Map<string, Stored>>();
  private faults: (Fault & { left: number })[] = [];
  private refusals: (Refusal & { left: number })[] = [];
  private readonly latencyMs: number;
  private readonly integrity: boolean;
  private readonly storeTransform?: (manifest: Manifest) => Manifest;
  private seq = 0;
  private readonly token: string;
  private readonly readOnlyToken?: string;
  private readonly tenant: string;
  private readonly maxPageSize: number;
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly server: Server, readonly url: string, opts: FakePlatformOptions) {
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.readOnlyToken = opts.readOnlyToken;
    this.tenant = opts.tenant ?? 'acme';
    this.maxPageSize = opts.maxPageSize ?? 100;
    this.latencyMs = opts.latencyMs ?? 0;
    this.integrity = opts.referentialIntegrity ?? true;
    this.storeTransform = opts.storeTransform;
  }

  static async start(opts: FakePlatformOptions = {}): Promise<FakePlatform> {
    let platform: FakePlatform | undefined;
    const server = createServer((req, res) => { void platform?.handle(req, res); });
    // Long enough for clients to reuse connections (undici keeps one only when the server allows more than 1 s).
    server.keepAliveTimeout = 5000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    platform = new FakePlatform(server, `http://127.0.0.1:${port}`, opts);
    server.on('connection', (s) => { platform?.sockets.add(s); s.on('close', () => platform?.sockets.delete(s)); });
    return platform;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Queues a fault; it hits the next `times` matching requests. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
    this.refusals = [];
  }

  /** Stores manifests as apply would (server-side defaults and all), without going through HTTP. */
  seed(manifests: readonly Manifest[]): void {
    for (const m of manifests) this.put(m, false);
  }

  /** The stored manifest of a resource (singleton gateway configs by type), as the platform echoes it. */
  stored(type: string, name?: string): Manifest | undefined {
    const kind = kindOf(type);
    if (!kind) return undefined;
    return this.store.get(kind)?.get(kind.startsWith('gateway:') ? type : (name ?? ''))?.manifest;
  }

  /** Requests answered, by pathname (for counting list calls). */
  requests(pathname?: string): RequestRecord[] {
    return pathname ? this.log.filter((r) => r.path === pathname) : this.log;
  }

  /**
   * Creates or changes a resource as someone working in the platform's UI would, at a given time: what `tfy-lint drift`
   * finds. The platform records a creator, not the last editor: `by` becomes the resource's createdBySubject only when
   * it creates the resource; a change only moves updatedAt (and createdAt stays).
   */
  changeOutsideGit(manifest: Manifest, history: { by: Subject; at: string }): void {
    const { existing, stored } = this.put(manifest, false);
    stored.updatedAt = history.at;
    if (!existing) { stored.createdAt = history.at; stored.by = history.by; }
  }

  /** Deletes a resource (gateway configs by type) as someone in the UI would; false when there was none. */
  deleteOutsideGit(type: string, name?: string): boolean {
    const kind = kindOf(type);
    return Boolean(kind && this.store.get(kind)?.delete(kind.startsWith('gateway:') ? type : (name ?? '')));
  }

  private bucket(kind: string): Map<string, Stored> {
    let b = this.store.get(kind);
    if (!b) { b = new Map(); this.store.set(kind, b); }
    return b;
  }

  private put(m: Manifest, dryRun: boolean): { action: 'CREATE' | 'UPDATE'; existing?: Stored; stored: Stored } {
    if (!isRecord(m)) throw new HttpError(400, 'manifest must be an object');
    if (typeof m.type !== 'string') throw new HttpError(400, 'Manifest does not have a type field');
    const kind = kindOf(m.type);
    if (!kind) throw new HttpError(400, `Resource type is not supported: ${m.type}`);
    if (typeof m.name !== 'string' || !m.name) throw new HttpError(400, 'Manifest does not have a name field');
    const bad = badSecretRef(m);
    if (bad) throw new HttpError(422, `Invalid secret reference at ${bad}: expected tfy-secret://<owner>:<group>:<key>`);
    const key = kind.startsWith('gateway:') ? m.type : m.name;
    const bucket = this.bucket(kind);
    const existing = bucket.get(key);
    if (existing && existing.manifest.type !== m.type) {
      throw new HttpError(409, `A resource named "${m.name}" already exists as ${String(existing.manifest.type)}`);
    }
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, this.seq)).toISOString();
    const stored: Stored = existing
      ? { ...existing, manifest: serverForm(m), updatedAt: now }
      : { id: `${kind.replace(/[^a-z]/g, '').slice(0, 3)}_${String(++this.seq).padStart(6, '0')}`, manifest: serverForm(m), createdAt: now, updatedAt: now, seq: this.seq };
    if (!dryRun) bucket.set(key, stored);
    return { action: existing ? 'UPDATE' : 'CREATE', existing, stored };
  }

  private subject() {
    return { subjectId: 'u_1', subjectType: 'user', subjectSlug: 'ci@acme.example' };
  }

  private wrap(kind: string, s: Stored): Record<string, unknown> {
    const m = s.manifest;
    const base = { id: s.id, createdBySubject: s.by ?? this.subject(), createdAt: s.createdAt, updatedAt: s.updatedAt, tenantName: this.tenant };
    if (kind === 'provider-account') {
      const provider = String(m.type).slice('provider-account/'.length);
      const fqn = `${this.tenant}:${provider}:${String(m.name)}`;
      return {
        ...base, name: m.name, fqn, provider, accountId: 'acc_1', manifest: m,
        integrations: (Array.isArray(m.integrations) ? m.integrations : []).map((i, n) => ({
          id: `${s.id}_i${n}`, name: isRecord(i) ? i.name : undefined, fqn: `${fqn}:model:${isRecord(i) ? String(i.name) : n}`,
          type: isRecord(i) && typeof i.type === 'string' ? i.type.split('/')[1] : 'model', providerAccountFqn: fqn, manifest: i,
          createdBySubject: s.by ?? this.subject(), createdAt: s.createdAt, updatedAt: s.updatedAt,
        })),
      };
    }
    if (kind.startsWith('gateway:') || LIST_BY_NAME_GATEWAY.has(kind)) return { ...base, type: m.type, manifest: m };
    if (kind === 'mcp-server') return { ...base, fqn: `${this.tenant}:mcp-server:${String(m.name)}`, manifest: m };
    return { ...base, type: kind, name: m.name, fqn: `${this.tenant}:${kind}:${String(m.name)}`, manifest: m, accountId: 'acc_1' };
  }

  private list(kind: string, query: URLSearchParams, paginated = true): { status: number; body: unknown } {
    const all = [...this.bucket(kind).values()].sort((a, b) => a.seq - b.seq).map((s) => this.wrap(kind, s));
    if (!paginated) return { status: 200, body: { data: all } };
    const limit = Math.min(Math.max(1, Number(query.get('limit') ?? 100) || 100), this.maxPageSize);
    const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
    return { status: 200, body: { data: all.slice(offset, offset + limit), pagination: { total: all.length, offset, limit } } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.log.push(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => { this.inFlight--; });
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    let lose = false;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      // The request was served (a write is stored), but its answer never arrives.
      if (lose) { record.status = -2; req.socket.destroy(); return; }
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };
    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === record.method)
      && (!f.path || (typeof f.path === 'string' ? f.path === url.pathname : f.path.test(url.pathname))));
    if (fault) {
      fault.left--;
      lose = Boolean(fault.lose);
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) { record.status = -1; req.socket.destroy(); return; }
      if (fault.status) {
        send(fault.status, fault.body ?? { statusCode: fault.status, message: `injected fault ${fault.status}` }, fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});
        return;
      }
      if (res.destroyed || req.socket.destroyed) return;
    }
    try {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer (.+)$/.exec(auth)?.[1];
      if (token !== this.token && (!this.readOnlyToken || token !== this.readOnlyToken)) throw new HttpError(401, 'Unauthorized: the API key is missing, invalid or expired');
      const body = req.method === 'GET' ? undefined : await readJson(req);
      const r = this.route(record.method, url, body, token === this.token);
      send(r.status, r.body);
    } catch (e) {
      if (e instanceof HttpError) send(e.statusCode, { statusCode: e.statusCode, message: e.message, code: e.statusCode === 422 ? 'VALIDATION_ERROR' : undefined });
      else send(500, { statusCode: 500, message: 'Internal Server Error' });
    }
  }

  /** Refuses the writes that match (a permanent failure, e.g. the platform's own validation). */
  refuse(r: Refusal): void {
    this.refusals.push({ ...r, left: r.times ?? Infinity });
  }

  /** Every stored manifest (singleton gateway configs included). */
  allStored(): Manifest[] {
    return [...this.store.values()].flatMap((b) => [...b.values()].map((s) => s.manifest));
  }

  private refused(on: 'apply' | 'delete', m: Manifest): void {
    const r = this.refusals.find((x) => x.left > 0 && (!x.on || x.on === on) && (!x.type || x.type === m.type) && (!x.name || x.name === m.name));
    if (!r) return;
    r.left--;
    throw new HttpError(r.status, r.message);
  }

  /** Whether an `<account>/<integration>` (or a virtual model's slug) is stored, or defined by `pending`. */
  private exists(ref: string, pending: Manifest): boolean {
    const has = (m: Manifest | undefined, integration: string) => Boolean(m && typeof m.type === 'string' && m.type.startsWith('provider-account/')
      && Array.isArray(m.integrations) && m.integrations.some((i) => isRecord(i) && i.name === integration));
    const slash = ref.indexOf('/');
    if (slash > 0) {
      const account = ref.slice(0, slash);
      const integration = ref.slice(slash + 1);
      if (pending.name === account && has(pending, integration)) return true;
      if (has(this.bucket('provider-account').get(account)?.manifest, integration)) return true;
    }
    // A slug (no account part): any stored virtual model integration with it.
    return [...this.bucket('provider-account').values()].some((s) => Array.isArray(s.manifest.integrations)
      && s.manifest.integrations.some((i) => isRecord(i) && i.slug === ref));
  }

  /** 422 when a manifest routes to an integration that is not stored; 409 when an update drops one still routed to. */
  private checkWrite(m: Manifest): void {
    for (const ref of routedTo(m)) {
      if (!this.exists(ref, m)) throw new HttpError(422, `${String(m.type)} "${String(m.name)}" routes to "${ref}", which does not exist`);
    }
    const kind = typeof m.type === 'string' ? kindOf(m.type) : undefined;
    const existing = kind ? this.bucket(kind).get(kind.startsWith('gateway:') ? String(m.type) : String(m.name)) : undefined;
    if (existing) this.checkRemoval(existing.manifest, m);
  }

  /** 409 when replacing `before` by `after` (undefined: deleting it) removes an integration another document routes to. */
  private checkRemoval(before: Manifest, after: Manifest | undefined): void {
    if (typeof before.type !== 'string' || !before.type.startsWith('provider-account/') || !Array.isArray(before.integrations)) return;
    const kept = new Set(after && Array.isArray(after.integrations) ? after.integrations.filter(isRecord).map((i) => i.name) : []);
    const removed = before.integrations.filter((i): i is Record<string, unknown> => isRecord(i) && typeof i.name === 'string' && !kept.has(i.name))
      .map((i) => `${String(before.name)}/${String(i.name)}`);
    if (removed.length === 0) return;
    for (const other of this.allStored()) {
      if (other.type === before.type && other.name === before.name) continue;
      const hit = routedTo(other).find((r) => removed.includes(r));
      if (hit) {
        const what = after ? `integration "${hit}" cannot be removed` : `${before.type} "${String(before.name)}" cannot be deleted`;
        throw new HttpError(409, `${what}: ${String(other.type)} "${String(other.name)}" still routes to "${hit}"`);
      }
    }
  }

  private route(method: string, url: URL, body: unknown, canWrite: boolean): { status: number; body: unknown } {
    const p = url.pathname;
    const q = url.searchParams;
    if (method === 'GET') {
      // The `type` filter is accepted and ignored, as on the platform (filter client-side).
      if (p === '/api/svc/v1/provider-accounts') return this.list('provider-account', q);
      if (p === '/api/svc/v1/virtual-accounts') return this.list('virtual-account', q);
      if (p === '/api/svc/v1/mcp-servers') return this.list('mcp-server', q);
      if (p === '/api/svc/v1/secret-groups') return this.list('secret-group', q);
      if (p === '/api/svc/v1/teams/user') return this.list('team', q, false);
      const m = /^\/api\/svc\/v1\/llm-gateway\/config\/([^/]+)$/.exec(p);
      if (m) {
        const type = decodeURIComponent(m[1]);
        if (!GATEWAY_TYPES.has(type)) throw new HttpError(400, `Invalid gateway config type: ${type}`);
        if (LIST_BY_NAME_GATEWAY.has(type)) return this.list(type, q, false);
        const s = this.bucket(`gateway:${type}`).get(type);
        if (!s) throw new HttpError(404, `No ${type} found for tenant ${this.tenant}`);
        return { status: 200, body: this.wrap(`gateway:${type}`, s) };
      }
    }
    if (method === 'PUT' && p === '/api/svc/v1/apply') {
      if (!canWrite) throw new HttpError(403, 'Forbidden: this key may not apply manifests');
      if (!isRecord(body) || !isRecord(body.manifest)) throw new HttpError(400, 'request body must be {"manifest": {...}, "dryRun"?: boolean}');
      this.refused('apply', body.manifest);
      if (this.integrity) this.checkWrite(body.manifest);
      const r = this.put(this.storeTransform && body.dryRun !== true ? this.storeTransform(structuredClone(body.manifest)) : body.manifest, body.dryRun === true);
      const kind = kindOf(String(body.manifest.type)) as string;
      this.writes.push({ op: 'apply', type: String(body.manifest.type), name: String(body.manifest.name), dryRun: body.dryRun === true });
      return { status: 200, body: { action: r.action, ...(r.existing ? { existingManifest: r.existing.manifest } : {}), data: this.wrap(kind, r.stored) } };
    }
    if (method === 'POST' && p === '/api/svc/v1/delete') {
      if (!canWrite) throw new HttpError(403, 'Forbidden: this key may not delete resources');
      if (!isRecord(body) || !isRecord(body.manifest) || typeof body.manifest.type !== 'string') throw new HttpError(400, 'request body must be {"manifest": {...}}');
      const kind = kindOf(body.manifest.type);
      if (!kind) throw new HttpError(400, `Resource type is not supported: ${body.manifest.type}`);
      const key = kind.startsWith('gateway:') ? body.manifest.type : String(body.manifest.name);
      this.refused('delete', body.manifest);
      const current = this.bucket(kind).get(key);
      if (current && this.integrity) this.checkRemoval(current.manifest, undefined);
      if (!this.bucket(kind).delete(key)) throw new HttpError(404, `${body.manifest.type} "${String(body.manifest.name)}" not found`);
      this.writes.push({ op: 'delete', type: body.manifest.type, name: String(body.manifest.name), dryRun: false });
      return { status: 200, body: {} };
    }
    throw new HttpError(404, `Cannot ${method} ${p}`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}

const GUARDRAIL_LISTS = ['llm_input_guardrails', 'llm_output_guardrails', 'mcp_tool_pre_invoke_guardrails', 'mcp_tool_post_invoke_guardrails'];

/** What a document routes to, as the platform checks it: routing targets, guardrail selectors, virtual MCP sources. */
function routedTo(m: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string | undefined) => {
    if (Array.isArray(v)) {
      for (const x of v) {
        if (key === 'load_balance_targets' && isRecord(x) && typeof x.target === 'string') out.push(x.target);
        else if (key && GUARDRAIL_LISTS.includes(key) && typeof x === 'string' && x.includes('/')) out.push(x);
        else if (key === 'servers' && isRecord(x) && typeof x.name === 'string' && x.name.includes('/')) out.push(x.name);
        walk(x, undefined);
      }
    } else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(m, undefined);
  return out;
}
