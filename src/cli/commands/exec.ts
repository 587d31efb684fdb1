import { GodotsError } from '../../core/index.js';
import { execAdhoc } from '../../reconciler/adhoc.js';
import type { ExecResult, Target } from '../../runners/index.js';
import type { CliIo } from '../cli-io.js';
import { openSession, parseTimeout } from '../fleet-session.js';
import { formatTable } from '../format-table.js';
import type { GlobalOptions } from '../global-options.js';

export interface ExecOptions {
  group?: string[];
  host?: string[];
  all?: boolean;
  parallel?: string;
  timeout?: string;
  detach?: boolean;
  acceptNewHostKey?: string[];
}

/** Line-buffered, host-prefixed output for logs and pipes. */
function prefixer(io: CliIo) {
  const partial = new Map<string, string>();
  return {
    write(t: Target, stream: 'stdout' | 'stderr', data: Buffer) {
      const key = `${t.name}\0${stream}`;
      const text = (partial.get(key) ?? '') + data.toString('utf8');
      const lines = text.split('\n');
      partial.set(key, lines.pop()!);
      // One write per chunk, not per line: a 10,000-line host is 10,000 syscalls otherwise.
      if (lines.length > 0) (stream === 'stdout' ? io.out : io.err)(lines.map((l) => `${t.name} | ${l}`).join('\n'));
    },
    flush() {
      for (const [key, rest] of partial) if (rest) io.out(`${key.split('\0')[0]} | ${rest}`);
    },
  };
}

/** `godots exec`: one command on many droplets, logged like any run. Exit 0 when every host succeeded. */
export async function execCommand(globals: GlobalOptions, io: CliIo, words: string[], opts: ExecOptions): Promise<number> {
  if (words.length === 0) throw new GodotsError('USAGE', 'nothing to run: godots exec -g GROUP -- COMMAND');
  const parallel = opts.parallel === undefined ? undefined : Number(opts.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel > 0)) throw new GodotsError('USAGE', '--parallel takes a positive integer');
  const ctx = await openSession(globals, io, { acceptNewHostKey: opts.acceptNewHostKey });
  if (!ctx) return 1;
  try {
    const json = globals.format === 'json';
    const out = prefixer(io);
    let done = 0;
    const results: { target: Target; result: ExecResult }[] = [];
    const r = await execAdhoc(ctx, {
      selection: { groups: opts.group, hosts: opts.host, all: opts.all },
      command: words.join(' '),
      parallel,
      timeoutMs: parseTimeout(opts.timeout, 10 * 60_000),
      detach: opts.detach,
      signal: io.signal,
      onOutput: json || io.isTty ? undefined : (t, s, d) => out.write(t, s, d),
      onResult: (target, result) => {
        results.push({ target, result });
        done++;
        if (io.isTty && !json) io.err(`\r${done} done, ${results.filter((x) => x.result.failed).length} failed`);
      },
    });
    out.flush();
    const rows = r.outcomes.map((o) => ({ host: o.job.target.name, account: o.job.target.account, ...(o.result ?? { status: 'skipped' as const, exitCode: null, error: 'not started', startedAt: 0, finishedAt: 0 }) }));
    if (json) {
      io.out(JSON.stringify({ runId: r.runId, results: rows }, null, 2));
    } else {
      const count = (s: string) => rows.filter((x) => x.status === s).length;
      const slowest = [...rows].sort((a, b) => b.finishedAt - b.startedAt - (a.finishedAt - a.startedAt)).slice(0, 3);
      io.out(formatTable(['HOST', 'STATUS', 'EXIT', 'TIME', 'ERROR'], rows.filter((x) => x.status !== 'succeeded').map((x) => [x.host, x.status, x.exitCode === null ? '-' : String(x.exitCode), `${((x.finishedAt - x.startedAt) / 1000).toFixed(1)}s`, x.error ?? ''])));
      io.out(`run ${r.runId.slice(0, 8)}: ${count('succeeded')} ok, ${count('failed')} failed, ${count('unreachable')} unreachable, ${count('timed_out')} timed out (of ${rows.length}); slowest: ${slowest.map((x) => `${x.host} ${((x.finishedAt - x.startedAt) / 1000).toFixed(2)}s`).join(', ')}`);
      io.out(`full output: godots logs ${r.runId.slice(0, 8)}`);
    }
    return rows.length > 0 && rows.every((x) => x.status === 'succeeded') ? 0 : 1;
  } finally {
    await ctx.close();
  }
}
