import { GodotsError } from '../../core/index.js';
import type { RunStatus } from '../../store/index.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openStore } from '../open-store.js';
import { formatTable } from '../format-table.js';

export interface HistoryOptions {
  limit: string;
  status?: string;
  script?: string;
  host?: string;
  pruneOlderThan?: string;
}

const AGE_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseAge(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text);
  if (!m) throw new GodotsError('USAGE', `--prune-older-than takes an age such as 30d, 12h or 90m, not ${text}`);
  return Number(m[1]) * AGE_MS[m[2]!]!;
}

const STATUSES: RunStatus[] = ['running', 'succeeded', 'failed', 'interrupted'];

/** `godots history`: recent runs, newest first; or prune old ones. */
export async function historyCommand(globals: GlobalOptions, io: CliIo, opts: HistoryOptions): Promise<number> {
  if (opts.status && !STATUSES.includes(opts.status as RunStatus)) throw new GodotsError('USAGE', `--status must be one of ${STATUSES.join(', ')}`);
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new GodotsError('USAGE', '--limit must be a positive integer');
  const log = await openStore(globals, io);
  try {
    if (opts.pruneOlderThan) {
      const n = await log.prune(Date.now() - parseAge(opts.pruneOlderThan));
      io.out(`pruned ${n} run${n === 1 ? '' : 's'} older than ${opts.pruneOlderThan}`);
      return 0;
    }
    const runs = await log.history({ limit, status: opts.status as RunStatus | undefined, script: opts.script, host: opts.host });
    if (globals.format === 'json') {
      io.out(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      io.out('no runs recorded yet');
      return 0;
    }
    io.out(formatTable(
      ['RUN', 'KIND', 'STATUS', 'STARTED', 'TOOK', 'HOSTS', 'OK', 'FAILED', 'COMMIT'],
      runs.map((r) => [
        r.id.slice(0, 8), r.kind, r.status, new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19),
        r.finishedAt === null ? '-' : `${((r.finishedAt - r.startedAt) / 1000).toFixed(1)}s`, String(r.hosts), String(r.succeeded), String(r.failed), r.gitCommit?.slice(0, 8) ?? '-',
      ]),
    ));
    return 0;
  } finally {
    await log.close();
  }
}
