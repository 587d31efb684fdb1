import { randomUUID } from 'node:crypto';
import { fanout, type ExecResult, type OutputSink, type Target } from '../runners/index.js';
import type { RunLog } from '../store/index.js';

/** One (droplet, script) to run in a run. */
export interface HostJob {
  readonly hostRunId: string;
  readonly target: Target;
  readonly script: string;
  readonly version: string | null;
  run(sink: OutputSink): Promise<ExecResult>;
}

export interface JobOutcome {
  readonly job: HostJob;
  /** Null when the job was never started (max_failures, cancellation). */
  readonly result: ExecResult | null;
}

export function newHostRunId(): string {
  return randomUUID();
}

/** The run-log rows for jobs, written as `pending` before anything executes. */
export function planRows(runId: string, jobs: readonly HostJob[], now: number) {
  return jobs.map((j) => ({
    id: j.hostRunId, runId, account: j.target.account, group: j.target.group, dropletId: j.target.dropletId, dropletName: j.target.name,
    address: j.target.address, script: j.script, scriptVersion: j.version, queuedAt: now,
  }));
}

/**
 * Runs jobs with the fan-out limits, streaming output into the run log and
 * recording every outcome, including hosts never started.
 */
export async function runHostJobs(options: {
  readonly runLog: RunLog;
  readonly jobs: readonly HostJob[];
  readonly maxParallel: number;
  readonly maxFailures: number | null;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  readonly onOutput?: (job: HostJob, stream: 'stdout' | 'stderr', data: Buffer) => void;
  readonly onResult?: (job: HostJob, result: ExecResult) => void;
}): Promise<JobOutcome[]> {
  const { runLog } = options;
  const out = await fanout({
    targets: options.jobs,
    maxParallel: options.maxParallel,
    maxFailures: options.maxFailures,
    signal: options.signal,
    run: async (job) => {
      runLog.updateHostRun(job.hostRunId, { status: 'running', startedAt: options.now() });
      const result = await job.run((stream, data) => {
        runLog.appendOutput(job.hostRunId, stream, data);
        options.onOutput?.(job, stream, data);
      });
      runLog.updateHostRun(job.hostRunId, {
        status: result.status, finishedAt: result.finishedAt, exitCode: result.exitCode, signal: result.signal, error: result.error,
        stdoutBytes: result.stdoutBytes, stderrBytes: result.stderrBytes, truncated: result.truncated, attempt: result.attempts,
      });
      return result;
    },
    onResult: (job, result) => options.onResult?.(job, result),
  });
  for (const job of out.notStarted) {
    runLog.updateHostRun(job.hostRunId, {
      status: 'skipped',
      error: out.stoppedBy === 'max_failures' ? 'not started: failures exceeded max_failures' : 'not started: the run was cancelled',
    });
  }
  return options.jobs.map((job) => ({ job, result: out.results.get(job) ?? null }));
}
