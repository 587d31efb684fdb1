export { loadFleet, loadFleetFile, requireFleet, type LoadOptions, type LoadResult } from './load-fleet.js';
export { formatDiagnostic, sortDiagnostics, type Diagnostic, type DiagnosticCode } from './diagnostic.js';
export { dropletName, resolveQuantity } from './fleet-model.js';
export type { Account, Fleet, Group, Quantity, Script, SshSettings, SyncSpec, When } from './fleet-model.js';
export { parseCron, nextCronTime, parseDuration, parseQuantity, type CronSpec } from './formats.js';
export { FLEET_SCHEMA_PATH } from './fleet-schema.js';
export { DEFAULTS } from './normalize.js';
export { placeFleet, type AccountCapacity, type ExistingDroplet, type PlacedDroplet, type Placement, type AccountUse } from './placement.js';
