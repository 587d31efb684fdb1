import type { Fleet, Script } from '../fleet/index.js';
import { scriptStateKey, type ScriptState } from '../store/index.js';

/** A droplet a script may run on; `id` is null for one the plan has yet to create. */
export interface PlanDroplet {
  readonly name: string;
  readonly id: number | null;
  readonly account: string;
  readonly group: string;
  readonly index: number;
}

export interface ScriptDecision {
  readonly script: string;
  readonly version: string;
  readonly droplet: PlanDroplet;
  readonly run: boolean;
  readonly reason: string;
}

export interface ScriptPlanInput {
  readonly fleet: Fleet;
  readonly droplets: readonly PlanDroplet[];
  readonly versions: ReadonlyMap<string, string>;
  readonly states: ReadonlyMap<string, ScriptState>;
  /** Scripts run because someone asked (`godots run`, a schedule): `manual` and `schedule` included. */
  readonly only?: readonly string[];
}

/** `after` order: every script after the ones it waits on (cycles were refused at load). */
export function scriptOrder(scripts: readonly Script[]): Script[] {
  const out: Script[] = [];
  const seen = new Set<string>();
  const visit = (s: Script) => {
    if (seen.has(s.name)) return;
    seen.add(s.name);
    for (const dep of s.after) visit(scripts.find((x) => x.name === dep)!);
    out.push(s);
  };
  scripts.forEach(visit);
  return out;
}

/**
 * For each script and target droplet (planned ones included): run or skip, and
 * why, by the policies of FLEET_SPEC.md read from the run log. Pure.
 */
export function planScripts(input: ScriptPlanInput): ScriptDecision[] {
  const out: ScriptDecision[] = [];
  for (const script of scriptOrder(input.fleet.scripts)) {
    const version = input.versions.get(script.name)!;
    const asked = input.only?.includes(script.name) ?? false;
    if (input.only && !asked) continue;
    for (const d of input.droplets.filter((x) => script.on.includes(x.group))) {
      const state = d.id === null ? undefined : input.states.get(scriptStateKey(script.name, d.id));
      const decide = (run: boolean, reason: string) => out.push({ script: script.name, version, droplet: d, run, reason });
      if (asked) decide(true, 'requested');
      else if (script.when.kind === 'manual') decide(false, 'manual: only through godots run');
      else if (script.when.kind === 'schedule') decide(false, `scheduled (${script.when.cron}): runs from godots watch`);
      else if (d.id === null) decide(true, 'new droplet');
      else if (script.when.kind === 'always') decide(true, 'always');
      else if (script.when.kind === 'once') decide(!state || state.succeededVersions.size === 0, state && state.succeededVersions.size > 0 ? 'once: already done' : 'once: never succeeded here');
      else if (state?.succeededVersions.has(version)) decide(false, 'up to date');
      else if (state?.last?.status && state.last.status !== 'succeeded' && state.last.version === version) decide(true, `last attempt ${state.last.status.replace('_', ' ')}`);
      else if (state && (state.succeededVersions.size > 0 || state.last)) decide(true, 'changed version');
      else decide(true, 'never ran here');
    }
  }
  return out;
}

/** Whether a droplet has what `after` asks: each dependency succeeded there at its current version, before or in this run. */
export function afterSatisfied(
  script: Script,
  dropletId: number,
  versions: ReadonlyMap<string, string>,
  states: ReadonlyMap<string, ScriptState>,
  succeededNow: ReadonlySet<string>,
): { ok: true } | { ok: false; waitingOn: string } {
  for (const dep of script.after) {
    if (succeededNow.has(`${dep}\0${dropletId}`)) continue;
    if (states.get(scriptStateKey(dep, dropletId))?.succeededVersions.has(versions.get(dep)!)) continue;
    return { ok: false, waitingOn: dep };
  }
  return { ok: true };
}
