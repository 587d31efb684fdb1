import { randomUUID } from 'node:crypto';
import { GodotsError } from '../core/godots-error.js';
import { resolveQuantity, type Fleet, type Script } from '../fleet/index.js';
import { expandHost, godotsEnv, syncFiles, type ExecResult, type Runner, type Target } from '../runners/index.js';
import type { DoClient, InfraEngine, InfraEvent, InfraPlan, InventoryDroplet } from '../stacks/index.js';
import type { HostRunRow, RunLog } from '../store/index.js';
import { newHostRunId, planRows, runHostJobs, type HostJob } from './host-jobs.js';
import { provenance } from './provenance.js';
import type { ApplySummary, Cost, DriftItem, DriftReport, FleetPlan } from './reconcile-types.js';
import { afterSatisfied, planScripts, scriptOrder, type PlanDroplet, type ScriptDecision } from './script-plan.js';
import { scriptVersion } from './script-version.js';
import { toTargets } from './targets.js';

/** Structured log events: the CLI renders them, tests collect them; no console in the library. */
export type ReconcileLog =
  | { readonly type: 'infra'; readonly event: InfraEvent }
  | { readonly type: 'phase'; readonly message: string }
  | { readonly type: 'script'; readonly script: string; readonly droplet: string; readonly account: string; readonly group: string; readonly result: ExecResult }
  | { readonly type: 'output'; readonly script: string; readonly droplet: string; readonly stream: 'stdout' | 'stderr'; readonly data: Buffer };

export interface ReconcilerParts {
  readonly fleet: Fleet;
  readonly engine: InfraEngine;
  readonly runner: Runner;
  readonly runLog: RunLog;
  readonly clients: ReadonlyMap<string, DoClient>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  readonly log?: (e: ReconcileLog) => void;
  /** Bound on waiting for SSH on new droplets. Default 120 s. */
  readonly sshWaitMs?: number;
  readonly signal?: AbortSignal;
  /** Pins of deleted droplets are removed from it. */
  readonly hostKeys?: { forget(ids: Iterable<number>): void; retainOnly(ids: Iterable<number>): void };
}

export interface Reconciler {
  plan(): Promise<FleetPlan>;
  apply(options?: { only?: readonly string[] }): Promise<ApplySummary>;
  drift(): Promise<DriftReport>;
  destroy(): Promise<number>;
}

const costOf = (sizes: ReadonlyMap<string, number>, slugs: readonly string[]): Cost => {
  const monthly = slugs.reduce((s, slug) => s + (sizes.get(slug) ?? 0), 0);
  return { monthly: Math.round(monthly * 100) / 100, hourly: Math.round((monthly / 672) * 100000) / 100000 };
};

