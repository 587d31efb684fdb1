import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openRunLog, scriptStateKey, type RunLog } from '../../../src/store/index.js';
import { dialects } from '../../helpers/dialects.js';

const open: RunLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function logFor(url: string, extra: Partial<Parameters<typeof openRunLog>[0]> = {}): Promise<RunLog> {
  const log = await openRunLog({ url, baseDir: mkdtempSync(join(tmpdir(), 'godots-base-')), flushIntervalMs: 60_000, ...extra });
  open.push(log);
  return log;
}

const hostile = `it's "quoted"; DROP TABLE runs; -- \\ \u0000 ünïcödé 🚀`;
const binary = Buffer.from([0, 1, 2, 255, 254, 0x27, 0x22, 0x5c, 10, 13, 0]);

for (const dialect of dialects()) {
  describe(`run log on ${dialect.name}`, () => {
    it('round-trips runs, host runs, output, events and facts verbatim', async () => {
      const log = await logFor(dialect.freshUrl());
      const runId = randomUUID();
      log.startRun({ id: runId, kind: 'exec', fleet: 'demo', fleetSha256: 'f'.repeat(64), gitCommit: 'abc123', actor: 'ci', startedAt: 1000 });
      log.planHostRuns([
        { id: `${runId}-a`, runId, account: 'alpha', group: 'web', dropletId: 11, dropletName: 'demo-web-0', address: '127.0.1.1', script: hostile, scriptVersion: 'v1', queuedAt: 1001 },
        { id: `${runId}-b`, runId, account: 'beta', group: 'web', dropletId: 12, dropletName: 'demo-web-1', script: hostile, scriptVersion: 'v1', queuedAt: 1001, status: 'skipped', error: 'once: already done' },
      ]);
      log.updateHostRun(`${runId}-a`, { status: 'running', startedAt: 1002 });
      log.appendOutput(`${runId}-a`, 'stdout', Buffer.from('hello '), 1003);
      log.appendOutput(`${runId}-a`, 'stdout', Buffer.from('world\n'), 1003);
      log.appendOutput(`${runId}-a`, 'stderr', binary, 1004);
      log.appendOutput(`${runId}-a`, 'stdout', Buffer.from(hostile), 1005);
      log.updateHostRun(`${runId}-a`, { status: 'failed', finishedAt: 1006, exitCode: 3, error: hostile, stdoutBytes: 12, stderrBytes: binary.length, truncated: true });
      log.addEvent({ runId, at: 1007, type: 'script.failed', dropletName: 'demo-web-0', script: hostile, message: hostile, data: { exit: 3 } });
      log.addFacts({ runId, dropletName: 'demo-web-0', dropletId: 11, at: 1008, hostname: 'demo-web-0', kernel: '6.1.0', uptimeS: 99, load1: 0.25, memTotalKb: 1000, memAvailableKb: 500, diskTotalKb: 2000, diskAvailableKb: 1500 });
      log.finishRun(runId, 'failed', 1009, '1 failed, 1 skipped');
      expect(await log.flush()).toMatchObject({ spooled: 0 });

      const [run] = await log.history();
      expect(run).toMatchObject({ id: runId, kind: 'exec', status: 'failed', gitCommit: 'abc123', actor: 'ci', hosts: 2, succeeded: 0, failed: 1, summary: '1 failed, 1 skipped', finishedAt: 1009 });
      const hosts = await log.hostRuns(runId);
      expect(hosts.map((h) => [h.dropletName, h.status, h.script])).toEqual([['demo-web-0', 'failed', hostile], ['demo-web-1', 'skipped', hostile]]);
      expect(hosts[0]).toMatchObject({ exitCode: 3, error: hostile, truncated: true, address: '127.0.1.1', dropletId: 11, group: 'web' });
      const chunks = await log.output(`${runId}-a`);
      expect(chunks.map((c) => c.stream)).toEqual(['stdout', 'stderr', 'stdout']);
      expect(chunks[0]!.data.toString()).toBe('hello world\n');
      expect(chunks[1]!.data.equals(binary)).toBe(true);
      expect(chunks[2]!.data.toString()).toBe(hostile);
      expect((await log.events(runId))[0]).toMatchObject({ type: 'script.failed', message: hostile, data: { exit: 3 } });
      expect((await log.facts('demo-web-0'))[0]).toMatchObject({ kernel: '6.1.0', load1: 0.25, memAvailableKb: 500 });
      expect((await log.findRun(runId.slice(0, 8)))?.id).toBe(runId);
    });

    it('answers the policy query: versions that succeeded and the last outcome per (script, droplet)', async () => {
      const log = await logFor(dialect.freshUrl());
      const runs = [
        { d: 1, v: 'v1', s: 'succeeded' as const, t: 10 },
        { d: 1, v: 'v2', s: 'failed' as const, t: 20 },
        { d: 2, v: 'v2', s: 'succeeded' as const, t: 30 },
        { d: 3, v: 'v2', s: 'pending' as const, t: 40 },
      ];
      for (const r of runs) {
        const runId = randomUUID();
        log.startRun({ id: runId, kind: 'apply', fleet: 'f', fleetSha256: 'x'.repeat(64), startedAt: r.t });
        log.planHostRuns([{ id: `${runId}-h`, runId, account: 'a', dropletId: r.d, dropletName: `f-g-${r.d}`, script: 'boot', scriptVersion: r.v, queuedAt: r.t }]);
        if (r.s !== 'pending') log.updateHostRun(`${runId}-h`, { status: r.s, finishedAt: r.t + 1 });
      }
      await log.flush();
      const states = await log.scriptStates(['boot', 'other'], [1, 2, 3, 4]);
      expect([...states.get(scriptStateKey('boot', 1))!.succeededVersions]).toEqual(['v1']);
      expect(states.get(scriptStateKey('boot', 1))!.last).toMatchObject({ status: 'failed', version: 'v2' });
      expect([...states.get(scriptStateKey('boot', 2))!.succeededVersions]).toEqual(['v2']);
      expect(states.has(scriptStateKey('boot', 3))).toBe(false);
      expect(states.has(scriptStateKey('other', 1))).toBe(false);
    });

    it('takes two concurrent writers (and two concurrent migrations) without losing a row', async () => {
      const url = dialect.freshUrl();
      const [a, b] = await Promise.all([logFor(url), logFor(url)]);
      const write = async (log: RunLog, tag: string) => {
        for (let r = 0; r < 5; r++) {
          const runId = `${tag}-${r}-${randomUUID().slice(0, 8)}`;
          log.startRun({ id: runId, kind: 'exec', fleet: 'f', fleetSha256: 'x'.repeat(64), startedAt: r });
          log.planHostRuns(Array.from({ length: 200 }, (_, i) => ({ id: `${runId}-${i}`, runId, account: 'a', dropletId: i, dropletName: `h${i}`, script: 's', queuedAt: r })));
          for (let i = 0; i < 200; i++) log.appendOutput(`${runId}-${i}`, 'stdout', Buffer.from(`line from ${tag} ${i}\n`));
          log.finishRun(runId, 'succeeded', r + 1);
          await log.flush();
        }
      };
      await Promise.all([write(a!, 'a'), write(b!, 'b')]);
      const all = await a!.history({ limit: 100 });
      expect(all).toHaveLength(10);
      expect(all.reduce((n, r) => n + r.hosts, 0)).toBe(2000);
      const one = all.find((r) => r.id.startsWith('b-4'))!;
      const [last] = await a!.hostRuns(one.id, 'h199');
      expect((await a!.output(last!.id))[0]!.data.toString()).toBe('line from b 199\n');
    });

    it('filters history by status, script and host, and prunes old runs with their rows', async () => {
      const log = await logFor(dialect.freshUrl());
      const mk = (id: string, status: 'succeeded' | 'failed', script: string, host: string, at: number) => {
        log.startRun({ id, kind: 'apply', fleet: 'f', fleetSha256: 'x'.repeat(64), startedAt: at });
        log.planHostRuns([{ id: `${id}-h`, runId: id, account: 'a', dropletId: 1, dropletName: host, script, queuedAt: at }]);
        log.appendOutput(`${id}-h`, 'stdout', Buffer.from('x'));
        log.updateHostRun(`${id}-h`, { status, finishedAt: at + 1 });
        log.finishRun(id, status, at + 1);
      };
      mk('old-1', 'succeeded', 'boot', 'h1', 1_000);
      mk('new-1', 'failed', 'crawl', 'h2', 5_000);
      mk('new-2', 'succeeded', 'boot', 'h2', 6_000);
      await log.flush();
      expect((await log.history({ status: 'failed' })).map((r) => r.id)).toEqual(['new-1']);
      expect((await log.history({ script: 'boot' })).map((r) => r.id)).toEqual(['new-2', 'old-1']);
      expect((await log.history({ host: 'h2', limit: 1 })).map((r) => r.id)).toEqual(['new-2']);
      expect(await log.prune(2_000)).toBe(1);
      expect((await log.history()).map((r) => r.id)).toEqual(['new-2', 'new-1']);
      expect(await log.output('old-1-h')).toEqual([]);
    });

    it('never stores a token value, in output, errors, events or summaries', async () => {
      const token = 'dop_v1_' + '9'.repeat(64);
      const plain = 'not-shaped-like-a-token-but-secret';
      const url = dialect.freshUrl();
      const log = await logFor(url, { secrets: [token, plain] });
      const runId = randomUUID();
      log.startRun({ id: runId, kind: 'exec', fleet: 'f', fleetSha256: 'x'.repeat(64), startedAt: 1 });
      log.planHostRuns([{ id: `${runId}-h`, runId, account: 'a', dropletName: 'h', script: 's', queuedAt: 1 }]);
      log.appendOutput(`${runId}-h`, 'stdout', Buffer.from(`echo ${token} and ${plain}\n`));
      log.updateHostRun(`${runId}-h`, { status: 'failed', error: `bad ${plain}` });
      log.addEvent({ runId, at: 2, type: 'x', message: `token ${token}`, data: { plain } });
      log.finishRun(runId, 'failed', 3, `summary ${plain}`);
      await log.flush();
      const dump = JSON.stringify([await log.history(), await log.hostRuns(runId), (await log.output(`${runId}-h`)).map((c) => c.data.toString()), await log.events(runId)]);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(plain);
      expect(dump).toContain('[redacted]');
      if (dialect.name === 'sqlite') {
        await log.close();
        const file = readFileSync(url.slice('sqlite:'.length));
        expect(file.includes(Buffer.from(plain))).toBe(false);
      }
    });

    it('marks runs of a SIGKILLed writer interrupted at the next start, keeping their output', async () => {
      const url = dialect.freshUrl();
      const base = mkdtempSync(join(tmpdir(), 'godots-base-'));
      const runId = randomUUID();
      const child = spawn(process.execPath, [join(import.meta.dirname, '../../fixtures/store/killed-writer.mjs'), url, base, runId], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (l) => l === 'READY' && resolve());
        child.once('exit', (c) => reject(new Error(`writer exited early (${c})`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const log = await logFor(url, { baseDir: base });
      const [run] = await log.history();
      expect(run).toMatchObject({ id: runId, status: 'interrupted' });
      const hosts = await log.hostRuns(runId);
      expect(hosts.map((h) => h.status)).toEqual(['interrupted', 'interrupted']);
      expect((await log.output(hosts[0]!.id)).map((c) => c.data.toString()).join('')).toBe('partial output before the kill\n');
    });
  });
}
