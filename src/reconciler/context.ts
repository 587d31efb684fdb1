import { dirname, join } from 'node:path';
import { GodotsError } from '../core/godots-error.js';
import type { Fleet } from '../fleet/index.js';
import { findToolchain } from '../stacks/pulumi/toolchain.js';
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
  /** The droplet engine, chosen (and loaded) on first use: exec and logs never need it. */
  engine(): Promise<InfraEngine>;
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
  /** Things the user should be told once (a passphrase generated, the engine chosen). */
  readonly onNotice?: (message: string) => void;
}

/**
 * Pulumi stacks where the DigitalOcean provider plugin is installed (or
 * GODOTS_ENGINE=pulumi), else the direct engine; GODOTS_ENGINE=direct forces it.
 */
async function chooseEngine(
  fleet: Fleet,
  clients: ReadonlyMap<string, DoClient>,
  env: Readonly<Record<string, string | undefined>>,
  publicKey: string,
  stateUrl: string,
  notice: (m: string) => void = () => undefined,
): Promise<InfraEngine> {
  const direct = createDirectEngine({ fleet, clients, state: ManagedState.fromUrl(stateUrl), publicKey });
  const toolchain = findToolchain(env as NodeJS.ProcessEnv);
  const wantPulumi = env.GODOTS_ENGINE === 'pulumi' || (env.GODOTS_ENGINE !== 'direct' && toolchain.root !== null && toolchain.provider !== null);
  if (!wantPulumi) return direct;
  if (!toolchain.root) throw new GodotsError('STACK', 'GODOTS_ENGINE=pulumi but no Pulumi CLI was found (run tools/pulumi/setup.sh)');
  // Loaded only here: @pulumi/pulumi costs almost half a second of start-up that exec and plan on the direct engine never need.
  const { createPulumiEngine, pulumiWorkRoot, statePassphrase } = await import('../stacks/pulumi/index.js');
  const stateDir = stateUrl.startsWith('file://') ? stateUrl.slice('file://'.length) : join(fleet.baseDir, '.godots/state');
  const { passphrase, generated } = statePassphrase(env, stateDir);
  if (generated) notice(`generated the state passphrase in ${generated} (mode 0600); keep it with the state, or set GODOTS_PASSPHRASE`);
  // The stacks' outputs are mirrored into a record that observation and planning read, as for the direct engine.
  const record = ManagedState.fromUrl(`file://${join(fleet.baseDir, '.godots/pulumi-record')}`);
  return createPulumiEngine({
    fleet, clients, publicKey, backendUrl: stateUrl, passphrase, toolchainRoot: toolchain.root,
    planner: createDirectEngine({ fleet, clients, state: record, publicKey }), state: record, workRoot: pulumiWorkRoot(fleet.baseDir),
    tokens: new Map(fleet.accounts.map((a) => [a.name, env[a.tokenEnv]!])),
  });
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
  const stateUrl = options.stateUrl ?? `file://${join(fleet.baseDir, '.godots/state')}`;
  let engine: Promise<InfraEngine> | undefined;
  return {
    fleet, clients, runner, runLog, hostKeys, keyPair, secrets, env, now: options.now ?? Date.now,
    engine: () => (engine ??= chooseEngine(fleet, clients, env, keyPair.publicKey, stateUrl, options.onNotice)),
    async close() {
      await runner.close();
      await runLog.close();
    },
  };
}
