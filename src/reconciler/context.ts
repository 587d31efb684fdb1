import { dirname, join } from 'node:path';
import type { Fleet } from '../fleet/index.js';
import { createSshRunner, ensureKeyPair, HostKeyStore, type KeyPair, type Runner } from '../runners/index.js';
import { accountClients, createDirectEngine, fleetSecrets, ManagedState, type DoClient, type InfraEngine } from '../stacks/index.js';
import { openRunLog, type RunLog } from '../store/index.js';

/** Everything a command needs to act on a fleet, built from injected or default parts. */
export interface FleetContext {
  readonly fleet: Fleet;
  readonly clients: ReadonlyMap<string, DoClient>;
  readonly runner: Runner;
  readonly runLog: RunLog;
  readonly hostKeys: HostKeyStore;
  readonly keyPair: KeyPair;
  /** Token values: never printed, logged or stored. */
  readonly secrets: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly engine: InfraEngine;
  close(): Promise<void>;
}

export interface ContextOptions {
  readonly fleet: Fleet;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dbUrl: string;
  readonly acceptNewHostKey?: readonly string[];
  readonly now?: () => number;
  readonly keepaliveMs?: number;
  readonly onPin?: (name: string, outcome: string) => void;
  /** Where stacks keep their state; default file:// + .godots/state beside the fleet file. */
  readonly stateUrl?: string | null;
}

/** Opens the run log, the API clients and the SSH runner for a validated fleet; nothing is touched before this. */
export async function openFleetContext(options: ContextOptions): Promise<FleetContext> {
  const { fleet, env } = options;
  const clients = accountClients(fleet, env);
  const secrets = fleetSecrets(fleet, env);
  const keyPair = ensureKeyPair(fleet.ssh.privateKey);
  const hostKeys = new HostKeyStore(fleet.ssh.knownHosts);
  for (const name of options.acceptNewHostKey ?? []) hostKeys.acceptNewKeyFor(name);
  const runLog = await openRunLog({ url: options.dbUrl, baseDir: dirname(fleet.file), secrets });
  const runner = createSshRunner({
    ssh: {
      user: fleet.ssh.user, privateKey: keyPair.privateKey, privateKeyPath: fleet.ssh.privateKey, knownHostsPath: fleet.ssh.knownHosts,
      connectTimeoutMs: fleet.ssh.connectTimeoutMs, keepaliveMs: options.keepaliveMs ?? 10_000, maxConnections: fleet.ssh.maxConnections,
    },
    hostKeys,
    onPin: (t, o) => options.onPin?.(t.name, o),
  });
  const engine = createDirectEngine({
    fleet,
    clients,
    state: ManagedState.fromUrl(options.stateUrl ?? `file://${join(fleet.baseDir, '.godots/state')}`),
    publicKey: keyPair.publicKey,
  });
  return {
    fleet, clients, runner, runLog, hostKeys, keyPair, secrets, env, engine, now: options.now ?? Date.now,
    async close() {
      await runner.close();
      await runLog.close();
    },
  };
}
