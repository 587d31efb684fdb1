import type { EmulatorCore } from './emulator-core.js';
import type { DropletRecord } from './emulator-types.js';

/** Faults and out-of-band changes for tests: everything real DigitalOcean can do to a fleet. */
export interface EmulatorFaults {
  /** The next `count` API requests of the account fail with `status`. */
  failNext(account: string, count: number, status?: 429 | 500 | 503): void;
  /** Every create of the account takes `ms` longer. */
  slowCreates(account: string, ms: number): void;
  /** The droplet's SSH server stops answering (TCP still connects), or answers again. */
  setUnreachable(dropletId: number, unreachable: boolean): Promise<void>;
  /** Every open SSH connection to the droplet is cut. */
  dropConnections(dropletId: number): Promise<void>;
  /** The droplet's SSH server comes back with a new host key; returns it. */
  rotateHostKey(dropletId: number): Promise<string>;
  /** Deleted outside any tool. */
  deleteOutOfBand(dropletId: number): Promise<void>;
  /** Resized outside any tool. */
  resizeOutOfBand(dropletId: number, size: string): void;
  /** Tags replaced outside any tool. */
  retagOutOfBand(dropletId: number, tags: string[]): void;
  /** A droplet that belongs to no fleet, taking quota. */
  createForeign(account: string, name: string, tags?: string[]): Promise<number>;
  /** The next droplet created gets this (released) address. */
  reuseAddressNext(address: string): void;
}

export function createFaults(core: EmulatorCore): EmulatorFaults {
  const find = (id: number): DropletRecord => {
    for (const a of core.accounts.values()) {
      const d = a.droplets.get(id);
      if (d) return d;
    }
    throw new Error(`no droplet ${id} in the emulator`);
  };
  const host = (id: number) => {
    find(id);
    const h = core.host(id);
    if (!h) throw new Error(`droplet ${id} has no running host`);
    return h;
  };
  return {
    failNext(account, count, status = 500) {
      core.account(account).failNext = { count, status };
    },
    slowCreates(account, ms) {
      core.account(account).createDelayMs = ms;
    },
    setUnreachable: (id, unreachable) => host(id).setReachable(!unreachable),
    dropConnections: (id) => host(id).dropConnections(),
    async rotateHostKey(id) {
      const key = await host(id).rotateHostKey();
      find(id).hostKey = key;
      return key;
    },
    deleteOutOfBand: (id) => core.deleteDroplet(core.account(find(id).account), id),
    resizeOutOfBand(id, size) {
      find(id).size = size;
    },
    retagOutOfBand(id, tags) {
      const d = find(id);
      d.tags = [...tags];
      for (const t of tags) core.createTag(core.account(d.account), t);
    },
    async createForeign(account, name, tags = []) {
      const acct = core.account(account);
      const [d] = await core.createDroplets(acct, { name, region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags });
      return d!.id;
    },
    reuseAddressNext: (address) => core.reuseAddressNext(address),
  };
}
