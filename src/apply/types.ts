// Apply: the values apply takes and returns (its options, progress events, per-change results and the report).
import type { Diagnostic } from '../core/diagnostic.ts';
import type { DesiredDocument } from '../compile/compose.ts';
import type { PlatformClient } from '../live/client.ts';
import type { Action, Plan } from '../plan/types.ts';
import type { SchemaSet } from '../validate/schemas.ts';
import type { SavedPlan } from './saved.ts';

export const APPLY_REPORT_VERSION = 1;

/** At most this many deletes without --max-deletes ... */
export const MAX_DELETES_DEFAULT = 5;
/** ... and at most this share of the live resources of the project's types. */
export const MAX_DELETE_SHARE = 0.25;
export const DEFAULT_APPLY_CONCURRENCY = 4;

export interface ApplyOptions {
  /** Send the plan's deletes (without it, a plan with deletes is refused). Fresh plans: plan deletes at all. */
  prune?: boolean;
  /** Send creates and updates with `dryRun: true` (the platform validates and stores nothing); send no delete. */
  dryRun?: boolean;
  /** Allow up to this many deletes (must be at least the number of deletes the plan holds). */
  maxDeletes?: number;
  /** Changes of one level in flight at once (default 4). The client's own bound must be at least this. */
  concurrency?: number;
  /** Globs over `type/name` of resources apply never changes or deletes (the config's `protect:`). */
  protect?: readonly string[];
  /** This tool's version: a saved plan written by another version is refused. */
  toolVersion: string;
}

/** What to apply: the project's compiled desired state (planned now, against what is live), or a saved plan. */
export type ApplySource =
  | { desired: readonly DesiredDocument[] }
  | { saved: SavedPlan };

export interface ApplyRequest {
  /** The platform: live reads and writes go through it (its retries, timeouts and redaction). */
  client: PlatformClient;
  schemas: SchemaSet;
  /** Findings of checking the project as `check` does; any error stops the apply before a single request. */
  findings: readonly Diagnostic[];
  source: ApplySource;
  options: ApplyOptions;
}

/** How a change ended. `validated`: a dry run that the platform accepted. */
export type ChangeStatus = 'applied' | 'failed' | 'not-attempted' | 'validated';

export interface ChangeResult {
  action: Action;
  type: string;
  name: string;
  status: ChangeStatus;
  /** The platform's answer for a failed change (status and message, secret values scrubbed). */
  error?: { status?: number; message: string };
  /** Why a change was not sent (a delete in a dry run, an earlier failure). */
  note?: string;
  /** What the platform said it would do or did (`CREATE` / `UPDATE`), when it said. */
  platformAction?: string;
  /** The first of the two steps an account update is sent in (not counted in the summary). */
  interim?: boolean;
  /** 0-based index of the dependency level it was sent in. */
  level: number;
  durationMs: number;
}

/** A field the platform stored differently from what was sent. */
export interface StoredDifference {
  type: string;
  name: string;
  path: string;
  sent?: unknown;
  stored?: unknown;
}

export type ApplyStatus =
  /** The project has errors: nothing was read or written. */
  | 'findings'
  /** The plan itself is in error (a delete that breaks routing, ...), or a guard refused it (protect, mass delete). */
  | 'refused'
  /** A saved plan whose resources changed on the platform since it was saved, or from another version or URL. */
  | 'stale'
  /** The confirmation was not given. */
  | 'cancelled'
  | 'no-changes'
  | 'applied'
  | 'failed'
  /** --dry-run: everything sent was validated (or some were refused: see the results). */
  | 'dry-run';

export interface ApplyReport {
  version: typeof APPLY_REPORT_VERSION;
  dryRun: boolean;
  results: ChangeResult[];
  summary: { applied: number; failed: number; notAttempted: number; validated: number };
  /** Whether the platform now holds what was sent (null: not checked, as in a dry run or a cancelled apply). */
  converged: boolean | null;
  differences: StoredDifference[];
  /** Fingerprint of the plan's changes (actions, resources, desired and live fingerprints). */
  planFingerprint: string;
  levels: number;
  /** Wall time of each phase in ms: reading the live state, planning and guards, sending, reading again to compare. */
  timings: { readMs: number; planMs: number; sendMs: number; verifyMs: number };
}

export interface ApplyOutcome {
  status: ApplyStatus;
  /** 0 applied or nothing to do; 1 findings, a refused or stale plan, a failed change, cancelled; 2 not confirmed without a terminal. */
  exitCode: 0 | 1 | 2;
  /** The plan applied (absent when the project had errors). */
  plan?: Plan;
  /** Why the apply stopped before sending anything (findings, refusals, stale resources), or warnings. */
  problems: Diagnostic[];
  report: ApplyReport;
}

export type ApplyEvent =
  /** The plan, computed or loaded and checked, before the confirmation. */
  | { type: 'plan'; plan: Plan }
  /** A warning about what could not be checked (a guard-only read the platform does not serve, ...). */
  | { type: 'note'; message: string }
  /** Sending starts. */
  | { type: 'start'; changes: number; levels: number; dryRun: boolean }
  /** One change finished (or was skipped), reported in sending order: level by level, plan order within a level. */
  | { type: 'result'; result: ChangeResult; index: number; total: number }
  /** The touched kinds are read again to compare. */
  | { type: 'verify'; kinds: string[] };

export interface ApplyHooks {
  progress?: (event: ApplyEvent) => void;
  /**
   * Asked once, after the plan event and before the first write, when there is something to send (not in a dry
   * run). Resolve true to go ahead. Without it, apply goes ahead (the caller has decided, e.g. --yes).
   */
  confirm?: (plan: Plan) => Promise<boolean>;
}
