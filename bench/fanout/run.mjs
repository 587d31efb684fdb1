#!/usr/bin/env node
// Fan-out benchmark: godots exec (the real CLI, run logging on) side by side
// with parallel-ssh, pdsh -R ssh and ansible (raw, and command with
// pipelining), same hosts, same in-flight cap, curve25519 + ed25519 for all.
// Hosts are the emulator's droplets: real sshd on distinct loopback addresses.
// Usage: node bench/fanout/run.mjs [N ...]   (default 10 100 200; 500 works too)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../dist/emulator/index.js';
import { ensureKeyPair } from '../../dist/runners/index.js';

const NS = process.argv.slice(2).map(Number).filter(Boolean);
const sizes = NS.length ? NS : [10, 100, 200];
const CAP = 100;
const ROOT = new URL('../../', import.meta.url).pathname;
const GODOTS = join(ROOT, 'bin/godots');
const TOKEN = 'bench-token-0123456789';
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * Runs a command under GNU time: wall seconds, client CPU seconds, peak RSS
 * (MiB). Asynchronous: the emulator in this process must keep answering.
 */
async function measure(cmd, args, env = {}) {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { env: { ...process.env, ...env } });
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (d) => (stdoutBytes += d.length));
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-20000)));
  const status = await new Promise((r) => child.on('close', r));
  const wall = (performance.now() - t0) / 1000;
  const last = stderr.trim().split('\n').pop() ?? '';
  const [u, s, m] = last.split(' ').map(Number);
  return { ok: status === 0, wall, cpu: (u ?? 0) + (s ?? 0), rssMiB: (m ?? 0) / 1024, stdoutBytes, err: status === 0 ? '' : stderr.slice(0, 300) };
}

