import type { ExecResult } from './runner-types.js';

export interface FanoutOptions<T> {
  readonly targets: readonly T[];
  /** Hosts at once. */
  readonly maxParallel: number;
  /** Scheduling stops once failures EXCEED this; hosts already running finish. Null: no limit. */
  readonly maxFailures: number | null;
  run(target: T): Promise<ExecResult>;
  onResult?(target: T, result: ExecResult): void;
  /** Stops scheduling new hosts (SIGINT); running hosts finish. */
  readonly signal?: AbortSignal;
}

export interface FanoutOutcome<T> {
  readonly results: ReadonlyMap<T, ExecResult>;
  /** Targets never started, because of max_failures or cancellation. */
  readonly notStarted: readonly T[];
  readonly stoppedBy: 'max_failures' | 'cancelled' | null;
}

/**
 * Runs `run` over targets with at most `maxParallel` in flight, in target order,
 * and stops scheduling once failures exceed `maxFailures`.
 */
export async function fanout<T>(options: FanoutOptions<T>): Promise<FanoutOutcome<T>> {
  const results = new Map<T, ExecResult>();
  const queue = [...options.targets];
  let failures = 0;
  let stoppedBy: FanoutOutcome<T>['stoppedBy'] = null;
  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted) stoppedBy ??= 'cancelled';
      if (stoppedBy) return;
      const target = queue.shift();
      if (target === undefined) return;
      const r = await options.run(target);
      results.set(target, r);
      if (r.failed) failures++;
      if (options.maxFailures !== null && failures > options.maxFailures) stoppedBy ??= 'max_failures';
      options.onResult?.(target, r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxParallel, options.targets.length)) }, worker));
  return { results, notStarted: queue, stoppedBy };
}
