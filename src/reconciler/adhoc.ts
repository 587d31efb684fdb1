import { randomUUID } from 'node:crypto';
import { GodotsError } from '../core/godots-error.js';
import { godotsEnv, type ExecResult, type Target } from '../runners/index.js';
import { readInventory } from '../stacks/index.js';
import type { FleetContext } from './context.js';
import { newHostRunId, planRows, runHostJobs, type HostJob, type JobOutcome } from './host-jobs.js';
import { provenance } from './provenance.js';
import { toTargets } from './targets.js';

export interface Selection {
  readonly groups?: readonly string[];
  readonly hosts?: readonly string[];
  readonly all?: boolean;
}

export interface AdhocOptions {
  readonly selection: Selection;
  readonly command: string;
  readonly parallel?: number;
  readonly timeoutMs: number;
  readonly detach?: boolean;
  readonly signal?: AbortSignal;
  readonly onOutput?: (target: Target, stream: 'stdout' | 'stderr', data: Buffer) => void;
  readonly onResult?: (target: Target, result: ExecResult) => void;
}

export interface AdhocOutcome {
  readonly runId: string;
  readonly outcomes: readonly JobOutcome[];
}

/** Picks targets by group, name or all; unknown names are errors, never silently empty selections. */
export function selectTargets(all: readonly Target[], sel: Selection, groupNames: readonly string[]): Target[] {
  if (!sel.all && !sel.groups?.length && !sel.hosts?.length) throw new GodotsError('USAGE', 'say where: -g GROUP, --host NAME or --all');
  for (const g of sel.groups ?? []) if (!groupNames.includes(g)) throw new GodotsError('USAGE', `no group named ${g} in the fleet (groups: ${groupNames.join(', ')})`);
  const names = new Set(all.map((t) => t.name));
  for (const h of sel.hosts ?? []) if (!names.has(h)) throw new GodotsError('USAGE', `no running droplet named ${h} in the fleet`);
  if (sel.all) return [...all];
  return all.filter((t) => sel.groups?.includes(t.group) || sel.hosts?.includes(t.name));
}

/**
 * `godots exec`: an ad-hoc command on live droplets of the fleet (found by tag
 * through the API, no state file), logged like any run.
 */
export async function execAdhoc(ctx: FleetContext, options: AdhocOptions): Promise<AdhocOutcome> {
  const inventory = await readInventory(ctx.fleet, ctx.clients);
  const targets = selectTargets(toTargets(ctx.fleet, inventory), options.selection, ctx.fleet.groups.map((g) => g.name));
  const runId = randomUUID();
  const prov = provenance(ctx.env, ctx.fleet.baseDir);
  ctx.runLog.startRun({ id: runId, kind: 'exec', fleet: ctx.fleet.name, fleetSha256: ctx.fleet.sha256, ...prov, startedAt: ctx.now() });
  const jobs: HostJob[] = targets.map((target) => {
    const hostRunId = newHostRunId();
    const base = { hostRunId, env: godotsEnv(ctx.fleet.name, target, runId), timeoutMs: options.timeoutMs, retries: 1, retryOnExit: false };
    return {
      hostRunId,
      target,
      script: 'exec',
      version: null,
      run: (sink) =>
        options.detach
          ? ctx.runner.runScript(target, { ...base, sink, text: options.command, interpreter: '/bin/sh' })
          : ctx.runner.exec(target, { ...base, sink, command: options.command }),
    };
  });
  ctx.runLog.planHostRuns(planRows(runId, jobs, ctx.now()));
  ctx.runLog.addEvent({ runId, at: ctx.now(), type: 'exec.started', message: `exec on ${targets.length} droplet(s)`, data: { command: options.command } });
  await ctx.runLog.flush();
  const outcomes = await runHostJobs({
    runLog: ctx.runLog,
    jobs,
    maxParallel: options.parallel ?? ctx.fleet.ssh.maxConnections,
    maxFailures: null,
    now: ctx.now,
    signal: options.signal,
    onOutput: (job, s, d) => options.onOutput?.(job.target, s, d),
    onResult: (job, r) => options.onResult?.(job.target, r),
  });
  const failed = outcomes.filter((o) => !o.result || o.result.failed).length;
  const status = options.signal?.aborted ? 'interrupted' : failed > 0 ? 'failed' : 'succeeded';
  ctx.runLog.finishRun(runId, status, ctx.now(), `${outcomes.length - failed} ok, ${failed} not ok`);
  await ctx.runLog.flush();
  return { runId, outcomes };
}
