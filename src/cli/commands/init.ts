import { GodotsError } from '../../core/index.js';
import { initProject } from '../../scaffold/index.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** `godots init`: fleet.yaml, .gitignore entries and the GitOps workflows, never overwriting without --force. */
export function initCommand(globals: GlobalOptions, io: CliIo, opts: { fleet?: string; force?: boolean; workflows?: boolean }): number {
  const r = initProject(globals.baseDir, opts);
  for (const w of r.written) io.out(`wrote ${w}`);
  for (const s of r.skipped) io.err(`kept ${s} (exists; --force overwrites)`);
  if (r.skipped.length > 0 && r.written.length === 0) throw new GodotsError('USAGE', 'nothing written: every file exists (use --force to overwrite)');
  io.out('next: set the token variables your accounts name, then godots validate && godots plan');
  return 0;
}