/** plan, apply, drift and destroy, composed from injected parts. */
export function createReconciler(parts: ReconcilerParts): Reconciler {
  const { fleet, engine, runner, runLog } = parts;
  const now = parts.now ?? Date.now;
  const log = parts.log ?? (() => undefined);
  const versions = new Map(fleet.scripts.map((s) => [s.name, scriptVersion(s)]));
  const lockName = `apply:${fleet.name}`;

  const sizePrices = async (): Promise<Map<string, number>> => {
    const first = parts.clients.values().next().value as DoClient | undefined;
    if (!first) return new Map();
    return new Map((await first.sizes()).map((s) => [s.slug, s.priceMonthly]));
  };

  const planDroplets = (infra: InfraPlan): PlanDroplet[] => {
    const managed = infra.observations.flatMap((o) => o.managed);
    const recreated = new Set(infra.steps.filter((s) => s.action === 'create' || s.action === 'replace').map((s) => s.name));
    return infra.desired.map((d) => ({
      name: d.name, account: d.account, group: d.group, index: d.index,
      id: recreated.has(d.name) ? null : (managed.find((m) => m.name === d.name && m.account === d.account)?.id ?? null),
    }));
  };

  const buildPlan = async (): Promise<{ plan: FleetPlan; infra: InfraPlan }> => {
    const observations = await engine.observe();
    const infra = engine.plan(observations);
    const droplets = planDroplets(infra);
    const ids = droplets.map((d) => d.id).filter((x): x is number => x !== null);
    const states = await runLog.scriptStates(fleet.scripts.map((s) => s.name), ids);
    const scripts = planScripts({ fleet, droplets, versions, states });
    const prices = await sizePrices();
    const managed = observations.flatMap((o) => o.managed);
    const accounts = fleet.accounts.map((a) => {
      const steps = infra.steps.filter((s) => s.account === a.name);
      const use = infra.use.find((u) => u.account === a.name)!;
      const changedIds = new Set(steps.map((s) => s.id));
      return {
        account: a.name,
        create: steps.filter((s) => s.action === 'create' || s.action === 'replace').length,
        delete: steps.filter((s) => s.action === 'delete' || s.action === 'replace').length,
        update: steps.filter((s) => s.action === 'resize' || s.action === 'retag').length,
        unchanged: managed.filter((m) => m.account === a.name && !changedIds.has(m.id)).length,
        capacity: use.capacity,
        used: use.used,
      };
    });
    const plan: FleetPlan = {
      fleet: fleet.name,
      fleetSha256: fleet.sha256,
      gitCommit: provenance(parts.env, fleet.baseDir).gitCommit,
      engine: engine.kind,
      accounts,
      steps: infra.steps,
      scripts,
      cost: { before: costOf(prices, managed.map((m) => m.size)), after: costOf(prices, infra.desired.map((d) => d.size)) },
      unmanaged: observations.flatMap((o) => o.unmanaged),
      changes: infra.steps.length > 0 || scripts.some((s) => s.run),
      use: infra.use,
    };
    return { plan, infra };
  };

  /** Waits until each new droplet answers SSH (its key gets pinned then), and records its facts. */
  const firstContact = async (runId: string, targets: readonly Target[]): Promise<Set<string>> => {
    const deadline = now() + (parts.sshWaitMs ?? 120_000);
    const reachable = new Set<string>();
    await Promise.all(
      targets.map(async (t) => {
        for (;;) {
          const f = await runner.facts(t);
          if (f) {
            reachable.add(t.name);
            runLog.addFacts({ runId, dropletName: t.name, dropletId: t.dropletId, at: now(), ...f });
            return;
          }
          if (now() > deadline) {
            runLog.addEvent({ runId, at: now(), type: 'droplet.unreachable', dropletName: t.name, message: `${t.name} did not answer SSH within ${parts.sshWaitMs ?? 120_000} ms` });
            return;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }),
    );
    return reachable;
  };

  /** Finishes host runs an earlier, killed controller left behind: detached scripts keep running without it. */
  const collectInterrupted = async (runId: string, interrupted: readonly HostRunRow[], targets: readonly Target[]): Promise<number> => {
    let n = 0;
    for (const h of interrupted) {
      const t = targets.find((x) => x.dropletId === h.dropletId);
      const script = fleet.scripts.find((s) => s.name === h.script);
      if (!t || !script) continue;
      const chunks = await runLog.output(h.id);
      const offset = (s: 'stdout' | 'stderr') => chunks.filter((c) => c.stream === s).reduce((a, c) => a + c.data.length, 0);
      runLog.resumeOutput(h.id, chunks.length === 0 ? 0 : chunks[chunks.length - 1]!.seq + 1);
      const r = await runner.runScript(t, {
        hostRunId: h.id, text: script.text, interpreter: script.interpreter, env: {}, timeoutMs: script.timeoutMs, retries: 0, retryOnExit: false,
        resume: { stdout: offset('stdout'), stderr: offset('stderr') },
        sink: (stream, data) => runLog.appendOutput(h.id, stream, data),
      });
      if (r.status === 'interrupted') continue;
      runLog.updateHostRun(h.id, { status: r.status, finishedAt: r.finishedAt, exitCode: r.exitCode, error: r.error });
      runLog.addEvent({ runId, at: now(), type: 'script.collected', dropletName: t.name, script: h.script, message: `collected ${h.script} on ${t.name} left by run ${h.runId.slice(0, 8)}: ${r.status}` });
      n++;
    }
    return n;
  };

  const scriptJob = (runId: string, script: Script, target: Target, version: string): HostJob => {
    const hostRunId = newHostRunId();
    return {
      hostRunId,
      target,
      script: script.name,
      version,
      run: async (sink) => {
        for (const u of script.upload) {
          const lease = await runner.lease(target);
          try {
            const r = await syncFiles(lease.client, runner.settings, target, 'upload', u.src, u.dest);
            if (!r.ok) return failedSync(`upload ${u.src} failed: ${r.error}`);
          } finally {
            lease.release();
          }
        }
        const result = await runner.runScript(target, {
          hostRunId, text: script.text, interpreter: script.interpreter, env: { ...godotsEnv(fleet.name, target, runId), ...script.env },
          timeoutMs: script.timeoutMs, retries: script.retries, retryOnExit: script.retryOnExit, sink,
        });
        for (const c of script.collect) {
          const lease = await runner.lease(target).catch(() => undefined);
          if (!lease) break;
          try {
            const r = await syncFiles(lease.client, runner.settings, target, 'collect', c.src, expandHost(c.dest, target));
            if (!r.ok) runLog.addEvent({ runId, at: now(), type: 'collect.failed', dropletName: target.name, script: script.name, message: r.error ?? 'collect failed' });
          } finally {
            lease.release();
          }
        }
        return result;
      },
    };
  };

  const failedSync = (error: string): ExecResult => ({
    status: 'failed', exitCode: null, signal: null, timedOut: false, failed: true, error, errorCode: null, stdoutBytes: 0, stderrBytes: 0,
    truncated: false, attempts: 1, startedAt: now(), finishedAt: now(),
  });

  const runScripts = async (runId: string, decisions: readonly ScriptDecision[], targets: readonly Target[]) => {
    const ids = targets.map((t) => t.dropletId);
    const states = await runLog.scriptStates(fleet.scripts.map((s) => s.name), ids);
    const succeededNow = new Set<string>();
    let ran = 0;
    let failed = 0;
    let skipped = 0;
    // Every due (droplet, script) gets its row before anything executes: a controller that dies
    // in the first stage still leaves the later stages visible as pending, then interrupted.
    const jobsByScript = new Map<string, HostJob[]>();
    const unreachableRows = [];
    for (const script of scriptOrder(fleet.scripts)) {
      for (const d of decisions.filter((x) => x.script === script.name && x.run)) {
        const target = targets.find((t) => t.name === d.droplet.name);
        if (!target) {
          skipped++;
          unreachableRows.push({
            id: newHostRunId(), runId, account: d.droplet.account, group: d.droplet.group, dropletId: d.droplet.id, dropletName: d.droplet.name,
            script: script.name, scriptVersion: d.version, queuedAt: now(), status: 'unreachable' as const, error: 'the droplet did not answer SSH',
          });
          continue;
        }
        jobsByScript.set(script.name, [...(jobsByScript.get(script.name) ?? []), scriptJob(runId, script, target, d.version)]);
      }
    }
    runLog.planHostRuns([...[...jobsByScript.values()].flatMap((jobs) => planRows(runId, jobs, now())), ...unreachableRows]);
    await runLog.flush();
    for (const script of scriptOrder(fleet.scripts)) {
      const jobs: HostJob[] = [];
      for (const job of jobsByScript.get(script.name) ?? []) {
        const after = afterSatisfied(script, job.target.dropletId, versions, states, succeededNow);
        if (after.ok) jobs.push(job);
        else {
          skipped++;
          runLog.updateHostRun(job.hostRunId, { status: 'skipped', error: `waiting on after: ${after.waitingOn} has not succeeded here` });
        }
      }
      if (jobs.length === 0) continue;
      log({ type: 'phase', message: `script ${script.name} on ${jobs.length} droplet(s)` });
      const outcomes = await runHostJobs({
        runLog,
        jobs,
        maxParallel: Math.max(1, resolveQuantity(script.maxParallel, jobs.length)),
        maxFailures: script.maxFailures === null ? null : resolveQuantity(script.maxFailures, jobs.length),
        now,
        signal: parts.signal,
        onOutput: (job, stream, data) => log({ type: 'output', script: script.name, droplet: job.target.name, stream, data }),
        onResult: (job, result) => log({ type: 'script', script: script.name, droplet: job.target.name, account: job.target.account, group: job.target.group, result }),
      });
      for (const o of outcomes) {
        if (o.result?.status === 'succeeded') succeededNow.add(`${script.name}\0${o.job.target.dropletId}`);
        if (!o.result) skipped++;
        else if (o.result.failed) failed++;
        ran += o.result ? 1 : 0;
      }
    }
    return { ran, failed, skipped };
  };

  return {
    async plan() {
      return (await buildPlan()).plan;
    },

    async apply(options = {}) {
      const runId = randomUUID();
      const owner = runId;
      const holder = await runLog.acquireLock(lockName, owner);
      if (holder) {
        throw new GodotsError('LOCKED', `another apply of fleet ${fleet.name} holds the lock (pid ${holder.pid} on ${holder.controller}, since ${new Date(holder.since).toISOString()}); wait for it to finish`);
      }
      const prov = provenance(parts.env, fleet.baseDir);
      runLog.startRun({ id: runId, kind: options.only ? 'run' : 'apply', fleet: fleet.name, fleetSha256: fleet.sha256, ...prov, startedAt: now() });
      await runLog.flush();
      let counts = { created: 0, deleted: 0, updated: 0 };
      try {
        log({ type: 'phase', message: 'reading accounts' });
        const { infra } = await buildPlan();
        const onEvent = (e: InfraEvent) => {
          if (e.type === 'droplet.created') counts = { ...counts, created: counts.created + 1 };
          if (e.type === 'droplet.deleted') {
            counts = { ...counts, deleted: counts.deleted + 1 };
            parts.hostKeys?.forget([e.id]);
          }
          if (e.type === 'droplet.resized' || e.type === 'droplet.retagged') counts = { ...counts, updated: counts.updated + 1 };
          runLog.addEvent({ runId, at: now(), type: e.type, dropletName: e.name, message: `${e.type.split('.')[1]} ${e.name} in ${e.account}${'detail' in e && e.detail ? `: ${e.detail}` : ''}`, data: { id: e.id, account: e.account } });
          log({ type: 'infra', event: e });
        };
        if (infra.steps.length > 0) log({ type: 'phase', message: `converging droplets: ${infra.steps.length} change(s)` });
        const inventory: InventoryDroplet[] = await engine.apply(infra, onEvent);
        const targets = toTargets(fleet, inventory);
        // Pins of droplets that no longer exist (deleted by us or out of band) must not outlive them.
        parts.hostKeys?.retainOnly([...inventory.map((d) => d.id), ...infra.observations.flatMap((o) => o.unmanaged.map((u) => u.id))]);
        const created = new Set(infra.steps.filter((s) => s.action === 'create' || s.action === 'replace').map((s) => s.name));
        const droplets: PlanDroplet[] = targets.map((t) => ({ name: t.name, id: t.dropletId, account: t.account, group: t.group, index: t.index }));
        const decide = async () => {
          const states = await runLog.scriptStates(fleet.scripts.map((s) => s.name), targets.map((t) => t.dropletId));
          // A droplet created by this apply gets every script that is not manual or scheduled, whatever its record says.
          return planScripts({ fleet, droplets, versions, states, only: options.only }).map((d) =>
            created.has(d.droplet.name) && (d.run || !/^(manual|scheduled)/.test(d.reason)) ? { ...d, run: true, reason: 'new droplet' } : d,
          );
        };
        // Only droplets with work are contacted: a no-op apply opens no SSH connection at all.
        const leftBehind = await runLog.interruptedHostRuns(now() - 24 * 3_600_000);
        const interrupted = new Set(leftBehind.map((h) => h.dropletId));
        const firstDecisions = await decide();
        const needed = targets.filter((t) => created.has(t.name) || interrupted.has(t.dropletId) || firstDecisions.some((d) => d.run && d.droplet.name === t.name));
        const reachableNames = await firstContact(runId, needed);
        const reachable = needed.filter((t) => reachableNames.has(t.name));
        // Collected results decide what is still due; the run log's reads see its own queued writes.
        const collected = await collectInterrupted(runId, leftBehind, reachable);
        const decisions = collected > 0 ? await decide() : firstDecisions;
        const skippedByPolicy = decisions.filter((d) => !d.run);
        for (const s of new Set(skippedByPolicy.map((d) => d.script))) {
          const here = skippedByPolicy.filter((d) => d.script === s);
          runLog.addEvent({ runId, at: now(), type: 'script.skipped', script: s, message: `${s} skipped on ${here.length} droplet(s): ${[...new Set(here.map((d) => d.reason))].join('; ')}` });
        }
        const r = await runScripts(runId, decisions, reachable);
        const unreachable = needed.length - reachable.length;
        const status = parts.signal?.aborted ? 'interrupted' : r.failed > 0 || unreachable > 0 ? 'failed' : 'succeeded';
        const summary: ApplySummary = { runId, ...counts, scriptsRun: r.ran, scriptsFailed: r.failed, scriptsSkipped: r.skipped, collected, status };
        runLog.finishRun(runId, status, now(), `${counts.created} created, ${counts.deleted} deleted, ${counts.updated} updated; ${r.ran} script runs, ${r.failed} failed`);
        return summary;
      } catch (err) {
        runLog.addEvent({ runId, at: now(), type: 'apply.failed', message: (err as Error).message });
        runLog.finishRun(runId, 'failed', now(), (err as Error).message);
        throw err;
      } finally {
        await runLog.flush();
        // A database that went away mid-run must not hide the run's own outcome; a dead holder's lock is taken over later.
        await runLog.releaseLock(lockName, owner).catch(() => undefined);
      }
    },

    async drift() {
      const items: DriftItem[] = [];
      const observations = await engine.observe();
      for (const o of observations) {
        for (const v of o.vanished) items.push({ kind: 'deleted', account: o.account, droplet: v.name, detail: `droplet ${v.id} was deleted outside godots`, fix: 'godots apply' });
        for (const u of o.unmanaged) items.push({ kind: 'unmanaged', account: o.account, droplet: u.name, detail: `droplet ${u.id} carries godots-fleet:${fleet.name} but no stack manages it`, fix: `delete it in account ${o.account}, or remove its godots-fleet tag` });
      }
      let infra: InfraPlan | undefined;
      try {
        infra = engine.plan(observations);
      } catch (err) {
        if (err instanceof GodotsError && err.code === 'QUOTA') items.push({ kind: 'quota', account: null, droplet: null, detail: err.message, fix: 'raise a droplet limit, add an account, or lower count; then godots apply' });
        else throw err;
      }
      for (const s of infra?.steps ?? []) {
        if (s.action === 'resize') items.push({ kind: 'resized', account: s.account, droplet: s.name, detail: s.detail, fix: 'godots apply' });
        if (s.action === 'retag') items.push({ kind: 'retagged', account: s.account, droplet: s.name, detail: s.detail, fix: 'godots apply' });
        if (s.action === 'replace') items.push({ kind: 'moved', account: s.account, droplet: s.name, detail: s.detail, fix: 'godots apply' });
      }
      if (infra) {
        const droplets = planDroplets(infra).filter((d) => d.id !== null);
        const states = await runLog.scriptStates(fleet.scripts.map((s) => s.name), droplets.map((d) => d.id!));
        for (const d of planScripts({ fleet, droplets, versions, states }).filter((x) => x.run && x.reason !== 'always')) {
          items.push({ kind: 'script', account: d.droplet.account, droplet: d.droplet.name, detail: `${d.script}: ${d.reason}`, fix: `godots apply (or godots run ${d.script})` });
        }
      }
      return { fleet: fleet.name, items };
    },

    async destroy() {
      const runId = randomUUID();
      const holder = await runLog.acquireLock(lockName, runId);
      if (holder) throw new GodotsError('LOCKED', `an apply of fleet ${fleet.name} is running (pid ${holder.pid} on ${holder.controller}); wait for it to finish`);
      runLog.startRun({ id: runId, kind: 'destroy', fleet: fleet.name, fleetSha256: fleet.sha256, ...provenance(parts.env, fleet.baseDir), startedAt: now() });
      try {
        const deletedIds: number[] = [];
        const n = await engine.destroy((e) => {
          deletedIds.push(e.id);
          runLog.addEvent({ runId, at: now(), type: e.type, dropletName: e.name, message: `deleted ${e.name} in ${e.account}`, data: { id: e.id } });
          log({ type: 'infra', event: e });
        });
        parts.hostKeys?.forget(deletedIds);
        runLog.finishRun(runId, 'succeeded', now(), `${n} droplet(s) deleted`);
        return n;
      } catch (err) {
        runLog.finishRun(runId, 'failed', now(), (err as Error).message);
        throw err;
      } finally {
        await runLog.flush();
        await runLog.releaseLock(lockName, runId).catch(() => undefined);
      }
    },
  };
}
