import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARIADBD = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((p) => existsSync(p));
const CLIENT = ['/usr/bin/mariadb', '/usr/bin/mysql'].find((p) => existsSync(p));

export const mariadbAvailable = Boolean(MARIADBD && INSTALL_DB && CLIENT);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A private MariaDB server on 127.0.0.1 with its own temporary data directory,
 * from Debian's packages; stop() and start() again keep the data (outage tests).
 */
export class MariaDb {
  private child: ChildProcess | undefined;
  readonly dir: string;
  port = 0;

  private constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'godots-mariadb-'));
  }

  static async create(): Promise<MariaDb> {
    if (!mariadbAvailable) throw new Error('MariaDB is not installed (apt-get install mariadb-server)');
    const db = new MariaDb();
    execFileSync(INSTALL_DB!, ['--no-defaults', `--datadir=${join(db.dir, 'data')}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
    db.port = await freePort();
    await db.start();
    db.sql("CREATE USER 'godots'@'127.0.0.1' IDENTIFIED BY 'test-pass'; GRANT ALL ON *.* TO 'godots'@'127.0.0.1';");
    return db;
  }

  get socket(): string {
    return join(this.dir, 'mysqld.sock');
  }

  async start(): Promise<void> {
    this.child = spawn(MARIADBD!, [
      '--no-defaults', `--datadir=${join(this.dir, 'data')}`, `--port=${this.port}`, '--bind-address=127.0.0.1', `--socket=${this.socket}`,
      '--user=root', '--skip-name-resolve', '--innodb-buffer-pool-size=64M', '--innodb-flush-log-at-trx-commit=2', '--max-connections=500',
      `--pid-file=${join(this.dir, 'mysqld.pid')}`, '--log-error=' + join(this.dir, 'error.log'),
    ], { stdio: 'ignore' });
    for (let i = 0; i < 300; i++) {
      try {
        execFileSync(CLIENT!, [`--socket=${this.socket}`, '-uroot', '-e', 'SELECT 1'], { stdio: 'ignore' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('MariaDB did not start within 30 s');
  }

  /** Kills the server (an outage, not a clean shutdown). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await done;
  }

  sql(statements: string): string {
    return execFileSync(CLIENT!, [`--socket=${this.socket}`, '-uroot', '-N', '-e', statements], { encoding: 'utf8' });
  }

  /** A fresh database, and the URL godots takes for it. */
  createDatabase(name: string): string {
    this.sql(`CREATE DATABASE \`${name}\``);
    return `mysql://godots:test-pass@127.0.0.1:${this.port}/${name}`;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
