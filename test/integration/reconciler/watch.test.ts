import { skipWithoutSshd } from '../../helpers/require.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';

const TOKEN = 'tok-watch-0123456789';

describe.skipIf(skipWithoutSshd())('godots watch', () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'godots-watch-'));
    emu = await startEmulator({ accounts: [{ name: 'main', token: TOKEN, dropletLimit: 10 }], port: 0, bootDelayMs: 0, addressPrefix: '127.91' });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  const fleet = (count: number, extra = '') => `version: 1
fleet: w
defaults: { region: nyc3, size: s-1vcpu-1gb, image: debian-12-x64 }
accounts:
  main: { token_env: DO_TOKEN_MAIN, api_url: "${emu.url}" }
groups:
  g: { count: ${count} }
scripts:
  hi:
    on: [g]
    file: ./hi.sh
${extra}`;

  const until = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (cond()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('applies at start and on valid edits, ignores invalid ones, reruns on a changed script file, stops on signal', async () => {
    writeFileSync(join(dir, 'hi.sh'), 'echo hi v1\n');
    writeFileSync(join(dir, 'fleet.yaml'), fleet(1));
    const ac = new AbortController();
    const io = { ...memoryIo({ DO_TOKEN_MAIN: TOKEN }, dir), signal: ac.signal };
    const done = main(['watch', '--drift-every', '1h'], io);
    const applied = () => io.stdout.filter((l) => / applied: /.test(l));
    await until(() => applied().length === 1, 'the first apply');
    expect(applied()[0]).toMatch(/1 created, 0 deleted, 0 updated; 1 script run/);

    writeFileSync(join(dir, 'fleet.yaml'), fleet(2).replace('count: 2', 'count: -2'));
    await until(() => io.stderr.some((l) => l.includes('not valid; keeping the last good fleet')), 'the invalid edit to be reported');
    expect(io.stderr.some((l) => /fleet\.yaml:\d+:\d+: error: count of group 'g' must be at least 0/.test(l))).toBe(true);
    expect(emu.droplets()).toHaveLength(1);

    writeFileSync(join(dir, 'fleet.yaml'), fleet(2));
    await until(() => applied().length === 2, 'the valid edit to apply');
    expect(applied()[1]).toMatch(/1 created, 0 deleted, 0 updated; 1 script run/);
    expect(emu.droplets()).toHaveLength(2);

    writeFileSync(join(dir, 'hi.sh'), 'echo hi v2\n');
    await until(() => applied().length === 3, 'the script edit to apply');
    expect(applied()[2]).toMatch(/0 created, 0 deleted, 0 updated; 2 script run/);

    ac.abort();
    expect(await done).toBe(0);
    expect(io.stderr.at(-1)).toMatch(/watch stopped/);
  }, 120_000);
});
