// Plan: a project's plan from its loaded manifests and a way to read the live state (what `plan` does, for both edges).
import { FILE_START, sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { buildDesiredState, type DesiredDocument } from '../compile/compose.ts';
import { kindsFor, REFERENCING_KINDS, type LiveKind } from '../live/kinds.ts';
import type { LiveState } from '../live/state.ts';
import { liveView } from '../live/view.ts';
import { lintProject, type LoadedProject, type PipelineResult } from '../project/pipeline.ts';
import { computePlan, LIVE_STATE_FILE } from './plan.ts';
import type { Plan } from './types.ts';

/** What a live read returned: the state, and the optional kinds the platform does not serve (left out). */
export interface LiveRead {
  state: LiveState;
  unread?: { kind: LiveKind; message: string }[];
}

/**
 * Reads the live state of `kinds`; those in `optional` are only read to guard deletes, so a platform that does not
 * serve one may leave it out (in `unread`) instead of failing.
 */
export type LiveReader = (kinds: LiveKind[], optional: LiveKind[]) => Promise<LiveRead>;

export type CheckedWithLive =
  /** The project has errors in its files: nothing sound to compare; only the check's findings. */
  | { computed: false; checked: PipelineResult }
  /** The desired documents, the live state of the kinds they hold, and the check with live rules. */
  | { computed: true; checked: PipelineResult; desired: DesiredDocument[]; live: LiveRead };

/**
 * The steps `plan` and `drift` share: check the project; unless its files have errors, build the desired state, read
 * the live state of the kinds it holds (`readLive` is only called when there is something to compare; with prune,
 * also the kinds that may route to what is deleted, as optional), and run the rules again with the live state.
 */
export async function checkWithLive(
  loaded: LoadedProject,
  readLive: LiveReader,
  emptyLive: () => LiveState,
  opts: { prune?: boolean } = {},
): Promise<CheckedWithLive> {
  if (loaded.diagnostics.some((d) => d.severity === 'error')) return { computed: false, checked: lintProject(loaded) };
  const desired = buildDesiredState(loaded.manifests, loaded.composition);
  const types = desired.documents.map((d) => d.type);
  const held = kindsFor(types);
  const kinds = kindsFor(types, opts.prune ? REFERENCING_KINDS : []);
  const live: LiveRead = kinds.length ? await readLive(kinds, kinds.filter((k) => !held.includes(k))) : { state: emptyLive() };
  const checked = lintProject(loaded, { live: liveView(live.state), kinds: new Set(['document', 'project', 'live']) });
  return { computed: true, checked, desired: desired.documents, live };
}

export type ProjectPlan =
  /** The project has errors in its files: nothing sound to plan; only the check's findings. */
  | { computed: false; checked: PipelineResult; diagnostics: Diagnostic[] }
  /** The plan, whose diagnostics are the check's (with live rules) and the plan's own. */
  | { computed: true; checked: PipelineResult; plan: Plan; diagnostics: Diagnostic[] };

/**
 * Checks the project, reads the live state of the kinds it holds, runs the rules again with the live state, and
 * computes the plan (see checkWithLive).
 */
export async function planProject(
  loaded: LoadedProject,
  readLive: LiveReader,
  emptyLive: () => LiveState,
  opts: { prune?: boolean } = {},
): Promise<ProjectPlan> {
  const read = await checkWithLive(loaded, readLive, emptyLive, opts);
  const { checked } = read;
  if (!read.computed) return { computed: false, checked, diagnostics: checked.diagnostics };
  const computed = computePlan(read.desired, read.live.state, loaded.schemas, { prune: Boolean(opts.prune) });
  const diagnostics = sortDiagnostics([...checked.diagnostics, ...computed.diagnostics, ...unreadDiagnostics(read.live.unread)]);
  return { computed: true, checked, plan: { ...computed, diagnostics }, diagnostics };
}

/** A warning for each optional kind the platform did not serve: what routes to the plan's deletes is unchecked. */
function unreadDiagnostics(unread: LiveRead['unread']): Diagnostic[] {
  return (unread ?? []).map((u) => ({
    ruleId: 'plan', severity: 'warning', file: LIVE_STATE_FILE, docIndex: -1, path: [], range: FILE_START,
    message: `could not read ${u.kind} (the platform does not serve its list: ${u.message}): whether ${u.kind} resources still route to what this plan deletes was not checked`,
    hint: 'An older control plane may not have this list; check those resources by hand before applying deletes.',
  }));
}

/** The plan shown when it was not computed (the project has errors): no changes, only the findings. */
export function notComputedPlan(diagnostics: Diagnostic[]): Plan {
  return {
    changes: [], summary: { create: 0, update: 0, delete: 0 }, unchanged: 0, unmanaged: [], notCompared: [], liveFingerprint: '',
    resourceFingerprints: {}, scope: [], prune: false, liveSource: '(not read)', diagnostics,
  };
}
