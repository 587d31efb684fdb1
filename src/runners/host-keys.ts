import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SshError } from './ssh-errors.js';

export interface Pin {
  readonly address: string;
  readonly port: number;
  readonly keyType: string;
  readonly key: string;
  readonly dropletId: number;
  readonly name: string;
}

export type PinOutcome = 'matched' | 'pinned' | 'repinned-new-droplet' | 'repinned-on-request';

/**
 * Host keys pinned per droplet in an OpenSSH known_hosts file (so rsync and
 * plain ssh use the same pins). Each line carries the droplet id and name as its
 * comment: a changed key on the same droplet is refused; a new droplet on a
 * recycled address gets a fresh pin.
 */
export class HostKeyStore {
  private pins: Pin[] = [];
  private readonly acceptNext = new Set<string>();

  constructor(readonly path: string) {
    this.load();
  }

  private load(): void {
    if (!existsSync(this.path)) return;
    this.pins = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      const m = /^(\[?[^\s\]]+\]?(?::\d+)?) (\S+) (\S+) godots-droplet=(\d+) name=(\S+)$/.exec(line.trim());
      if (!m) continue;
      const hostPart = m[1]!;
      const hp = /^\[(.+)\]:(\d+)$/.exec(hostPart);
      this.pins.push({ address: hp ? hp[1]! : hostPart, port: hp ? Number(hp[2]) : 22, keyType: m[2]!, key: m[3]!, dropletId: Number(m[4]), name: m[5]! });
    }
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const lines = this.pins.map((p) => `${p.port === 22 ? p.address : `[${p.address}]:${p.port}`} ${p.keyType} ${p.key} godots-droplet=${p.dropletId} name=${p.name}`);
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, lines.join('\n') + (lines.length ? '\n' : ''), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /** The next contact with this droplet (by name) pins whatever key it shows: `--accept-new-host-key NAME`. */
  acceptNewKeyFor(name: string): void {
    this.acceptNext.add(name);
  }

  /**
   * Checks a presented key (type + base64 blob) for a droplet; pins on first
   * contact. Throws HOST_KEY_CHANGED when the same droplet shows another key.
   */
  verify(target: { name: string; dropletId: number; address: string; port: number }, keyType: string, key: string): PinOutcome {
    const mine = this.pins.find((p) => p.dropletId === target.dropletId);
    if (mine && mine.key === key && mine.address === target.address && mine.port === target.port) return 'matched';
    if (mine && mine.key !== key && !this.acceptNext.has(target.name)) {
      throw new SshError(
        'HOST_KEY_CHANGED',
        `${target.name} (${target.address}) shows a different host key than the one pinned at first contact; refusing to connect. ` +
          `If the droplet was rebuilt on purpose, run again with --accept-new-host-key ${target.name}`,
        false,
      );
    }
    const repinned = this.acceptNext.delete(target.name);
    const recycled = this.pins.some((p) => p.address === target.address && p.port === target.port && p.dropletId !== target.dropletId);
    this.pins = this.pins.filter((p) => p.dropletId !== target.dropletId && !(p.address === target.address && p.port === target.port));
    this.pins.push({ address: target.address, port: target.port, keyType, key, dropletId: target.dropletId, name: target.name });
    this.save();
    if (repinned && mine) return 'repinned-on-request';
    return recycled ? 'repinned-new-droplet' : 'pinned';
  }

  /** Removes the pins of droplets that no longer exist. */
  forget(dropletIds: Iterable<number>): void {
    const gone = new Set(dropletIds);
    const before = this.pins.length;
    this.pins = this.pins.filter((p) => !gone.has(p.dropletId));
    if (this.pins.length !== before) this.save();
  }

  /** Keeps only the pins of these droplets: the others were destroyed, in or out of band. */
  retainOnly(dropletIds: Iterable<number>): void {
    const keep = new Set(dropletIds);
    this.forget(this.pins.filter((p) => !keep.has(p.dropletId)).map((p) => p.dropletId));
  }

  list(): readonly Pin[] {
    return this.pins;
  }
}
