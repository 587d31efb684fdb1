/**
 * The loaded fleet: frozen, fully defaulted, paths resolved, files read.
 * Nothing downstream of `loadFleet` sees raw YAML.
 */
export interface Fleet {
  readonly version: 1;
  readonly name: string;
  /** The fleet file's path as given, for messages. */
  readonly file: string;
  /** Directory every relative path of the file is resolved against. */
  readonly baseDir: string;
  /** sha256 of the file's text, recorded with every run. */
  readonly sha256: string;
  readonly ssh: SshSettings;
  readonly accounts: readonly Account[];
  readonly groups: readonly Group[];
  readonly scripts: readonly Script[];
}

export interface SshSettings {
  readonly user: string;
  /** Absolute path; the public key is the same path + `.pub`. */
  readonly privateKey: string;
  readonly knownHosts: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly maxConnections: number;
}

export interface Account {
  readonly name: string;
  /** Name of the environment variable holding the token; never the token. */
  readonly tokenEnv: string;
  readonly dropletLimit: number | null;
  readonly apiUrl: string | null;
}

export interface Group {
  readonly name: string;
  readonly count: number;
  /** Accounts in placement order. */
  readonly accounts: readonly string[];
  /** Round-robin by droplet index. */
  readonly regions: readonly string[];
  readonly size: string;
  readonly image: string;
  /** Every tag the droplets carry, godots' own first. */
  readonly tags: readonly string[];
  readonly userData: string | null;
  readonly monitoring: boolean;
  readonly ipv6: boolean;
  readonly vpcUuid: string | null;
}

export type When =
  | { readonly kind: 'on-change' }
  | { readonly kind: 'once' }
  | { readonly kind: 'always' }
  | { readonly kind: 'manual' }
  | { readonly kind: 'schedule'; readonly cron: string };

/** N hosts, or a percentage of the script's targets. */
export type Quantity = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'percent'; readonly value: number };

export interface SyncSpec {
  /** Upload: absolute local path. Collect: remote path. */
  readonly src: string;
  /** Upload: remote path. Collect: local path template (absolute) with `{host}`. */
  readonly dest: string;
}

export interface Script {
  readonly name: string;
  /** Group names, `all` expanded. */
  readonly on: readonly string[];
  readonly source: { readonly kind: 'inline' } | { readonly kind: 'file'; readonly path: string };
  readonly text: string;
  readonly interpreter: string;
  readonly when: When;
  readonly after: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryOnExit: boolean;
  readonly maxParallel: Quantity;
  readonly maxFailures: Quantity | null;
  readonly upload: readonly SyncSpec[];
  readonly collect: readonly SyncSpec[];
}

/** `<fleet>-<group>-<index>`, the droplet's name and hostname. */
export function dropletName(fleet: string, group: string, index: number): string {
  return `${fleet}-${group}-${index}`;
}

/** Resolves a quantity against a number of targets; at least 1 when there are targets. */
export function resolveQuantity(q: Quantity, targets: number): number {
  if (q.kind === 'count') return q.value;
  return Math.max(targets > 0 && q.value > 0 ? 1 : 0, Math.floor((targets * q.value) / 100));
}
