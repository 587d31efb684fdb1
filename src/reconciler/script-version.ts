import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Script } from '../fleet/index.js';

function hashPath(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      hash.update(`\0d:${name}\0`);
      hashPath(hash, join(path, name));
    }
  } else hash.update(readFileSync(path));
}

/**
 * A script's version: sha256 of its text, interpreter, env and the content of
 * what it uploads. `on-change` reruns wherever this changes.
 */
export function scriptVersion(script: Script): string {
  const h = createHash('sha256');
  h.update(`text\0${script.text}\0interpreter\0${script.interpreter}\0`);
  for (const [k, v] of Object.entries(script.env).sort(([a], [b]) => a.localeCompare(b))) h.update(`env\0${k}\0${v}\0`);
  for (const u of script.upload) {
    h.update(`upload\0${u.src}\0${u.dest}\0`);
    hashPath(h, u.src);
  }
  return h.digest('hex');
}
