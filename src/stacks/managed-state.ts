import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GodotsError } from '../core/godots-error.js';

/**
 * The engine's own record of the droplets it created, one file per
 * (fleet, account) stack: only droplets in it are ever changed or deleted.
 */
export class ManagedState {
  constructor(private readonly dir: string) {}

  static fromUrl(url: string): ManagedState {
    if (!url.startsWith('file://')) throw new GodotsError('USAGE', `this engine keeps its state in a directory (file://PATH), not ${url.replace(/\/\/[^@]*@/, '//***@')}`);
    return new ManagedState(url.slice('file://'.length));
  }

  private file(stack: string): string {
    return join(this.dir, `${stack}.json`);
  }

  read(stack: string): Map<string, number> {
    const f = this.file(stack);
    if (!existsSync(f)) return new Map();
    const parsed = JSON.parse(readFileSync(f, 'utf8')) as { droplets: Record<string, number> };
    return new Map(Object.entries(parsed.droplets));
  }

  write(stack: string, droplets: ReadonlyMap<string, number>): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file(stack)}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ droplets: Object.fromEntries([...droplets].sort()) }, null, 2) + '\n');
    renameSync(tmp, this.file(stack));
  }
}

export const stackName = (fleet: string, account: string) => `${fleet}-${account}`;
