export { createSshRunner, type Runner, type RunnerOptions, type ExecRequest, type ScriptRequest } from './ssh-runner.js';
export type { ExecResult, ExecStatus, OutputSink, SshErrorCode, SshSettings, Target } from './runner-types.js';
export { HostKeyStore, type Pin, type PinOutcome } from './host-keys.js';
export { SshError, classifySshError } from './ssh-errors.js';
export { fanout, type FanoutOptions, type FanoutOutcome } from './fanout.js';
export { syncFiles, expandHost, type SyncOutcome } from './file-sync.js';
export { ensureKeyPair, type KeyPair } from './key-file.js';
export { godotsEnv } from './remote-env.js';
export type { Facts } from './facts.js';
