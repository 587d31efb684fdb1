import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GodotsError } from '../core/godots-error.js';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import type { Fleet } from './fleet-model.js';
import { normalizeFleet } from './normalize.js';
import type { RawFleet } from './raw-fleet.js';
import { checkSchema } from './schema-check.js';
import { checkSemantics } from './semantic-check.js';
import { parseYamlSource } from './yaml-source.js';

export type LoadResult = { readonly ok: true; readonly fleet: Fleet } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface LoadOptions {
  /** The path shown in messages; also the base for relative paths unless `baseDir` is given. */
  readonly file?: string;
  readonly baseDir?: string;
  readonly home?: string;
  readonly exists?: (absolutePath: string) => boolean;
  readonly readFile?: (absolutePath: string) => string;
}

/**
 * Parses and validates fleet text. Never throws for bad input: every problem
 * comes back as a positioned diagnostic, all of them at once.
 *
 * @example
 * const r = loadFleet(text, { file: 'fleet.yaml' });
 * if (!r.ok) for (const d of r.diagnostics) console.error(formatDiagnostic(d));
 */
export function loadFleet(text: string, options: LoadOptions = {}): LoadResult {
  const file = options.file ?? 'fleet.yaml';
  const baseDir = options.baseDir ?? dirname(resolve(file));
  const exists = options.exists ?? existsSync;
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));

  if (text.trim() === '' || /^(\s*#[^\n]*\n?)*\s*$/.test(text)) {
    return fail([{ file, line: 1, col: 1, code: 'empty-file', message: "the fleet file is empty; it needs at least 'version: 1' and 'fleet: NAME'" }]);
  }
  const source = parseYamlSource(text, file);
  const fatal = source.diagnostics.filter((d) => d.code !== 'duplicate-key');
  if (fatal.length > 0) return fail(source.diagnostics);
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    return fail([...source.diagnostics, source.at([], 'not-a-mapping', "the fleet file must be a mapping of keys such as 'version:' and 'fleet:'")]);
  }
  const problems = [...source.diagnostics, ...checkSchema(source), ...checkSemantics(source, baseDir, { exists })];
  if (problems.length > 0) return fail(problems);

  try {
    const sha256 = createHash('sha256').update(text).digest('hex');
    return { ok: true, fleet: normalizeFleet(source.data as RawFleet, { file, baseDir, sha256, readFile, home: options.home }) };
  } catch (err) {
    // A file that existed during validation but cannot be read now: still a positioned answer, never a stack trace.
    return fail([{ file, line: 1, col: 1, code: 'file-not-found', message: `cannot read a file the fleet refers to: ${(err as Error).message}` }]);
  }
}

function fail(diagnostics: readonly Diagnostic[]): LoadResult {
  return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
}

/** Reads and loads a fleet file; an unreadable file is a GodotsError (FLEET_UNREADABLE). */
export function loadFleetFile(path: string, options: Omit<LoadOptions, 'file'> = {}): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new GodotsError('FLEET_UNREADABLE', `cannot read fleet file ${path}: ${why} (pass another with -f PATH)`, { cause: err });
  }
  return loadFleet(text, { ...options, file: path });
}

/** Like loadFleetFile, but throws FLEET_INVALID with the diagnostics attached. */
export function requireFleet(path: string, options: Omit<LoadOptions, 'file'> = {}): Fleet {
  const r = loadFleetFile(path, options);
  if (r.ok) return r.fleet;
  throw Object.assign(new GodotsError('FLEET_INVALID', `${path} is not a valid fleet file (${r.diagnostics.length} error${r.diagnostics.length === 1 ? '' : 's'})`), {
    diagnostics: r.diagnostics,
  });
}
