import { GodotsError } from '../../core/index.js';
import { openTunnel } from '../../runners/index.js';
import { readInventory } from '../../stacks/index.js';
import { toTargets } from '../../reconciler/targets.js';
import type { CliIo } from '../cli-io.js';
import { openSession } from '../fleet-session.js';
import type { GlobalOptions } from '../global-options.js';

/** `godots tunnel NAME`: forward a local port to a droplet's port until interrupted. */
export async function tunnelCommand(globals: GlobalOptions, io: CliIo, name: string, opts: { localPort?: string; remotePort: string }): Promise<number> {
  const ctx = await openSession(globals, io);
  if (!ctx) return 1;
  try {
    const target = toTargets(ctx.fleet, await readInventory(ctx.fleet, ctx.clients)).find((t) => t.name === name);
    if (!target) throw new GodotsError('USAGE', `no running droplet named ${name} in fleet ${ctx.fleet.name}`);
    const tunnel = await openTunnel(ctx.runner, target, Number(opts.remotePort), opts.localPort ? Number(opts.localPort) : 0);
    io.out(`127.0.0.1:${tunnel.localPort} -> ${name}:${opts.remotePort} (Ctrl-C closes it)`);
    await new Promise<void>((resolve) => {
      if (!io.signal || io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await tunnel.close();
    return 0;
  } finally {
    await ctx.close();
  }
}
