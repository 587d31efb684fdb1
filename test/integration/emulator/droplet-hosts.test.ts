import { skipWithoutSshd } from '../../helpers/require.js';
import { connect } from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { doClient } from '../../helpers/do-client.js';
import { sshExec } from '../../helpers/ssh-exec.js';
import { processCount } from '../../helpers/processes.js';

const key = ssh2.utils.generateKeyPairSync('ed25519');
const base = { region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64' };
const canRun = !skipWithoutSshd();

function refused(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port: 22 });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe.skipIf(!canRun)('droplets as real sshd hosts', () => {
  let emu: RunningEmulator;
  let api: ReturnType<typeof doClient>;
  let keyId: number;
  const before = processCount('sshd');

  beforeAll(async () => {
    emu = await startEmulator({ accounts: [{ name: 'h', token: 'tok-h', dropletLimit: 300 }], port: 0, hosts: 'sshd', bootDelayMs: 0, addressPrefix: '127.21' });
    api = doClient(emu.url, 'tok-h');
    keyId = (await api('POST', '/v2/account/keys', { name: 'k', public_key: key.public })).body.ssh_key.id;
  });
  afterAll(async () => {
    await emu?.stop();
    expect(processCount('sshd')).toBe(before);
  });

  async function create(names: string[], extra: Record<string, unknown> = {}) {
    const r = await api('POST', '/v2/droplets', { ...base, names, ssh_keys: [keyId], ...extra });
    expect(r.status).toBe(202);
    return (r.body.droplets as { id: number }[]).map((d) => d.id);
  }
  async function address(id: number): Promise<string> {
    return (await api('GET', `/v2/droplets/${id}`)).body.droplet.networks.v4[0].ip_address;
  }

  it('accepts the attached key, with the droplet name as hostname and private /tmp and /root', async () => {
    const [a, b] = await create(['alpha-0', 'alpha-1'], { user_data: '#!/bin/sh\necho "ran as $(id -u)" > /root/user-data-ran\n' });
    const [addrA, addrB] = [await address(a!), await address(b!)];
    expect(addrA).not.toBe(addrB);
    expect((await sshExec(addrA, key.private, 'hostname')).stdout.trim()).toBe('alpha-0');
    expect((await sshExec(addrB, key.private, 'hostname')).stdout.trim()).toBe('alpha-1');
    await sshExec(addrA, key.private, 'echo secret > /tmp/only-on-a');
    expect((await sshExec(addrA, key.private, 'cat /tmp/only-on-a')).stdout).toBe('secret\n');
    const onB = await sshExec(addrB, key.private, 'test -e /tmp/only-on-a; echo $?');
    expect(onB.stdout.trim()).toBe('1');
    let ran = '';
    for (let i = 0; i < 50 && !ran; i++) {
      ran = (await sshExec(addrA, key.private, 'cat /root/user-data-ran 2>/dev/null || true')).stdout;
      if (!ran) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ran).toBe('ran as 0\n');
  });

  it('refuses a key that was not attached', async () => {
    const [id] = await create(['keyless-0'], { ssh_keys: [] });
    const other = ssh2.utils.generateKeyPairSync('ed25519');
    await expect(sshExec(await address(id!), other.private, 'true')).rejects.toThrow(/authentication/i);
  });

  it('shows a new host key after rotation, and stops sshd on delete', async () => {
    const [id] = await create(['rotor-0']);
    const addr = await address(id!);
    const first = await sshExec(addr, key.private, 'true');
    const newKey = await emu.faults.rotateHostKey(id!);
    const second = await sshExec(addr, key.private, 'true');
    expect(second.hostKey).not.toBe(first.hostKey);
    expect(newKey).toContain(second.hostKey);
    expect((await api('DELETE', `/v2/droplets/${id}`)).status).toBe(204);
    expect(await refused(addr)).toBe(true);
  });

  it('kills processes left running on a droplet when it is deleted', async () => {
    const [id] = await create(['leaver-0']);
    const addr = await address(id!);
    await sshExec(addr, key.private, 'setsid nohup sleep 1234 > /dev/null 2>&1 < /dev/null & sleep 0.2');
    for (let i = 0; i < 50 && processCount('sleep 1234') === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(processCount('sleep 1234')).toBe(1);
    await api('DELETE', `/v2/droplets/${id}`);
    expect(processCount('sleep 1234')).toBe(0);
  });

  it('can hang and drop connections on demand', async () => {
    const [id] = await create(['flaky-0']);
    const addr = await address(id!);
    await emu.faults.setUnreachable(id!, true);
    const hung = await new Promise<string>((resolve) => {
      const c = new ssh2.Client();
      c.on('error', (e) => resolve(e.message)).on('ready', () => resolve('ready')).connect({ host: addr, username: 'root', privateKey: key.private, readyTimeout: 700 });
    });
    expect(hung).toMatch(/timed out/i);
    await emu.faults.setUnreachable(id!, false);
    const drop = sshExec(addr, key.private, 'echo started; sleep 30');
    await new Promise((r) => setTimeout(r, 300));
    await emu.faults.dropConnections(id!);
    const outcome = await drop.catch((e: Error) => ({ stdout: '', code: -1, error: e.message }));
    expect(outcome.code).not.toBe(0);
    expect((await sshExec(addr, key.private, 'echo back')).stdout).toBe('back\n');
  });

  it('creates and destroys 200 droplets with no leaked process or address', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(...(await create(Array.from({ length: 10 }, (_, j) => `bulk-${i * 10 + j}`))));
    const addresses = new Set(emu.droplets().filter((d) => d.name.startsWith('bulk-')).map((d) => d.address));
    expect(addresses.size).toBe(200);
    expect(processCount('sshd')).toBeGreaterThanOrEqual(before + 200);
    await Promise.all(ids.map((id) => api('DELETE', `/v2/droplets/${id}`)));
    expect(emu.droplets().filter((d) => d.name.startsWith('bulk-'))).toEqual([]);
    const stillListening = await Promise.all([...addresses].slice(0, 20).map((a) => refused(a)));
    expect(stillListening.every(Boolean)).toBe(true);
  }, 180_000);
});
