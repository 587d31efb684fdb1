import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DropletHost, HostProvider, HostSpec } from './host-provider.js';
import { processAlive } from '../../core/process-alive.js';
import { childrenOf, mountNamespaceOf, processesInNamespace, signal } from './proc-tree.js';
import { waitForPort } from './wait-port.js';

export const SSHD_PATH = '/usr/sbin/sshd';

/** True where real sshd hosts can run: root (for namespaces and port 22) and sshd installed. */
export function sshdHostsAvailable(): boolean {
  return process.getuid?.() === 0 && existsSync(SSHD_PATH) && existsSync('/usr/bin/unshare');
}

// Inside the droplet, its own directory is always here; the state directory itself may
// live under /tmp or /root, which the droplet's own mounts hide.
const IN_DROPLET = '/run/godots-droplet';

// Runs inside the droplet's own UTS and mount namespaces: its hostname, its /root and /tmp.
const BOOT_SCRIPT = `
set -e
hostname "$1"
mkdir -p ${IN_DROPLET} /run/sshd
mount --bind "$2" ${IN_DROPLET}
D=${IN_DROPLET}
mount --bind "$D/root" /root
mount --bind "$D/tmp" /tmp
if [ -f "$D/user-data" ] && [ ! -f "$D/user-data.done" ]; then
  : > "$D/user-data.done"
  ( cd /root && HOME=/root "$D/user-data" > "$D/user-data.log" 2>&1; echo $? > "$D/user-data.exit" ) < /dev/null &
fi
exec ${SSHD_PATH} -D -e -f "$D/sshd_config"
`;

function sshdConfig(spec: HostSpec): string {
  return [
    `ListenAddress ${spec.address}:${spec.port}`,
    `HostKey ${IN_DROPLET}/ssh_host_ed25519_key`,
    `PidFile ${IN_DROPLET}/sshd.pid`,
    `AuthorizedKeysFile ${IN_DROPLET}/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'AllowTcpForwarding yes',
    'Subsystem sftp internal-sftp',
    // Fan-out benchmarks open hundreds of connections at once; the defaults (10:30:100) would drop them.
    'MaxStartups 2000:30:4000',
    'MaxSessions 200',
    'LoginGraceTime 30',
    'LogLevel ERROR',
    '',
  ].join('\n');
}

// ssh-keygen rather than ssh2's generator: OpenSSH refuses a share of the latter's ed25519 keys ("error in libcrypto").
function writeHostKey(dir: string): string {
  const keyPath = join(dir, 'ssh_host_ed25519_key');
  rmSync(keyPath, { force: true });
  rmSync(`${keyPath}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', keyPath], { stdio: 'ignore' });
  return readFileSync(`${keyPath}.pub`, 'utf8').trim();
}

class SshdHost implements DropletHost {
  private child: ChildProcess | undefined;
  private namespace: string | undefined;
  private key: string;

  constructor(private readonly spec: HostSpec) {
    const { dir } = spec;
    for (const d of ['root', 'root/.ssh', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
    chmodSync(join(dir, 'tmp'), 0o1777);
    writeFileSync(join(dir, 'authorized_keys'), spec.authorizedKeys.join('\n') + '\n', { mode: 0o600 });
    writeFileSync(join(dir, 'sshd_config'), sshdConfig(spec));
    if (spec.userData?.startsWith('#!')) writeFileSync(join(dir, 'user-data'), spec.userData, { mode: 0o700 });
    this.key = writeHostKey(dir);
  }

  get address(): string {
    return this.spec.address;
  }

  get port(): number {
    return this.spec.port;
  }

  hostKey(): string {
    return this.key;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('unshare', ['--uts', '--mount', '--propagation', 'private', '--fork', 'sh', '-c', BOOT_SCRIPT, 'boot', this.spec.name, this.spec.dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`sshd for ${this.spec.name} exited (${code}): ${stderr.trim()}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(this.spec.address, this.spec.port, 15_000), exited]);
    const ns = mountNamespaceOf(child.pid!);
    // Sweeping the namespace kills everything in it: never let that be our own.
    if (ns === undefined || ns === mountNamespaceOf(process.pid)) throw new Error(`droplet ${this.spec.name} did not get its own mount namespace`);
    this.namespace = ns;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const done = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    const members = this.namespace ? processesInNamespace(this.namespace) : [];
    signal(members, 'SIGCONT');
    signal(members, 'SIGKILL');
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    await done;
    // Detached scripts may have forked after the first sweep; sweep until the namespace is empty.
    for (let i = 0; i < 50 && this.namespace; i++) {
      const left = processesInNamespace(this.namespace).filter(processAlive);
      if (left.length === 0) break;
      signal(left, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.spec.dir, { recursive: true, force: true });
  }

  private sshdPid(): number | undefined {
    const unsharePid = this.child?.pid;
    return unsharePid === undefined ? undefined : childrenOf(unsharePid)[0];
  }

  async setReachable(reachable: boolean): Promise<void> {
    const pid = this.sshdPid();
    if (pid === undefined) return;
    // A stopped sshd still completes TCP handshakes in the kernel but never sends its banner: a hung host.
    signal([pid, ...childrenOf(pid)], reachable ? 'SIGCONT' : 'SIGSTOP');
  }

  async dropConnections(): Promise<void> {
    const pid = this.sshdPid();
    if (pid === undefined) return;
    // Per-connection sshd processes are the listener's children; killing them cuts the TCP connections.
    signal(childrenOf(pid), 'SIGKILL');
  }

  async rotateHostKey(): Promise<string> {
    await this.stop();
    this.key = writeHostKey(this.spec.dir);
    await this.start();
    return this.key;
  }
}

/**
 * Kills droplet hosts left by an emulator that died without stopping them (its
 * process SIGKILLed): their `unshare` parent was re-parented to init. Only
 * processes running godots' own boot script are touched.
 */
export function reapOrphanHosts(): number {
  let n = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.startsWith('unshare\0') || !cmd.includes(IN_DROPLET)) continue;
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      if (ppid !== 1) continue;
      const ns = mountNamespaceOf(Number(entry));
      if (ns && ns !== mountNamespaceOf(process.pid)) signal(processesInNamespace(ns), 'SIGKILL');
      n++;
    } catch {
      // Gone while we looked.
    }
  }
  return n;
}

/** Droplets as real OpenSSH servers, each in its own namespaces on its own 127.0.x.y. */
export const sshdHostProvider: HostProvider = {
  kind: 'sshd',
  async start(spec) {
    const host = new SshdHost(spec);
    await host.start();
    return host;
  },
};
