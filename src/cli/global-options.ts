import { resolve } from 'node:path';
import type { CliIo } from './cli-io.js';

export type OutputFormat = 'text' | 'markdown' | 'json';

export interface GlobalOptions {
  /** Absolute path of the fleet file. */
  readonly file: string;
  readonly format: OutputFormat;
  readonly color: boolean;
}

export interface RawGlobalOptions {
  file?: string;
  format?: string;
  color?: boolean;
}

export const FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'json'];

/** Normalizes global options once, at the entry; commands never see raw argv. */
export function resolveGlobals(raw: RawGlobalOptions, io: CliIo): GlobalOptions {
  const format = (raw.format ?? 'text') as OutputFormat;
  return {
    file: resolve(io.cwd, raw.file ?? 'fleet.yaml'),
    format,
    color: raw.color !== false && io.env.NO_COLOR === undefined && io.isTty,
  };
}
