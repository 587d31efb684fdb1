import type { ClientChannel } from 'ssh2';
import { cleanDetached, followDetached, killDetached, startDetached, type Progress } from './detached-script.js';
import { gatherFacts, type Facts } from './facts.js';
import type { HostKeyStore } from './host-keys.js';
import { OutputMeter } from './output-meter.js';
import { remoteCapture, remoteExec } from './remote-exec.js';
import { exportLines, shellQuote } from './remote-env.js';
import type { ExecResult, OutputSink, SshSettings, Target } from './runner-types.js';
import { SshError, classifySshError } from './ssh-errors.js';
import { SshPool, type Lease } from './ssh-pool.js';

export interface RunnerOptions {
  readonly ssh: SshSettings;
  readonly hostKeys: HostKeyStore;
  /** Per host run, what is kept of the output; the rest is counted and marked truncated. Default 64 MiB. */
  readonly outputCapBytes?: number;
  /** Wait before retry `n` (from 1). Default: 250 ms doubling, at most 5 s. */
  readonly backoffMs?: (attempt: number) => number;
  readonly now?: () => number;
  /** Told when a host key is pinned for the first time or re-pinned. */
  readonly onPin?: (target: Target, outcome: string) => void;
}

export interface CommonRequest {
  readonly hostRunId: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Retries of connection failures. */
  readonly retries: number;
  /** Also retry non-zero exits. */
  readonly retryOnExit: boolean;
  readonly sink: OutputSink;
}

export interface ExecRequest extends CommonRequest {
  readonly command: string;
}

export interface ScriptRequest extends CommonRequest {
  readonly text: string;
  readonly interpreter: string;
  /** Resume a script an earlier controller started: offsets already recorded. */
  readonly resume?: { readonly stdout: number; readonly stderr: number };
}

/** Runs commands and detached scripts on droplets; every failure comes back as an ExecResult. */
export interface Runner {
  /** The SSH settings every connection uses; file sync runs its own ssh with the same key and pins. */
  readonly settings: SshSettings;
  exec(target: Target, req: ExecRequest): Promise<ExecResult>;
  runScript(target: Target, req: ScriptRequest): Promise<ExecResult>;
  facts(target: Target): Promise<Facts | null>;
  /** An open connection for other work on the droplet (file sync); released by the caller. */
  lease(target: Target): Promise<Lease>;
  peakConnections(): number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills the sessions of every process whose environment carries this exec id (field 6 of /proc/PID/stat is the session). */
function killByExecId(execId: string): string {
  return `for p in /proc/[0-9]*; do if grep -qz '^GODOTS_EXEC_ID=${execId}$' "$p/environ" 2>/dev/null; then s=$(cut -d' ' -f6 "$p/stat" 2>/dev/null) && [ "$s" -gt 1 ] && pkill -KILL -s "$s"; fi; done; true`;
}

export function createSshRunner(options: RunnerOptions): Runner {
  const pool = new SshPool(options.ssh, options.hostKeys);
  const now = options.now ?? Date.now;
  const cap = options.outputCapBytes ?? 64 * 1024 * 1024;
  const backoff = options.backoffMs ?? ((n: number) => Math.min(5_000, 250 * 2 ** (n - 1)));

  const acquire = async (target: Target): Promise<Lease> => {
    const lease = await pool.acquire(target);
    if (lease.pin !== 'matched' && lease.pin !== 'reused') options.onPin?.(target, lease.pin);
    return lease;
  };

  const result = (meter: OutputMeter, startedAt: number, attempts: number, r: Partial<ExecResult> & Pick<ExecResult, 'status'>): ExecResult => ({
    exitCode: null,
    signal: null,
    timedOut: r.status === 'timed_out',
    failed: r.status !== 'succeeded',
    error: null,
    errorCode: null,
    stdoutBytes: meter.stdoutBytes,
    stderrBytes: meter.stderrBytes,
    truncated: meter.truncated,
    attempts,
    startedAt,
    finishedAt: now(),
    ...r,
  });

  /** One attempt of an attached command; throws SshError when the connection fails. */
  const execOnce = async (target: Target, req: ExecRequest, meter: OutputMeter): Promise<Partial<ExecResult> & Pick<ExecResult, 'status'>> => {
    const lease = await acquire(target);
    // The exec id marks every process of this command in its environment, so a timeout can find
    // and kill their sessions without a pid file or any extra process on the normal path.
    const execId = req.hostRunId.replace(/[^A-Za-z0-9_-]/g, '');
    const command = `${exportLines({ ...req.env, GODOTS_EXEC_ID: execId })}\nexec sh -c ${shellQuote(req.command)}`;
    let channel: ClientChannel | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void remoteCapture(lease.client, killByExecId(execId), target.name)
        .catch(() => undefined)
        .finally(() => channel?.close());
    }, req.timeoutMs);
    try {
      const exit = await remoteExec(lease.client, command, (s, d) => meter.write(s, d), target.name, (c) => (channel = c));
      lease.release();
      if (timedOut) return { status: 'timed_out', error: `no exit within ${req.timeoutMs} ms; the remote session was killed` };
      const ok = exit.code === 0;
      return { status: ok ? 'succeeded' : 'failed', exitCode: exit.code, signal: exit.signal };
    } catch (err) {
      lease.discard();
      if (timedOut) return { status: 'timed_out', error: `no exit within ${req.timeoutMs} ms; the remote session was killed` };
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };

