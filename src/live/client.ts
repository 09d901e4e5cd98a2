// Live: the REST client for the TrueFoundry control plane: auth, bounded concurrency, retries, timeouts, redaction.
import { FatalError } from '../core/errors.ts';
import { isRecord } from '../core/jsonpath.ts';
import { scrub } from '../core/mask.ts';

export interface ClientOptions {
  /** Control-plane URL, e.g. https://acme.truefoundry.cloud (a trailing "/" is dropped). */
  baseUrl: string;
  /** API key (PAT or virtual-account token), sent as `Authorization: Bearer`. */
  token: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Time allowed for one request, body included, in ms (default 30 s). */
  timeoutMs?: number;
  /** Retries of a read after a 429, a 5xx, a timeout or a dropped connection (default 4). */
  retries?: number;
  /** First backoff delay in ms, doubled at each retry, with jitter (default 250 ms). */
  backoffMs?: number;
  /** Upper bound of a backoff delay (default 8 s). */
  maxBackoffMs?: number;
  /** A Retry-After longer than this fails the request at once instead of waiting (default 60 s). */
  maxRetryAfterMs?: number;
  /** Items per page of paginated lists (default 100). */
  pageSize?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before every request attempt (for counting and tests). */
  onRequest?: (info: { method: string; path: string; attempt: number }) => void;
}

/** A request the platform refused or that could not be completed; the message is one line and holds no secret. */
export class PlatformError extends FatalError {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
  }
  override name = 'PlatformError';
}

/** Normalises a control-plane URL: http(s) only, trailing slashes dropped. Throws FatalError on anything else. */
export function normaliseBaseUrl(raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw new FatalError(`the control-plane URL "${displayUrl(trimmed)}" is not a URL; use e.g. https://<org>.truefoundry.cloud`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new FatalError(`the control-plane URL must be http(s), not "${u.protocol}"`);
  return trimmed;
}

/** A URL as it may be printed: user name and password removed. */
export function displayUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  417: 'Expectation Failed', 422: 'Unprocessable Entity', 424: 'Failed Dependency', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const PERMANENT_NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Whether the request may be repeated safely (reads); defaults to true for GET. */
  idempotent?: boolean;
  /** Statuses that are an answer, not an error (e.g. 404 for "no config of this type"). */
  allowStatus?: readonly number[];
}

export interface Response {
  status: number;
  body: unknown;
  /** Which attempt got this answer (1 = the first; more after retries). */
  attempts?: number;
}

export class PlatformClient {
  readonly baseUrl: string;
  private readonly token: string;
  private readonly opts: Required<Omit<ClientOptions, 'baseUrl' | 'token' | 'onRequest' | 'fetch' | 'sleep' | 'random'>>;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onRequest?: ClientOptions['onRequest'];
  private active = 0;
  private readonly queue: (() => void)[] = [];
  /** Requests sent, retries included. */
  requestCount = 0;

  constructor(options: ClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    if (!options.token) throw new FatalError('no API key: set TFY_API_KEY');
    this.token = options.token;
    this.opts = {
      concurrency: Math.max(1, options.concurrency ?? 4),
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: Math.max(0, options.retries ?? 4),
      backoffMs: options.backoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      pageSize: options.pageSize ?? 100,
    };
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.onRequest = options.onRequest;
  }

  get pageSize(): number { return this.opts.pageSize; }

