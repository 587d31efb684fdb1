export { GodotsError, isGodotsError, type GodotsErrorCode } from './godots-error.js';
export { deepFreeze } from './deep-freeze.js';
export { envSecrets, redact } from './redact.js';
export { processAlive } from './process-alive.js';
