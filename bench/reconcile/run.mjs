#!/usr/bin/env node
// Reconcile benchmark against the emulator with DigitalOcean's rate limits on
// (250/minute, 5,000/hour per token):
//  1. converge N droplets with three scripts from nothing (godots apply --yes),
//     with the rate-limit floor for comparison (API requests needed / allowed rate);
//  2. overhead of a no-op apply over the engine's own read of the accounts
//     (observe + plan, the direct engine's "preview"), at 10 and N droplets.
// Usage: node bench/reconcile/run.mjs [N]   (default 100)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../dist/emulator/index.js';
import { loadFleetFile } from '../../dist/fleet/index.js';
import { openFleetContext } from '../../dist/reconciler/index.js';

const N = Number(process.argv[2] ?? 100);
const ROOT = new URL('../../', import.meta.url).pathname;
const TOKEN = 'bench-reconcile-token';

async function godots(dir, args) {
  const t0 = performance.now();
  const c = spawn(process.execPath, [join(ROOT, 'bin/godots'), ...args], { cwd: dir, env: { ...process.env, DO_TOKEN_MAIN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  c.stdout.on('data', (d) => (out += d));
  c.stderr.on('data', () => undefined);
  const code = await new Promise((r) => c.on('close', r));
  return { code, seconds: (performance.now() - t0) / 1000, out };
}

const rows = [];
for (const n of [10, N]) {
  const dir = mkdtempSync(join(tmpdir(), 'godots-reconcile-bench-'));
  let requests = 0;
  let limited = 0;
  const emu = await startEmulator({ accounts: [{ name: 'main', token: TOKEN, dropletLimit: n + 10 }], port: 0, bootDelayMs: 1000, addressPrefix: '127.204', onRequest: (e) => { requests++; if (e.status === 429) limited++; } });
  try {
    writeFileSync(join(dir, 'fleet.yaml'), `version: 1
fleet: rb
defaults: { region: [nyc3, sfo3], size: s-1vcpu-1gb, image: debian-12-x64 }
accounts:
  main: { token_env: DO_TOKEN_MAIN, api_url: "${emu.url}" }
groups:
  g: { count: ${n} }
scripts:
  one: { on: [g], run: "echo one" }
  two: { on: [g], run: "echo two", after: [one] }
  three: { on: [g], run: "seq 1 100", after: [two] }
`);
    const converge = await godots(dir, ['apply', '--yes']);
    const convergeRequests = requests;
    // The floor: the requests this apply needed, at 250 per minute, beyond the first minute's burst.
    const floor = Math.max(0, (convergeRequests - 250) / (250 / 60));
    const noop = await godots(dir, ['apply', '--yes']);
    // The engine's own read: what any preview of these accounts must do.
    const r = loadFleetFile(join(dir, 'fleet.yaml'));
    const ctx = await openFleetContext({ fleet: r.fleet, env: { ...process.env, DO_TOKEN_MAIN: TOKEN }, dbUrl: `sqlite:${join(dir, '.godots/godots.db')}` });
    const engine = await ctx.engine();
    const t0 = performance.now();
    engine.plan(await engine.observe());
    const preview = (performance.now() - t0) / 1000;
    await ctx.close();
    const plan = await godots(dir, ['plan']);
    rows.push({
      droplets: n, converge_s: converge.seconds.toFixed(2), converge_ok: converge.code === 0, api_requests: convergeRequests, rate_floor_s: floor.toFixed(1),
      responses_429: limited, noop_apply_s: noop.seconds.toFixed(2), plan_cli_s: plan.seconds.toFixed(2), engine_preview_s: preview.toFixed(3),
      noop_vs_plan: (noop.seconds / plan.seconds).toFixed(2),
    });
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.table(rows);
