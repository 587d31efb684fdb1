import type { Fleet } from '../fleet/index.js';
import type { DoClient, DoDroplet } from './do-client.js';

/** A droplet of this fleet as the API shows it now. */
export interface InventoryDroplet {
  readonly account: string;
  readonly id: number;
  readonly name: string;
  readonly group: string | null;
  readonly index: number | null;
  readonly address: string | null;
  readonly status: string;
  readonly size: string;
  readonly region: string;
  readonly tags: readonly string[];
  readonly priceMonthly: number | null;
}

export const fleetTag = (fleet: string) => `godots-fleet:${fleet}`;
export const groupTag = (group: string) => `godots-group:${group}`;

/** Group and index from the droplet's tags and name `<fleet>-<group>-<index>`; null when it does not follow the pattern. */
export function identify(fleet: string, d: Pick<DoDroplet, 'name' | 'tags'>): { group: string | null; index: number | null } {
  const tag = d.tags.find((t) => t.startsWith('godots-group:'));
  const group = tag ? tag.slice('godots-group:'.length) : null;
  const m = new RegExp(`^${fleet}-(.+)-(\\d+)$`).exec(d.name);
  if (!m) return { group, index: null };
  return { group: group ?? m[1]!, index: group === null || group === m[1] ? Number(m[2]) : null };
}

/** Every droplet tagged with the fleet, in every account, read live from the API (no state file needed). */
export async function readInventory(fleet: Fleet, clients: ReadonlyMap<string, DoClient>): Promise<InventoryDroplet[]> {
  const lists = await Promise.all(
    fleet.accounts.map(async (a) => {
      const droplets = await clients.get(a.name)!.listDroplets(fleetTag(fleet.name));
      return droplets.map((d): InventoryDroplet => ({
        account: a.name, id: d.id, name: d.name, ...identify(fleet.name, d), address: d.publicIpv4, status: d.status,
        size: d.sizeSlug, region: d.region, tags: d.tags, priceMonthly: d.priceMonthly,
      }));
    }),
  );
  return lists.flat().sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
}
