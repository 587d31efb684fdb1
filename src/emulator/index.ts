export { startEmulator, type EmulatorOptions, type RunningEmulator } from './start-emulator.js';
export type { EmulatorFaults } from './emulator-faults.js';
export type { AccountSpec, Clock } from './emulator-types.js';
export { DO_RATE_LIMITS, type RateLimits } from './rate-limiter.js';
export { md5Fingerprint } from './fingerprint.js';
export { sshdHostsAvailable } from './hosts/sshd-host.js';
export { IMAGES, REGIONS, SIZES, priceHourly } from './catalog.js';
export type { RequestLogEntry } from './emulator-http.js';
