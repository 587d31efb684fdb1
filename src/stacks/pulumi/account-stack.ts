import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from '@pulumi/pulumi/automation/index.js';
import { classifyPulumiError } from './pulumi-errors.js';
import { PULUMI_VERSION } from './toolchain.js';

export interface AccountStackOptions {
  readonly fleet: string;
  readonly account: string;
  /** `file://DIR`, `s3://...`, or a Pulumi Cloud URL. */
  readonly backendUrl: string;
  /** Each account gets its own work directory: stacks run side by side in one process otherwise share global state. */
  readonly workRoot: string;
  readonly passphrase: string;
  /** Directory holding bin/pulumi. */
  readonly toolchainRoot: string;
  readonly program: () => Promise<Record<string, unknown>>;
  /** Values scrubbed from every error message. */
  readonly secrets?: readonly string[];
}

export interface ChangeSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly replace: number;
  readonly same: number;
}

export interface AccountStack {
  readonly name: string;
  preview(): Promise<ChangeSummary>;
  up(onEvent?: (e: EngineEvent) => void): Promise<Record<string, unknown>>;
  /** What changed out of band: a refresh preview, nothing written. */
  previewRefresh(): Promise<ChangeSummary>;
  destroy(): Promise<void>;
  outputs(): Promise<Record<string, unknown>>;
}

/**
 * The passphrase of local-backend secrets: GODOTS_PASSPHRASE or
 * PULUMI_CONFIG_PASSPHRASE, else generated once and kept (0600) beside the state.
 */
export function statePassphrase(env: Readonly<Record<string, string | undefined>>, stateDir: string): { passphrase: string; generated: string | null } {
  const given = env.GODOTS_PASSPHRASE ?? env.PULUMI_CONFIG_PASSPHRASE;
  if (given) return { passphrase: given, generated: null };
  const file = join(stateDir, 'passphrase');
  if (existsSync(file)) return { passphrase: readFileSync(file, 'utf8').trim(), generated: null };
  mkdirSync(stateDir, { recursive: true });
  const passphrase = randomBytes(24).toString('base64url');
  writeFileSync(file, passphrase + '\n', { mode: 0o600 });
  return { passphrase, generated: file };
}

const summary = (c: Record<string, number> | undefined): ChangeSummary => ({
  create: c?.create ?? 0, update: c?.update ?? 0, delete: c?.delete ?? 0, replace: c?.replace ?? 0, same: c?.same ?? 0,
});

/** One Pulumi stack per (fleet, account): `<fleet>-<account>`, inline program, its own work directory. */
export async function openAccountStack(o: AccountStackOptions): Promise<AccountStack> {
  const name = `${o.fleet}-${o.account}`;
  const workDir = join(o.workRoot, name);
  mkdirSync(workDir, { recursive: true });
  // The file backend does not create its own directory.
  if (o.backendUrl.startsWith('file://')) mkdirSync(o.backendUrl.slice('file://'.length).split('?')[0]!, { recursive: true });
  const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw classifyPulumiError(o.account, err, o.secrets);
    }
  };
  const pulumiCommand = await PulumiCommand.get({ root: o.toolchainRoot, skipVersionCheck: false });
  const stack: Stack = await wrap(() =>
    LocalWorkspace.createOrSelectStack(
      { stackName: name, projectName: 'godots', program: o.program },
      {
        workDir,
        pulumiCommand,
        projectSettings: { name: 'godots', runtime: 'nodejs', backend: { url: o.backendUrl } },
        envVars: {
          PULUMI_BACKEND_URL: o.backendUrl,
          PULUMI_CONFIG_PASSPHRASE: o.passphrase,
          PULUMI_SKIP_UPDATE_CHECK: 'true',
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
          PATH: `${join(o.toolchainRoot, 'bin')}:${process.env.PATH ?? ''}`,
        },
      },
    ),
  );
  return {
    name,
    preview: () => wrap(async () => summary((await stack.preview()).changeSummary as Record<string, number>)),
    up: (onEvent) => wrap(async () => {
      const r = await stack.up({ onEvent });
      return Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value]));
    }),
    previewRefresh: () => wrap(async () => summary((await stack.previewRefresh()).changeSummary as Record<string, number>)),
    destroy: () => wrap(async () => {
      await stack.destroy();
    }),
    outputs: () => wrap(async () => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]))),
  };
}

export { PULUMI_VERSION };
