import { processAlive } from '../core/process-alive.js';
import { Migrator, type Kysely } from 'kysely';
import { GodotsError } from '../core/godots-error.js';
import { redact } from '../core/redact.js';
import type { Db } from './db-schema.js';
import { parseDbUrl, redactUrl } from './db-url.js';
import { KyselyRunLog } from './kysely-run-log.js';
import { migrationProvider } from './migrations.js';
import { openMysql } from './mysql.js';
import type { RunLog } from './run-log.js';
import { openSqlite } from './sqlite.js';

export interface OpenRunLogOptions {
  /** `sqlite:PATH` or `mysql://user:pass@host:port/db`. */
  readonly url: string;
  /** Base of relative sqlite paths: the fleet file's directory. */
  readonly baseDir: string;
  /** Where writes wait while the database is down. Default: `<baseDir>/.godots/spool`. */
  readonly spoolDir?: string;
  readonly clock?: { now(): number };
  readonly flushIntervalMs?: number;
  readonly batchRows?: number;
  readonly onError?: (err: unknown) => void;
  /** Values never to store (the fleet's token values). */
  readonly secrets?: readonly string[];
}

/** Applies pending migrations; Kysely's migrator takes a lock, so two processes starting at once are safe. */
export async function migrate(db: Kysely<Db>, dialect: 'sqlite' | 'mysql'): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  for (let attempt = 0; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    // Kysely's lock does not span processes on SQLite: when another process won the race, its work is what we wanted.
    await new Promise((r) => setTimeout(r, 50 + 50 * attempt));
    const state = await migrator.getMigrations().catch(() => undefined);
    if (state && state.every((m) => m.executedAt !== undefined)) return;
    if (attempt >= 10) throw error;
  }
}

/**
 * Opens the run log named by a URL, migrates it, and marks this controller's
 * runs that a killed process left `running` as `interrupted`.
 */
export async function openRunLog(options: OpenRunLogOptions): Promise<RunLog> {
  const target = parseDbUrl(options.url, options.baseDir);
  const db = target.dialect === 'sqlite' ? openSqlite(target.path) : openMysql(target.url);
  try {
    await migrate(db, target.dialect);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const where = target.dialect === 'sqlite' ? target.path : redactUrl(target.url);
    throw new GodotsError('DB_UNAVAILABLE', `cannot open the run log at ${where}: ${redact(String((err as Error).message ?? err), passwords(options.url))}`, { cause: err });
  }
  const log = new KyselyRunLog({
    db,
    dialect: target.dialect,
    spoolDir: options.spoolDir ?? `${options.baseDir}/.godots/spool`,
    clock: options.clock,
    flushIntervalMs: options.flushIntervalMs,
    batchRows: options.batchRows,
    onError: options.onError,
    secrets: options.secrets,
  });
  await log.recoverInterrupted(processAlive);
  return log;
}

function passwords(url: string): string[] {
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p ? [p] : [];
  } catch {
    return [];
  }
}

