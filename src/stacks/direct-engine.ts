import { GodotsError } from '../core/godots-error.js';
import { placeFleet, type Fleet, type PlacedDroplet } from '../fleet/index.js';
import type { DoClient, DoDroplet } from './do-client.js';
import type { AccountObservation, InfraEngine, InfraEvent, InfraPlan, InfraStep } from './infra-types.js';
import { fleetTag, identify, type InventoryDroplet } from './inventory.js';
import { ManagedState, stackName } from './managed-state.js';

export interface DirectEngineOptions {
  readonly fleet: Fleet;
  readonly clients: ReadonlyMap<string, DoClient>;
  readonly state: ManagedState;
  /** The fleet's public key, registered in every account and attached to new droplets. */
  readonly publicKey: string;
  /** How long new droplets may take to become active with an address. Default 5 minutes. */
  readonly activeTimeoutMs?: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');

function toInventory(fleet: string, account: string, d: DoDroplet): InventoryDroplet {
  return { account, id: d.id, name: d.name, ...identify(fleet, d), address: d.publicIpv4, status: d.status, size: d.sizeSlug, region: d.region, tags: d.tags, priceMonthly: d.priceMonthly };
}

/**
 * Converges droplets straight through the DigitalOcean API, one record of
 * managed droplets per (fleet, account) stack. It is what runs where the
 * Pulumi DigitalOcean provider plugin is not available.
 */
export function createDirectEngine(options: DirectEngineOptions): InfraEngine {
  const { fleet, clients, state } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const client = (a: string) => clients.get(a)!;

  const observe = async (): Promise<AccountObservation[]> =>
    Promise.all(
      fleet.accounts.map(async (a) => {
        const [apiLimit, all] = await Promise.all([client(a.name).dropletLimit(), client(a.name).listDroplets()]);
        const record = state.read(stackName(fleet.name, a.name));
        const ids = new Set(record.values());
        const byId = new Map(all.map((d) => [d.id, d]));
        const managed = all.filter((d) => ids.has(d.id)).map((d) => toInventory(fleet.name, a.name, d));
        const vanished = [...record].filter(([, id]) => !byId.has(id)).map(([name, id]) => ({ name, id }));
        const tagged = all.filter((d) => d.tags.includes(fleetTag(fleet.name)) && !ids.has(d.id));
        return {
          account: a.name,
          apiLimit,
          managed,
          vanished,
          unmanaged: tagged.map((d) => toInventory(fleet.name, a.name, d)),
          foreign: all.length - managed.length,
        };
      }),
    );

  const plan = (observations: readonly AccountObservation[]): InfraPlan => {
    const placement = placeFleet(
      fleet,
      observations.map((o) => ({ account: o.account, apiLimit: o.apiLimit, foreign: o.foreign })),
      observations.flatMap((o) => o.managed.map((d) => ({ account: o.account, name: d.name }))),
    );
    if (!placement.ok) throw new GodotsError('QUOTA', placement.message);
    const steps: InfraStep[] = [];
    for (const o of observations) {
      const desiredHere = placement.droplets.filter((d) => d.account === o.account);
      const wanted = new Set(desiredHere.map((d) => d.name));
      const seen = new Set<string>();
      for (const cur of o.managed) {
        // Two managed droplets with one name (an interrupted create): keep the first, delete the rest.
        if (!wanted.has(cur.name) || seen.has(cur.name)) {
          steps.push({ account: o.account, action: 'delete', name: cur.name, id: cur.id, detail: wanted.has(cur.name) ? 'duplicate' : 'no longer in the fleet', desired: null });
          continue;
        }
        seen.add(cur.name);
        const want = desiredHere.find((d) => d.name === cur.name)!;
        if (cur.region !== want.region) steps.push({ account: o.account, action: 'replace', name: cur.name, id: cur.id, detail: `region ${cur.region} -> ${want.region}`, desired: want });
        else if (cur.size !== want.size) steps.push({ account: o.account, action: 'resize', name: cur.name, id: cur.id, detail: `size ${cur.size} -> ${want.size}`, desired: want });
        else if (!sameSet(cur.tags, want.tags)) steps.push({ account: o.account, action: 'retag', name: cur.name, id: cur.id, detail: `tags [${cur.tags.join(', ')}] -> [${want.tags.join(', ')}]`, desired: want });
      }
      for (const want of desiredHere) {
        if (!seen.has(want.name)) {
          const gone = o.vanished.find((v) => v.name === want.name);
          steps.push({ account: o.account, action: 'create', name: want.name, id: null, detail: gone ? `deleted out of band (was ${gone.id}); recreate` : `${want.size} in ${want.region}`, desired: want });
        }
      }
    }
    return { steps, desired: placement.droplets, observations, use: placement.use };
  };

  const apply = async (p: InfraPlan, onEvent: (e: InfraEvent) => void): Promise<InventoryDroplet[]> => {
    await Promise.all(
      fleet.accounts.map(async (a) => {
        const c = client(a.name);
        const stack = stackName(fleet.name, a.name);
        const record = state.read(stack);
        for (const v of p.observations.find((o) => o.account === a.name)?.vanished ?? []) if (record.get(v.name) === v.id) record.delete(v.name);
        state.write(stack, record);
        const mine = p.steps.filter((s) => s.account === a.name);
        // Deletes first: they free the quota creates need.
        for (const s of mine.filter((x) => x.action === 'delete' || x.action === 'replace')) {
          await c.deleteDroplet(s.id!);
          if (record.get(s.name) === s.id) record.delete(s.name);
          state.write(stack, record);
          onEvent({ type: 'droplet.deleted', account: a.name, name: s.name, id: s.id!, detail: s.detail });
        }
        const creates = mine.filter((x) => x.action === 'create' || x.action === 'replace').map((x) => x.desired!);
        if (creates.length > 0) {
          const key = await c.ensureSshKey(`godots-${fleet.name}`, options.publicKey);
          for (const batch of batches(creates)) {
            const made = await c.createDroplets({
              names: batch.map((d) => d.name), region: batch[0]!.region, size: batch[0]!.size, image: batch[0]!.image, sshKeys: [key.id],
              tags: batch[0]!.tags, userData: batch[0]!.userData, monitoring: batch[0]!.monitoring, ipv6: batch[0]!.ipv6, vpcUuid: batch[0]!.vpcUuid,
            });
            // Recorded at once: a crash after this line leaves droplets the next run knows it owns.
            for (const d of made) record.set(d.name, d.id);
            state.write(stack, record);
            for (const d of made) onEvent({ type: 'droplet.created', account: a.name, name: d.name, id: d.id });
          }
        }
        for (const s of mine.filter((x) => x.action === 'resize')) {
          await c.dropletAction(s.id!, { type: 'power_off' });
          await c.dropletAction(s.id!, { type: 'resize', size: s.desired!.size });
          await c.dropletAction(s.id!, { type: 'power_on' });
          onEvent({ type: 'droplet.resized', account: a.name, name: s.name, id: s.id!, detail: s.detail });
        }
        for (const s of mine.filter((x) => x.action === 'retag')) {
          const cur = p.observations.find((o) => o.account === a.name)!.managed.find((d) => d.id === s.id)!;
          for (const t of s.desired!.tags.filter((t) => !cur.tags.includes(t))) await c.tagDroplet(t, s.id!);
          for (const t of cur.tags.filter((t) => !s.desired!.tags.includes(t))) await c.untagDroplet(t, s.id!);
          onEvent({ type: 'droplet.retagged', account: a.name, name: s.name, id: s.id!, detail: s.detail });
        }
      }),
    );
    return waitActive(p.desired, onEvent);
  };

  /** Polls until every desired droplet is active with an address; bounded. */
  const waitActive = async (desired: readonly PlacedDroplet[], onEvent: (e: InfraEvent) => void): Promise<InventoryDroplet[]> => {
    const deadline = Date.now() + (options.activeTimeoutMs ?? 300_000);
    const announced = new Set<number>();
    for (;;) {
      const obs = await observe();
      const managed = obs.flatMap((o) => o.managed);
      const ready = desired.map((d) => managed.find((m) => m.name === d.name && m.account === d.account && m.status === 'active' && m.address));
      for (const r of ready) {
        if (r && !announced.has(r.id)) {
          announced.add(r.id);
          onEvent({ type: 'droplet.active', account: r.account, name: r.name, id: r.id, address: r.address! });
        }
      }
      if (ready.every(Boolean)) return ready as InventoryDroplet[];
      if (Date.now() > deadline) {
        const late = desired.filter((_, i) => !ready[i]).map((d) => d.name);
        throw new GodotsError('STACK', `droplets not active in time: ${late.join(', ')}`);
      }
      await sleep(options.pollMs ?? 1000);
    }
  };

  const destroy = async (onEvent: (e: InfraEvent) => void): Promise<number> => {
    let n = 0;
    const obs = await observe();
    await Promise.all(
      obs.map(async (o) => {
        const stack = stackName(fleet.name, o.account);
        const record = state.read(stack);
        for (const d of o.managed) {
          await client(o.account).deleteDroplet(d.id);
          record.delete(d.name);
          state.write(stack, record);
          onEvent({ type: 'droplet.deleted', account: o.account, name: d.name, id: d.id, detail: 'destroy' });
          n++;
        }
        state.write(stack, new Map());
      }),
    );
    return n;
  };

  return { kind: 'direct', observe, plan, apply, destroy };
}

/** Bulk creates take one spec for up to 10 names: group droplets that share it. */
function batches(list: readonly PlacedDroplet[]): PlacedDroplet[][] {
  const groups = new Map<string, PlacedDroplet[]>();
  for (const d of list) {
    const key = JSON.stringify([d.region, d.size, d.image, d.tags, d.userData, d.monitoring, d.ipv6, d.vpcUuid]);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].flatMap((g) => Array.from({ length: Math.ceil(g.length / 10) }, (_, i) => g.slice(i * 10, i * 10 + 10)));
}
