import type { TestProject } from 'vitest/node';
import { MariaDb, mariadbAvailable } from './helpers/mariadb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the shared MariaDB test server, or 0 where MariaDB is not installed. */
    mariadbPort: number;
  }
}

/** One MariaDB for the whole run; each test file makes its own databases in it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!mariadbAvailable) {
    if (process.env.GODOTS_REQUIRE_MARIADB) throw new Error('GODOTS_REQUIRE_MARIADB is set but MariaDB is not installed (tools/setup.sh installs it)');
    console.warn('MariaDB is not installed: the MySQL dialect of the store tests is skipped (tools/setup.sh installs it)');
    project.provide('mariadbPort', 0);
    return async () => undefined;
  }
  const db = await MariaDb.create();
  project.provide('mariadbPort', db.port);
  return () => db.destroy();
}
