import { dropletName, type Fleet, type Group } from './fleet-model.js';

/** What an account can hold now. */
export interface AccountCapacity {
  readonly account: string;
  /** The API's droplet_limit for the account. */
  readonly apiLimit: number;
  /** Droplets the account runs outside this fleet. */
  readonly foreign: number;
}

/** A droplet of this fleet that exists, wherever it is. */
export interface ExistingDroplet {
  readonly account: string;
  readonly name: string;
}

/** One droplet of the desired fleet, with its account. */
export interface PlacedDroplet {
  readonly name: string;
  readonly group: string;
  readonly index: number;
  readonly account: string;
  readonly region: string;
  readonly size: string;
  readonly image: string;
  readonly tags: readonly string[];
  readonly userData: string | null;
  readonly monitoring: boolean;
  readonly ipv6: boolean;
  readonly vpcUuid: string | null;
}

export interface AccountUse {
  readonly account: string;
  /** min(droplet_limit, API limit) minus droplets outside the fleet. */
  readonly capacity: number;
  readonly used: number;
}

export type Placement =
  | { readonly ok: true; readonly droplets: readonly PlacedDroplet[]; readonly use: readonly AccountUse[] }
  | { readonly ok: false; readonly missing: number; readonly message: string; readonly use: readonly AccountUse[] };

function placed(fleet: Fleet, g: Group, index: number, account: string): PlacedDroplet {
  return {
    name: dropletName(fleet.name, g.name, index), group: g.name, index, account,
    region: g.regions[index % g.regions.length]!, size: g.size, image: g.image, tags: g.tags,
    userData: g.userData, monitoring: g.monitoring, ipv6: g.ipv6, vpcUuid: g.vpcUuid,
  };
}

/**
 * Spreads every group's droplets over its accounts by free quota, sticky: a
 * droplet that exists stays in its account; new indices fill accounts in the
 * order the group lists them. Pure: the same inputs always give the same answer.
 */
export function placeFleet(fleet: Fleet, capacities: readonly AccountCapacity[], existing: readonly ExistingDroplet[]): Placement {
  const capacity = new Map<string, number>();
  for (const a of fleet.accounts) {
    const c = capacities.find((x) => x.account === a.name);
    const limit = Math.min(a.dropletLimit ?? Infinity, c?.apiLimit ?? 0);
    capacity.set(a.name, Math.max(0, limit - (c?.foreign ?? 0)));
  }
  const used = new Map(fleet.accounts.map((a) => [a.name, 0]));
  const where = new Map(existing.map((e) => [e.name, e.account]));
  const out: PlacedDroplet[] = [];
  const pending: { g: Group; index: number }[] = [];

  // Existing droplets first, in every group, so new ones never take the quota they hold.
  for (const g of fleet.groups) {
    for (let i = 0; i < g.count; i++) {
      const acct = where.get(dropletName(fleet.name, g.name, i));
      if (acct !== undefined && g.accounts.includes(acct)) {
        out.push(placed(fleet, g, i, acct));
        used.set(acct, used.get(acct)! + 1);
      } else pending.push({ g, index: i });
    }
  }
  const shortByGroup = new Map<string, number>();
  for (const { g, index } of pending) {
    const acct = g.accounts.find((a) => used.get(a)! < capacity.get(a)!);
    if (acct === undefined) {
      shortByGroup.set(g.name, (shortByGroup.get(g.name) ?? 0) + 1);
      continue;
    }
    out.push(placed(fleet, g, index, acct));
    used.set(acct, used.get(acct)! + 1);
  }
  const use = fleet.accounts.map((a) => ({ account: a.name, capacity: capacity.get(a.name)!, used: used.get(a.name)! }));
  if (shortByGroup.size > 0) {
    const missing = [...shortByGroup.values()].reduce((a, b) => a + b, 0);
    const groups = [...shortByGroup].map(([g, n]) => `group ${g} is ${n} droplet${n === 1 ? '' : 's'} short`).join('; ');
    const accounts = [...new Set(pending.filter((p) => shortByGroup.has(p.g.name)).flatMap((p) => p.g.accounts))]
      .map((a) => {
        const c = capacities.find((x) => x.account === a);
        const cfg = fleet.accounts.find((x) => x.name === a)!.dropletLimit;
        return `${a} is full (${used.get(a)} of ${capacity.get(a)} free slots used; API limit ${c?.apiLimit ?? '?'}${cfg !== null ? `, droplet_limit ${cfg}` : ''}, ${c?.foreign ?? 0} outside the fleet)`;
      })
      .join('; ');
    return { ok: false, missing, message: `${missing} droplet${missing === 1 ? '' : 's'} cannot be placed: ${groups}. ${accounts}. Raise a limit, add an account, or lower count.`, use };
  }
  out.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return { ok: true, droplets: out, use };
}
