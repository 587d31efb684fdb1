import { processAlive } from '../core/process-alive.js';
import { hostname } from 'node:os';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Db, HostRunsTable } from './db-schema.js';
import type { RunLog } from './run-log.js';
import type {
  FlushResult, HistoryFilter, HostFacts, HostRunRow, HostRunStatus, HostRunUpdate, NewRun, OutputChunk, OutputStream,
  PlannedHostRun, RunEvent, RunStatus, RunSummaryRow, ScriptState,
} from './run-log-types.js';
import { Spool } from './spool.js';
import { batchOps, type WriteOp } from './write-ops.js';
import { randomUUID } from 'node:crypto';
import { redact } from '../core/redact.js';

export interface KyselyRunLogOptions {
  readonly db: Kysely<Db>;
  readonly dialect: 'sqlite' | 'mysql';
  /** Where writes wait while the database is unreachable. */
  readonly spoolDir: string;
  readonly clock?: { now(): number };
  /** Largest insert statement, in rows. */
  readonly batchRows?: number;
  /** Output of one host run is flushed at least this often... */
  readonly flushIntervalMs?: number;
  /** ...or once this many bytes wait. */
  readonly flushBytes?: number;
  readonly onError?: (err: unknown) => void;
  /** Values that must never be stored (tokens): replaced in output, errors, events and summaries. */
  readonly secrets?: readonly string[];
}

const ENDED: HostRunStatus[] = ['succeeded', 'failed', 'unreachable', 'timed_out', 'interrupted'];

/**
 * The run log over an injected Kysely instance. Writes are queued and return at
 * once (a slow or dead database never blocks a host run); a flush writes them in
 * order in batches, and anything the database refuses goes to the spool, to be
 * replayed first at the next flush that reaches it.
 */
export class KyselyRunLog implements RunLog {
  readonly dialect: 'sqlite' | 'mysql';
  private readonly db: Kysely<Db>;
  private queue: WriteOp[] = [];
  private readonly outputs = new Map<string, { seq: number; chunks: Record<string, unknown>[]; bytes: number }>();
  private readonly spool: Spool;
  private readonly clock: { now(): number };
  private readonly batchRows: number;
  private readonly flushBytes: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<FlushResult> | undefined;
  private closed = false;
  /** Whether the spool may hold writes: true at start (leftovers of another process) and after an outage. */
  private spoolDirty = true;
  private readonly secrets: readonly string[];
  private readonly secretBytes: Buffer[];

