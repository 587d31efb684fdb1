import { GodotsError } from '../core/index.js';
import { formatDiagnostic, loadFleetFile, type Fleet } from '../fleet/index.js';
import { openFleetContext, type FleetContext } from '../reconciler/context.js';
import type { CliIo } from './cli-io.js';
import type { GlobalOptions } from './global-options.js';

/** Loads the fleet; an invalid file prints its positioned errors and touches nothing. */
export function loadOrExplain(globals: GlobalOptions, io: CliIo): Fleet | undefined {
  const r = loadFleetFile(globals.file);
  if (r.ok) return r.fleet;
  for (const d of r.diagnostics) io.err(formatDiagnostic(d));
  io.err(`${globals.file}: ${r.diagnostics.length} error(s); nothing was changed`);
  return undefined;
}

/** Opens everything for a command that acts on the fleet; the caller closes it. */
export async function openSession(globals: GlobalOptions, io: CliIo, extra: { acceptNewHostKey?: string[] } = {}): Promise<FleetContext | undefined> {
  const fleet = loadOrExplain(globals, io);
  if (!fleet) return undefined;
  return openFleetContext({
    fleet,
    env: io.env,
    dbUrl: globals.db,
    acceptNewHostKey: extra.acceptNewHostKey,
    stateUrl: globals.state,
    onPin: (name, outcome) => io.err(`${name}: host key ${outcome.replace(/-/g, ' ')}`),
  });
}

export function parseTimeout(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) throw new GodotsError('USAGE', `--timeout takes a duration such as 90s, 10m or 1h, not ${text}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}
