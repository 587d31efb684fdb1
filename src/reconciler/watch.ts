import { watch as chokidarWatch } from 'chokidar';
import { nextCronTime, parseCron, type Diagnostic, type Fleet, type LoadResult } from '../fleet/index.js';

export type WatchEvent =
  | { readonly type: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly type: 'applying'; readonly reason: string }
  | { readonly type: 'applied'; readonly reason: string; readonly ok: boolean; readonly detail: string }
  | { readonly type: 'drift'; readonly items: number; readonly detail: string }
  | { readonly type: 'scheduled'; readonly script: string; readonly at: Date }
  | { readonly type: 'stopped' };

export interface WatchHandlers {
  /** Applies a fleet (all due scripts, or only `only`); resolves to a summary line and success. */
  apply(fleet: Fleet, only?: readonly string[]): Promise<{ ok: boolean; detail: string }>;
  drift(fleet: Fleet): Promise<{ items: number; detail: string }>;
}

export interface WatchOptions {
  readonly file: string;
  load(): LoadResult;
  readonly handlers: WatchHandlers;
  readonly signal: AbortSignal;
  readonly onEvent: (e: WatchEvent) => void;
  readonly debounceMs?: number;
  readonly driftEveryMs?: number;
  readonly now?: () => number;
}

/** Local files a fleet reads: its own file, script files, user_data and upload sources. */
export function watchedPaths(file: string, fleet: Fleet | null): string[] {
  const out = new Set<string>([file]);
  for (const s of fleet?.scripts ?? []) {
    if (s.source.kind === 'file') out.add(s.source.path);
    for (const u of s.upload) out.add(u.src);
  }
  return [...out];
}

/**
 * Keeps converging while the fleet file (or anything it references) changes:
 * invalid edits are reported and ignored, keeping the last good fleet; valid
 * ones are applied, one apply at a time. Scheduled scripts run at their cron
 * times and drift is checked periodically. Resolves when `signal` aborts and
 * the apply in flight has finished.
 */
export async function watchFleet(o: WatchOptions): Promise<void> {
  const now = o.now ?? Date.now;
  let good: Fleet | null = null;
  let running: Promise<void> = Promise.resolve();
  let pendingReason: string | null = null;
  let busy = false;
  const timers = new Set<NodeJS.Timeout>();

  const enqueue = (reason: string, only?: readonly string[]) => {
    if (!good || o.signal.aborted) return;
    if (busy && !only) {
      pendingReason = reason;
      return;
    }
    const fleet = good;
    running = running.then(async () => {
      if (o.signal.aborted) return;
      busy = true;
      o.onEvent({ type: 'applying', reason });
      try {
        const r = await o.handlers.apply(fleet, only);
        o.onEvent({ type: 'applied', reason, ...r });
      } catch (err) {
        o.onEvent({ type: 'applied', reason, ok: false, detail: (err as Error).message });
      } finally {
        busy = false;
      }
      if (pendingReason) {
        const again = pendingReason;
        pendingReason = null;
        reload(again);
      }
    });
  };

  const schedule = (fleet: Fleet) => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const s of fleet.scripts) {
      if (s.when.kind !== 'schedule') continue;
      const spec = parseCron(s.when.cron);
      if (!spec.ok) continue;
      const arm = () => {
        const at = nextCronTime(spec.spec, new Date(now()));
        if (!at) return;
        o.onEvent({ type: 'scheduled', script: s.name, at });
        const t = setTimeout(() => {
          timers.delete(t);
          enqueue(`schedule of ${s.name}`, [s.name]);
          arm();
        }, Math.max(0, at.getTime() - now()));
        timers.add(t);
      };
      arm();
    }
  };

  const watcher = chokidarWatch(watchedPaths(o.file, null), { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 20 } });
  const reload = (reason: string) => {
    const r = o.load();
    if (!r.ok) {
      o.onEvent({ type: 'invalid', diagnostics: r.diagnostics });
      return;
    }
    good = r.fleet;
    watcher.add(watchedPaths(o.file, good));
    schedule(good);
    enqueue(reason);
  };

  let debounce: NodeJS.Timeout | undefined;
  watcher.on('all', (_event, path) => {
    clearTimeout(debounce);
    debounce = setTimeout(() => reload(`${path} changed`), o.debounceMs ?? 300);
  });
  await new Promise<void>((r) => watcher.once('ready', () => r()));
  reload('watch started');

  const driftTimer = setInterval(() => {
    if (!good || busy) return;
    const fleet = good;
    running = running.then(async () => {
      try {
        o.onEvent({ type: 'drift', ...(await o.handlers.drift(fleet)) });
      } catch (err) {
        o.onEvent({ type: 'drift', items: -1, detail: (err as Error).message });
      }
    });
  }, o.driftEveryMs ?? 15 * 60_000);

  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(debounce);
  clearInterval(driftTimer);
  for (const t of timers) clearTimeout(t);
  await watcher.close();
  await running;
  o.onEvent({ type: 'stopped' });
}
