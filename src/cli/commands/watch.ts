import { formatDiagnostic, loadFleetFile } from '../../fleet/index.js';
import { createReconciler, openFleetContext, watchFleet, type WatchEvent } from '../../reconciler/index.js';
import type { Fleet } from '../../fleet/index.js';
import type { CliIo } from '../cli-io.js';
import { parseTimeout } from '../fleet-session.js';
import type { GlobalOptions } from '../global-options.js';
import { reporterFor } from './reconcile.js';

function render(io: CliIo, e: WatchEvent): void {
  const at = new Date().toISOString().slice(11, 19);
  if (e.type === 'invalid') {
    for (const d of e.diagnostics) io.err(formatDiagnostic(d));
    io.err(`${at} the edit is not valid; keeping the last good fleet, nothing changed`);
  } else if (e.type === 'applying') io.err(`${at} applying (${e.reason})`);
  else if (e.type === 'applied') io.out(`${at} ${e.ok ? 'applied' : 'apply failed'}: ${e.detail}`);
  else if (e.type === 'drift') io.out(`${at} drift check: ${e.detail}`);
  else if (e.type === 'scheduled') io.err(`${at} next run of ${e.script} at ${e.at.toISOString()}`);
  else if (e.type === 'stopped') io.err(`${at} watch stopped`);
}

/** `godots watch`: apply on every change of the fleet file or what it references. Runs until SIGINT/SIGTERM. */
export async function watchCommand(globals: GlobalOptions, io: CliIo, opts: { driftEvery?: string }): Promise<number> {
  const signal = io.signal ?? new AbortController().signal;
  const withCtx = async <T>(fleet: Fleet, fn: (r: ReturnType<typeof createReconciler>) => Promise<T>): Promise<T> => {
    const ctx = await openFleetContext({ fleet, env: io.env, dbUrl: globals.db, stateUrl: globals.state });
    const reporter = await reporterFor(ctx, io);
    try {
      return await fn(createReconciler({
        fleet, engine: await ctx.engine(), runner: ctx.runner, runLog: ctx.runLog, clients: ctx.clients, env: ctx.env, signal, hostKeys: ctx.hostKeys,
        log: (e) => {
          if (e.type === 'script' && e.result.failed) reporter.hostFailed({ fleet: fleet.name, account: e.account, group: e.group, script: e.script, droplet: e.droplet, status: e.result.status, exitCode: e.result.exitCode, error: e.result.error, runId: null });
        },
      }));
    } finally {
      await reporter.flush();
      await ctx.close();
    }
  };
  await watchFleet({
    file: globals.file,
    load: () => loadFleetFile(globals.file),
    signal,
    driftEveryMs: parseTimeout(opts.driftEvery, 15 * 60_000),
    onEvent: (e) => render(io, e),
    handlers: {
      apply: (fleet, only) => withCtx(fleet, async (r) => {
        const s = await r.apply({ only });
        return { ok: s.status === 'succeeded', detail: `run ${s.runId.slice(0, 8)} ${s.status}: ${s.created} created, ${s.deleted} deleted, ${s.updated} updated; ${s.scriptsRun} script run(s), ${s.scriptsFailed} failed` };
      }),
      drift: (fleet) => withCtx(fleet, async (r) => {
        const d = await r.drift();
        return { items: d.items.length, detail: d.items.length === 0 ? 'no drift' : `${d.items.length} item(s): ${d.items.slice(0, 5).map((i) => `${i.kind} ${i.droplet ?? ''}`).join(', ')}` };
      }),
    },
  });
  return 0;
}
