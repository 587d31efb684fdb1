#!/usr/bin/env node
// Run-log write throughput: host-run rows and output chunks per second, batched,
// into SQLite and into a private MariaDB (from Debian's packages, started here on
// loopback); and the cost of logging on an exec over N droplets (logging on vs off).
// Usage: node bench/store/run.mjs [ROWS] [N]     (default 100000 rows, N = 200)
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../dist/emulator/index.js';
import { createSshRunner, ensureKeyPair, fanout, HostKeyStore } from '../../dist/runners/index.js';
import { openRunLog } from '../../dist/store/index.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const N = Number(process.argv[3] ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'godots-store-bench-'));

async function startMariaDb() {
  if (!existsSync('/usr/sbin/mariadbd')) return null;
  const data = join(dir, 'mysql');
  execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
  const port = await new Promise((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
  const sock = join(dir, 'mysqld.sock');
  const child = spawn('/usr/sbin/mariadbd', ['--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${sock}`, '--user=root', '--skip-name-resolve', '--innodb-buffer-pool-size=256M', '--innodb-flush-log-at-trx-commit=1'], { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try { execFileSync('mariadb', [`--socket=${sock}`, '-uroot', '-e', "CREATE DATABASE IF NOT EXISTS bench; CREATE USER IF NOT EXISTS 'b'@'127.0.0.1' IDENTIFIED BY 'b'; GRANT ALL ON *.* TO 'b'@'127.0.0.1'"], { stdio: 'ignore' }); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  return { url: `mysql://b:b@127.0.0.1:${port}/bench`, stop: () => child.kill('SIGKILL') };
}

async function throughput(name, url) {
  const log = await openRunLog({ url, baseDir: dir, flushIntervalMs: 3_600_000 });
  const runId = randomUUID();
  log.startRun({ id: runId, kind: 'exec', fleet: 'bench', fleetSha256: 'x'.repeat(64), startedAt: Date.now() });
  const ids = Array.from({ length: ROWS }, () => randomUUID());
  let t0 = performance.now();
  for (let i = 0; i < ROWS; i += 1000) {
    log.planHostRuns(ids.slice(i, i + 1000).map((id, j) => ({ id, runId, account: 'a', dropletId: i + j, dropletName: `bench-g-${i + j}`, script: 's', scriptVersion: 'v', queuedAt: Date.now() })));
    await log.flush();
  }
  const hostRows = ROWS / ((performance.now() - t0) / 1000);
  const chunk = Buffer.alloc(200, 'x');
  t0 = performance.now();
  for (let i = 0; i < ROWS; i++) {
    log.appendOutput(ids[i], 'stdout', chunk);
    if (i % 5000 === 4999) await log.flush();
  }
  await log.flush();
  const outRows = ROWS / ((performance.now() - t0) / 1000);
  await log.close();
  return { store: name, rows: ROWS, host_runs_per_s: Math.round(hostRows), output_chunks_per_s: Math.round(outRows) };
}

const rows = [await throughput('sqlite', `sqlite:${join(dir, 'bench.db')}`)];
const maria = await startMariaDb();
if (maria) {
  try { rows.push(await throughput('mariadb', maria.url)); } finally { maria.stop(); }
}
console.table(rows);

// Logging cost on exec: the same fan-out of `true` over N droplets, output and statuses into the run log or nowhere.
const keyPath = join(dir, 'id_ed25519');
const pair = ensureKeyPair(keyPath);
const emu = await startEmulator({ accounts: [{ name: 'a', token: 'tok', dropletLimit: N + 5 }], port: 0, bootDelayMs: 0, addressPrefix: '127.203', rateLimits: { perHour: 1e9, perMinute: 1e9 } });
try {
  const h = { authorization: 'Bearer tok', 'content-type': 'application/json' };
  const key = await (await fetch(`${emu.url}/v2/account/keys`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'k', public_key: pair.publicKey }) })).json();
  for (let i = 0; i < N; i += 10) await fetch(`${emu.url}/v2/droplets`, { method: 'POST', headers: h, body: JSON.stringify({ names: Array.from({ length: Math.min(10, N - i) }, (_, j) => `l-g-${i + j}`), region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', ssh_keys: [key.ssh_key.id] }) });
  const targets = emu.droplets().map((d, i) => ({ name: d.name, address: d.address, port: 22, dropletId: d.id, account: 'a', group: 'g', index: i, count: N }));
  const settings = { user: 'root', privateKey: pair.privateKey, privateKeyPath: keyPath, knownHostsPath: join(dir, 'known_hosts'), connectTimeoutMs: 20000, keepaliveMs: 10000, maxConnections: 100 };
  const once = async (logging) => {
    const runner = createSshRunner({ ssh: settings, hostKeys: new HostKeyStore(settings.knownHostsPath) });
    const log = logging ? await openRunLog({ url: `sqlite:${join(dir, 'exec.db')}`, baseDir: dir }) : null;
    const runId = randomUUID();
    const t0 = performance.now();
    const jobs = targets.map((t) => ({ t, id: randomUUID() }));
    if (log) {
      log.startRun({ id: runId, kind: 'exec', fleet: 'bench', fleetSha256: 'x'.repeat(64), startedAt: Date.now() });
      log.planHostRuns(jobs.map((j) => ({ id: j.id, runId, account: 'a', dropletId: j.t.dropletId, dropletName: j.t.name, script: 'exec', queuedAt: Date.now() })));
      await log.flush();
    }
    await fanout({
      targets: jobs, maxParallel: 100, maxFailures: null,
      run: async (j) => {
        log?.updateHostRun(j.id, { status: 'running', startedAt: Date.now() });
        const r = await runner.exec(j.t, { hostRunId: j.id, env: {}, timeoutMs: 60000, retries: 1, retryOnExit: false, command: 'seq 1 1000', sink: (s, d) => log?.appendOutput(j.id, s, d) });
        log?.updateHostRun(j.id, { status: r.status, finishedAt: r.finishedAt, exitCode: r.exitCode });
        return r;
      },
    });
    if (log) {
      log.finishRun(runId, 'succeeded', Date.now());
      await log.close();
    }
    const wall = (performance.now() - t0) / 1000;
    await runner.close();
    return wall;
  };
  await once(false); // warm up: pins and sshd caches
  const off = [await once(false), await once(false), await once(false)].sort()[1];
  const on = [await once(true), await once(true), await once(true)].sort()[1];
  console.table([{ n: N, command: 'seq 1 1000', logging_off_s: off.toFixed(3), logging_on_s: on.toFixed(3), overhead: `${(((on - off) / off) * 100).toFixed(1)}%` }]);
} finally {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
}
