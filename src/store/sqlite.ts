import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db } from './db-schema.js';

/** The embedded run log: one SQLite file, WAL so readers never block the writer. */
export function openSqlite(path: string): Kysely<Db> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  // Two godots processes on one file wait for each other instead of failing at once.
  database.pragma('busy_timeout = 10000');
  return new Kysely<Db>({ dialect: new SqliteDialect({ database }) });
}
