#!/usr/bin/env node
// Time to create and boot N droplets on the emulator (API answer, then every
// droplet's sshd reachable), and peak memory: the emulator process's RSS and the
// droplet hosts' PSS. Usage: node bench/emulator/run.mjs [N ...]   (default 50 200)
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { startEmulator, sshdHostsAvailable } from '../../dist/emulator/index.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const NS = sizes.length ? sizes : [50, 200];

function pssOf(needle) {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) continue;
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // The process exited while we read it.
    }
  }
  return kb / 1024;
}

const reachable = (host) => new Promise((resolve) => {
  const s = connect({ host, port: 22 });
  s.once('data', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

const rows = [];
for (const n of NS) {
  const emu = await startEmulator({ accounts: [{ name: 'bench', token: 'tok', dropletLimit: n }], port: 0, hosts: 'auto', bootDelayMs: 0, addressPrefix: '127.41' });
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const batches = [];
  for (let i = 0; i < n; i += 10) {
    const names = Array.from({ length: Math.min(10, n - i) }, (_, j) => `bench-${i + j}`);
    batches.push(fetch(`${emu.url}/v2/droplets`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body: JSON.stringify({ names, region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64' }) }).then((r) => r.status));
  }
  const statuses = await Promise.all(batches);
  const tApi = performance.now();
  const addrs = emu.droplets().map((d) => d.address);
  await Promise.all(addrs.map(async (a) => { while (!(await reachable(a))) await new Promise((r) => setTimeout(r, 10)); }));
  const tBoot = performance.now();
  const hostsPss = pssOf('/run/godots-droplet/sshd_config');
  clearInterval(sample);
  const t1 = performance.now();
  await emu.stop();
  const tStop = performance.now() - t1;
  rows.push({ n, hosts: emu.hostKind, created: statuses.filter((s) => s === 202).length * 10, api_s: ((tApi - t0) / 1000).toFixed(2), all_sshd_reachable_s: ((tBoot - t0) / 1000).toFixed(2), per_droplet_ms: ((tBoot - t0) / n).toFixed(1), stop_s: (tStop / 1000).toFixed(2), emulator_peak_rss_mib: (peakRss / 2 ** 20).toFixed(0), hosts_pss_mib: hostsPss.toFixed(0) });
}
console.table(rows);
if (!sshdHostsAvailable()) console.log('note: not root or no sshd: builtin hosts were measured');
