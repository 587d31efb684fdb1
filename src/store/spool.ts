import { processAlive } from '../core/process-alive.js';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeOp, encodeOp, type WriteOp } from './write-ops.js';

/**
 * Append-only, fsync'd file of writes the database did not take. One file per
 * process, so writers never interleave; every process replays every file, in
 * name (time) order, when the database answers again.
 */
export class Spool {
  private readonly file: string;

  constructor(private readonly dir: string, id: string) {
    this.file = join(dir, `spool-${Date.now().toString(36).padStart(9, '0')}-${process.pid}-${id}.jsonl`);
  }

  append(ops: readonly WriteOp[]): void {
    if (ops.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, ops.map(encodeOp).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Spool files waiting for replay, oldest first (files a dead process was replaying included). */
  pending(): string[] {
    if (!existsSync(this.dir)) return [];
    for (const f of readdirSync(this.dir)) {
      const m = /^(spool-.*\.jsonl)\.replaying-(\d+)$/.exec(f);
      if (m && !processAlive(Number(m[2]))) renameSync(join(this.dir, f), join(this.dir, m[1]!));
    }
    return readdirSync(this.dir)
      .filter((f) => /^spool-.*\.jsonl$/.test(f))
      .sort()
      .map((f) => join(this.dir, f));
  }

  /**
   * Replays every pending file through `write`, deleting each once it is in.
   * A file is claimed by renaming it first, so two processes never replay the same one at once.
   */
  async replay(write: (ops: WriteOp[]) => Promise<void>): Promise<number> {
    let count = 0;
    for (const file of this.pending()) {
      const claimed = `${file}.replaying-${process.pid}`;
      try {
        renameSync(file, claimed);
      } catch {
        continue;
      }
      const ops = readFileSync(claimed, 'utf8').split('\n').filter(Boolean).map(decodeOp);
      try {
        await write(ops);
      } catch (err) {
        renameSync(claimed, file);
        throw err;
      }
      rmSync(claimed, { force: true });
      count += ops.length;
    }
    return count;
  }
}

