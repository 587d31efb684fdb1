/**
 * godots as a library: every CLI capability is a call here first. Third-party
 * types (ssh2, @pulumi/*) stay behind the folders' own interfaces.
 */
export * from './fleet/index.js';
export { GodotsError, isGodotsError, redact, type GodotsErrorCode } from './core/index.js';
export { startEmulator, type EmulatorOptions, type RunningEmulator, type EmulatorFaults } from './emulator/index.js';
export { openRunLog, type RunLog, type OpenRunLogOptions } from './store/index.js';
export {
  createReconciler, openFleetContext, execAdhoc, planText, planMarkdown, driftText, driftMarkdown, watchFleet,
  type Reconciler, type FleetContext, type FleetPlan, type DriftReport, type ApplySummary,
} from './reconciler/index.js';
export { initProject } from './scaffold/index.js';
export { main as runCli } from './cli/main.js';
