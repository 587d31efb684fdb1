import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { AddressPool } from './address-pool.js';
import { ApiError, notFound, unprocessable } from './api-error.js';
import { findImage, findRegion, findSize } from './catalog.js';
import type { AccountSpec, AccountState, ActionRecord, Clock, DropletRecord, SshKeyRecord } from './emulator-types.js';
import { md5Fingerprint } from './fingerprint.js';
import type { DropletHost, HostProvider } from './hosts/host-provider.js';

export interface CoreOptions {
  readonly accounts: readonly AccountSpec[];
  readonly hosts: HostProvider;
  readonly stateDir: string;
  readonly clock: Clock;
  readonly bootDelayMs: number;
  readonly actionDelayMs: number;
  readonly sshPort: number;
  readonly addressPrefix?: string;
}

export interface CreateRequest {
  name?: string;
  names?: string[];
  region?: string;
  size?: string;
  image?: string | number;
  ssh_keys?: (string | number)[];
  tags?: string[] | null;
  user_data?: string;
  monitoring?: boolean;
  ipv6?: boolean;
  vpc_uuid?: string;
}

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,253}[a-zA-Z0-9])?$/;
const TAG = /^[a-zA-Z0-9_\-:]{1,255}$/;
const MAX_BULK = 10;

/**
 * The emulated DigitalOcean: accounts, droplets (each backed by a real SSH host),
 * keys, tags and actions, with DigitalOcean's validation and limits.
 */
export class EmulatorCore {
  readonly accounts = new Map<string, AccountState>();
  private readonly byToken = new Map<string, AccountState>();
  private readonly hosts = new Map<number, DropletHost>();
  private readonly pool: AddressPool;
  private nextId = 300_000_000;

  constructor(private readonly options: CoreOptions) {
    this.pool = new AddressPool(options.addressPrefix);
    for (const spec of options.accounts) this.addAccount(spec);
  }

  addAccount(spec: AccountSpec): AccountState {
    if (this.byToken.has(spec.token)) throw new Error(`two accounts share one token (${spec.name})`);
    const state: AccountState = {
      spec: { name: spec.name, token: spec.token, dropletLimit: spec.dropletLimit ?? 25 },
      uuid: randomUUID(),
      droplets: new Map(),
      keys: new Map(),
      tags: new Map(),
      actions: new Map(),
      failNext: { count: 0, status: 500 },
      createDelayMs: 0,
    };
    this.accounts.set(spec.name, state);
    this.byToken.set(spec.token, state);
    return state;
  }

  accountByToken(token: string): AccountState | undefined {
    return this.byToken.get(token);
  }

  account(name: string): AccountState {
    const a = this.accounts.get(name);
    if (!a) throw new Error(`no emulated account named ${name}`);
    return a;
  }

  now(): number {
    return this.options.clock.now();
  }

  private id(): number {
    return this.nextId++;
  }

  host(dropletId: number): DropletHost | undefined {
    return this.hosts.get(dropletId);
  }

  // ---- SSH keys

  createKey(acct: AccountState, body: { name?: unknown; public_key?: unknown }): SshKeyRecord {
    if (typeof body.name !== 'string' || body.name === '') throw unprocessable('Name is required');
    if (typeof body.public_key !== 'string') throw unprocessable('Public Key is required');
    const fingerprint = md5Fingerprint(body.public_key);
    if (!fingerprint) throw unprocessable('Key invalid type, we support \'ssh-rsa\', \'ssh-ed25519\', \'ecdsa-sha2-nistp256\', \'ecdsa-sha2-nistp384\', or \'ecdsa-sha2-nistp521\'');
    if ([...acct.keys.values()].some((k) => k.fingerprint === fingerprint)) throw unprocessable('SSH Key is already in use on your account');
    const key = { id: this.id(), name: body.name, publicKey: body.public_key.trim(), fingerprint };
    acct.keys.set(key.id, key);
    return key;
  }

  findKey(acct: AccountState, ref: string): SshKeyRecord {
    const key = /^\d+$/.test(ref) ? acct.keys.get(Number(ref)) : [...acct.keys.values()].find((k) => k.fingerprint === ref);
    if (!key) throw notFound();
    return key;
  }

  // ---- tags

