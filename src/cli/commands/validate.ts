import { relative } from 'node:path';
import { formatDiagnostic, loadFleetFile } from '../../fleet/index.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** `godots validate`: parse and validate only; touches nothing. Exit 0 valid, 1 invalid. */
export function validateCommand(globals: GlobalOptions, io: CliIo): number {
  const rel = relative(io.cwd, globals.file);
  const shown = rel && !rel.startsWith('..') ? rel : globals.file;
  const result = loadFleetFile(globals.file);
  const shownResult = result.ok ? result : { ...result, diagnostics: result.diagnostics.map((d) => ({ ...d, file: shown })) };
  if (globals.format === 'json') {
    io.out(JSON.stringify(shownResult.ok ? [] : shownResult.diagnostics, null, 2));
    return shownResult.ok ? 0 : 1;
  }
  if (!shownResult.ok) {
    for (const d of shownResult.diagnostics) io.err(formatDiagnostic(d));
    const n = shownResult.diagnostics.length;
    io.err(`${shown}: ${n} error${n === 1 ? '' : 's'}`);
    return 1;
  }
  const f = shownResult.fleet;
  const droplets = f.groups.reduce((sum, g) => sum + g.count, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  io.out(`${shown}: valid: fleet ${f.name}, ${plural(f.accounts.length, 'account')}, ${plural(f.groups.length, 'group')}, ${plural(droplets, 'droplet')}, ${plural(f.scripts.length, 'script')}`);
  return 0;
}
