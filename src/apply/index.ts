// Apply: the public entry points (the CLI and the GitHub Action both call these).
export { runApply, planFingerprint, staleResources, routesToRemoved, guardRefusals, savedPlanRefusal, protectedBy, sendLevels, storedDifferences, APPLY_PATH, DELETE_PATH } from './apply.ts';
export { parseSavedPlan, SavedPlanError, SAVED_PLAN_KIND, type SavedPlan } from './saved.ts';
export * from './types.ts';
export { applyLevels, typeTier } from '../plan/order.ts';