  createTag(acct: AccountState, name: unknown): string {
    if (typeof name !== 'string' || !TAG.test(name)) {
      // The tags endpoint answers in its own error shape, as DigitalOcean's does.
      const why = `Error validating resource tag: "tag-name ${JSON.stringify(String(name))} contains invalid characters"`;
      throw new ApiError(400, 'bad_request', why, { error: why, messages: null, root_causes: [`rpc error: code = InvalidArgument desc = ${why}`] });
    }
    if (!acct.tags.has(name)) acct.tags.set(name, this.now());
    return name;
  }

  tagCounts(acct: AccountState, name: string) {
    const droplets = [...acct.droplets.values()].filter((d) => d.tags.includes(name));
    const last = droplets.at(-1);
    const lastUri = last ? `https://api.digitalocean.com/v2/droplets/${last.id}` : '';
    const empty = { count: 0, last_tagged_uri: '' };
    return {
      name,
      resources: {
        count: droplets.length,
        last_tagged_uri: lastUri,
        droplets: { count: droplets.length, last_tagged_uri: lastUri },
        imgages: empty,
        volumes: empty,
        volume_snapshots: empty,
        databases: empty,
      },
    };
  }

  deleteTag(acct: AccountState, name: string): void {
    if (!acct.tags.delete(name)) throw notFound();
    for (const d of acct.droplets.values()) d.tags = d.tags.filter((t) => t !== name);
  }

  tagResources(acct: AccountState, name: string, resources: unknown, add: boolean): void {
    if (!acct.tags.has(name)) {
      if (!add) throw notFound();
      this.createTag(acct, name);
    }
    if (!Array.isArray(resources) || resources.length === 0) throw unprocessable('resources must be a non-empty list');
    for (const r of resources as { resource_id?: unknown; resource_type?: unknown }[]) {
      if (r.resource_type !== 'droplet') throw unprocessable(`resource type ${String(r.resource_type)} is not supported here`);
      const d = acct.droplets.get(Number(r.resource_id));
      if (!d) throw notFound();
      if (add && !d.tags.includes(name)) d.tags.push(name);
      if (!add) d.tags = d.tags.filter((t) => t !== name);
    }
  }

  // ---- droplets

  async createDroplets(acct: AccountState, body: CreateRequest): Promise<DropletRecord[]> {
    const names = body.names ?? (body.name === undefined ? [] : [body.name]);
    if (body.names !== undefined && body.name !== undefined) throw unprocessable('Specify either name or names, not both.');
    if (names.length === 0) throw unprocessable('Name is required');
    if (names.length > MAX_BULK) throw unprocessable(`You can only create up to ${MAX_BULK} Droplets at once.`);
    for (const n of names) {
      if (typeof n !== 'string' || !HOSTNAME.test(n)) throw unprocessable('Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)');
    }
    if (typeof body.region !== 'string' || !findRegion(body.region)) throw unprocessable('You specified an invalid region for Droplet creation.');
    if (typeof body.size !== 'string' || !findSize(body.size)) throw unprocessable('You specified an invalid size for Droplet creation.');
    const image = body.image === undefined ? undefined : findImage(body.image);
    if (!image) throw unprocessable('You specified an invalid image for Droplet creation.');
    const keys = (body.ssh_keys ?? []).map((ref) => {
      try {
        return this.findKey(acct, String(ref));
      } catch {
        throw unprocessable(`You specified an invalid ssh key: ${String(ref)}`);
      }
    });
    for (const t of body.tags ?? []) if (typeof t !== 'string' || !TAG.test(t)) throw unprocessable(`invalid tag name: ${String(t)}`);
    if (acct.droplets.size + names.length > acct.spec.dropletLimit) {
      throw unprocessable('creating this/these droplet(s) will exceed your droplet limit');
    }
    if (acct.createDelayMs > 0) await new Promise((r) => setTimeout(r, acct.createDelayMs));
    const now = this.now();
    const created: DropletRecord[] = [];
    for (const name of names) {
      const d: DropletRecord = {
        id: this.id(),
        name,
        account: acct.spec.name,
        region: body.region,
        size: body.size,
        image: image.id,
        tags: [...new Set(body.tags ?? [])],
        sshKeyIds: keys.map((k) => k.id),
        userData: body.user_data ?? null,
        monitoring: body.monitoring ?? false,
        ipv6: body.ipv6 ?? false,
        vpcUuid: body.vpc_uuid ?? '00000000-0000-4000-8000-000000000001',
        createdAt: now,
        activeAt: now + this.options.bootDelayMs,
        power: 'on',
        locked: false,
        address: await this.freeAddress(),
        hostKey: null,
      };
      for (const t of d.tags) this.createTag(acct, t);
      acct.droplets.set(d.id, d);
      created.push(d);
    }
    // Hosts boot while the API has already answered, as on DigitalOcean; status turns active after the boot delay.
    await Promise.all(created.map((d) => this.bootHost(acct, d)));
    return created;
  }