const results = [];
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'godots-bench-'));
  const keyPath = join(dir, '.godots/id_ed25519');
  const pair = ensureKeyPair(keyPath);
  const emu = await startEmulator({ accounts: [{ name: 'main', token: TOKEN, dropletLimit: n + 10 }], port: 0, bootDelayMs: 0, addressPrefix: '127.201', rateLimits: { perHour: 1e9, perMinute: 1e9 } });
  try {
    const h = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const key = await (await fetch(`${emu.url}/v2/account/keys`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'k', public_key: pair.publicKey }) })).json();
    for (let i = 0; i < n; i += 10) {
      const names = Array.from({ length: Math.min(10, n - i) }, (_, j) => `b-g-${i + j}`);
      await fetch(`${emu.url}/v2/droplets`, { method: 'POST', headers: h, body: JSON.stringify({ names, region: 'nyc3', size: 's-1vcpu-1gb', image: 'debian-12-x64', ssh_keys: [key.ssh_key.id], tags: ['godots', 'godots-fleet:b', 'godots-group:g'] }) });
    }
    const addrs = emu.droplets().map((d) => d.address);
    writeFileSync(join(dir, 'fleet.yaml'), `version: 1\nfleet: b\ndefaults: { region: nyc3, size: s-1vcpu-1gb, image: debian-12-x64 }\nssh: { max_connections: ${CAP} }\naccounts:\n  main: { token_env: DO_TOKEN_MAIN, api_url: "${emu.url}" }\ngroups:\n  g: { count: ${n} }\n`);
    writeFileSync(join(dir, 'hosts'), addrs.map((a) => `root@${a}`).join('\n') + '\n');
    writeFileSync(join(dir, 'inventory.ini'), '[all]\n' + addrs.map((a, i) => `h${i} ansible_host=${a}`).join('\n') + '\n[all:vars]\nansible_user=root\nansible_python_interpreter=/usr/bin/python3\n');
    const sshOpts = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'KexAlgorithms=curve25519-sha256', '-o', 'HostKeyAlgorithms=ssh-ed25519', '-o', `IdentityFile=${keyPath}`, '-o', 'IdentitiesOnly=yes'];
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nhost_key_checking = False\nforks = ${CAP}\ngathering = explicit\nstdout_callback = oneline\n[ssh_connection]\npipelining = True\nssh_args = ${sshOpts.filter((o) => o !== '-o').map((o) => `-o ${o}`).join(' ')}\n`);
    mkdirSync(join(dir, 'payload'), { recursive: true });
    writeFileSync(join(dir, 'payload/blob.bin'), Buffer.alloc(1 << 20, 7));
    const env = { DO_TOKEN_MAIN: TOKEN, ANSIBLE_CONFIG: join(dir, 'ansible.cfg') };
    const lines = 'seq 1 10000';
    const tasks = {
      'exec true': {
        godots: [GODOTS, ['-f', join(dir, 'fleet.yaml'), 'exec', '--all', '--parallel', String(CAP), '--', 'true']],
        pssh: ['parallel-ssh', ['-h', join(dir, 'hosts'), '-p', String(CAP), '-t', '0', ...sshOpts.flatMap((o, i, a) => (o === '-o' ? ['-O', a[i + 1]] : [])), 'true']],
        pdsh: ['pdsh', ['-R', 'ssh', '-f', String(CAP), '-w', addrs.join(','), '-l', 'root', 'true']],
        'ansible raw': ['ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'raw', '-a', 'true']],
        'ansible command': ['ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'command', '-a', 'true']],
      },
      '10k lines': {
        godots: [GODOTS, ['-f', join(dir, 'fleet.yaml'), 'exec', '--all', '--parallel', String(CAP), '--', lines]],
        pssh: ['parallel-ssh', ['-h', join(dir, 'hosts'), '-p', String(CAP), '-t', '0', '-o', join(dir, 'pssh-out'), ...sshOpts.flatMap((o, i, a) => (o === '-o' ? ['-O', a[i + 1]] : [])), lines]],
        pdsh: ['pdsh', ['-R', 'ssh', '-f', String(CAP), '-w', addrs.join(','), '-l', 'root', lines]],
        'ansible raw': ['ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'raw', '-a', lines]],
        'ansible command': ['ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'command', '-a', lines]],
      },
      '1 MB upload': {
        godots: [process.execPath, [join(ROOT, 'bench/fanout/upload.mjs'), join(dir, 'fleet.yaml'), join(dir, 'payload/'), String(CAP)]],
        pssh: ['parallel-scp', ['-h', join(dir, 'hosts'), '-p', String(CAP), '-t', '0', ...sshOpts.flatMap((o, i, a) => (o === '-o' ? ['-O', a[i + 1]] : [])), join(dir, 'payload/blob.bin'), '/tmp/blob.bin']],
        'ansible copy': ['ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'copy', '-a', `src=${join(dir, 'payload/blob.bin')} dest=/tmp/blob.bin`]],
      },
    };
    // pdsh reads its ssh options from PDSH_SSH_ARGS_APPEND.
    const pdshEnv = { PDSH_SSH_ARGS_APPEND: sshOpts.join(' ') };
    for (const [task, tools] of Object.entries(tasks)) {
      const row = { n, task };
      for (const [tool, [cmd, args]] of Object.entries(tools)) {
        if (cmd !== process.execPath && cmd !== GODOTS && !have(cmd)) continue;
        const m = await measure(cmd, args, { ...env, ...(tool === 'pdsh' ? pdshEnv : {}) });
        row[tool] = m;
        if (!m.ok) console.error(`${tool} ${task} n=${n} failed: ${m.err}`);
      }
      results.push(row);
      const g = row.godots;
      console.log(`n=${n} ${task}: ` + Object.entries(row).filter(([k]) => !['n', 'task'].includes(k)).map(([k, v]) => `${k} ${v.wall.toFixed(2)}s cpu ${(v.cpu * 1000 / n).toFixed(1)}ms/host rss ${v.rssMiB.toFixed(0)}MiB${v.ok ? '' : ' FAILED'}${g && k !== 'godots' ? ` (godots x${(v.wall / g.wall).toFixed(2)} faster)` : ''}`).join(' | '));
    }
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
writeFileSync(join(ROOT, 'bench/fanout/last-results.json'), JSON.stringify(results, null, 2));
