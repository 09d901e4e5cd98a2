// Live: the REST client for the TrueFoundry control plane: auth, bounded concurrency, retries, timeouts, redaction.
import { setMaxListeners } from 'node:events';
import { FatalError } from '../core/errors.ts';
import { isRecord } from '../core/jsonpath.ts';
import { scrubParts } from '../core/mask.ts';
import { redactLine } from '../core/secrets.ts';

export interface ClientOptions {
  /** Control-plane URL, e.g. https://acme.truefoundry.cloud (a trailing "/" is dropped). */
  baseUrl: string;
  /** API key (PAT or virtual-account token), sent as `Authorization: Bearer`. */
  token: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Time allowed for one attempt, from sending to the last byte of the answer, in ms (default 30 s). */
  timeoutMs?: number;
  /** Time allowed for one call, every retry and wait included, in ms (default four times timeoutMs). */
  deadlineMs?: number;
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
  /** Largest answer body read, in bytes; a larger one fails the call instead of filling memory (default 64 MiB). */
  maxResponseBytes?: number;
  /** Most items read from one list; a list whose pages do not end fails past this (default 100,000). */
  maxListItems?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The clock the deadline is measured with (default Date.now). */
  now?: () => number;
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
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const PERMANENT_NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
/** Redirects followed within the control plane's own origin (e.g. a trailing-slash redirect). */
const MAX_REDIRECTS = 5;
/** JSON nested deeper than this is refused: later stages walk manifests recursively. */
const MAX_JSON_DEPTH = 256;

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

/** Why one attempt did not give an answer: a one-line message (not yet cleaned), and whether trying again may help. */
interface Failure { message: string; retryable: boolean; status?: number; code?: string; hint?: string; retryAfterMs?: number }

/** The answer was bigger than maxResponseBytes. */
class TooLarge extends Error {
  constructor(readonly bytes: number, readonly known: boolean) { super('too large'); }
}

export class PlatformClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly token: string;
  private readonly opts: Required<Omit<ClientOptions, 'baseUrl' | 'token' | 'onRequest' | 'fetch' | 'sleep' | 'random' | 'now'>>;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onRequest?: ClientOptions['onRequest'];
  private active = 0;
  private readonly queue: (() => void)[] = [];
  /** Aborted by cancel(): every attempt in flight stops, and no new one starts. */
  private readonly cancelled = new AbortController();
  /** Requests sent, retries and followed redirects included. */
  requestCount = 0;

  constructor(options: ClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    // One listener per request in flight: as many as the concurrency allows, which may be more than Node's default 10.
    setMaxListeners(0, this.cancelled.signal);
    if (!options.token) throw new FatalError('no API key: set TFY_API_KEY');
    this.token = options.token;
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.opts = {
      concurrency: Math.max(1, options.concurrency ?? 4),
      timeoutMs,
      deadlineMs: options.deadlineMs ?? timeoutMs * 4,
      retries: Math.max(0, options.retries ?? 4),
      backoffMs: options.backoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      pageSize: options.pageSize ?? 100,
      maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024,
      maxListItems: options.maxListItems ?? 100_000,
    };
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onRequest = options.onRequest;
  }

  get pageSize(): number { return this.opts.pageSize; }

  /**
   * Stops every request in flight or waiting (each fails with "cancelled"). Called when one read failed and the
   * others are no longer needed, so that the process does not wait for their timeouts.
   */
  cancel(): void {
    this.cancelled.abort();
  }

