import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { deepFreeze } from '../core/deep-freeze.js';
import type { Account, Fleet, Group, Quantity, Script, SshSettings, SyncSpec, When } from './fleet-model.js';
import { parseDuration, parseQuantity } from './formats.js';
import type { RawFleet, RawScript, RawSync } from './raw-fleet.js';
import { isInlineUserData } from './user-data.js';

/** The defaults FLEET_SPEC.md promises, in one place. */
export const DEFAULTS = {
  sshUser: 'root',
  privateKey: '.godots/id_ed25519',
  knownHosts: '.godots/known_hosts',
  sshPort: 22,
  connectTimeout: '20s',
  maxConnections: 200,
  interpreter: '/bin/sh',
  timeout: '10m',
  retries: 1,
  maxParallel: '100%',
} as const;

export interface NormalizeContext {
  readonly file: string;
  readonly baseDir: string;
  readonly sha256: string;
  readFile(absolutePath: string): string;
  readonly home?: string;
}

/** Turns validated raw data into the frozen, fully defaulted model. Only call on data that passed every check. */
export function normalizeFleet(raw: RawFleet, ctx: NormalizeContext): Fleet {
  const path = (p: string) => {
    if (p === '~' || p.startsWith('~/')) return resolve(ctx.home ?? homedir(), p.slice(2));
    return isAbsolute(p) ? p : resolve(ctx.baseDir, p);
  };
  const s = raw.ssh ?? {};
  const ssh: SshSettings = {
    user: s.user ?? DEFAULTS.sshUser,
    privateKey: path(s.private_key ?? DEFAULTS.privateKey),
    knownHosts: path(s.known_hosts ?? DEFAULTS.knownHosts),
    port: s.port ?? DEFAULTS.sshPort,
    connectTimeoutMs: parseDuration(s.connect_timeout ?? DEFAULTS.connectTimeout)!,
    maxConnections: s.max_connections ?? DEFAULTS.maxConnections,
  };
  const accounts: Account[] = Object.entries(raw.accounts ?? {}).map(([name, a]) => ({
    name,
    tokenEnv: a.token_env,
    dropletLimit: a.droplet_limit ?? null,
    apiUrl: a.api_url ?? null,
  }));
  const defaults = raw.defaults ?? {};
  const groups: Group[] = Object.entries(raw.groups ?? {}).map(([name, g]) => {
    const region = g.region ?? defaults.region!;
    const own = [...(defaults.tags ?? []), ...(g.tags ?? [])];
    const tags = ['godots', `godots-fleet:${raw.fleet}`, `godots-group:${name}`, ...own];
    return {
      name,
      count: g.count,
      accounts: g.accounts ?? accounts.map((a) => a.name),
      regions: typeof region === 'string' ? [region] : region,
      size: g.size ?? defaults.size!,
      image: g.image ?? defaults.image!,
      tags: [...new Set(tags)],
      userData: g.user_data === undefined ? null : isInlineUserData(g.user_data) ? g.user_data : ctx.readFile(path(g.user_data)),
      monitoring: g.monitoring ?? false,
      ipv6: g.ipv6 ?? false,
      vpcUuid: g.vpc_uuid ?? null,
    };
  });
  const groupNames = groups.map((g) => g.name);
  const scripts: Script[] = Object.entries(raw.scripts ?? {}).map(([name, sc]) => normalizeScript(name, sc, groupNames, path, ctx));
  return deepFreeze({
    version: 1,
    name: raw.fleet,
    file: ctx.file,
    baseDir: ctx.baseDir,
    sha256: ctx.sha256,
    ssh,
    accounts,
    groups,
    scripts,
  });
}

function normalizeScript(
  name: string,
  sc: RawScript,
  groupNames: string[],
  path: (p: string) => string,
  ctx: NormalizeContext,
): Script {
  const when: When = typeof sc.when === 'object' ? { kind: 'schedule', cron: sc.when.schedule } : { kind: sc.when ?? 'on-change' };
  const env = Object.fromEntries(Object.entries(sc.env ?? {}).map(([k, v]) => [k, String(v)]));
  const sync = (list: RawSync[] | undefined, localSide: 'src' | 'dest'): SyncSpec[] =>
    (list ?? []).map((e) => ({
      src: localSide === 'src' ? path(e.src) : e.src,
      dest: localSide === 'dest' ? path(e.dest) : e.dest,
    }));
  return {
    name,
    on: sc.on.includes('all') ? groupNames : [...new Set(sc.on)],
    source: sc.file === undefined ? { kind: 'inline' } : { kind: 'file', path: path(sc.file) },
    text: sc.file === undefined ? sc.run! : ctx.readFile(path(sc.file)),
    interpreter: sc.interpreter ?? DEFAULTS.interpreter,
    when,
    after: [...new Set(sc.after ?? [])],
    env,
    timeoutMs: parseDuration(sc.timeout ?? DEFAULTS.timeout)!,
    retries: sc.retries ?? DEFAULTS.retries,
    retryOnExit: sc.retry_on_exit ?? false,
    maxParallel: parseQuantity(sc.max_parallel ?? DEFAULTS.maxParallel)! as Quantity,
    maxFailures: sc.max_failures === undefined ? null : parseQuantity(sc.max_failures)!,
    upload: sync(sc.upload, 'src'),
    collect: sync(sc.collect, 'dest'),
  };
}
