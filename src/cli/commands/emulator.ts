import { startEmulator, type AccountSpec } from '../../emulator/index.js';
import { loadFleetFile } from '../../fleet/index.js';
import { GodotsError } from '../../core/index.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

export interface EmulatorCommandOptions {
  port: string;
  account?: string[];
  hosts: string;
  stateDir?: string;
  bootDelay: string;
  logRequests?: boolean;
}

function parseAccount(text: string): AccountSpec {
  const m = /^([a-z][a-z0-9-]*):([^:]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new GodotsError('USAGE', `--account ${text.split(':')[0]}:… must be NAME:TOKEN or NAME:TOKEN:LIMIT`);
  return { name: m[1]!, token: m[2]!, dropletLimit: m[3] === undefined ? undefined : Number(m[3]) };
}

/** Accounts of the fleet file, with tokens from the variables it names: the embedded default. */
function fleetAccounts(globals: GlobalOptions, io: CliIo): AccountSpec[] {
  const r = loadFleetFile(globals.file);
  if (!r.ok) throw new GodotsError('FLEET_INVALID', `${globals.file} is not valid (run godots validate); or pass --account NAME:TOKEN`);
  return r.fleet.accounts.map((a) => {
    const token = io.env[a.tokenEnv];
    if (!token) throw new GodotsError('USAGE', `account ${a.name}: ${a.tokenEnv} is not set; set it to any value the emulator should accept, or pass --account`);
    return { name: a.name, token, dropletLimit: a.dropletLimit ?? undefined };
  });
}

/** `godots emulator`: serve the local DigitalOcean API until SIGINT/SIGTERM. */
export async function emulatorCommand(globals: GlobalOptions, io: CliIo, opts: EmulatorCommandOptions): Promise<number> {
  const accounts = opts.account?.length ? opts.account.map(parseAccount) : fleetAccounts(globals, io);
  if (!['sshd', 'builtin', 'auto'].includes(opts.hosts)) throw new GodotsError('USAGE', '--hosts must be sshd, builtin or auto');
  const emu = await startEmulator({
    accounts,
    port: Number(opts.port),
    hosts: opts.hosts as 'sshd' | 'builtin' | 'auto',
    stateDir: opts.stateDir,
    bootDelayMs: Number(opts.bootDelay),
    onRequest: (e) => {
      if (opts.logRequests || e.error) io.err(`${e.method} ${e.path} ${e.status}${e.account ? ` (${e.account})` : ''}${e.error ? `: ${e.error}` : ''}`);
    },
  });
  io.out(emu.url);
  io.err(`emulator: ${accounts.length} account(s) [${accounts.map((a) => a.name).join(', ')}], droplet hosts: ${emu.hostKind}; Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    if (!io.signal) return;
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emu.stop();
  io.err('emulator: stopped');
  return 0;
}
