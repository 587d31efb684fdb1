import { dirname, resolve } from 'node:path';
import { defaultDbUrl } from '../store/db-url.js';
import type { CliIo } from './cli-io.js';

export type OutputFormat = 'text' | 'markdown' | 'json';

export interface GlobalOptions {
  /** Absolute path of the fleet file. */
  readonly file: string;
  readonly format: OutputFormat;
  readonly color: boolean;
  /** Run-log URL: --db, else GODOTS_DB_URL, else sqlite beside the fleet file. */
  readonly db: string;
  /** Pulumi backend URL: --state, else GODOTS_STATE_URL, else file:// beside the fleet file. */
  readonly state: string | null;
  readonly baseDir: string;
}

export interface RawGlobalOptions {
  file?: string;
  format?: string;
  color?: boolean;
  db?: string;
  state?: string;
}

export const FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'json'];

/** Normalizes global options once, at the entry; commands never see raw argv. */
export function resolveGlobals(raw: RawGlobalOptions, io: CliIo): GlobalOptions {
  const format = (raw.format ?? 'text') as OutputFormat;
  const file = resolve(io.cwd, raw.file ?? 'fleet.yaml');
  return {
    file,
    format,
    color: raw.color !== false && io.env.NO_COLOR === undefined && io.isTty,
    db: raw.db ?? io.env.GODOTS_DB_URL ?? defaultDbUrl(),
    state: raw.state ?? io.env.GODOTS_STATE_URL ?? null,
    baseDir: dirname(file),
  };
}
