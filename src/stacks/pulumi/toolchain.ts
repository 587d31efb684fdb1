import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const PULUMI_VERSION = 'v3.248.0';

export interface Toolchain {
  /** Directory holding bin/pulumi, or null when no CLI of the pinned version is found. */
  readonly root: string | null;
  readonly cliVersion: string | null;
  /** Where the DigitalOcean provider plugin was found, or null. */
  readonly provider: string | null;
}

function which(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Finds the toolchain tools/pulumi/setup.sh made (or one on PATH): the CLI
 * at the pinned version, and the DigitalOcean provider plugin if any.
 */
export function findToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const cached = memo.get(env);
  if (cached) return cached;
  const found = probe(env);
  memo.set(env, found);
  return found;
}

// Probing runs `pulumi version`: once per environment object per process is enough.
const memo = new WeakMap<object, Toolchain>();

function probe(env: NodeJS.ProcessEnv): Toolchain {
  const cacheRoot = join(env.GODOTS_CACHE ?? join(homedir(), '.cache/godots'), 'toolchain', PULUMI_VERSION);
  const candidates = [cacheRoot, ...(which('pulumi', env) ? [join(which('pulumi', env)!, '../..')] : [])];
  let root: string | null = null;
  let cliVersion: string | null = null;
  for (const c of candidates) {
    const bin = join(c, 'bin', 'pulumi');
    if (!existsSync(bin)) continue;
    try {
      cliVersion = execFileSync(bin, ['version'], { encoding: 'utf8', env: { ...env, PULUMI_SKIP_UPDATE_CHECK: 'true' } }).trim();
      root = c;
      break;
    } catch {
      continue;
    }
  }
  const pluginDir = join(env.PULUMI_HOME ?? join(homedir(), '.pulumi'), 'plugins');
  const installed = existsSync(pluginDir) ? readdirSync(pluginDir).find((d) => d.startsWith('resource-digitalocean-')) : undefined;
  const provider = which('pulumi-resource-digitalocean', env) ?? (root && existsSync(join(root, 'bin', 'pulumi-resource-digitalocean')) ? join(root, 'bin', 'pulumi-resource-digitalocean') : null) ?? (installed ? join(pluginDir, installed) : null);
  return { root, cliVersion, provider };
}
