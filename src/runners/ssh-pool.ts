import type { Client } from 'ssh2';
import type { HostKeyStore, PinOutcome } from './host-keys.js';
import type { SshSettings, Target } from './runner-types.js';
import { connectSsh } from './ssh-connect.js';
import { SshError } from './ssh-errors.js';

interface Entry {
  client: Client;
  busy: number;
  lastUsed: number;
  closed: boolean;
}

export interface Lease {
  readonly client: Client;
  /** Whether this contact pinned a new host key (first contact, recycled address). */
  readonly pin: PinOutcome | 'reused';
  release(): void;
  /** The connection is broken: drop it from the pool. */
  discard(): void;
}

/**
 * One SSH connection per droplet, reused for everything a run does there, and
 * at most `maxConnections` open at once across the fleet: past the cap, new
 * hosts wait, and idle connections are closed to make room.
 */
export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private readonly connecting = new Map<string, Promise<Entry>>();
  private open = 0;
  private readonly waiters: (() => void)[] = [];
  /** Highest number of connections open at once (reported by tests and benchmarks). */
  peak = 0;

  constructor(
    private readonly settings: SshSettings,
    private readonly hostKeys: HostKeyStore,
  ) {}

  private key(t: Target): string {
    return `${t.dropletId}@${t.address}:${t.port}`;
  }

  private closed = false;

  async acquire(target: Target): Promise<Lease> {
    if (this.closed) throw new SshError('PROTOCOL', `${target.name}: the runner is closed`, false);
    const k = this.key(target);
    const existing = this.entries.get(k);
    if (existing && !existing.closed) return this.lease(k, existing, 'reused');
    const pending = this.connecting.get(k);
    if (pending) return this.lease(k, await pending, 'reused');
    let pin: PinOutcome = 'matched';
    const p = (async () => {
      await this.slot();
      try {
        const c = await connectSsh(target, this.settings, this.hostKeys);
        pin = c.pin;
        const entry: Entry = { client: c.client, busy: 0, lastUsed: Date.now(), closed: false };
        c.client.once('close', () => this.drop(k, entry));
        this.entries.set(k, entry);
        return entry;
      } catch (err) {
        this.freeSlot();
        throw err;
      }
    })();
    this.connecting.set(k, p);
    try {
      return this.lease(k, await p, pin);
    } finally {
      this.connecting.delete(k);
    }
  }

  private lease(k: string, entry: Entry, pin: PinOutcome | 'reused'): Lease {
    entry.busy++;
    let done = false;
    return {
      client: entry.client,
      pin,
      release: () => {
        if (done) return;
        done = true;
        entry.busy--;
        entry.lastUsed = Date.now();
        if (this.waiters.length > 0 && entry.busy === 0) this.closeEntry(k, entry);
      },
      discard: () => {
        if (done) return;
        done = true;
        entry.busy--;
        this.closeEntry(k, entry);
      },
    };
  }

  private async slot(): Promise<void> {
    while (this.open >= this.settings.maxConnections) {
      const idle = [...this.entries.entries()].filter(([, e]) => e.busy === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (idle) {
        this.closeEntry(idle[0], idle[1]);
        continue;
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
    this.open++;
    this.peak = Math.max(this.peak, this.open);
  }

  private freeSlot(): void {
    this.open--;
    this.waiters.shift()?.();
  }

  private closeEntry(k: string, entry: Entry): void {
    entry.client.end();
    this.drop(k, entry);
  }

  private drop(k: string, entry: Entry): void {
    if (entry.closed) return;
    entry.closed = true;
    if (this.entries.get(k) === entry) this.entries.delete(k);
    this.freeSlot();
  }

  /** Forgets a droplet's connection so the next acquire reconnects (after a drop). */
  invalidate(target: Target): void {
    const k = this.key(target);
    const e = this.entries.get(k);
    if (e) this.closeEntry(k, e);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [k, e] of [...this.entries]) this.closeEntry(k, e);
  }
}
