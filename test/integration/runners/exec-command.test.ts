import { skipWithoutSshd } from '../../helpers/require.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { emulatorFleet } from '../../helpers/emulator-fleet.js';
import { ensureKeyPair } from '../../../src/runners/index.js';

const TOKEN = 'dop_v1_' + 'ab12'.repeat(16);

describe.skipIf(skipWithoutSshd())('godots exec', () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    const fx = await emulatorFleet({ token: TOKEN, dropletLimit: 20, addressPrefix: '127.61' });
    ({ emu, dir } = fx);
    fx.write('ex', `groups:
  web: { count: 3 }
  db: { count: 1 }
`);
    const pair = ensureKeyPair(join(dir, '.godots/id_ed25519'));
    const h = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const key = (await (await fetch(`${emu.url}/v2/account/keys`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'k', public_key: pair.publicKey }) })).json()) as { ssh_key: { id: number } };
    for (const [group, names] of [['web', ['ex-web-0', 'ex-web-1', 'ex-web-2']], ['db', ['ex-db-0']]] as const) {
      await fetch(`${emu.url}/v2/droplets`, { method: 'POST', headers: h, body: JSON.stringify({ names, region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', ssh_keys: [key.ssh_key.id], tags: ['godots', 'godots-fleet:ex', `godots-group:${group}`] }) });
    }
    await emu.faults.createForeign('main', 'not-in-fleet');
  });
  afterAll(async () => {
    await emu?.stop();
  });

  const run = async (...args: string[]) => {
    const io = memoryIo({ DO_TOKEN_MAIN: TOKEN }, dir);
    const code = await main(args, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };

  it('runs on a group, prefixes output by host, logs the run, and never prints the token', async () => {
    const r = await run('exec', '-g', 'web', '--', 'echo "$GODOTS_GROUP $GODOTS_INDEX/$GODOTS_COUNT on $(hostname)"');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.includes(' | ')).sort()).toEqual([
      'ex-web-0 | web 0/3 on ex-web-0',
      'ex-web-1 | web 1/3 on ex-web-1',
      'ex-web-2 | web 2/3 on ex-web-2',
    ]);
    expect(r.out).toMatch(/run [0-9a-f]{8}: 3 ok, 0 failed, 0 unreachable, 0 timed out \(of 3\)/);
    const runId = /run ([0-9a-f]{8}):/.exec(r.out)![1]!;
    const logs = await run('logs', runId, '--host', 'ex-web-1');
    expect(logs.out).toContain('web 1/3 on ex-web-1');
    expect(JSON.stringify(r) + JSON.stringify(logs)).not.toContain(TOKEN);
    expect(r.err).toContain('host key pinned');
  });

  it('exits 1 when any host fails, and reports JSON', async () => {
    const r = await run('--format', 'json', 'exec', '--all', '--', 'test "$(hostname)" != ex-db-0');
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.out) as { results: { host: string; status: string; exitCode: number }[] };
    expect(parsed.results.map((x) => x.host).sort()).toEqual(['ex-db-0', 'ex-web-0', 'ex-web-1', 'ex-web-2']);
    expect(parsed.results.find((x) => x.host === 'ex-db-0')).toMatchObject({ status: 'failed', exitCode: 1 });
  });

  it('refuses unknown groups and hosts, and a missing token, before touching anything', async () => {
    expect((await run('exec', '-g', 'nope', '--', 'true')).err).toContain('no group named nope');
    expect((await run('exec', '--host', 'ex-web-9', '--', 'true')).err).toContain('no running droplet named ex-web-9');
    const io = memoryIo({}, dir);
    expect(await main(['exec', '--all', '--', 'true'], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('DO_TOKEN_MAIN is not set');
  });
});