  private async bootHost(acct: AccountState, d: DropletRecord): Promise<void> {
    const host = await this.options.hosts.start({
      name: d.name,
      address: d.address,
      port: this.options.sshPort,
      authorizedKeys: d.sshKeyIds.map((id) => acct.keys.get(id)?.publicKey).filter((k): k is string => Boolean(k)),
      userData: d.userData,
      dir: join(this.options.stateDir, 'droplets', String(d.id)),
    });
    if (!acct.droplets.has(d.id)) {
      await host.destroy();
      return;
    }
    this.hosts.set(d.id, host);
    d.hostKey = host.hostKey();
  }

  droplet(acct: AccountState, id: number): DropletRecord {
    const d = acct.droplets.get(id);
    if (!d) throw notFound();
    return d;
  }

  async deleteDroplet(acct: AccountState, id: number): Promise<void> {
    const d = this.droplet(acct, id);
    acct.droplets.delete(id);
    const host = this.hosts.get(id);
    this.hosts.delete(id);
    await host?.destroy();
    this.pool.release(d.address);
  }

  async deleteByTag(acct: AccountState, tag: string): Promise<void> {
    const ids = [...acct.droplets.values()].filter((d) => d.tags.includes(tag)).map((d) => d.id);
    await Promise.all(ids.map((id) => this.deleteDroplet(acct, id)));
  }

  async dropletAction(acct: AccountState, id: number, body: { type?: unknown; size?: unknown; name?: unknown }): Promise<ActionRecord> {
    const d = this.droplet(acct, id);
    const host = this.hosts.get(id);
    switch (body.type) {
      case 'power_off':
      case 'shutdown':
        d.power = 'off';
        await host?.stop();
        break;
      case 'power_on':
        d.power = 'on';
        await host?.start();
        break;
      case 'reboot':
      case 'power_cycle':
        await host?.stop();
        d.power = 'on';
        await host?.start();
        break;
      case 'resize':
        if (typeof body.size !== 'string' || !findSize(body.size)) throw unprocessable('You specified an invalid size for Droplet resize.');
        if (d.power === 'on') throw unprocessable('Droplet is currently on. Please power it off to run this event.');
        d.size = body.size;
        break;
      case 'rename':
        if (typeof body.name !== 'string' || !HOSTNAME.test(body.name)) throw unprocessable('Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)');
        d.name = body.name;
        break;
      default:
        throw unprocessable(`action type ${String(body.type)} is not supported by this emulator`);
    }
    return this.recordAction(acct, d, String(body.type));
  }

  recordAction(acct: AccountState, d: DropletRecord, type: string): ActionRecord {
    const now = this.now();
    const a = { id: this.id(), type, resourceId: d.id, region: d.region, startedAt: now, completesAt: now + this.options.actionDelayMs };
    acct.actions.set(a.id, a);
    return a;
  }

  /** Stops every host; the emulator's state is gone with it. */
  async shutdown(): Promise<void> {
    const hosts = [...this.hosts.values()];
    this.hosts.clear();
    await Promise.all(hosts.map((h) => h.destroy()));
  }

  /** Address of a released droplet, reused for the next one (fault: address reuse). */
  reuseAddressNext(address: string): void {
    this.pendingReuse = address;
  }

  private pendingReuse: string | undefined;

  /** An address nothing listens on yet: another emulator (or a leftover host) may hold some. */
  private async freeAddress(): Promise<string> {
    for (let i = 0; i < 1000; i++) {
      const a = this.takeAddress();
      if (!(await listening(a, this.options.sshPort))) return a;
    }
    throw new Error('no free loopback address for a droplet');
  }

  takeAddress(): string {
    if (this.pendingReuse) {
      const a = this.pool.takeReleased(this.pendingReuse);
      this.pendingReuse = undefined;
      if (a) return a;
    }
    return this.pool.take();
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
