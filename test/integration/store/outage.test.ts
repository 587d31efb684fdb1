import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunLog } from '../../../src/store/index.js';
import { MariaDb, mariadbAvailable } from '../../helpers/mariadb.js';

describe.skipIf(!mariadbAvailable)('run log while MariaDB goes down and comes back', () => {
  let server: MariaDb;
  beforeAll(async () => {
    server = await MariaDb.create();
  }, 120_000);
  afterAll(async () => {
    await server?.destroy();
  });

  it('spools every write during the outage and replays it once, in order, idempotently', async () => {
    const url = server.createDatabase('outage');
    const base = mkdtempSync(join(tmpdir(), 'godots-outage-'));
    const spoolDir = join(base, 'spool');
    const errors: unknown[] = [];
    const log = await openRunLog({ url, baseDir: base, spoolDir, flushIntervalMs: 60_000, onError: (e) => errors.push(e) });
    try {
      const runId = randomUUID();
      const hosts = Array.from({ length: 50 }, (_, i) => ({ id: randomUUID(), runId, account: 'a', dropletId: i, dropletName: `h-${i}`, script: 's', scriptVersion: 'v', queuedAt: 1 }));
      log.startRun({ id: runId, kind: 'apply', fleet: 'f', fleetSha256: 'x'.repeat(64), startedAt: 1 });
      log.planHostRuns(hosts);
      expect(await log.flush()).toEqual({ written: 2, spooled: 0 });

      await server.stop();
      for (const [i, h] of hosts.entries()) {
        log.updateHostRun(h.id, { status: 'running', startedAt: 2 });
        log.appendOutput(h.id, 'stdout', Buffer.from(`output of ${i} during the outage\n`));
        log.updateHostRun(h.id, { status: i % 2 ? 'failed' : 'succeeded', finishedAt: 3, exitCode: i % 2 });
      }
      log.finishRun(runId, 'failed', 4, '25 failed');
      const during = await log.flush();
      expect(during.written).toBe(0);
      expect(during.spooled).toBeGreaterThan(0);
      expect(errors.length).toBeGreaterThan(0);
      const spoolFiles = readdirSync(spoolDir);
      expect(spoolFiles).toHaveLength(1);
      const kept = join(base, 'spool-copy.jsonl');
      copyFileSync(join(spoolDir, spoolFiles[0]!), kept);

      await server.start();
      const after = await log.flush();
      expect(after.spooled).toBe(0);
      expect(after.written).toBe(during.spooled);
      expect(readdirSync(spoolDir)).toEqual([]);

      const check = async () => {
        const [run] = await log.history();
        expect(run).toMatchObject({ id: runId, status: 'failed', hosts: 50, succeeded: 25, failed: 25 });
        const rows = await log.hostRuns(runId);
        expect(rows).toHaveLength(50);
        for (const r of rows) {
          const i = Number(r.dropletName.slice(2));
          const out = await log.output(r.id);
          expect(out.map((c) => c.data.toString())).toEqual([`output of ${i} during the outage\n`]);
        }
      };
      await check();
      // Replaying the same spool again leaves exactly the same rows.
      copyFileSync(kept, join(spoolDir, 'spool-000000000-1-again.jsonl'));
      expect((await log.flush()).written).toBe(during.spooled);
      await check();
    } finally {
      await log.close();
    }
  }, 120_000);
});
