// godots' file sync on every droplet of a fleet (rsync over SSH, pinned keys),
// as apply does for `upload`, through the library: the CLI has no bare upload verb.
import { loadFleetFile } from '../../dist/fleet/index.js';
import { openFleetContext } from '../../dist/reconciler/index.js';
import { fanout, syncFiles } from '../../dist/runners/index.js';
import { readInventory } from '../../dist/stacks/index.js';
import { toTargets } from '../../dist/reconciler/targets.js';

const [file, src, cap] = process.argv.slice(2);
const r = loadFleetFile(file);
if (!r.ok) throw new Error('invalid fleet');
const ctx = await openFleetContext({ fleet: r.fleet, env: process.env, dbUrl: 'sqlite::memory:' });
const targets = toTargets(r.fleet, await readInventory(r.fleet, ctx.clients));
let failed = 0;
await fanout({
  targets, maxParallel: Number(cap), maxFailures: null,
  run: async (t) => {
    const lease = await ctx.runner.lease(t);
    try {
      const s = await syncFiles(lease.client, ctx.runner.settings, t, 'upload', src, '/tmp/payload/');
      if (!s.ok) failed++;
      return { failed: !s.ok };
    } finally {
      lease.release();
    }
  },
});
await ctx.close();
process.exitCode = failed ? 1 : 0;
