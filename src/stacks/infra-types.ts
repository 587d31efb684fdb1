import type { AccountUse, PlacedDroplet } from '../fleet/index.js';
import type { InventoryDroplet } from './inventory.js';

export type StepAction = 'create' | 'delete' | 'resize' | 'retag' | 'replace';

/** One change to one droplet, with why. */
export interface InfraStep {
  readonly account: string;
  readonly action: StepAction;
  readonly name: string;
  readonly id: number | null;
  readonly detail: string;
  readonly desired: PlacedDroplet | null;
}

export interface AccountObservation {
  readonly account: string;
  readonly apiLimit: number;
  /** Droplets of this fleet the engine manages, as the API shows them. */
  readonly managed: readonly InventoryDroplet[];
  /** Managed by record, gone from the API: deleted out of band. */
  readonly vanished: readonly { name: string; id: number }[];
  /** Tagged with the fleet but in no stack: never touched, always reported. */
  readonly unmanaged: readonly InventoryDroplet[];
  readonly foreign: number;
}

export interface InfraPlan {
  readonly steps: readonly InfraStep[];
  readonly desired: readonly PlacedDroplet[];
  readonly observations: readonly AccountObservation[];
  readonly use: readonly AccountUse[];
}

export type InfraEvent =
  | { readonly type: 'droplet.created' | 'droplet.deleted' | 'droplet.resized' | 'droplet.retagged'; readonly account: string; readonly name: string; readonly id: number; readonly detail?: string }
  | { readonly type: 'droplet.active'; readonly account: string; readonly name: string; readonly id: number; readonly address: string };

/**
 * Converges droplets per account. Implementations: the direct engine (the API
 * client, a file record per stack) and Pulumi stacks where the DigitalOcean
 * provider plugin is available.
 */
export interface InfraEngine {
  readonly kind: 'direct' | 'pulumi';
  observe(): Promise<AccountObservation[]>;
  plan(observations: readonly AccountObservation[]): InfraPlan;
  apply(plan: InfraPlan, onEvent: (e: InfraEvent) => void): Promise<InventoryDroplet[]>;
  destroy(onEvent: (e: InfraEvent) => void): Promise<number>;
}