  /** Runs `task` when fewer than `concurrency` requests are in flight. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    // A freed slot is handed straight to the next waiter, so the bound holds exactly.
    if (this.active < this.opts.concurrency) this.active++;
    else await new Promise<void>((r) => this.queue.push(r));
    try {
      // A call cancelled while it waited for its slot is not sent; attempt() then answers "cancelled" at once.
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }

  /**
   * One API call with retries (reads only), within the call's deadline; resolves with the status and parsed JSON
   * body, or throws PlatformError with a one-line message that holds neither the key nor a secret-shaped value.
   */
  async request(method: string, path: string, ro: RequestOptions = {}): Promise<Response> {
    const idempotent = ro.idempotent ?? method === 'GET';
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(ro.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const label = `${method} ${path}`;
    // The call's own time (attempts and backoff waits) counts against its deadline; waiting for a free slot behind
    // other calls does not.
    let spent = 0;
    const fail = (f: Failure, suffix = '') => new PlatformError(this.clean(`${f.message}${suffix}${f.hint ? `; ${f.hint}` : ''}`), f.status, f.code);
    for (let attempt = 1; ; attempt++) {
      if (this.cancelled.signal.aborted) throw new PlatformError(`${label}: cancelled (another request to the platform failed)`, undefined, 'CANCELLED');
      const outcome = await this.limited(async () => {
        const started = this.now();
        try {
          return await this.attempt(method, url, label, attempt, ro, this.opts.deadlineMs - spent);
        } finally {
          spent += this.now() - started;
        }
      });
      if ('response' in outcome) return { ...outcome.response, attempts: attempt };
      const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
      if (!outcome.retryable || !idempotent || attempt > this.opts.retries || outcome.code === 'CANCELLED') throw fail(outcome, tries);
      let delay = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
      delay = delay / 2 + (delay / 2) * this.random();
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > this.opts.maxRetryAfterMs) {
          throw fail({ ...outcome, hint: undefined }, `: the platform asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s (Retry-After), longer than ${Math.ceil(this.opts.maxRetryAfterMs / 1000)} s; try again later`);
        }
        delay = Math.max(delay, outcome.retryAfterMs);
      }
      // Another attempt that could not finish before the deadline is not worth starting.
      if (spent + delay >= this.opts.deadlineMs) throw fail(outcome, ` (after ${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}; no time left within the ${formatMs(this.opts.deadlineMs)} allowed for this call)`);
      await this.sleep(delay);
      spent += delay;
    }
  }

  private async attempt(method: string, url: URL, label: string, attempt: number, ro: RequestOptions, left: number): Promise<{ response: Response } | Failure> {
    if (this.cancelled.signal.aborted) return { message: `${label}: cancelled (another request to the platform failed)`, retryable: false, code: 'CANCELLED' };
    const budget = Math.max(1, Math.round(Math.min(this.opts.timeoutMs, left)));
    // One signal for the whole attempt (headers, redirects and every byte of the body): a server that trickles an
    // answer forever is stopped at the budget, not kept alive by each byte.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), budget);
    const onCancel = () => controller.abort(new DOMException('cancelled', 'AbortError'));
    this.cancelled.signal.addEventListener('abort', onCancel, { once: true });
    try {
      return await this.exchange(method, url, label, attempt, ro, controller.signal, budget);
    } finally {
      clearTimeout(timer);
      this.cancelled.signal.removeEventListener('abort', onCancel);
    }
  }

  private async exchange(method: string, first: URL, label: string, attempt: number, ro: RequestOptions, signal: AbortSignal, budget: number): Promise<{ response: Response } | Failure> {
    let url = first;
    let res: globalThis.Response;
    let text: string;
    try {
      for (let hop = 0; ; hop++) {
        this.requestCount++;
        this.onRequest?.({ method, path: url.pathname + url.search, attempt });
        res = await this.fetchImpl(url, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(ro.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: ro.body !== undefined ? JSON.stringify(ro.body) : undefined,
          // Redirects are handled here: the key must never follow one to another host.
          redirect: 'manual',
          signal,
        });
        if (!REDIRECT_STATUS.has(res.status)) break;
        await res.body?.cancel().catch(() => {});
        const refused = this.redirectRefused(res, url, method, hop);
        if (typeof refused !== 'string') return { ...refused, message: `${label}: ${res.status} ${refused.message}` };
        url = new URL(refused);
      }
      text = await readCapped(res, this.opts.maxResponseBytes);
    } catch (e) {
      if (e instanceof TooLarge) {
        return {
          message: `${label}: the answer is ${e.known ? '' : 'more than '}${formatBytes(e.bytes)}, more than the ${formatBytes(this.opts.maxResponseBytes)} tfy-lint reads`,
          retryable: false, code: 'TOO_LARGE',
          hint: 'is the base URL the control plane (https://<org>.truefoundry.cloud)?',
        };
      }
      const reason = signal.reason as { name?: string } | undefined;
      if (signal.aborted && reason?.name === 'AbortError') return { message: `${label}: cancelled (another request to the platform failed)`, retryable: false, code: 'CANCELLED' };
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (signal.aborted || err.name === 'TimeoutError') {
        return { message: `${label}: no complete answer within ${formatMs(budget)}`, retryable: true, code: 'TIMEOUT' };
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
      if (body === TOO_DEEP) return { message: `${label}: the answer (${res.status}) nests JSON more than ${MAX_JSON_DEPTH} levels deep`, retryable: false, status: res.status };
      if (body === INVALID && text.trim() !== '') {
        return {
          message: `${label}: the answer (${res.status}) is not JSON: ${describeNonJson(res, text, (t) => this.quote(t))}`,
          // A body cut short may be a connection that dropped: a read may try again.
          retryable: looksTruncated(text), status: res.status, code: 'NOT_JSON',
          hint: 'is the base URL the control plane (https://<org>.truefoundry.cloud)?',
        };
      }
      return { response: { status: res.status, body: body === INVALID ? undefined : body } };
    }
    const platformMessage = isRecord(body) && typeof body.message === 'string' ? body.message
      : isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
    const statusText = STATUS_TEXT[res.status] ?? res.statusText ?? '';
    const said = platformMessage ? `: ${this.quote(platformMessage)}` : body === INVALID || body === TOO_DEEP ? `: ${describeNonJson(res, text, (t) => this.quote(t))}` : '';
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    const write = method !== 'GET' && method !== 'HEAD';
    return {
      message: `${label}: ${res.status}${statusText ? ` ${statusText}` : ''}${said}`,
      retryable: RETRYABLE_STATUS.has(res.status),
      status: res.status,
      retryAfterMs,
      hint: res.status === 401 ? 'check TFY_API_KEY (it may be missing, mistyped or expired)'
        : res.status === 403 ? (write ? 'the API key lacks the permission to change this; ask for a role that can write it' : 'the API key lacks the permission to read this; ask for a role that can read it')
          : res.status === 404 && !write ? `is ${displayUrl(this.baseUrl)} the control-plane URL (https://<org>.truefoundry.cloud)?`
            : undefined,
    };
  }

  /** Where a redirect may be followed to (the same origin, a method kept), or why it is refused. */
  private redirectRefused(res: globalThis.Response, from: URL, method: string, hop: number): string | Failure {
    const location = res.headers.get('location');
    let to: URL;
    try {
      if (!location) throw new Error('no Location');
      to = new URL(location, from);
    } catch {
      return { message: 'redirect without a usable Location', retryable: false, status: res.status, code: 'REDIRECT' };
    }
    // Shown without user info or query (either may carry credentials), the path redacted like any platform text.
    const shown = `${to.origin}${platformText(to.pathname)}`;
    if (to.origin !== this.origin) {
      return {
        message: `redirect to ${shown}, another host than ${displayUrl(this.baseUrl)}; tfy-lint does not follow it, so that the API key is sent to no other host`,
        retryable: false, status: res.status, code: 'REDIRECT',
        hint: `if ${to.origin} is the control plane, set TFY_BASE_URL (or --base-url) to it`,
      };
    }
    const keepsMethod = res.status === 307 || res.status === 308 || method === 'GET' || method === 'HEAD';
    if (!keepsMethod) {
      return { message: `redirect of a ${method} to ${shown} that would turn it into a GET; not followed`, retryable: false, status: res.status, code: 'REDIRECT' };
    }
    if (hop >= MAX_REDIRECTS) return { message: `more than ${MAX_REDIRECTS} redirects (the last to ${shown})`, retryable: false, status: res.status, code: 'REDIRECT' };
    return to.href;
  }

  /** Text the platform wrote, as quoted in a message: the key removed first, then secret-shaped values redacted. */
  private quote(text: string): string {
    return platformText(scrubParts(text, [this.token]));
  }

  /** A message made safe to print: one printable line, without the key or any part of it. */
  private clean(message: string): string {
    return safeText(message, [this.token]);
  }

  /**
   * Every item of a paginated list (`{data, pagination: {total, limit}}`, or a plain array). The list ends at the
   * first short or empty page; `total` only says how many pages to ask for at once (within the concurrency bound),
   * so a total that is wrong either way costs at most one more request and loses nothing. Items with an `id` seen
   * twice (a list that shifted while read) are kept once; a page holding only items already read (a platform that
   * ignores the offset) and a list longer than maxListItems are errors, never a loop.
   */
  async listAll(path: string, query: Record<string, string | number | undefined> = {}): Promise<unknown[]> {
    const limit = this.opts.pageSize;
    const label = `GET ${path}`;
    const page = async (offset: number) => {
      const r = await this.request('GET', path, { query: { ...query, limit, offset } });
      return listBody(r.body, label, this.token);
    };
    const first = await page(0);
    const items: unknown[] = [];
    const seen = new Set<string>();
    /** Adds a page's items; false when every one of them was read before. */
    const add = (data: unknown[]): boolean => {
      let fresh = false;
      for (const it of data) {
        const identity = identityOf(it);
        if (!seen.has(identity)) { seen.add(identity); fresh = true; items.push(it); } else if (!isRecord(it) || typeof it.id !== 'string') items.push(it);
      }
      return fresh;
    };
    add(first.data);
    // Paginated: read on while pages come back full. Without a pagination object, the answer is the whole list.
    const paged = first.paginated && first.data.length > 0;
    const step = Math.max(1, Math.min(limit, first.limit ?? first.data.length));
    let next = first.data.length;
    let more = paged && (first.data.length >= step || (first.total !== undefined && items.length < first.total));
    const total = first.total;
    while (more) {
      const ahead = total !== undefined && next < total ? Math.min(this.opts.concurrency, Math.ceil((total - next) / step)) : 1;
      const offsets = Array.from({ length: ahead }, (_, i) => next + i * step);
      const pages = await Promise.all(offsets.map(page));
      let ended = false;
      for (let i = 0; i < pages.length; i++) {
        const p = pages[i];
        if (p.data.length === 0) { ended = true; break; }
        if (!add(p.data)) {
          throw new PlatformError(this.clean(`${label}: the page at offset ${offsets[i]} holds only items already read (the platform's pagination does not advance); the list cannot be read completely`), undefined, 'PAGINATION');
        }
        if (items.length > this.opts.maxListItems) {
          throw new PlatformError(`${label}: more than ${this.opts.maxListItems} items and the pages do not end; the list is not read further`, undefined, 'PAGINATION');
        }
        if (p.data.length < step) ended = true;
        next = offsets[i] + p.data.length;
      }
      // The list goes on after a full last page. After a short one it ends, unless the total says items are missing
      // and no page after it came back empty (the list shrank while being read): then read on from where it ends.
      const lastFull = pages[pages.length - 1].data.length >= step;
      const emptySeen = pages.some((p) => p.data.length === 0);
      more = lastFull || (!emptySeen && total !== undefined && items.length < total && ended);
    }
    return items;
  }
}

