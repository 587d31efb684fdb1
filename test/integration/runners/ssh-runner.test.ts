import { skipWithoutSshd } from '../../helpers/require.js';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanout, godotsEnv, openTunnel, syncFiles, expandHost, type ExecResult, type Runner, type Target } from '../../../src/runners/index.js';
import { hostsFixture, type HostsFixture } from '../../helpers/fleet-hosts.js';
import { processCount } from '../../helpers/processes.js';

let fx: HostsFixture;
let runner: Runner;
let hosts: Target[];

function collect() {
  const parts: { stream: string; data: Buffer }[] = [];
  const sink = (stream: 'stdout' | 'stderr', data: Buffer) => parts.push({ stream, data });
  const text = (s: 'stdout' | 'stderr') => Buffer.concat(parts.filter((p) => p.stream === s).map((p) => p.data)).toString();
  return { sink, text, parts };
}

const base = { env: {}, timeoutMs: 20_000, retries: 1, retryOnExit: false };

describe.skipIf(skipWithoutSshd())('ssh runner against real sshd droplets', () => {
  beforeAll(async () => {
    fx = await hostsFixture('127.51');
    hosts = await fx.create(['r-0', 'r-1', 'r-2', 'r-3']);
    runner = fx.runner();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('runs a command, pins the host key at first contact, and reuses the connection', async () => {
    const out = collect();
    const r = await runner.exec(hosts[0]!, { ...base, hostRunId: randomUUID(), command: 'hostname; echo err >&2', sink: out.sink });
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0, failed: false, attempts: 1 });
    expect(out.text('stdout')).toBe('r-0\n');
    expect(out.text('stderr')).toBe('err\n');
    expect(fx.hostKeys.list().map((p) => p.name)).toContain('r-0');
    expect(readFileSync(fx.settings.knownHostsPath, 'utf8')).toMatch(/^127\.51\.\d+\.\d+ ssh-ed25519 \S+ godots-droplet=\d+ name=r-0$/m);
  });

  it('reports a non-zero exit as a failed result, not an exception', async () => {
    const r = await runner.exec(hosts[0]!, { ...base, hostRunId: randomUUID(), command: 'exit 7', sink: () => undefined });
    expect(r).toMatchObject({ status: 'failed', exitCode: 7, failed: true, timedOut: false });
  });

  it('delivers GODOTS_* and hostile env values verbatim', async () => {
    const hostile = { QUOTES: `it's "x"`, SUBST: '$(touch /tmp/pwned) `id`', NEWLINES: 'a\nb\n\n', SEMI: '; rm -rf / #', BACKSLASH: '\\n\\\\' };
    const env: Record<string, string> = { ...godotsEnv('demo', hosts[1]!, 'run-1'), ...hostile };
    const out = collect();
    const names = Object.keys(env);
    const r = await runner.exec(hosts[1]!, { ...base, env, hostRunId: randomUUID(), command: names.map((n) => `printf '%s\\0' "$${n}"`).join('; '), sink: out.sink });
    expect(r.status).toBe('succeeded');
    const values = out.text('stdout').split('\0').slice(0, -1);
    expect(Object.fromEntries(names.map((n, i) => [n, values[i]]))).toEqual(env);
    expect(env.GODOTS_HOST).toBe('r-1');
    const pwned = await runner.exec(hosts[1]!, { ...base, hostRunId: randomUUID(), command: 'test -e /tmp/pwned', sink: () => undefined });
    expect(pwned.exitCode).toBe(1);
  });

  it('kills the remote session on timeout', async () => {
    const r = await runner.exec(hosts[2]!, { ...base, timeoutMs: 500, hostRunId: randomUUID(), command: 'sleep 4321 & sleep 4322', sink: () => undefined });
    expect(r).toMatchObject({ status: 'timed_out', timedOut: true, failed: true });
    for (let i = 0; i < 50 && processCount('sleep 432') > 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(processCount('sleep 432')).toBe(0);
  });

  it('gives up on an unreachable host after its retries, as unreachable', async () => {
    const [t] = await fx.create(['r-hung']);
    await fx.emu.faults.setUnreachable(t!.dropletId, true);
    const shortSettings = { ...fx.settings, connectTimeoutMs: 300 };
    const r2 = await (await import('../../../src/runners/index.js')).createSshRunner({ ssh: shortSettings, hostKeys: fx.hostKeys, backoffMs: () => 10 })
      .exec(t!, { ...base, retries: 2, hostRunId: randomUUID(), command: 'true', sink: () => undefined });
    expect(r2).toMatchObject({ status: 'unreachable', errorCode: 'CONNECT_TIMEOUT', attempts: 3 });
    await fx.emu.faults.setUnreachable(t!.dropletId, false);
  });

  it('runs declared scripts detached and resumes after a dropped connection with no output lost or doubled', async () => {
    const out = collect();
    const text = 'for i in $(seq 1 30); do echo "line $i"; echo "warn $i" >&2; sleep 0.05; done; echo "$GREETING"; exit 3';
    const pending = runner.runScript(hosts[3]!, { ...base, retries: 3, hostRunId: randomUUID(), text, interpreter: '/bin/sh', env: { GREETING: 'bye "now"' }, sink: out.sink });
    await new Promise((res) => setTimeout(res, 600));
    await fx.emu.faults.dropConnections(hosts[3]!.dropletId);
    const r = await pending;
    expect(r).toMatchObject({ status: 'failed', exitCode: 3 });
    const expected = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('') + 'bye "now"\n';
    expect(out.text('stdout')).toBe(expected);
    expect(out.text('stderr')).toBe(Array.from({ length: 30 }, (_, i) => `warn ${i + 1}\n`).join(''));
    expect(r.stdoutBytes).toBe(Buffer.byteLength(expected));
  });

  it('collects, after the controller is killed, a script it started, with no output lost', async () => {
    const id = randomUUID();
    const sinkFile = join(fx.dir, `${id}.out`);
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../fixtures/runners/controller.mjs'), JSON.stringify({ settings: fx.settings, target: hosts[2], hostRunId: id, sinkFile, text: 'for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 0.15; done' })], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => l === 'OUTPUT' && resolve());
      child.once('exit', (c) => reject(new Error(`controller exited early (${c})`)));
    });
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const before = readFileSync(sinkFile);
    expect(before.length).toBeGreaterThan(0);
    const later = collect();
    const r = await runner.runScript(hosts[2]!, { ...base, hostRunId: id, text: 'unused: already started', interpreter: '/bin/sh', env: {}, sink: later.sink, resume: { stdout: before.length, stderr: 0 } });
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(before.toString() + later.text('stdout')).toBe(Array.from({ length: 8 }, (_, i) => `tick ${i + 1}\n`).join(''));
  });

  it('refuses a changed host key, and re-pins on request', async () => {
    const [t] = await fx.create(['r-rekey']);
    expect((await runner.exec(t!, { ...base, hostRunId: randomUUID(), command: 'true', sink: () => undefined })).status).toBe('succeeded');
    await fx.emu.faults.rotateHostKey(t!.dropletId);
    const fresh = fx.runner();
    const refused = await fresh.exec(t!, { ...base, hostRunId: randomUUID(), command: 'true', sink: () => undefined });
    expect(refused).toMatchObject({ status: 'failed', errorCode: 'HOST_KEY_CHANGED' });
    expect(refused.error).toContain('--accept-new-host-key r-rekey');
    fx.hostKeys.acceptNewKeyFor('r-rekey');
    expect((await fresh.exec(t!, { ...base, hostRunId: randomUUID(), command: 'true', sink: () => undefined })).status).toBe('succeeded');
  });

  it('gives a new droplet on a recycled address a fresh pin', async () => {
    const [old] = await fx.create(['r-old']);
    expect((await runner.exec(old!, { ...base, hostRunId: randomUUID(), command: 'true', sink: () => undefined })).status).toBe('succeeded');
    await fx.emu.faults.deleteOutOfBand(old!.dropletId);
    fx.emu.faults.reuseAddressNext(old!.address);
    const [reborn] = await fx.create(['r-new']);
    expect(reborn!.address).toBe(old!.address);
    const pins: string[] = [];
    const r = fx.runner({ onPin: (_t, outcome) => pins.push(outcome) });
    const out = collect();
    expect((await r.exec(reborn!, { ...base, hostRunId: randomUUID(), command: 'hostname', sink: out.sink })).status).toBe('succeeded');
    expect(out.text('stdout')).toBe('r-new\n');
    expect(pins).toEqual(['repinned-new-droplet']);
    expect(fx.hostKeys.list().some((p) => p.name === 'r-old')).toBe(false);
  });

  it('streams 50 MB of output with flat memory and caps what it keeps', async () => {
    let seen = 0;
    const before = process.memoryUsage().rss;
    let peak = before;
    const capped = fx.runner({ outputCapBytes: 8 * 1024 * 1024 });
    const r = await capped.exec(hosts[0]!, {
      ...base, timeoutMs: 60_000, hostRunId: randomUUID(), command: "head -c 50000000 /dev/zero | tr '\\0' a",
      sink: (_s, d) => {
        seen += d.length;
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    expect(r).toMatchObject({ status: 'succeeded', stdoutBytes: 50_000_000, truncated: true });
    expect(seen).toBe(8 * 1024 * 1024);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('gathers facts on the run\'s connection', async () => {
    const f = await runner.facts(hosts[1]!);
    expect(f).toMatchObject({ hostname: 'r-1' });
    expect(f!.kernel).toMatch(/^\d+\.\d+/);
    expect(f!.memTotalKb).toBeGreaterThan(0);
    expect(f!.diskTotalKb).toBeGreaterThan(0);
  });

  it('round-trips files with rsync, per-host collect paths included', async () => {
    const src = join(fx.dir, 'upload');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub', 'b.bin'), Buffer.from([0, 1, 2, 3]));
    for (const t of hosts.slice(0, 2)) {
      const lease = await runner.lease(t);
      try {
        const up = await syncFiles(lease.client, fx.settings, t, 'upload', `${src}/`, '/opt/in/', { via: 'rsync' });
        expect(up).toEqual({ ok: true, via: 'rsync', error: null });
        await runner.exec(t, { ...base, hostRunId: randomUUID(), command: 'mkdir -p /opt/out && cat /opt/in/a.txt > /opt/out/r.txt && hostname >> /opt/out/r.txt', sink: () => undefined });
        const down = await syncFiles(lease.client, fx.settings, t, 'collect', '/opt/out/', expandHost(join(fx.dir, 'results/{host}/'), t));
        expect(down.ok).toBe(true);
      } finally {
        lease.release();
      }
    }
    expect(readFileSync(join(fx.dir, 'results/r-0/r.txt'), 'utf8')).toBe('alpha\nr-0\n');
    expect(readFileSync(join(fx.dir, 'results/r-1/r.txt'), 'utf8')).toBe('alpha\nr-1\n');
  });
});

describe.skipIf(skipWithoutSshd())('tunnels and SFTP sync', () => {
  let fx3: HostsFixture;
  let t: Target;
  beforeAll(async () => {
    fx3 = await hostsFixture('127.53');
    [t] = (await fx3.create(['tun-0'])) as [Target];
  });
  afterAll(async () => {
    await fx3?.stop();
  });

  it('forwards a local port to a port on the droplet', async () => {
    const r = fx3.runner();
    const port = 20000 + Math.floor(Math.random() * 20000);
    // Droplets share the machine's network: the server listens on the droplet's loopback, reached only through the tunnel here.
    await r.exec(t, { ...base, hostRunId: randomUUID(), command: `setsid nohup sh -c 'cd /tmp && echo tunnel-ok > index.html && exec python3 -m http.server ${port} --bind 127.0.0.1' > /dev/null 2>&1 < /dev/null & sleep 0.8`, sink: () => undefined });
    const tunnel = await openTunnel(r, t, port);
    try {
      const body = await (await fetch(`http://127.0.0.1:${tunnel.localPort}/index.html`)).text();
      expect(body).toBe('tunnel-ok\n');
    } finally {
      await tunnel.close();
      await r.exec(t, { ...base, hostRunId: randomUUID(), command: `pkill -f 'http.server ${port}' || true`, sink: () => undefined });
    }
  });

  it('falls back to SFTP when rsync is not wanted, with the same results', async () => {
    const r = fx3.runner();
    const src = join(fx3.dir, 'sftp-up');
    mkdirSync(join(src, 'deep'), { recursive: true });
    writeFileSync(join(src, 'x.txt'), 'ex\n');
    writeFileSync(join(src, 'deep', 'y.bin'), Buffer.from([9, 8, 7]));
    const lease = await r.lease(t);
    try {
      expect(await syncFiles(lease.client, fx3.settings, t, 'upload', `${src}/`, '/opt/sftp-in/', { via: 'sftp' })).toEqual({ ok: true, via: 'sftp', error: null });
      const back = join(fx3.dir, 'sftp-back/{host}/');
      expect((await syncFiles(lease.client, fx3.settings, t, 'collect', '/opt/sftp-in/', expandHost(back, t), { via: 'sftp' })).ok).toBe(true);
    } finally {
      lease.release();
    }
    expect(readFileSync(join(fx3.dir, 'sftp-back/tun-0/x.txt'), 'utf8')).toBe('ex\n');
    expect([...readFileSync(join(fx3.dir, 'sftp-back/tun-0/deep/y.bin'))]).toEqual([9, 8, 7]);
  });
});

describe.skipIf(skipWithoutSshd())('fan-out limits', () => {
  let fx2: HostsFixture;
  let many: Target[];
  beforeAll(async () => {
    fx2 = await hostsFixture('127.52', { maxConnections: 5 });
    many = await fx2.create(Array.from({ length: 20 }, (_, i) => `f-${i}`));
  });
  afterAll(async () => {
    await fx2?.stop();
  });

  it('never holds more connections than ssh.max_connections', async () => {
    const r = fx2.runner();
    const out = await fanout({ targets: many, maxParallel: 20, maxFailures: null, run: (t) => r.exec(t, { ...base, hostRunId: randomUUID(), command: 'sleep 0.1', sink: () => undefined }) });
    expect([...out.results.values()].every((x) => x.status === 'succeeded')).toBe(true);
    expect(r.peakConnections()).toBe(5);
  });

  it('stops scheduling once failures exceed max_failures; running hosts finish', async () => {
    const r = fx2.runner();
    let running = 0;
    let maxRunning = 0;
    const out = await fanout({
      targets: many,
      maxParallel: 2,
      maxFailures: 3,
      run: async (t): Promise<ExecResult> => {
        maxRunning = Math.max(maxRunning, ++running);
        const res = await r.exec(t, { ...base, hostRunId: randomUUID(), command: 'exit 1', sink: () => undefined });
        running--;
        return res;
      },
    });
    expect(out.stoppedBy).toBe('max_failures');
    expect(out.results.size).toBeGreaterThanOrEqual(4);
    expect(out.results.size).toBeLessThanOrEqual(5);
    expect(out.notStarted.length).toBe(20 - out.results.size);
    expect(maxRunning).toBe(2);
  });
});
