import type {
  FlushResult, HistoryFilter, HostFacts, HostRunRow, HostRunUpdate, NewRun, OutputChunk, OutputStream, PlannedHostRun, RunEvent,
  RunStatus, RunSummaryRow, ScriptState,
} from './run-log-types.js';

/**
 * The run log: every run, host by host, with its whole output. Write methods
 * only enqueue and never throw; `flush()` persists (or spools) them in order.
 */
export interface RunLog {
  readonly dialect: 'sqlite' | 'mysql';
  startRun(run: NewRun): void;
  finishRun(id: string, status: RunStatus, finishedAt: number, summary?: string): void;
  planHostRuns(rows: readonly PlannedHostRun[]): void;
  updateHostRun(id: string, patch: HostRunUpdate): void;
  appendOutput(hostRunId: string, stream: OutputStream, data: Buffer, at?: number): void;
  /** Output of a host run an earlier process began continues after the chunks it stored (`nextSeq`). */
  resumeOutput(hostRunId: string, nextSeq: number): void;
  addEvent(event: RunEvent): void;
  addFacts(facts: HostFacts): void;
  flush(): Promise<FlushResult>;
  close(): Promise<void>;

  /** Runs of this controller left `running` by a process that died become `interrupted`; returns their ids. */
  recoverInterrupted(isAlive: (pid: number) => boolean): Promise<string[]>;
  /** Deletes finished runs that started before `before`, with all their rows; returns how many runs. */
  prune(before: number): Promise<number>;

  /**
   * Takes a named lock (one apply per fleet at a time) held in the database, so
   * it spans processes and machines; a lock of a dead process on this machine is
   * taken over. Returns null when taken, else who holds it.
   */
  acquireLock(name: string, owner: string): Promise<{ controller: string; pid: number; since: number } | null>;
  releaseLock(name: string, owner: string): Promise<void>;
  /** Host runs left interrupted since `since` whose script may still be collectable on the droplet. */
  interruptedHostRuns(since: number): Promise<HostRunRow[]>;

  history(filter?: HistoryFilter): Promise<RunSummaryRow[]>;
  findRun(idOrPrefix: string): Promise<RunSummaryRow | undefined>;
  hostRuns(runId: string, host?: string): Promise<HostRunRow[]>;
  output(hostRunId: string, afterSeq?: number): Promise<OutputChunk[]>;
  events(runId: string): Promise<RunEvent[]>;
  facts(dropletName: string): Promise<HostFacts[]>;
  /** For each (script, droplet id) with history: versions that succeeded and the last outcome. */
  scriptStates(scripts: readonly string[], dropletIds: readonly number[]): Promise<Map<string, ScriptState>>;
}
