import { envSecrets } from '../core/index.js';
import { openRunLog, type RunLog } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import type { GlobalOptions } from './global-options.js';

/** The run log the global options name; secrets of the environment are never stored. */
export function openStore(globals: GlobalOptions, io: CliIo): Promise<RunLog> {
  return openRunLog({ url: globals.db, baseDir: globals.baseDir, secrets: envSecrets(io.env) });
}
