/** Time source, injected so tests can move time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AccountSpec {
  readonly name: string;
  readonly token: string;
  /** The account's own droplet limit (GET /v2/account). Default 25. */
  readonly dropletLimit?: number;
}

export interface DropletRecord {
  id: number;
  name: string;
  account: string;
  region: string;
  size: string;
  image: number;
  tags: string[];
  sshKeyIds: number[];
  userData: string | null;
  monitoring: boolean;
  ipv6: boolean;
  vpcUuid: string;
  createdAt: number;
  /** When the droplet reports `active`. */
  activeAt: number;
  power: 'on' | 'off';
  locked: boolean;
  address: string;
  /** Public host key of the droplet's SSH server, OpenSSH format. */
  hostKey: string | null;
}

export interface SshKeyRecord {
  id: number;
  name: string;
  publicKey: string;
  fingerprint: string;
}

export interface ActionRecord {
  id: number;
  type: string;
  resourceId: number;
  region: string;
  startedAt: number;
  completesAt: number;
}

export interface AccountState {
  readonly spec: Required<AccountSpec>;
  readonly uuid: string;
  droplets: Map<number, DropletRecord>;
  keys: Map<number, SshKeyRecord>;
  tags: Map<string, number>;
  actions: Map<number, ActionRecord>;
  /** Requests of this account that fail on purpose (fault injection). */
  failNext: { count: number; status: 429 | 500 | 503 };
  createDelayMs: number;
}
