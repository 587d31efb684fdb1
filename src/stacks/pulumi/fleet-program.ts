import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';
import type { PlacedDroplet } from '../../fleet/index.js';

export interface ProgramInput {
  readonly fleet: string;
  readonly account: string;
  /** The droplets placed in this account. */
  readonly droplets: readonly PlacedDroplet[];
  /** Passed as a secret; never an output. */
  readonly token: string;
  readonly apiUrl: string | null;
  readonly publicKey: string;
}

export interface InventoryOutput {
  name: string;
  id: string;
  ipv4: string;
  account: string;
  group: string;
  index: number;
  region: string;
  size: string;
  priceMonthly: number;
}

/**
 * The inline Pulumi program of one account's stack: an explicit provider
 * (token as a secret, endpoint from the fleet file, never the process
 * environment), the fleet's SSH key, and the placed droplets.
 */
export function fleetProgram(input: ProgramInput): () => Promise<Record<string, unknown>> {
  return async () => {
    const provider = new digitalocean.Provider(`do-${input.account}`, {
      token: pulumi.secret(input.token),
      apiEndpoint: input.apiUrl ?? 'https://api.digitalocean.com',
      // Retries with backoff and a request pace under DigitalOcean's 250/minute.
      httpRetryMax: 6,
      httpRetryWaitMin: 1,
      httpRetryWaitMax: 30,
      requestsPerSecond: 3,
    });
    const key = new digitalocean.SshKey('fleet-key', { name: `godots-${input.fleet}`, publicKey: input.publicKey }, { provider });
    const inventory = input.droplets.map((d) => {
      const droplet = new digitalocean.Droplet(
        d.name,
        {
          name: d.name,
          region: d.region,
          size: d.size,
          image: d.image,
          sshKeys: [key.fingerprint],
          tags: [...d.tags],
          userData: d.userData ?? undefined,
          monitoring: d.monitoring,
          ipv6: d.ipv6,
          vpcUuid: d.vpcUuid ?? undefined,
        },
        { provider, deleteBeforeReplace: true },
      );
      return pulumi.all([droplet.id, droplet.ipv4Address, droplet.priceMonthly]).apply(([id, ipv4, price]) => ({
        name: d.name, id, ipv4, account: input.account, group: d.group, index: d.index, region: d.region, size: d.size, priceMonthly: price,
      }));
    });
    return { inventory: pulumi.all(inventory) };
  };
}
