import { skipWithoutSshd } from '../../helpers/require.js';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { emulatorFleet } from '../../helpers/emulator-fleet.js';
import { openRunLog } from '../../../src/store/index.js';

const TOKEN = 'tok-crash-0123456789';
const BIN = join(import.meta.dirname, '../../../bin/godots');

describe.skipIf(skipWithoutSshd())('an apply killed with SIGKILL, and the apply lock', () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    const fx = await emulatorFleet({ token: TOKEN, dropletLimit: 10, addressPrefix: '127.101' });
    ({ emu, dir } = fx);
    fx.write('crash', `groups:
  g: { count: 3 }
scripts:
  slow:
    on: [g]
    run: |
      echo started on $(hostname)
      sleep 2
      echo finished on $(hostname)
`);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('marks the killed run interrupted, collects the detached scripts that finished, and converges', async () => {
    const child = spawn(BIN, ['apply', '--yes'], { cwd: dir, env: { ...process.env, DO_TOKEN_MAIN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    for (let i = 0; i < 200 && !err.includes('script slow on 3'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(err).toContain('script slow on 3 droplet(s)');
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 2000));

    const io = memoryIo({ DO_TOKEN_MAIN: TOKEN }, dir);
    expect(await main(['apply', '--yes'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/0 created, 0 deleted, 0 updated; 0 script run\(s\), 0 failed, 0 skipped, 3 collected from an interrupted run/);

    const log = await openRunLog({ url: `sqlite:${join(dir, '.godots/godots.db')}`, baseDir: dir });
    try {
      const runs = await log.history();
      const killed = runs.find((r) => r.status === 'interrupted');
      expect(killed).toBeDefined();
      const hosts = await log.hostRuns(killed!.id);
      expect(hosts.map((h) => h.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      for (const h of hosts) {
        const text = (await log.output(h.id)).map((c) => c.data.toString()).join('');
        expect(text).toBe(`started on ${h.dropletName}\nfinished on ${h.dropletName}\n`);
      }
    } finally {
      await log.close();
    }
  }, 120_000);

  it('refuses a second apply while another process holds the lock', async () => {
    const log = await openRunLog({ url: `sqlite:${join(dir, '.godots/godots.db')}`, baseDir: dir });
    try {
      // pid 1 is alive: the lock looks held by a live apply.
      await (log as unknown as { db: import('kysely').Kysely<import('../../../src/store/db-schema.js').Db> }).db
        .insertInto('locks').values({ name: 'apply:crash', owner: 'someone', controller: 'other-host', pid: 1, acquired_at: Date.now() }).execute();
      const io = memoryIo({ DO_TOKEN_MAIN: TOKEN }, dir);
      expect(await main(['apply', '--yes'], io)).toBe(1);
      expect(io.stderr.join('\n')).toContain('another apply of fleet crash holds the lock (pid 1 on other-host');
      await log.releaseLock('apply:crash', 'someone');
      expect(await main(['apply', '--yes'], memoryIo({ DO_TOKEN_MAIN: TOKEN }, dir))).toBe(0);
    } finally {
      await log.close();
    }
  }, 60_000);
});
