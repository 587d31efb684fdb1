import type { AccountUse } from '../fleet/index.js';
import type { InfraStep, InventoryDroplet } from '../stacks/index.js';
import type { ScriptDecision } from './script-plan.js';

export interface Cost {
  readonly hourly: number;
  readonly monthly: number;
}

/** What apply would do: the stable JSON shape of `godots plan --format json` (documented in docs/plan-json.md). */
export interface FleetPlan {
  readonly fleet: string;
  readonly fleetSha256: string;
  readonly gitCommit: string | null;
  readonly engine: 'direct' | 'pulumi';
  readonly accounts: readonly { account: string; create: number; delete: number; update: number; unchanged: number; capacity: number; used: number }[];
  readonly steps: readonly InfraStep[];
  readonly scripts: readonly ScriptDecision[];
  readonly cost: { readonly before: Cost; readonly after: Cost };
  readonly unmanaged: readonly InventoryDroplet[];
  readonly changes: boolean;
  readonly use: readonly AccountUse[];
}

export type DriftKind = 'deleted' | 'resized' | 'retagged' | 'moved' | 'unmanaged' | 'quota' | 'script';

export interface DriftItem {
  readonly kind: DriftKind;
  readonly account: string | null;
  readonly droplet: string | null;
  readonly detail: string;
  /** The command that fixes it. */
  readonly fix: string;
}

export interface DriftReport {
  readonly fleet: string;
  readonly items: readonly DriftItem[];
}

export interface ApplySummary {
  readonly runId: string;
  readonly created: number;
  readonly deleted: number;
  readonly updated: number;
  readonly scriptsRun: number;
  readonly scriptsFailed: number;
  readonly scriptsSkipped: number;
  readonly collected: number;
  readonly status: 'succeeded' | 'failed' | 'interrupted';
}
