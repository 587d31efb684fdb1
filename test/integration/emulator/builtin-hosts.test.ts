import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import { doClient } from '../../helpers/do-client.js';
import { sshExec } from '../../helpers/ssh-exec.js';

describe('builtin (in-process ssh2) droplet hosts', () => {
  it('run commands with the attached key, exit codes and a per-droplet home', async () => {
    const key = ssh2.utils.generateKeyPairSync('ed25519');
    const emu = await startEmulator({ accounts: [{ name: 'b', token: 'tok-b' }], port: 0, hosts: 'builtin', bootDelayMs: 0, addressPrefix: '127.31', sshPort: 2222 });
    try {
      expect(emu.hostKind).toBe('builtin');
      const api = doClient(emu.url, 'tok-b');
      const keyId = (await api('POST', '/v2/account/keys', { name: 'k', public_key: key.public })).body.ssh_key.id;
      const created = await api('POST', '/v2/droplets', { names: ['b-0', 'b-1'], region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', ssh_keys: [keyId] });
      const [a, b] = emu.droplets();
      expect(created.status).toBe(202);
      const r = await sshExec(a!.address, key.private, 'echo "$GODOTS_EMULATED_HOSTNAME"; echo err >&2; touch "$HOME/mark"; exit 3', 2222);
      expect(r).toMatchObject({ stdout: 'b-0\n', stderr: 'err\n', code: 3 });
      expect((await sshExec(b!.address, key.private, 'test -e "$HOME/mark"; echo $?', 2222)).stdout).toBe('1\n');
      const other = ssh2.utils.generateKeyPairSync('ed25519');
      await expect(sshExec(a!.address, other.private, 'true', 2222)).rejects.toThrow(/authentication/i);
    } finally {
      await emu.stop();
    }
  });
});