  constructor(private readonly options: KyselyRunLogOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.spool = new Spool(options.spoolDir, randomUUID().slice(0, 8));
    this.clock = options.clock ?? { now: () => Date.now() };
    this.batchRows = options.batchRows ?? 500;
    this.flushBytes = options.flushBytes ?? 64 * 1024;
    this.secrets = (options.secrets ?? []).filter((v) => v.length >= 4);
    this.secretBytes = this.secrets.map((v) => Buffer.from(v));
    // The periodic flush skips idle ticks: no queued write and no spool to replay means no I/O at all.
    this.timer = setInterval(() => {
      if (this.spoolDirty || this.pending()) void this.flush().catch((e: unknown) => options.onError?.(e));
    }, options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  // ---- write path: enqueue only

  startRun(run: NewRun): void {
    this.queue.push({
      op: 'insert',
      table: 'runs',
      rows: [{
        id: run.id, kind: run.kind, fleet: run.fleet, fleet_sha256: run.fleetSha256, git_commit: run.gitCommit ?? null, actor: run.actor ?? null,
        controller: hostname(), pid: process.pid, started_at: run.startedAt, finished_at: null, status: 'running', summary: null,
      }],
    });
  }

  finishRun(id: string, status: RunStatus, finishedAt: number, summary?: string): void {
    this.queue.push({ op: 'update', table: 'runs', id, set: { status, finished_at: finishedAt, summary: summary === undefined ? null : this.clean(summary) } });
  }

  planHostRuns(rows: readonly PlannedHostRun[]): void {
    if (rows.length === 0) return;
    this.queue.push({
      op: 'insert',
      table: 'host_runs',
      rows: rows.map((r) => ({
        id: r.id, run_id: r.runId, account: r.account, group_name: r.group ?? null, droplet_id: r.dropletId ?? null, droplet_name: r.dropletName,
        address: r.address ?? null, script: r.script, script_version: r.scriptVersion ?? null, attempt: r.attempt ?? 1, queued_at: r.queuedAt,
        started_at: null, finished_at: null, exit_code: null, signal: null, status: r.status ?? 'pending', error: r.error ?? null,
        stdout_bytes: 0, stderr_bytes: 0, truncated: 0,
      })),
    });
  }

  updateHostRun(id: string, patch: HostRunUpdate): void {
    const set: Record<string, unknown> = {};
    const map: [keyof HostRunUpdate, string][] = [
      ['status', 'status'], ['startedAt', 'started_at'], ['finishedAt', 'finished_at'], ['exitCode', 'exit_code'], ['signal', 'signal'],
      ['error', 'error'], ['stdoutBytes', 'stdout_bytes'], ['stderrBytes', 'stderr_bytes'], ['attempt', 'attempt'], ['address', 'address'], ['dropletId', 'droplet_id'],
    ];
    for (const [k, col] of map) if (patch[k] !== undefined) set[col] = patch[k];
    if (patch.truncated !== undefined) set.truncated = patch.truncated ? 1 : 0;
    if (typeof set.error === 'string') set.error = this.clean(set.error);
    // Output of this host run goes in before its final status, so a reader that sees "done" sees all of it.
    if (patch.status && ENDED.includes(patch.status)) {
      this.takeOutput(id);
      // An ended host run writes no more output: its buffer goes, so a long watch does not accumulate them.
      this.outputs.delete(id);
    }
    this.queue.push({ op: 'update', table: 'host_runs', id, set });
  }

  appendOutput(hostRunId: string, stream: OutputStream, data: Buffer, at = this.clock.now()): void {
    if (data.length === 0) return;
    let buf = this.outputs.get(hostRunId);
    if (!buf) {
      buf = { seq: 0, chunks: [], bytes: 0 };
      this.outputs.set(hostRunId, buf);
    }
    const last = buf.chunks[buf.chunks.length - 1];
    // Consecutive pieces of one stream merge into one row, up to the flush size.
    const code = stream === 'stderr' ? 'e' : 'o';
    if (last && last.stream === code && (last.data as Buffer).length + data.length <= this.flushBytes) {
      last.data = Buffer.concat([last.data as Buffer, data]);
    } else {
      buf.chunks.push({ host_run_id: hostRunId, seq: buf.seq++, stream: code, at, data: Buffer.from(data) });
    }
    buf.bytes += data.length;
    if (buf.bytes >= this.flushBytes) this.takeOutput(hostRunId);
  }

  private clean(text: string): string {
    return redact(text, this.secrets);
  }

  /** Output is bytes: secrets are masked byte-wise, so binary output stays verbatim elsewhere. */
  private cleanBytes(data: Buffer): Buffer {
    let out = data;
    for (const secret of this.secretBytes) {
      let at = out.indexOf(secret);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      while (at >= 0) {
        parts.push(out.subarray(from, at), Buffer.from('[redacted]'));
        from = at + secret.length;
        at = out.indexOf(secret, from);
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  }

  resumeOutput(hostRunId: string, nextSeq: number): void {
    const buf = this.outputs.get(hostRunId);
    if (buf) buf.seq = Math.max(buf.seq, nextSeq);
    else this.outputs.set(hostRunId, { seq: nextSeq, chunks: [], bytes: 0 });
  }

  private takeOutput(hostRunId: string): void {
    const buf = this.outputs.get(hostRunId);
    if (!buf || buf.chunks.length === 0) return;
    if (this.secretBytes.length > 0) for (const c of buf.chunks) c.data = this.cleanBytes(c.data as Buffer);
    this.queue.push({ op: 'insert', table: 'host_output', rows: buf.chunks });
    buf.chunks = [];
    buf.bytes = 0;
  }

  addEvent(e: RunEvent): void {
    this.queue.push({
      op: 'insert',
      table: 'events',
      rows: [{ id: randomUUID(), run_id: e.runId, at: e.at, type: e.type, droplet_name: e.dropletName ?? null, script: e.script ?? null, message: this.clean(e.message), data: e.data === undefined ? null : this.clean(JSON.stringify(e.data)) }],
    });
  }

  addFacts(f: HostFacts): void {
    this.queue.push({
      op: 'insert',
      table: 'host_facts',
      rows: [{
        id: randomUUID(), run_id: f.runId, droplet_name: f.dropletName, droplet_id: f.dropletId ?? null, at: f.at, hostname: f.hostname ?? null,
        kernel: f.kernel ?? null, uptime_s: f.uptimeS ?? null, load1: f.load1 ?? null, mem_total_kb: f.memTotalKb ?? null,
        mem_available_kb: f.memAvailableKb ?? null, disk_total_kb: f.diskTotalKb ?? null, disk_available_kb: f.diskAvailableKb ?? null,
      }],
    });
  }

  // ---- flushing

  /**
   * Reads see this process's own writes: anything still queued is flushed
   * first (a no-op when nothing waits), so callers never flush before a query.
   */
  private async settle(): Promise<void> {
    if (this.pending() || this.flushing) await this.flush();
  }

  private pending(): boolean {
    return this.queue.length > 0 || [...this.outputs.values()].some((b) => b.chunks.length > 0);
  }

  /** Writes everything queued so far; never throws for a database outage (the writes are spooled). */
  flush(): Promise<FlushResult> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    for (const id of this.outputs.keys()) this.takeOutput(id);
    const ops = this.queue;
    this.queue = [];
    this.flushing = this.write(ops).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(ops: WriteOp[]): Promise<FlushResult> {
    let written = 0;
    try {
      written += await this.spool.replay((spooled) => this.execute(spooled));
      this.spoolDirty = false;
    } catch (err) {
      this.options.onError?.(err);
      this.spool.append(ops);
      this.spoolDirty = true;
      return { written, spooled: ops.length };
    }
    if (ops.length === 0) return { written, spooled: 0 };
    try {
      await this.execute(ops);
      return { written: written + ops.length, spooled: 0 };
    } catch (err) {
      this.options.onError?.(err);
      // Replay is idempotent, so ops that did reach the database before the failure may be spooled again safely.
      this.spool.append(ops);
      this.spoolDirty = true;
      return { written, spooled: ops.length };
    }
  }

  private async execute(ops: WriteOp[]): Promise<void> {
    for (const op of batchOps(ops, this.batchRows)) {
      if (op.op === 'insert') {
        // Only a repeated key is ignored (replays); MySQL's INSERT IGNORE would also hide truncation, so it is not used.
        const q = this.db.insertInto(op.table).values(op.rows as never);
        const key = op.table === 'host_output' ? 'seq' : 'id';
        if (this.dialect === 'mysql') await q.onDuplicateKeyUpdate({ [key]: sql.ref(key) } as never).execute();
        else await q.onConflict((oc) => oc.doNothing()).execute();
      } else {
        let q = this.db.updateTable(op.table).set(op.set as never).where('id', '=', op.id);
        if (op.onlyIfStatus) q = q.where('status', 'in', op.onlyIfStatus as string[]);
        await q.execute();
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    await this.db.destroy();
  }

  // ---- recovery and retention

  async recoverInterrupted(isAlive: (pid: number) => boolean): Promise<string[]> {
    const stale = await this.db.selectFrom('runs').select(['id', 'pid']).where('status', '=', 'running').where('controller', '=', hostname()).execute();
    const dead = stale.filter((r) => r.pid !== process.pid && !isAlive(Number(r.pid))).map((r) => r.id);
    if (dead.length === 0) return [];
    const now = this.clock.now();
    await this.db.updateTable('runs').set({ status: 'interrupted', finished_at: now }).where('id', 'in', dead).execute();
    await this.db
      .updateTable('host_runs')
      .set({ status: 'interrupted', finished_at: now, error: 'the controller stopped before this host run ended' })
      .where('run_id', 'in', dead)
      .where('status', 'in', ['pending', 'running'])
      .execute();
    return dead;
  }

  async prune(before: number): Promise<number> {
    const old = await this.db.selectFrom('runs').select('id').where('started_at', '<', before).where('status', '!=', 'running').execute();
    const ids = old.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const hostRuns = this.db.selectFrom('host_runs').select('id').where('run_id', 'in', part);
      await this.db.deleteFrom('host_output').where('host_run_id', 'in', hostRuns).execute();
      for (const t of ['host_runs', 'events', 'host_facts'] as const) await this.db.deleteFrom(t).where('run_id', 'in', part).execute();
      await this.db.deleteFrom('runs').where('id', 'in', part).execute();
    }
    return ids.length;
  }

  // ---- locks

  async acquireLock(name: string, owner: string): Promise<{ controller: string; pid: number; since: number } | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.db.insertInto('locks').values({ name, owner, controller: hostname(), pid: process.pid, acquired_at: this.clock.now() }).execute();
        return null;
      } catch {
        const holder = await this.db.selectFrom('locks').selectAll().where('name', '=', name).executeTakeFirst();
        if (!holder) continue;
        const stale = holder.controller === hostname() && Number(holder.pid) !== process.pid && !processAlive(Number(holder.pid));
        if (!stale) return { controller: holder.controller, pid: Number(holder.pid), since: Number(holder.acquired_at) };
        await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', holder.owner).execute();
      }
    }
    throw new Error(`could not take the lock ${name}`);
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).execute();
  }

  async interruptedHostRuns(since: number): Promise<HostRunRow[]> {
    await this.settle();
    const rows = await this.db.selectFrom('host_runs').selectAll().where('status', '=', 'interrupted').where('queued_at', '>=', since).where('script', '!=', 'exec').orderBy('queued_at').execute();
    return rows.map(toHostRunRow);
  }

  // ---- read path

  /** Runs with their host-run counts, newest first; history and findRun narrow it. */
  private summaries() {
    return this.db
      .selectFrom('runs')
      .leftJoin('host_runs', 'host_runs.run_id', 'runs.id')
      .select((eb) => [
        'runs.id', 'runs.kind', 'runs.fleet', 'runs.status', 'runs.started_at', 'runs.finished_at', 'runs.git_commit', 'runs.actor', 'runs.summary',
        eb.fn.count<number>('host_runs.id').as('hosts'),
        eb.fn.sum<number>(eb.case().when('host_runs.status', '=', 'succeeded').then(1).else(0).end()).as('succeeded'),
        eb.fn.sum<number>(eb.case().when('host_runs.status', 'in', ['failed', 'unreachable', 'timed_out', 'interrupted']).then(1).else(0).end()).as('failed'),
      ])
      .groupBy(['runs.id', 'runs.kind', 'runs.fleet', 'runs.status', 'runs.started_at', 'runs.finished_at', 'runs.git_commit', 'runs.actor', 'runs.summary'])
      .orderBy('runs.started_at', 'desc');
  }

  async history(filter: HistoryFilter = {}): Promise<RunSummaryRow[]> {
    await this.settle();
    let q = this.summaries().limit(filter.limit ?? 20);
    if (filter.status) q = q.where('runs.status', '=', filter.status);
    if (filter.kind) q = q.where('runs.kind', '=', filter.kind);
    if (filter.script) q = q.where('runs.id', 'in', this.db.selectFrom('host_runs').select('run_id').where('script', '=', filter.script));
    if (filter.host) q = q.where('runs.id', 'in', this.db.selectFrom('host_runs').select('run_id').where('droplet_name', '=', filter.host));
    return (await q.execute()).map(toSummaryRow);
  }

  async findRun(idOrPrefix: string): Promise<RunSummaryRow | undefined> {
    await this.settle();
    const rows = await this.db.selectFrom('runs').select('id').where('id', 'like', `${idOrPrefix.replace(/[%_]/g, '')}%`).limit(2).execute();
    if (rows.length !== 1) return undefined;
    const [run] = await this.summaries().where('runs.id', '=', rows[0]!.id).execute();
    return run && toSummaryRow(run);
  }

  async hostRuns(runId: string, host?: string): Promise<HostRunRow[]> {
    await this.settle();
    let q = this.db.selectFrom('host_runs').selectAll().where('run_id', '=', runId).orderBy('queued_at').orderBy('droplet_name').orderBy('script');
    if (host) q = q.where('droplet_name', '=', host);
    return (await q.execute()).map(toHostRunRow);
  }

  async output(hostRunId: string, afterSeq = -1): Promise<OutputChunk[]> {
    await this.settle();
    const rows = await this.db.selectFrom('host_output').selectAll().where('host_run_id', '=', hostRunId).where('seq', '>', afterSeq).orderBy('seq').execute();
    return rows.map((r) => ({ seq: Number(r.seq), stream: r.stream === 'e' ? 'stderr' : 'stdout', at: Number(r.at), data: Buffer.from(r.data) }));
  }

  async events(runId: string): Promise<RunEvent[]> {
    await this.settle();
    const rows = await this.db.selectFrom('events').selectAll().where('run_id', '=', runId).orderBy('at').execute();
    return rows.map((r) => ({ runId: r.run_id, at: Number(r.at), type: r.type, dropletName: r.droplet_name, script: r.script, message: r.message, data: r.data === null ? undefined : JSON.parse(r.data) }));
  }

  async facts(dropletName: string): Promise<HostFacts[]> {
    await this.settle();
    const rows = await this.db.selectFrom('host_facts').selectAll().where('droplet_name', '=', dropletName).orderBy('at').execute();
    return rows.map((r) => ({
      runId: r.run_id, dropletName: r.droplet_name, dropletId: r.droplet_id === null ? null : Number(r.droplet_id), at: Number(r.at), hostname: r.hostname,
      kernel: r.kernel, uptimeS: r.uptime_s === null ? null : Number(r.uptime_s), load1: r.load1 === null ? null : Number(r.load1),
      memTotalKb: r.mem_total_kb === null ? null : Number(r.mem_total_kb), memAvailableKb: r.mem_available_kb === null ? null : Number(r.mem_available_kb),
      diskTotalKb: r.disk_total_kb === null ? null : Number(r.disk_total_kb), diskAvailableKb: r.disk_available_kb === null ? null : Number(r.disk_available_kb),
    }));
  }

  async scriptStates(scripts: readonly string[], dropletIds: readonly number[]): Promise<Map<string, ScriptState>> {
    const out = new Map<string, ScriptState>();
    if (scripts.length === 0 || dropletIds.length === 0) return out;
    await this.settle();
    for (let i = 0; i < dropletIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('host_runs')
        .select(['script', 'droplet_id', 'script_version', 'status', 'finished_at', 'queued_at'])
        .where('script', 'in', [...scripts])
        .where('droplet_id', 'in', dropletIds.slice(i, i + 500))
        .where('status', 'in', ENDED)
        .orderBy('queued_at')
        .execute();
      for (const r of rows) {
        const key = scriptStateKey(r.script, Number(r.droplet_id));
        const prev = out.get(key);
        const versions = new Set(prev?.succeededVersions ?? []);
        if (r.status === 'succeeded' && r.script_version) versions.add(r.script_version);
        out.set(key, {
          script: r.script,
          dropletId: Number(r.droplet_id),
          succeededVersions: versions,
          last: { status: r.status as HostRunStatus, version: r.script_version, at: Number(r.finished_at ?? r.queued_at) },
        });
      }
    }
    return out;
  }
}

export function scriptStateKey(script: string, dropletId: number): string {
  return `${script}\u0000${dropletId}`;
}


type SummaryRecord = {
  id: string; kind: string; fleet: string; status: string; started_at: number; finished_at: number | null; git_commit: string | null;
  actor: string | null; summary: string | null; hosts: number; succeeded: number | null; failed: number | null;
};

function toSummaryRow(r: SummaryRecord): RunSummaryRow {
  return {
    id: r.id, kind: r.kind as RunSummaryRow['kind'], fleet: r.fleet, status: r.status as RunStatus, startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at), gitCommit: r.git_commit, actor: r.actor, summary: r.summary,
    hosts: Number(r.hosts), succeeded: Number(r.succeeded ?? 0), failed: Number(r.failed ?? 0),
  };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toHostRunRow(r: Selectable<HostRunsTable>): HostRunRow {
  return {
    id: r.id, runId: r.run_id, account: r.account, group: r.group_name, dropletId: num(r.droplet_id), dropletName: r.droplet_name, address: r.address,
    script: r.script, scriptVersion: r.script_version, attempt: Number(r.attempt), queuedAt: Number(r.queued_at), startedAt: num(r.started_at),
    finishedAt: num(r.finished_at), exitCode: num(r.exit_code), signal: r.signal, status: r.status as HostRunStatus, error: r.error,
    stdoutBytes: Number(r.stdout_bytes), stderrBytes: Number(r.stderr_bytes), truncated: Number(r.truncated) === 1,
  };
}
