import { GodotsError } from '../../core/index.js';
import type { HostRunRow, RunLog } from '../../store/index.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openStore } from '../open-store.js';

export interface LogsOptions {
  host?: string;
  head?: string;
  tail?: string;
  follow?: boolean;
}

function lines(text: string, opts: LogsOptions): string {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  if (opts.head) return all.slice(0, Number(opts.head)).join('\n');
  if (opts.tail) return all.slice(-Number(opts.tail)).join('\n');
  return all.join('\n');
}

function header(h: HostRunRow): string {
  const end = h.exitCode !== null ? `exit ${h.exitCode}` : h.signal ? `signal ${h.signal}` : h.status;
  return `== ${h.dropletName} · ${h.script} · ${h.status} (${end})${h.truncated ? ' · output truncated' : ''}${h.error ? ` · ${h.error}` : ''}`;
}

async function printHost(log: RunLog, io: CliIo, h: HostRunRow, opts: LogsOptions, json: boolean): Promise<unknown> {
  const chunks = await log.output(h.id);
  const stdout = Buffer.concat(chunks.filter((c) => c.stream === 'stdout').map((c) => c.data)).toString('utf8');
  const stderr = Buffer.concat(chunks.filter((c) => c.stream === 'stderr').map((c) => c.data)).toString('utf8');
  if (json) return { ...h, stdout: lines(stdout, opts), stderr: lines(stderr, opts) };
  io.out(header(h));
  const merged = Buffer.concat(chunks.map((c) => c.data)).toString('utf8');
  const text = lines(merged, opts);
  if (text) io.out(text);
  return undefined;
}

/** `godots logs RUN_ID`: the output of every host of a run (or one), in order. */
export async function logsCommand(globals: GlobalOptions, io: CliIo, runRef: string, opts: LogsOptions): Promise<number> {
  for (const k of ['head', 'tail'] as const) {
    if (opts[k] !== undefined && !(Number(opts[k]) >= 0)) throw new GodotsError('USAGE', `--${k} takes a number of lines`);
  }
  const log = await openStore(globals, io);
  try {
    const run = await log.findRun(runRef);
    if (!run) throw new GodotsError('USAGE', `no run matches ${runRef} (see godots history)`);
    if (opts.follow) return await follow(log, io, run.id, opts);
    const hosts = await log.hostRuns(run.id, opts.host);
    if (opts.host && hosts.length === 0) throw new GodotsError('USAGE', `run ${run.id.slice(0, 8)} did not touch ${opts.host}`);
    const json: unknown[] = [];
    for (const h of hosts) json.push(await printHost(log, io, h, opts, globals.format === 'json'));
    if (globals.format === 'json') io.out(JSON.stringify({ run, hosts: json }, null, 2));
    return 0;
  } finally {
    await log.close();
  }
}

async function follow(log: RunLog, io: CliIo, runId: string, opts: LogsOptions): Promise<number> {
  const seen = new Map<string, number>();
  for (;;) {
    const hosts = await log.hostRuns(runId, opts.host);
    for (const h of hosts) {
      const after = seen.get(h.id) ?? -1;
      for (const c of await log.output(h.id, after)) {
        for (const line of c.data.toString('utf8').split('\n').filter(Boolean)) io.out(`${h.dropletName}: ${line}`);
        seen.set(h.id, c.seq);
      }
    }
    const run = await log.findRun(runId);
    if (!run || run.status !== 'running' || io.signal?.aborted) return 0;
    await new Promise((r) => setTimeout(r, 500));
  }
}
