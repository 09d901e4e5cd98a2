// Plan: a project's plan from its loaded manifests and a way to read the live state (what `plan` does, for both edges).
import { sortDiagnostics, type Diagnostic } from '../core/diagnostic.ts';
import { buildDesiredState } from '../compile/compose.ts';
import { kindsFor, REFERENCING_KINDS, type LiveKind } from '../live/kinds.ts';
import type { LiveState } from '../live/state.ts';
import { liveView } from '../live/view.ts';
import { lintProject, type LoadedProject, type PipelineResult } from '../project/pipeline.ts';
import { computePlan } from './plan.ts';
import type { Plan } from './types.ts';

export type ProjectPlan =
  /** The project has errors in its files: nothing sound to plan; only the check's findings. */
  | { computed: false; checked: PipelineResult; diagnostics: Diagnostic[] }
  /** The plan, whose diagnostics are the check's (with live rules) and the plan's own. */
  | { computed: true; checked: PipelineResult; plan: Plan; diagnostics: Diagnostic[] };

/**
 * Checks the project, reads the live state of the kinds it holds (`readLive` is only called when there is something
 * to compare), runs the rules again with the live state, and computes the plan.
 */
export async function planProject(
  loaded: LoadedProject,
  readLive: (kinds: LiveKind[]) => Promise<LiveState>,
  emptyLive: () => LiveState,
  opts: { prune?: boolean } = {},
): Promise<ProjectPlan> {
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    const checked = lintProject(loaded);
    return { computed: false, checked, diagnostics: checked.diagnostics };
  }
  const desired = buildDesiredState(loaded.manifests, loaded.composition);
  const kinds = kindsFor(desired.documents.map((d) => d.type), opts.prune ? REFERENCING_KINDS : []);
  const live = kinds.length ? await readLive(kinds) : emptyLive();
  const checked = lintProject(loaded, { live: liveView(live), kinds: new Set(['document', 'project', 'live']) });
  const computed = computePlan(desired.documents, live, loaded.schemas, { prune: Boolean(opts.prune) });
  const diagnostics = sortDiagnostics([...checked.diagnostics, ...computed.diagnostics]);
  return { computed: true, checked, plan: { ...computed, diagnostics }, diagnostics };
}
