import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

type Dialect = 'sqlite' | 'mysql';

// Blobs: MySQL's BLOB stops at 64 KiB, exactly one output chunk, so it takes MEDIUMBLOB.
const blob = (d: Dialect) => (d === 'mysql' ? sql`mediumblob` : sql`blob`);
const text = (d: Dialect) => (d === 'mysql' ? sql`mediumtext` : sql`text`);
// Names and output are stored verbatim: every Unicode character, compared byte for byte.
const tableEnd = (d: Dialect) => (d === 'mysql' ? sql`DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin` : sql``);

/** Forward-only migrations; never edit one that has shipped, add the next. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_run_log': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('runs')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('kind', 'varchar(16)', (c) => c.notNull())
          .addColumn('fleet', 'varchar(64)', (c) => c.notNull())
          .addColumn('fleet_sha256', 'varchar(64)', (c) => c.notNull())
          .addColumn('git_commit', 'varchar(64)')
          .addColumn('actor', 'varchar(255)')
          .addColumn('controller', 'varchar(255)', (c) => c.notNull())
          .addColumn('pid', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('finished_at', 'bigint')
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('summary', text(dialect))
          .modifyEnd(tableEnd(dialect))
          .execute();
        await db.schema.createIndex('runs_started').on('runs').column('started_at').execute();
        await db.schema.createIndex('runs_status').on('runs').columns(['status', 'started_at']).execute();

        await db.schema
          .createTable('host_runs')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('run_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('account', 'varchar(64)', (c) => c.notNull())
          .addColumn('group_name', 'varchar(64)')
          .addColumn('droplet_id', 'bigint')
          .addColumn('droplet_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('address', 'varchar(64)')
          .addColumn('script', 'varchar(128)', (c) => c.notNull())
          .addColumn('script_version', 'varchar(64)')
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('queued_at', 'bigint', (c) => c.notNull())
          .addColumn('started_at', 'bigint')
          .addColumn('finished_at', 'bigint')
          .addColumn('exit_code', 'integer')
          .addColumn('signal', 'varchar(16)')
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('error', text(dialect))
          .addColumn('stdout_bytes', 'bigint', (c) => c.notNull())
          .addColumn('stderr_bytes', 'bigint', (c) => c.notNull())
          .addColumn('truncated', 'integer', (c) => c.notNull())
          .modifyEnd(tableEnd(dialect))
          .execute();
        // The policy query: has script S (at version V) succeeded on droplet D?
        await db.schema.createIndex('host_runs_policy').on('host_runs').columns(['script', 'droplet_id', 'status', 'script_version']).execute();
        await db.schema.createIndex('host_runs_run').on('host_runs').columns(['run_id', 'droplet_name']).execute();
        await db.schema.createIndex('host_runs_droplet').on('host_runs').columns(['droplet_name', 'queued_at']).execute();
        await db.schema.createIndex('host_runs_status').on('host_runs').columns(['status', 'queued_at']).execute();

        await db.schema
          .createTable('host_output')
          .addColumn('host_run_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('stream', 'varchar(1)', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('data', blob(dialect), (c) => c.notNull())
          .addPrimaryKeyConstraint('host_output_pk', ['host_run_id', 'seq'])
          .modifyEnd(tableEnd(dialect))
          .execute();

        await db.schema
          .createTable('events')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('run_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('type', 'varchar(64)', (c) => c.notNull())
          .addColumn('droplet_name', 'varchar(255)')
          .addColumn('script', 'varchar(128)')
          .addColumn('message', text(dialect), (c) => c.notNull())
          .addColumn('data', text(dialect))
          .modifyEnd(tableEnd(dialect))
          .execute();
        await db.schema.createIndex('events_run').on('events').columns(['run_id', 'at']).execute();

        await db.schema
          .createTable('host_facts')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('run_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('droplet_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('droplet_id', 'bigint')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('hostname', 'varchar(255)')
          .addColumn('kernel', 'varchar(255)')
          .addColumn('uptime_s', 'bigint')
          .addColumn('load1', 'double precision')
          .addColumn('mem_total_kb', 'bigint')
          .addColumn('mem_available_kb', 'bigint')
          .addColumn('disk_total_kb', 'bigint')
          .addColumn('disk_available_kb', 'bigint')
          .modifyEnd(tableEnd(dialect))
          .execute();
        await db.schema.createIndex('host_facts_droplet').on('host_facts').columns(['droplet_name', 'at']).execute();
      },
    },
    '0002_locks': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('locks')
          .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('owner', 'varchar(64)', (c) => c.notNull())
          .addColumn('controller', 'varchar(255)', (c) => c.notNull())
          .addColumn('pid', 'integer', (c) => c.notNull())
          .addColumn('acquired_at', 'bigint', (c) => c.notNull())
          .modifyEnd(tableEnd(dialect))
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