  /** Runs `task` when fewer than `concurrency` requests are in flight. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    // A freed slot is handed straight to the next waiter, so the bound holds exactly.
    if (this.active < this.opts.concurrency) this.active++;
    else await new Promise<void>((r) => this.queue.push(r));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** One API call with retries; resolves with the status and parsed JSON body, or throws PlatformError. */
  async request(method: string, path: string, ro: RequestOptions = {}): Promise<Response> {
    const idempotent = ro.idempotent ?? method === 'GET';
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(ro.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const label = `${method} ${path}`;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.limited(() => this.attempt(method, url, label, attempt, ro));
      if ('response' in outcome) return { ...outcome.response, attempts: attempt };
      const retriesLeft = attempt <= this.opts.retries;
      if (!outcome.retryable || !idempotent || !retriesLeft) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new PlatformError(this.clean(`${outcome.message}${tries}${outcome.hint ? `; ${outcome.hint}` : ''}`), outcome.status, outcome.code);
      }
      let delay = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
      delay = delay / 2 + (delay / 2) * this.random();
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > this.opts.maxRetryAfterMs) {
          throw new PlatformError(this.clean(`${outcome.message}: the platform asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s (Retry-After), longer than ${Math.ceil(this.opts.maxRetryAfterMs / 1000)} s; try again later`), outcome.status);
        }
        delay = Math.max(delay, outcome.retryAfterMs);
      }
      await this.sleep(delay);
    }
  }

  private async attempt(method: string, url: URL, label: string, attempt: number, ro: RequestOptions): Promise<
    { response: Response } | { message: string; retryable: boolean; status?: number; code?: string; hint?: string; retryAfterMs?: number }
  > {
    this.requestCount++;
    this.onRequest?.({ method, path: url.pathname + url.search, attempt });
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let res: globalThis.Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(ro.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: ro.body !== undefined ? JSON.stringify(ro.body) : undefined,
        signal,
      });
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === 'TimeoutError' || err.name === 'AbortError' || signal.aborted) {
        return { message: `${label}: no answer within ${formatMs(this.opts.timeoutMs)}`, retryable: true, code: 'TIMEOUT' };
      }
      const code = err.cause?.code ?? (err as { code?: string }).code;
      const detail = err.cause?.message ?? err.message;
      const permanent = code !== undefined && PERMANENT_NETWORK_CODES.has(code);
      return {
        message: `${label}: cannot reach ${displayUrl(this.baseUrl)}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`,
        retryable: !permanent, code,
        hint: permanent ? 'check --base-url / TFY_BASE_URL' : undefined,
      };
    }
    const body = parseJson(text);
    if (res.ok || ro.allowStatus?.includes(res.status)) {
      if (body === INVALID && text.trim() !== '') {
        return { message: `${label}: the answer (${res.status}) is not JSON`, retryable: false, status: res.status, hint: 'is the base URL the control plane (https://<org>.truefoundry.cloud)?' };
      }
      return { response: { status: res.status, body: body === INVALID ? undefined : body } };
    }
    const platformMessage = isRecord(body) && typeof body.message === 'string' ? body.message
      : isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
    const statusText = STATUS_TEXT[res.status] ?? res.statusText ?? '';
    const said = platformMessage ? `: ${oneLine(platformMessage)}` : '';
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    return {
      message: `${label}: ${res.status}${statusText ? ` ${statusText}` : ''}${said}`,
      retryable: RETRYABLE_STATUS.has(res.status),
      status: res.status,
      retryAfterMs,
      hint: res.status === 401 ? 'check TFY_API_KEY (it may be missing, mistyped or expired)'
        : res.status === 403 ? 'the API key lacks the permission to read this; ask for a role that can read it'
          : res.status === 404 ? `is ${displayUrl(this.baseUrl)} the control-plane URL (https://<org>.truefoundry.cloud)?`
            : undefined,
    };
  }

  /** A message made safe to print: one line, the token replaced. */
  private clean(message: string): string {
    return scrub(oneLine(message), [this.token]);
  }

  /**
   * Every item of a paginated list (`{data, pagination: {total}}`): the first page says the total, the other pages
   * are then fetched in parallel (within the concurrency bound). Without a total, pages are read until a short or
   * empty one. Items with an `id` seen twice (a list that shifted while read) are kept once.
   */
  async listAll(path: string, query: Record<string, string | number | undefined> = {}): Promise<unknown[]> {
    const limit = this.opts.pageSize;
    const page = async (offset: number) => {
      const r = await this.request('GET', path, { query: { ...query, limit, offset } });
      return listBody(r.body, `GET ${path}`);
    };
    const first = await page(0);
    const items = [...first.data];
    if (first.total !== undefined && first.data.length > 0) {
      // The platform may cap the page size below what was asked: step by what a page really holds.
      const step = Math.max(1, Math.min(limit, first.limit ?? first.data.length));
      const offsets: number[] = [];
      for (let o = first.data.length; o < first.total; o += step) offsets.push(o);
      const pages = await Promise.all(offsets.map(page));
      for (const p of pages) items.push(...p.data);
      // A short page (the list shrank or the cap changed while being read): read on from where the items end.
      for (let guard = 0; items.length < first.total && guard < 10_000; guard++) {
        const p = await page(items.length);
        if (p.data.length === 0) break;
        items.push(...p.data);
      }
    } else if (first.total === undefined && first.paginated && first.data.length >= limit) {
      for (let offset = first.data.length, guard = 0; guard < 10_000; guard++) {
        const p = await page(offset);
        items.push(...p.data);
        if (p.data.length < limit) break;
        offset += p.data.length;
      }
    }
    const seen = new Set<string>();
    return items.filter((it) => {
      const id = isRecord(it) && typeof it.id === 'string' ? it.id : undefined;
      if (id === undefined) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
}

const INVALID = Symbol('invalid json');

function parseJson(text: string): unknown {
  if (text.trim() === '') return INVALID;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function listBody(body: unknown, label: string): { data: unknown[]; total?: number; limit?: number; paginated: boolean } {
  if (Array.isArray(body)) return { data: body, paginated: false };
  if (isRecord(body) && Array.isArray(body.data)) {
    const p = isRecord(body.pagination) ? body.pagination : undefined;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
    const limit = num(p?.limit);
    return { data: body.data, total: num(p?.total), limit: limit && limit > 0 ? limit : undefined, paginated: p !== undefined };
  }
  throw new PlatformError(`${label}: unexpected answer (expected {"data": [...]})`);
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(v: string | null, now = Date.now()): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v.trim()) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${ms} ms`;
}
