import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createSshRunner, ensureKeyPair, HostKeyStore, type Runner, type RunnerOptions, type SshSettings, type Target } from '../../src/runners/index.js';

export interface HostsFixture {
  readonly emu: RunningEmulator;
  readonly dir: string;
  readonly settings: SshSettings;
  readonly hostKeys: HostKeyStore;
  readonly targets: Target[];
  runner(extra?: Partial<RunnerOptions>): Runner;
  /** Creates droplets with the fleet key attached and returns their targets. */
  create(names: string[], group?: string): Promise<Target[]>;
  stop(): Promise<void>;
}

/** An emulator with one account, the fleet key registered, and helpers to make droplets and runners. */
export async function hostsFixture(addressPrefix: string, settings: Partial<SshSettings> = {}): Promise<HostsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'godots-hosts-'));
  const keyPath = join(dir, 'id_ed25519');
  const pair = ensureKeyPair(keyPath);
  const emu = await startEmulator({ accounts: [{ name: 'acct', token: 'tok', dropletLimit: 1000 }], port: 0, bootDelayMs: 0, addressPrefix, hosts: 'auto' });
  const api = (method: string, path: string, body?: unknown) =>
    fetch(emu.url + path, { method, headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, any>>); // eslint-disable-line @typescript-eslint/no-explicit-any
  const keyId = (await api('POST', '/v2/account/keys', { name: 'fleet', public_key: pair.publicKey })).ssh_key.id;
  const full: SshSettings = { user: 'root', privateKey: pair.privateKey, privateKeyPath: keyPath, knownHostsPath: join(dir, 'known_hosts'), connectTimeoutMs: 5_000, keepaliveMs: 5_000, maxConnections: 100, ...settings };
  const hostKeys = new HostKeyStore(full.knownHostsPath);
  const runners: Runner[] = [];
  const targets: Target[] = [];
  return {
    emu,
    dir,
    settings: full,
    hostKeys,
    targets,
    runner: (extra = {}) => {
      const r = createSshRunner({ ssh: full, hostKeys, backoffMs: () => 50, ...extra });
      runners.push(r);
      return r;
    },
    async create(names, group = 'g') {
      const made: Target[] = [];
      for (let i = 0; i < names.length; i += 10) {
        const res = await api('POST', '/v2/droplets', { names: names.slice(i, i + 10), region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', ssh_keys: [keyId] });
        for (const d of res.droplets as { id: number; name: string }[]) {
          const info = emu.droplets().find((x) => x.id === d.id)!;
          made.push({ name: d.name, address: info.address, port: emu.hostKind === 'sshd' ? 22 : 22, dropletId: d.id, account: 'acct', group, index: targets.length + made.length, count: 0 });
        }
      }
      const all = [...targets, ...made];
      targets.splice(0, targets.length, ...all.map((t, i) => ({ ...t, index: i, count: all.length })));
      return targets.slice(targets.length - made.length);
    },
    async stop() {
      await Promise.all(runners.map((r) => r.close()));
      await emu.stop();
    },
  };
}
