// CLI: where the live state comes from (the platform, through env and flags, or a snapshot file), shared by plan and dump.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FatalError, UsageError } from '../core/errors.ts';
import { displayUrl, PlatformClient, type ClientOptions } from '../live/client.ts';
import type { LiveKind } from '../live/kinds.ts';
import { readLiveState } from '../live/read.ts';
import { parseSnapshot, restrictKinds, SnapshotError, type LiveState } from '../live/state.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import type { Io } from './io.ts';

/** Options every command that reads live state accepts. */
export const LIVE_OPTIONS = {
  'live-state': { type: 'string' },
  'base-url': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
} as const;

export const LIVE_HELP = `      --live-state FILE    read the live state from a snapshot (written by tfy-lint dump --json) instead of the platform
      --base-url URL       control-plane URL (default: TFY_BASE_URL, else TFY_HOST); the API key is read from TFY_API_KEY
      --concurrency N      requests in flight at once (default 4)
      --timeout SECONDS    time allowed for one request, the whole answer included (default 30); a call and its
                           retries stop after four times that
      --retries N          retries of a read after 429, 5xx, a timeout or a dropped connection (default 4)`;

export interface LiveValues {
  'live-state'?: string;
  'base-url'?: string;
  concurrency?: string;
  timeout?: string;
  retries?: string;
}

export type LiveSource =
  | { kind: 'file'; path: string; display: string }
  | { kind: 'api'; baseUrl: string; token: string; client: Partial<ClientOptions> };

export const NO_LIVE_SOURCE = 'no live state to compare with: set TFY_BASE_URL (or TFY_HOST) and TFY_API_KEY, pass --base-url, '
  + 'or give --live-state FILE (a snapshot written by tfy-lint dump --json)';

function whole(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, not "${v}"`);
  return Number(v);
}

/** Decides where the live state comes from; throws UsageError when there is no source (exit 2). */
export function liveSource(values: LiveValues, io: Io, what: string): LiveSource {
  const file = values['live-state'];
  if (file !== undefined) {
    if (values['base-url'] !== undefined) throw new UsageError('use either --live-state or --base-url, not both');
    return { kind: 'file', path: resolve(io.cwd, file), display: file };
  }
  const base = values['base-url'] ?? nonEmpty(io.env.TFY_BASE_URL) ?? nonEmpty(io.env.TFY_HOST);
  const token = nonEmpty(io.env.TFY_API_KEY);
  if (!base && !token) throw new UsageError(`${what}: ${NO_LIVE_SOURCE}`);
  if (!base) throw new UsageError(`${what}: TFY_API_KEY is set but no control-plane URL: set TFY_BASE_URL (or TFY_HOST) or pass --base-url`);
  if (!token) throw new UsageError(`${what}: no API key for ${displayUrl(base)}: set TFY_API_KEY`);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout takes a number of seconds, not "${values.timeout}"`);
  // TFY_LINT_BACKOFF_MS sets the first retry delay (doubled at each retry); tests set it tiny.
  const backoff = nonEmpty(io.env.TFY_LINT_BACKOFF_MS);
  if (backoff !== undefined && !/^\d+$/.test(backoff)) throw new UsageError(`TFY_LINT_BACKOFF_MS takes a whole number of milliseconds, not "${backoff}"`);
  const client: Partial<ClientOptions> = {};
  const concurrency = whole('concurrency', values.concurrency, 1);
  const retries = whole('retries', values.retries, 0);
  if (concurrency !== undefined) client.concurrency = concurrency;
  if (retries !== undefined) client.retries = retries;
  if (timeout !== undefined) client.timeoutMs = Math.round(timeout * 1000);
  if (backoff !== undefined) { client.backoffMs = Number(backoff); client.maxBackoffMs = Math.max(Number(backoff) * 8, 1); }
  return { kind: 'api', baseUrl: base, token, client };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

export interface LoadedLive {
  state: LiveState;
  notes: string[];
  requests: number;
  /** Optional kinds left out because the platform does not serve their list route. */
  unread?: { kind: LiveKind; message: string }[];
}

/**
 * Reads the live state for some kinds: from the snapshot (restricted to those kinds), or from the platform (one list
 * call per kind, plus pages). With skipForbidden, a kind the key may not read is left out with a note (dump).
 */
export async function loadLiveState(source: LiveSource, kinds: readonly LiveKind[], schemas: SchemaSet, opts: { skipForbidden?: boolean; optional?: readonly LiveKind[] } = {}): Promise<LoadedLive> {
  if (source.kind === 'file') {
    let text: string;
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (e) {
      throw new FatalError(`cannot read the live state ${source.display}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    try {
      const state = parseSnapshot(text, source.display, schemas);
      return { state: restrictKinds(state, kinds), notes: [], requests: 0 };
    } catch (e) {
      if (e instanceof SnapshotError) throw new FatalError(`the live state ${source.display} cannot be used: ${e.message}`);
      throw e;
    }
  }
  const client = new PlatformClient({ baseUrl: source.baseUrl, token: source.token, ...source.client });
  const { state, notes, unread } = await readLiveState(client, kinds, schemas, { skipForbidden: opts.skipForbidden, optional: opts.optional });
  return { state, notes, requests: client.requestCount, ...(unread ? { unread } : {}) };
}
