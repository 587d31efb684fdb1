export { createDoClient, type DoClient, type DoClientOptions, type DoDroplet, type DoSize, type CreateDropletsRequest } from './do-client.js';
export { DoApiError, classifyDoError, type DoErrorCode } from './do-errors.js';
export { accountClients, fleetSecrets } from './account-clients.js';
export { readInventory, identify, fleetTag, groupTag, type InventoryDroplet } from './inventory.js';
export { TokenBucket } from './token-bucket.js';
