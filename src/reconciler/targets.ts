import type { Fleet } from '../fleet/index.js';
import type { Target } from '../runners/index.js';
import type { InventoryDroplet } from '../stacks/index.js';

/** Inventory droplets that can be reached, as runner targets with their place in the group. */
export function toTargets(fleet: Fleet, inventory: readonly InventoryDroplet[]): Target[] {
  return inventory
    .filter((d) => d.address && d.group !== null && d.index !== null)
    .map((d) => ({
      name: d.name,
      address: d.address!,
      port: fleet.ssh.port,
      dropletId: d.id,
      account: d.account,
      group: d.group!,
      index: d.index!,
      count: fleet.groups.find((g) => g.name === d.group)?.count ?? 0,
    }));
}
