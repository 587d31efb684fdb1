import { readdirSync, readFileSync } from 'node:fs';

/** How many processes have `needle` in their command line (from /proc, no ps needed). */
export function processCount(needle: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle) && !cmd.includes('vitest')) n++;
    } catch {
      // Exited while we looked.
    }
  }
  return n;
}
