import { join } from 'node:path';
import type { Fleet } from '../../fleet/index.js';
import type { DoClient } from '../do-client.js';
import type { InfraEngine, InfraEvent, InfraPlan } from '../infra-types.js';
import type { InventoryDroplet } from '../inventory.js';
import { ManagedState, stackName } from '../managed-state.js';
import { openAccountStack } from './account-stack.js';
import { fleetProgram, type InventoryOutput } from './fleet-program.js';

export interface PulumiEngineOptions {
  readonly fleet: Fleet;
  readonly clients: ReadonlyMap<string, DoClient>;
  readonly tokens: ReadonlyMap<string, string>;
  readonly publicKey: string;
  readonly backendUrl: string;
  readonly passphrase: string;
  readonly toolchainRoot: string;
  /** Observation, placement and planning are shared with the direct engine; its record mirrors the stacks' outputs. */
  readonly planner: InfraEngine;
  readonly state: ManagedState;
  readonly workRoot: string;
}

/**
 * Droplets converged by Pulumi: one stack per account with the inline program
 * of `fleetProgram`, accounts in parallel. Used where the DigitalOcean provider
 * plugin is installed.
 */
export function createPulumiEngine(o: PulumiEngineOptions): InfraEngine {
  const secrets = [...o.tokens.values()];
  const stackFor = (account: string, program: () => Promise<Record<string, unknown>>) =>
    openAccountStack({ fleet: o.fleet.name, account, backendUrl: o.backendUrl, workRoot: o.workRoot, passphrase: o.passphrase, toolchainRoot: o.toolchainRoot, program, secrets });

  return {
    kind: 'pulumi',
    observe: () => o.planner.observe(),
    plan: (obs) => o.planner.plan(obs),
    async apply(plan: InfraPlan, onEvent: (e: InfraEvent) => void): Promise<InventoryDroplet[]> {
      const results = await Promise.all(
        o.fleet.accounts.map(async (a) => {
          const account = o.fleet.accounts.find((x) => x.name === a.name)!;
          const droplets = plan.desired.filter((d) => d.account === a.name);
          const stack = await stackFor(a.name, fleetProgram({ fleet: o.fleet.name, account: a.name, droplets, token: o.tokens.get(a.name)!, apiUrl: account.apiUrl, publicKey: o.publicKey }));
          const outputs = await stack.up((e) => {
            const meta = e.resOutputsEvent?.metadata;
            if (meta && meta.type === 'digitalocean:index/droplet:Droplet' && (meta.op === 'create' || meta.op === 'delete' || meta.op === 'update')) {
              const name = meta.urn.split('::').pop()!;
              const id = Number(meta.new?.id ?? meta.old?.id ?? 0);
              onEvent({ type: meta.op === 'create' ? 'droplet.created' : meta.op === 'delete' ? 'droplet.deleted' : 'droplet.resized', account: a.name, name, id });
            }
          });
          const inventory = (outputs.inventory ?? []) as InventoryOutput[];
          o.state.write(stackName(o.fleet.name, a.name), new Map(inventory.map((d) => [d.name, Number(d.id)])));
          return inventory.map((d): InventoryDroplet => ({
            account: a.name, id: Number(d.id), name: d.name, group: d.group, index: d.index, address: d.ipv4, status: 'active', size: d.size,
            region: d.region, tags: plan.desired.find((p) => p.name === d.name)?.tags ?? [], priceMonthly: d.priceMonthly,
          }));
        }),
      );
      return results.flat();
    },
    async destroy(onEvent) {
      let n = 0;
      for (const a of o.fleet.accounts) {
        const stack = await stackFor(a.name, async () => ({}));
        const before = o.state.read(stackName(o.fleet.name, a.name));
        await stack.destroy();
        for (const [name, id] of before) onEvent({ type: 'droplet.deleted', account: a.name, name, id });
        n += before.size;
        o.state.write(stackName(o.fleet.name, a.name), new Map());
      }
      return n;
    },
  };
}

export const pulumiWorkRoot = (baseDir: string) => join(baseDir, '.godots/pulumi');
