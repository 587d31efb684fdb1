/** godots as a library: every CLI capability is a call here first. */
export * from './fleet/index.js';
export { GodotsError, isGodotsError, redact, type GodotsErrorCode } from './core/index.js';
