export { fleetProgram, type ProgramInput, type InventoryOutput } from './fleet-program.js';
export { openAccountStack, statePassphrase, type AccountStack, type AccountStackOptions, type ChangeSummary } from './account-stack.js';
export { classifyPulumiError, PulumiStackError, type PulumiErrorCode } from './pulumi-errors.js';
export { findToolchain, PULUMI_VERSION, type Toolchain } from './toolchain.js';
export { createPulumiEngine, pulumiWorkRoot, type PulumiEngineOptions } from './pulumi-engine.js';
