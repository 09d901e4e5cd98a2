// Plan: the Plan value (DESIGN.md §2, §6): what will change on the platform, resource by resource, field by field.
import type { Diagnostic } from '../core/diagnostic.ts';
import type { DesiredSource } from '../compile/compose.ts';
import type { ListEffects } from './effects.ts';

/** A step of a field path: a property, a list index, or the item of a list whose `key` property equals `value`. */
export type PathSegment = string | number | { key: string; value: string };

export interface FieldChange {
  /** Display form: `integrations[name=gpt-4o].model_types`, `rules[id=everyone-else]`. */
  path: string;
  segments: PathSegment[];
  /** add / remove / change a value, or move an item of an ordered list (before/after are 1-based positions). */
  kind: 'add' | 'remove' | 'change' | 'move';
  before?: unknown;
  after?: unknown;
  /** For an item added to an ordered list: its 0-based position in the new list. */
  index?: number;
}

/** Traffic shares of a weight-based routing block before and after, in percent of the block's total weight. */
export interface TrafficShare {
  path: string;
  targets: { target: string; before?: number; after?: number }[];
}

export type Action = 'create' | 'update' | 'delete';

export interface Change {
  action: Action;
  type: string;
  name: string;
  /** Normal forms (defaults applied, secrets masked): live before, desired after. */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  fields: FieldChange[];
  shares?: TrafficShare[];
  /** For an update of a first-match rule list or a virtual model's routing: the requests whose outcome changes. */
  effects?: ListEffects[];
  /** Where the desired document is written (create, update); for a composed config, its first fragment. */
  source?: DesiredSource;
  /** For a composed config: every fragment, in order. */
  fragments?: DesiredSource[];
  /** The platform's id of the live resource (update, delete). */
  liveId?: string;
  /** Fingerprint of the live resource this change was computed against (update, delete). */
  liveFingerprint?: string;
  /** Fingerprint of the desired normal form (create, update). */
  desiredFingerprint?: string;
  /**
   * The document apply sends: for a create or update the compiled desired document (composed, schema defaults filled
   * in, as build writes it, a secret value that is not a tfy-secret:// reference masked), for a delete the live
   * manifest (server-only fields removed, secret values masked).
   */
  manifest?: Record<string, unknown>;
  /** Set by apply on the first of the two steps an account update is sent in (see splitSwaps in plan/order.ts). */
  interim?: boolean;
}

export interface ResourceRef { type: string; name: string }

export interface Plan {
  changes: Change[];
  summary: Record<Action, number>;
  /** Resources in scope that are the same on both sides. */
  unchanged: number;
  /** Live resources of the repository's types that the repository does not mention (deleted only with prune). */
  unmanaged: ResourceRef[];
  /** Desired documents not compared, with why (a type tfy-lint cannot read, a kind missing from the live state). */
  notCompared: (ResourceRef & { reason: string })[];
  /** Fingerprint of the live resources in scope (the types the repository holds): what `apply --plan` re-checks. */
  liveFingerprint: string;
  /** Fingerprint of each live resource in scope, by `type/name` (or `type` for a singleton). */
  resourceFingerprints: Record<string, string>;
  /** The types compared. */
  scope: string[];
  prune: boolean;
  /** Where the live state came from. */
  liveSource: string;
  diagnostics: Diagnostic[];
}

export interface PlanOptions {
  /** Plan deletes of unmanaged live resources. */
  prune?: boolean;
}
