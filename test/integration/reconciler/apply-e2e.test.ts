import { skipWithoutSshd } from '../../helpers/require.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { dialects } from '../../helpers/dialects.js';
import { openRunLog } from '../../../src/store/index.js';

const TOKENS = { DO_TOKEN_A: 'dop_v1_' + 'a1'.repeat(32), DO_TOKEN_B: 'dop_v1_' + 'b2'.repeat(32) };

function fleetYaml(url: string, opts: { count: number; bootText?: string; size?: string }) {
  return `version: 1
fleet: e2e
defaults: { region: [nyc3, sfo3], size: ${opts.size ?? 's-1vcpu-1gb'}, image: debian-12-x64 }
ssh: { connect_timeout: 5s }
accounts:
  a: { token_env: DO_TOKEN_A, droplet_limit: 3, api_url: "${url}" }
  b: { token_env: DO_TOKEN_B, api_url: "${url}" }
groups:
  web: { count: ${opts.count}, tags: [web] }
scripts:
  boot:
    on: [web]
    run: |
      ${opts.bootText ?? 'echo boot v1 on $(hostname)'}
      echo "$GODOTS_INDEX/$GODOTS_COUNT" > /root/shard
  deploy:
    on: [all]
    after: [boot]
    run: echo deploy on $(hostname) with shard $(cat /root/shard)
  ping:
    on: [web]
    run: echo pong
    when: manual
`;
}