/** What identifies an item when checking for repeated pages: its id, else its whole content. */
function identityOf(item: unknown): string {
  if (isRecord(item) && typeof item.id === 'string') return `id:${item.id}`;
  return `json:${JSON.stringify(item) ?? 'undefined'}`;
}

const INVALID = Symbol('invalid json');
const TOO_DEEP = Symbol('too deep');

function parseJson(text: string): unknown {
  if (text.trim() === '') return INVALID;
  if (nestingDepth(text) > MAX_JSON_DEPTH) return TOO_DEEP;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

/** The deepest nesting of brackets outside strings (an upper bound on the JSON's depth), read in one pass. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) { if (++depth > max) max = depth; }
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Reads a body, failing as soon as it passes `cap` bytes (announced or received), so a huge answer never fills memory. */
async function readCapped(res: globalThis.Response, cap: number): Promise<string> {
  const announced = Number(res.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > cap) {
    await res.body?.cancel().catch(() => {});
    throw new TooLarge(announced, true);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      throw new TooLarge(cap, false);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** A short description of a body that is not JSON: an HTML page (with its title) or the start of a text. */
function describeNonJson(res: globalThis.Response, text: string, quote: (s: string) => string): string {
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const trimmed = text.trim();
  if (trimmed === '') return 'an empty body';
  if (type === 'text/html' || /^<(?:!doctype|html|head|body)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` ("${quote(title)}")` : ''}, from a proxy or web server rather than the platform's API`;
  }
  if (looksTruncated(trimmed)) return `JSON cut short after ${formatBytes(Buffer.byteLength(text))}`;
  const start = quote(trimmed.slice(0, 200));
  return `"${start.length > 80 ? `${start.slice(0, 80)}…` : start}"${type ? ` (${type})` : ''}`;
}

/** A body that starts as JSON but does not parse: most likely cut short. */
function looksTruncated(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

function listBody(body: unknown, label: string, token: string): { data: unknown[]; total?: number; limit?: number; paginated: boolean } {
  if (Array.isArray(body)) return { data: body, paginated: false };
  if (isRecord(body) && Array.isArray(body.data)) {
    const p = isRecord(body.pagination) ? body.pagination : undefined;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);
    const limit = num(p?.limit);
    return { data: body.data, total: num(p?.total), limit: limit && limit > 0 ? limit : undefined, paginated: p !== undefined };
  }
  const shape = body === undefined ? 'an empty body' : body === null ? 'null' : Array.isArray(body) ? 'a list' : typeof body === 'object' ? `an object with ${Object.keys(body).slice(0, 5).map((k) => JSON.stringify(k)).join(', ') || 'no keys'}` : `a ${typeof body}`;
  throw new PlatformError(safeText(`${label}: unexpected answer: ${platformText(shape)} (expected {"data": [...]})`, [token]), undefined, 'UNEXPECTED');
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(v: string | null, now = Date.now()): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v.trim()) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** Control characters (terminal escapes among them) and invisible direction marks, dropped from any text printed. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

function oneLine(s: string, max: number): string {
  const line = s.replace(UNPRINTABLE, '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** Text the platform (or a proxy) wrote, as it may be quoted: one printable line, secret-shaped values redacted. */
export function platformText(s: string): string {
  return oneLine(redactLine(oneLine(s, 2000)), 300);
}

/** A message about the platform made safe to print: one printable line, the credentials removed whole and in part. */
export function safeText(s: string, credentials: readonly string[]): string {
  return scrubParts(oneLine(s, 1000), credentials);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${ms} ms`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${n} bytes`;
}
