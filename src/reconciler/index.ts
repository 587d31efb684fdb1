export { createReconciler, type Reconciler, type ReconcilerParts, type ReconcileLog } from './reconciler.js';
export { openFleetContext, type FleetContext, type ContextOptions } from './context.js';
export { execAdhoc, selectTargets, type AdhocOptions, type AdhocOutcome, type Selection } from './adhoc.js';
export { planScripts, scriptOrder, type ScriptDecision, type PlanDroplet } from './script-plan.js';
export { scriptVersion } from './script-version.js';
export { planText, planMarkdown } from './report-plan.js';
export { driftText, driftMarkdown } from './report-drift.js';
export { provenance, type Provenance } from './provenance.js';
export type { FleetPlan, DriftReport, DriftItem, ApplySummary, Cost } from './reconcile-types.js';
