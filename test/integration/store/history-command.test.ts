import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import { openRunLog } from '../../../src/store/index.js';

describe('godots history and logs', () => {
  it('list runs, show output per host, filter, and prune', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godots-hist-'));
    const url = `sqlite:${join(dir, 'log.db')}`;
    const log = await openRunLog({ url, baseDir: dir, flushIntervalMs: 60_000 });
    const runId = '11111111-2222-4333-8444-555555555555';
    const now = Date.now();
    log.startRun({ id: runId, kind: 'exec', fleet: 'demo', fleetSha256: 'x'.repeat(64), gitCommit: 'deadbeefcafe', startedAt: now - 2000 });
    log.planHostRuns(['a', 'b'].map((h) => ({ id: `${runId}-${h}`, runId, account: 'alpha', dropletId: h === 'a' ? 1 : 2, dropletName: `demo-w-${h}`, script: 'exec', queuedAt: now - 2000 })));
    log.appendOutput(`${runId}-a`, 'stdout', Buffer.from('one\ntwo\nthree\n'));
    log.appendOutput(`${runId}-b`, 'stderr', Buffer.from('boom\n'));
    log.updateHostRun(`${runId}-a`, { status: 'succeeded', exitCode: 0, finishedAt: now - 1000 });
    log.updateHostRun(`${runId}-b`, { status: 'failed', exitCode: 2, finishedAt: now - 1000 });
    log.finishRun(runId, 'failed', now - 1000, '1 ok, 1 failed');
    log.startRun({ id: 'old-run', kind: 'apply', fleet: 'demo', fleetSha256: 'x'.repeat(64), startedAt: now - 40 * 86_400_000 });
    log.finishRun('old-run', 'succeeded', now - 40 * 86_400_000 + 1);
    await log.close();

    const run = async (...args: string[]) => {
      const io = memoryIo({}, dir);
      const code = await main(['--db', url, ...args], io);
      return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
    };
    const hist = await run('history');
    expect(hist.code).toBe(0);
    expect(hist.out.split('\n')[0]).toMatch(/^RUN\s+KIND\s+STATUS/);
    expect(hist.out).toMatch(/^11111111 +exec +failed +\S+ \S+ +1\.0s +2 +1 +1 +deadbeef$/m);
    expect((await run('history', '--status', 'succeeded')).out).toContain('old-run');
    expect((await run('history', '--host', 'demo-w-b')).out).not.toContain('old-run');
    const json = JSON.parse((await run('--format', 'json', 'history')).out) as { id: string }[];
    expect(json.map((r) => r.id)).toEqual([runId, 'old-run']);

    const logs = await run('logs', '1111');
    expect(logs.out).toBe('== demo-w-a · exec · succeeded (exit 0)\none\ntwo\nthree\n== demo-w-b · exec · failed (exit 2)\nboom');
    expect((await run('logs', runId, '--host', 'demo-w-a', '--tail', '1')).out).toBe('== demo-w-a · exec · succeeded (exit 0)\nthree');
    expect((await run('logs', runId, '--head', '2', '--host', 'demo-w-a')).out).toContain('one\ntwo');
    expect((await run('logs', 'nope')).err).toContain('no run matches nope');

    expect((await run('history', '--prune-older-than', '30d')).out).toBe('pruned 1 run older than 30d');
    expect((await run('history')).out).not.toContain('old-run');
    expect((await run('history', '--prune-older-than', 'soon')).code).toBe(1);
  });
});
