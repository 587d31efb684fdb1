export { openRunLog, migrate, type OpenRunLogOptions } from './open-run-log.js';
export type { RunLog } from './run-log.js';
export { KyselyRunLog, scriptStateKey, type KyselyRunLogOptions } from './kysely-run-log.js';
export { defaultDbUrl, parseDbUrl, redactUrl, type DbTarget } from './db-url.js';
export { openSqlite } from './sqlite.js';
export { openMysql } from './mysql.js';
export type * from './run-log-types.js';
