/** One droplet to reach: where, as whom, and what it is in the fleet. */
export interface Target {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly dropletId: number;
  readonly account: string;
  readonly group: string;
  /** Index and count within the group, for sharding work (GODOTS_INDEX, GODOTS_COUNT). */
  readonly index: number;
  readonly count: number;
}

export type ExecStatus = 'succeeded' | 'failed' | 'unreachable' | 'timed_out' | 'interrupted';

/**
 * The outcome of running something on one host. A failure is a result with the
 * same shape as a success, returned, never thrown.
 */
export interface ExecResult {
  readonly status: ExecStatus;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly failed: boolean;
  readonly error: string | null;
  readonly errorCode: SshErrorCode | null;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly truncated: boolean;
  readonly attempts: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Where output goes while it arrives, in order. */
export interface OutputSink {
  (stream: 'stdout' | 'stderr', data: Buffer): void;
}

export type SshErrorCode = 'AUTH' | 'HOST_KEY_CHANGED' | 'CONNECT_TIMEOUT' | 'REFUSED' | 'RESET' | 'UNREACHABLE' | 'PROTOCOL' | 'REMOTE';

export interface SshSettings {
  readonly user: string;
  readonly privateKey: string;
  readonly privateKeyPath: string;
  readonly knownHostsPath: string;
  readonly connectTimeoutMs: number;
  readonly keepaliveMs: number;
  readonly maxConnections: number;
}