  /** Repeats `once` per the retry policy: connection failures up to `retries`, non-zero exits only with retryOnExit. */
  const withRetries = async (
    target: Target,
    req: CommonRequest,
    once: (meter: OutputMeter, attempt: number) => Promise<Partial<ExecResult> & Pick<ExecResult, 'status'>>,
  ): Promise<ExecResult> => {
    const startedAt = now();
    const meter = new OutputMeter(req.sink, cap);
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await once(meter, attempt);
        if (r.status === 'failed' && req.retryOnExit && attempt <= req.retries) {
          await sleep(backoff(attempt));
          continue;
        }
        return result(meter, startedAt, attempt, r);
      } catch (err) {
        const e = classifySshError(err, target.name);
        if (e.retryable && attempt <= req.retries) {
          await sleep(backoff(attempt));
          continue;
        }
        return result(meter, startedAt, attempt, { status: e.code === 'AUTH' || e.code === 'HOST_KEY_CHANGED' || !e.retryable ? 'failed' : 'unreachable', error: e.message, errorCode: e.code });
      }
    }
  };

  const scriptOnce = async (target: Target, req: ScriptRequest, meter: OutputMeter, attempt: number): Promise<Partial<ExecResult> & Pick<ExecResult, 'status'>> => {
    // A retry after a non-zero exit is a new run of the script, in its own directory.
    const id = attempt === 1 ? req.hostRunId : `${req.hostRunId}-r${attempt}`;
    const progress: Progress = { stdout: req.resume && attempt === 1 ? req.resume.stdout : 0, stderr: req.resume && attempt === 1 ? req.resume.stderr : 0 };
    const deadline = now() + req.timeoutMs;
    let lease = await acquire(target);
    try {
      if (!(req.resume && attempt === 1)) await startDetached(lease.client, { hostRunId: id, text: req.text, interpreter: req.interpreter, env: req.env }, target.name);
    } catch (err) {
      lease.discard();
      throw err;
    }
    // From here the script runs on its own: connection drops only interrupt our reading of it.
    let drops = 0;
    for (;;) {
      try {
        const outcome = await followDetached(lease.client, id, progress, (s, d) => meter.write(s, d), target.name, deadline);
        if (outcome.kind === 'deadline') {
          await killDetached(lease.client, id, target.name);
          lease.release();
          return { status: 'timed_out', error: `no exit within ${req.timeoutMs} ms; the script's session was killed` };
        }
        if (outcome.kind === 'missing') {
          lease.release();
          return { status: 'interrupted', error: 'the script\'s run directory is gone from the droplet (rebuilt or cleaned); its result is unknown' };
        }
        await cleanDetached(lease.client, id, target.name).catch(() => undefined);
        lease.release();
        return { status: outcome.exitCode === 0 ? 'succeeded' : 'failed', exitCode: outcome.exitCode };
      } catch (err) {
        lease.discard();
        const e = classifySshError(err, target.name);
        drops++;
        if (!e.retryable || drops > Math.max(3, req.retries) || now() >= deadline) {
          throw new SshError(e.code, `${e.message} while following the script; it may still be running on the droplet and will be collected by the next run`, false);
        }
        await sleep(backoff(drops));
        lease = await acquire(target).catch((e2: unknown) => {
          throw classifySshError(e2, target.name);
        });
      }
    }
  };

  return {
    settings: options.ssh,
    exec: (target, req) => withRetries(target, req, (meter) => execOnce(target, req, meter)),
    runScript: (target, req) => withRetries(target, req, (meter, attempt) => scriptOnce(target, req, meter, attempt)),
    async facts(target) {
      const lease = await acquire(target);
      try {
        const f = await gatherFacts(lease.client, target.name);
        lease.release();
        return f;
      } catch {
        lease.discard();
        return null;
      }
    },
    lease: acquire,
    peakConnections: () => pool.peak,
    close: () => pool.close(),
  };
}
