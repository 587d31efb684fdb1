import { GodotsError } from '../../core/index.js';
import { createReconciler, driftMarkdown, driftText, planMarkdown, planText, type ReconcileLog } from '../../reconciler/index.js';
import type { FleetContext } from '../../reconciler/index.js';
import type { ErrorReporter } from '../../telemetry/index.js';
import type { CliIo } from '../cli-io.js';
import { openSession } from '../fleet-session.js';
import type { GlobalOptions } from '../global-options.js';

const COLORS = { green: 32, red: 31, yellow: 33, dim: 2 } as const;

function painter(globals: GlobalOptions) {
  return (c: keyof typeof COLORS, s: string) => (globals.color ? `\u001b[${COLORS[c]}m${s}\u001b[0m` : s);
}

/** Progress lines for a person watching: droplet events, phases, one line per finished host. */
function progress(io: CliIo, json: boolean) {
  return (e: ReconcileLog) => {
    if (json) return;
    if (e.type === 'phase') io.err(`· ${e.message}`);
    if (e.type === 'infra') io.err(`  ${e.event.type.replace('droplet.', '')} ${e.event.name} (${e.event.account})`);
    if (e.type === 'script') io.err(`  ${e.result.status === 'succeeded' ? 'ok  ' : 'FAIL'} ${e.script} on ${e.droplet}${e.result.exitCode !== null && e.result.exitCode !== 0 ? ` (exit ${e.result.exitCode})` : ''}${e.result.error ? `: ${e.result.error}` : ''}`);
  };
}

async function withReconciler<T>(globals: GlobalOptions, io: CliIo, fn: (ctx: FleetContext, r: ReturnType<typeof createReconciler>) => Promise<T>, accept?: string[]): Promise<T | undefined> {
  const ctx = await openSession(globals, io, { acceptNewHostKey: accept });
  if (!ctx) return undefined;
  const reporter = await reporterFor(ctx, io);
  try {
    const show = progress(io, globals.format === 'json');
    const r = createReconciler({
      fleet: ctx.fleet, engine: await ctx.engine(), runner: ctx.runner, runLog: ctx.runLog, clients: ctx.clients, env: ctx.env, now: ctx.now,
      signal: io.signal, hostKeys: ctx.hostKeys,
      log: (e) => {
        show(e);
        if (e.type === 'script' && e.result.failed) {
          const t = e.result;
          reporter.hostFailed({ fleet: ctx.fleet.name, account: e.account, group: e.group, script: e.script, droplet: e.droplet, status: t.status, exitCode: t.exitCode, error: t.error, runId: null });
        }
      },
    });
    return await fn(ctx, r);
  } catch (err) {
    reporter.exception(err, { fleet: ctx.fleet.name });
    throw err;
  } finally {
    await reporter.flush();
    await ctx.close();
  }
}

/** Sentry when SENTRY_DSN is set; tokens and the passphrase are scrubbed from every event. */
export async function reporterFor(ctx: FleetContext, io: CliIo): Promise<ErrorReporter> {
  const dsn = io.env.SENTRY_DSN;
  if (!dsn) return { hostFailed: () => undefined, exception: () => undefined, flush: async () => undefined };
  // The SDK loads only when it is used: it costs a third of a second of start-up.
  const { createSentryReporter } = await import('../../telemetry/index.js');
  const extra = [io.env.GODOTS_PASSPHRASE, io.env.PULUMI_CONFIG_PASSPHRASE].filter((v): v is string => Boolean(v));
  return createSentryReporter({ dsn, secrets: [...ctx.secrets, ...extra], environment: io.env.SENTRY_ENVIRONMENT });
}

export async function planCommand(globals: GlobalOptions, io: CliIo, opts: { detailedExitcode?: boolean }): Promise<number> {
  const code = await withReconciler(globals, io, async (_ctx, r) => {
    const plan = await r.plan();
    if (globals.format === 'json') io.out(JSON.stringify(plan, null, 2));
    else if (globals.format === 'markdown') io.out(planMarkdown(plan));
    else io.out(planText(plan, painter(globals)));
    return opts.detailedExitcode && plan.changes ? 2 : 0;
  });
  return code ?? 1;
}

export async function applyCommand(globals: GlobalOptions, io: CliIo, opts: { yes?: boolean; only?: string[]; acceptNewHostKey?: string[] }): Promise<number> {
  const code = await withReconciler(globals, io, async (ctx, r) => {
    for (const s of opts.only ?? []) if (!ctx.fleet.scripts.some((x) => x.name === s)) throw new GodotsError('USAGE', `--only ${s}: no such script`);
    if (!opts.yes) {
      const plan = await r.plan();
      io.out(planText(plan, painter(globals)));
      if (!plan.changes) return 0;
      if (!io.confirm) throw new GodotsError('USAGE', 'apply needs --yes when not run from a terminal');
      if (!(await io.confirm('Apply these changes?'))) {
        io.out('nothing was changed');
        return 1;
      }
    }
    const s = await r.apply({ only: opts.only });
    if (globals.format === 'json') io.out(JSON.stringify(s, null, 2));
    else {
      io.out(`apply ${s.runId.slice(0, 8)} ${s.status}: ${s.created} created, ${s.deleted} deleted, ${s.updated} updated; ${s.scriptsRun} script run(s), ${s.scriptsFailed} failed, ${s.scriptsSkipped} skipped${s.collected ? `, ${s.collected} collected from an interrupted run` : ''}`);
      io.out(`details: godots logs ${s.runId.slice(0, 8)}   history: godots history`);
    }
    return s.status === 'succeeded' ? 0 : 1;
  }, opts.acceptNewHostKey);
  return code ?? 1;
}

export async function runScriptCommand(globals: GlobalOptions, io: CliIo, script: string, opts: { acceptNewHostKey?: string[] }): Promise<number> {
  return applyCommand(globals, io, { yes: true, only: [script], acceptNewHostKey: opts.acceptNewHostKey });
}

export async function driftCommand(globals: GlobalOptions, io: CliIo): Promise<number> {
  const code = await withReconciler(globals, io, async (_ctx, r) => {
    const report = await r.drift();
    if (globals.format === 'json') io.out(JSON.stringify(report, null, 2));
    else if (globals.format === 'markdown') io.out(driftMarkdown(report));
    else io.out(driftText(report));
    return report.items.length > 0 ? 2 : 0;
  });
  return code ?? 1;
}

export async function destroyCommand(globals: GlobalOptions, io: CliIo, opts: { yes?: boolean }): Promise<number> {
  const code = await withReconciler(globals, io, async (ctx, r) => {
    if (!opts.yes) throw new GodotsError('USAGE', `destroy deletes every droplet fleet ${ctx.fleet.name} owns; run godots destroy --yes`);
    const n = await r.destroy();
    io.out(`destroyed ${n} droplet(s) of fleet ${ctx.fleet.name}`);
    return 0;
  });
  return code ?? 1;
}