for (const dialect of dialects()) {
  describe.skipIf(skipWithoutSshd())(`apply end to end on ${dialect.name}`, () => {
    let emu: RunningEmulator;
    let dir: string;
    let db: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'godots-e2e-'));
      db = dialect.freshUrl();
      emu = await startEmulator({
        accounts: [{ name: 'a', token: TOKENS.DO_TOKEN_A, dropletLimit: 25 }, { name: 'b', token: TOKENS.DO_TOKEN_B, dropletLimit: 10 }],
        port: 0, bootDelayMs: 200, addressPrefix: dialect.name === 'sqlite' ? '127.71' : '127.72',
      });
    });
    afterAll(async () => {
      await emu?.stop();
    });

    const write = (o: Parameters<typeof fleetYaml>[1]) => writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(emu.url, o));
    const cli = async (...args: string[]) => {
      const io = memoryIo({ ...TOKENS }, dir);
      const code = await main(['--db', db, ...args], io);
      const out = io.stdout.join('\n');
      const err = io.stderr.join('\n');
      expect(out + err).not.toContain(TOKENS.DO_TOKEN_A);
      expect(out + err).not.toContain(TOKENS.DO_TOKEN_B);
      return { code, out, err };
    };
    const byAccount = () => {
      const m: Record<string, string[]> = {};
      for (const d of emu.droplets()) (m[d.account] ??= []).push(d.name);
      for (const k of Object.keys(m)) m[k]!.sort();
      return m;
    };

    it('splits the fleet over accounts by quota and runs every script once per droplet, in after order', async () => {
      write({ count: 6 });
      const plan = await cli('plan', '--detailed-exitcode');
      expect(plan.code).toBe(2);
      expect(plan.out).toContain('account a: +3');
      expect(plan.out).toContain('account b: +3');
      const r = await cli('apply', '--yes');
      expect(r.err).not.toContain('FAIL');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/6 created, 0 deleted, 0 updated; 12 script run\(s\), 0 failed/);
      expect(byAccount()).toEqual({ a: ['e2e-web-0', 'e2e-web-1', 'e2e-web-2'], b: ['e2e-web-3', 'e2e-web-4', 'e2e-web-5'] });
      const runId = /apply ([0-9a-f]{8})/.exec(r.out)![1]!;
      const logs = await cli('logs', runId, '--host', 'e2e-web-4');
      expect(logs.out).toContain('boot v1 on e2e-web-4');
      expect(logs.out).toContain('deploy on e2e-web-4 with shard 4/6');
      // Written up front: every (droplet, script) row of both stages was queued before the first one started.
      const log = await openRunLog({ url: db, baseDir: dir });
      try {
        const run = await log.findRun(runId);
        const rows = await log.hostRuns(run!.id);
        expect(rows).toHaveLength(12);
        const firstStart = Math.min(...rows.map((h) => h.startedAt!));
        expect(rows.every((h) => h.queuedAt <= firstStart)).toBe(true);
        expect(rows.every((h) => h.status === 'succeeded' && h.scriptVersion)).toBe(true);
      } finally {
        await log.close();
      }
    });

    it('a second apply changes no droplet and runs no script', async () => {
      const plan = await cli('plan', '--detailed-exitcode');
      expect(plan.code).toBe(0);
      expect(plan.out).toContain('No changes');
      const r = await cli('apply', '--yes');
      expect(r.out).toMatch(/0 created, 0 deleted, 0 updated; 0 script run\(s\)/);
    });

    it('an edited script reruns only where it targets, and dependants wait for it', async () => {
      write({ count: 6, bootText: 'echo boot v2 on $(hostname)' });
      const plan = await cli('--format', 'json', 'plan');
      const parsed = JSON.parse(plan.out) as { scripts: { script: string; run: boolean; reason: string }[] };
      expect(parsed.scripts.filter((s) => s.run).map((s) => `${s.script}:${s.reason}`)).toEqual(Array(6).fill('boot:changed version'));
      const r = await cli('apply', '--yes');
      expect(r.out).toMatch(/6 script run\(s\), 0 failed/);
    });

    it('scales up into free quota without moving droplets, and down by the highest indices', async () => {
      write({ count: 9, bootText: 'echo boot v2 on $(hostname)' });
      expect((await cli('apply', '--yes')).out).toMatch(/3 created, 0 deleted/);
      expect(byAccount()).toEqual({ a: ['e2e-web-0', 'e2e-web-1', 'e2e-web-2'], b: ['e2e-web-3', 'e2e-web-4', 'e2e-web-5', 'e2e-web-6', 'e2e-web-7', 'e2e-web-8'] });
      write({ count: 2, bootText: 'echo boot v2 on $(hostname)' });
      expect((await cli('apply', '--yes')).out).toMatch(/0 created, 7 deleted/);
      expect(byAccount()).toEqual({ a: ['e2e-web-0', 'e2e-web-1'] });
      expect(readFileSync(join(dir, '.godots/known_hosts'), 'utf8').trim().split('\n')).toHaveLength(2);
    });

    it('reports a droplet deleted out of band as drift, and apply heals it and runs the scripts there', async () => {
      const victim = emu.droplets().find((d) => d.name === 'e2e-web-1')!;
      await emu.faults.deleteOutOfBand(victim.id);
      const drift = await cli('drift');
      expect(drift.code).toBe(2);
      expect(drift.out).toContain('[deleted] e2e-web-1 (a)');
      expect(drift.out).toContain('fix: godots apply');
      const r = await cli('apply', '--yes');
      expect(r.out).toMatch(/1 created, 0 deleted, 0 updated; 2 script run\(s\), 0 failed/);
      expect((await cli('drift')).code).toBe(0);
    });

    it('runs a manual script through godots run only', async () => {
      const r = await cli('run', 'ping');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/2 script run\(s\)/);
    });

    it('refuses a fleet that does not fit before changing anything', async () => {
      write({ count: 40, bootText: 'echo boot v2 on $(hostname)' });
      const before = emu.droplets().length;
      const r = await cli('apply', '--yes');
      expect(r.code).toBe(1);
      expect(r.err).toContain('cannot be placed');
      expect(emu.droplets().length).toBe(before);
    });

    it('destroy removes only this fleet\'s droplets and their pins', async () => {
      const foreign = await emu.faults.createForeign('b', 'not-ours');
      const r = await cli('destroy', '--yes');
      expect(r.out).toBe('destroyed 2 droplet(s) of fleet e2e');
      expect(emu.droplets().map((d) => d.id)).toEqual([foreign]);
      expect(readFileSync(join(dir, '.godots/known_hosts'), 'utf8').trim()).toBe('');
    });
  });
}
