import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';

export interface DialectFixture {
  readonly name: 'sqlite' | 'mysql';
  /** A URL to a database no other test uses. */
  freshUrl(): string;
}

/** Every dialect the store runs on, for `for (const dialect of DIALECTS)` suites; MySQL where MariaDB runs. */
export function dialects(): DialectFixture[] {
  const out: DialectFixture[] = [{ name: 'sqlite', freshUrl: () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'godots-sqlite-')), 'godots.db')}` }];
  const port = inject('mariadbPort');
  if (port) {
    out.push({
      name: 'mysql',
      freshUrl: () => {
        const name = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
        execFileSync('mariadb', ['-h127.0.0.1', `-P${port}`, '-ugodots', '-ptest-pass', '-e', `CREATE DATABASE ${name}`]);
        return `mysql://godots:test-pass@127.0.0.1:${port}/${name}`;
      },
    });
  }
  return out;
}
