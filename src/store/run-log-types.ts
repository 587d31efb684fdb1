export type RunKind = 'apply' | 'exec' | 'run' | 'watch' | 'drift' | 'destroy';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type HostRunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'unreachable' | 'timed_out' | 'skipped' | 'interrupted';
export type OutputStream = 'stdout' | 'stderr';

export interface NewRun {
  readonly id: string;
  readonly kind: RunKind;
  readonly fleet: string;
  readonly fleetSha256: string;
  readonly gitCommit?: string | null;
  readonly actor?: string | null;
  readonly startedAt: number;
}

/** One (host, script) of a run, written as `pending` before anything executes. */
export interface PlannedHostRun {
  readonly id: string;
  readonly runId: string;
  readonly account: string;
  readonly group?: string | null;
  readonly dropletId?: number | null;
  readonly dropletName: string;
  readonly address?: string | null;
  readonly script: string;
  readonly scriptVersion?: string | null;
  readonly attempt?: number;
  readonly queuedAt: number;
  /** `skipped` rows record why a target did not run; default `pending`. */
  readonly status?: HostRunStatus;
  readonly error?: string | null;
}

export interface HostRunUpdate {
  readonly status?: HostRunStatus;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly error?: string | null;
  readonly stdoutBytes?: number;
  readonly stderrBytes?: number;
  readonly truncated?: boolean;
  readonly attempt?: number;
  readonly address?: string | null;
  readonly dropletId?: number | null;
}

export interface RunEvent {
  readonly runId: string;
  readonly at: number;
  readonly type: string;
  readonly dropletName?: string | null;
  readonly script?: string | null;
  readonly message: string;
  readonly data?: unknown;
}

export interface HostFacts {
  readonly runId: string;
  readonly dropletName: string;
  readonly dropletId?: number | null;
  readonly at: number;
  readonly hostname?: string | null;
  readonly kernel?: string | null;
  readonly uptimeS?: number | null;
  readonly load1?: number | null;
  readonly memTotalKb?: number | null;
  readonly memAvailableKb?: number | null;
  readonly diskTotalKb?: number | null;
  readonly diskAvailableKb?: number | null;
}

export interface RunSummaryRow {
  readonly id: string;
  readonly kind: RunKind;
  readonly fleet: string;
  readonly status: RunStatus;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly gitCommit: string | null;
  readonly actor: string | null;
  readonly summary: string | null;
  readonly hosts: number;
  readonly succeeded: number;
  readonly failed: number;
}

export interface HostRunRow {
  readonly id: string;
  readonly runId: string;
  readonly account: string;
  readonly group: string | null;
  readonly dropletId: number | null;
  readonly dropletName: string;
  readonly address: string | null;
  readonly script: string;
  readonly scriptVersion: string | null;
  readonly attempt: number;
  readonly queuedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly status: HostRunStatus;
  readonly error: string | null;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly truncated: boolean;
}

export interface OutputChunk {
  readonly seq: number;
  readonly stream: OutputStream;
  readonly at: number;
  readonly data: Buffer;
}

/** What the run log knows of one script on one droplet: the input of every script policy. */
export interface ScriptState {
  readonly script: string;
  readonly dropletId: number;
  /** Versions that have succeeded there at least once. */
  readonly succeededVersions: ReadonlySet<string>;
  /** Status and version of the latest attempt that reached an end (not pending or skipped). */
  readonly last: { readonly status: HostRunStatus; readonly version: string | null; readonly at: number } | null;
}

export interface HistoryFilter {
  readonly limit?: number;
  readonly status?: RunStatus;
  readonly script?: string;
  readonly host?: string;
  readonly kind?: RunKind;
}

export interface FlushResult {
  /** Operations that reached the database in this flush (spool replays included). */
  readonly written: number;
  /** Operations that went to the spool because the database failed. */
  readonly spooled: number;
}
