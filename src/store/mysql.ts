import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { Db } from './db-schema.js';

/** The production run log: MySQL or MariaDB through a mysql2 pool. */
export function openMysql(url: string): Kysely<Db> {
  const u = new URL(url);
  const pool = createPool({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
    connectionLimit: 8,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4',
    connectTimeout: 5_000,
  });
  return new Kysely<Db>({ dialect: new MysqlDialect({ pool }) });
}
