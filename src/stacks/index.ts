export { createDoClient, type DoClient, type DoClientOptions, type DoDroplet, type DoSize, type CreateDropletsRequest } from './do-client.js';
export { DoApiError, classifyDoError, type DoErrorCode } from './do-errors.js';
export { accountClients, fleetSecrets } from './account-clients.js';
export { readInventory, identify, fleetTag, groupTag, type InventoryDroplet } from './inventory.js';
export { TokenBucket } from './token-bucket.js';
export { createDirectEngine, type DirectEngineOptions } from './direct-engine.js';
export { ManagedState, stackName } from './managed-state.js';
export type { InfraEngine, InfraEvent, InfraPlan, InfraStep, AccountObservation, StepAction } from './infra-types.js';
