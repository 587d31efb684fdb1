import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { createDoClient, DoApiError } from '../../../src/stacks/index.js';

const TOKEN = 'dop_v1_' + 'c1'.repeat(32);

describe('the DigitalOcean API client against the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ accounts: [{ name: 'acct', token: TOKEN, dropletLimit: 7 }], port: 0, hosts: 'builtin', bootDelayMs: 0, addressPrefix: '127.111' });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('reads the limit, and classifies a refused token naming the account, never the token', async () => {
    const waits: number[] = [];
    const ok = createDoClient({ account: 'acct', token: TOKEN, baseUrl: emu.url, sleep: async (ms) => void waits.push(ms) });
    expect(await ok.dropletLimit()).toBe(7);
    const bad = createDoClient({ account: 'acct', token: 'wrong-token-value', baseUrl: emu.url, sleep: async () => undefined });
    const err = await bad.dropletLimit().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DoApiError);
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', account: 'acct', status: 401 });
    expect((err as Error).message).toContain('account acct');
    expect((err as Error).message).not.toContain('wrong-token-value');
  });

  it('waits out 429 and 5xx answers and then succeeds', async () => {
    const waits: number[] = [];
    const c = createDoClient({ account: 'acct', token: TOKEN, baseUrl: emu.url, sleep: async (ms) => void waits.push(ms) });
    emu.faults.failNext('acct', 2, 429);
    expect(await c.dropletLimit()).toBe(7);
    emu.faults.failNext('acct', 1, 503);
    expect(await c.dropletLimit()).toBe(7);
    expect(waits.filter((w) => w >= 500).length).toBeGreaterThanOrEqual(3);
    emu.faults.failNext('acct', 10, 500);
    const err = await c.dropletLimit().then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERVER', status: 500 });
    emu.faults.failNext('acct', 0);
  });

  it('pages through every droplet and reports the quota refusal as QUOTA', async () => {
    const c = createDoClient({ account: 'acct', token: TOKEN, baseUrl: emu.url, sleep: async () => undefined });
    await c.createDroplets({ names: ['q-0', 'q-1', 'q-2', 'q-3', 'q-4'], region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', sshKeys: [], tags: ['q'] });
    expect((await c.listDroplets('q')).map((d) => d.name)).toEqual(['q-0', 'q-1', 'q-2', 'q-3', 'q-4']);
    const err = await c.createDroplets({ names: ['q-5', 'q-6', 'q-7'], region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', sshKeys: [], tags: ['q'] }).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'QUOTA', account: 'acct' });
  });

  it('godots plan with a wrong token fails naming the account and its variable, without the value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godots-badtoken-'));
    writeFileSync(join(dir, 'fleet.yaml'), `version: 1\nfleet: bt\ndefaults: { region: nyc3, size: s-1vcpu-1gb, image: debian-12-x64 }\naccounts:\n  acct: { token_env: DO_TOKEN_ACCT, api_url: "${emu.url}" }\ngroups:\n  g: { count: 1 }\n`);
    const io = memoryIo({ DO_TOKEN_ACCT: 'not-the-right-token-123' }, dir);
    expect(await main(['plan'], io)).toBe(1);
    const text = io.stdout.join('\n') + io.stderr.join('\n');
    expect(text).toContain('godots: error: account acct: the API refused its token');
    expect(text).not.toContain('not-the-right-token-123');
    expect(text).not.toContain('internal error');
  });
});
