import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { databaseReady, type Db } from './db';
import { migrationsDir } from './paths';

// knex's own directory loader needs a knexfile and differs between tsx, jest and dist. This source reads the
// one migrations folder and requires each file, which works in all three.
const MIGRATION_FILE = /^\d{14}_[a-z0-9_-]+\.(ts|js)$/;

export function createMigrationSource(dir: string = migrationsDir): Knex.MigrationSource<string> {
  return {
    async getMigrations() {
      return fs
        .readdirSync(dir)
        .filter((f) => MIGRATION_FILE.test(f) && !f.endsWith('.d.ts'))
        .sort();
    },
    getMigrationName(file) {
      // The same migration is .ts in development and .js once built: record it without the extension.
      return file.replace(/\.(ts|js)$/, '');
    },
    async getMigration(file) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a dynamic require works in tsx, jest and dist alike
      return require(path.join(dir, file)) as Knex.Migration;
    },
  };
}

const migrationConfig = (): Knex.MigratorConfig => ({
  migrationSource: createMigrationSource(),
  tableName: 'knex_migration',
});

// Several instances starting at once (a rolling deploy, or N replicas on a fresh database) must migrate once
// between them. On PostgreSQL they queue on an advisory lock held by a transaction on a connection of its own:
// the next instance waits for as long as the first one's migrations take (knex's own lock table made it give
// up after a fixed number of tries, which a slow migration on a busy server outlasted), and the lock goes
// with the connection if the holder dies. A transaction-level lock also holds through a transaction-mode
// pooler (PgBouncer), where a session-level one could be left on a pooled connection.
// Racing for knex's own tables (a duplicate pg_type or relation) remains possible where no lock is taken (the
// embedded database is one process): each is safe to retry, as knex re-reads what has been applied.
const CONCURRENT_MIGRATION_CODES = new Set(['23505', '42P07', '40P01']);
const isConcurrentMigration = (err: unknown) =>
  (err as Error)?.name === 'MigrationLocked' ||
  CONCURRENT_MIGRATION_CODES.has((err as { code?: string })?.code ?? '');

/** The advisory lock key every instance migrating one database agrees on ('portal migrations'). */
export const MIGRATION_LOCK_KEY = 7_461_726_353;

export async function migrateToLatest(
  db: Db,
  retry: Readonly<{ attempts: number; waitMs: number }> = { attempts: 40, waitMs: 250 },
): Promise<string[]> {
  await databaseReady(db);
  // Nothing pending (every start after the release step): no lock to take, so an app role with SELECT only
  // on knex's tables (db-roles.ts) or a read-only database (a failover) does not stop the start.
  // On an empty database this first look creates knex's tables, racing the other instances doing the same: a
  // concurrent-migration error here means "look again under the lock", where it is retried.
  const nothingPending = await pendingMigrations(db).then(
    (pending) => pending.length === 0,
    (err: unknown) => {
      if (isConcurrentMigration(err)) return false;
      throw err;
    },
  );
  if (nothingPending) return [];
  return withMigrationLock(db, async (exclusive) => {
    for (let attempt = 1; ; attempt++) {
      try {
        if ((await pendingMigrations(db)).length === 0) return [];
        // Holding the advisory lock, no other instance is migrating: a knex lock still set was left by one that
        // died mid-run (its migration's own transaction rolled back), so it is safe to free.
        if (exclusive) await db.migrate.forceFreeMigrationsLock(migrationConfig());
        const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
        return applied;
      } catch (err) {
        if (attempt >= retry.attempts || !isConcurrentMigration(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, retry.waitMs));
      }
    }
  });
}

type PgConnection = {
  connectionString?: string;
  application_name?: string;
  connectionTimeoutMillis?: number;
};

async function withMigrationLock<T>(db: Db, run: (exclusive: boolean) => Promise<T>): Promise<T> {
  if (db.client.config.client !== 'pg') return run(false);
  const { connectionString, application_name, connectionTimeoutMillis } = db.client.config
    .connection as PgConnection;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- pg is knex's driver; loaded only on PostgreSQL
  const { Client } = require('pg') as typeof import('pg');
  const holder = new Client({ connectionString, application_name, connectionTimeoutMillis });
  await holder.connect();
  try {
    await holder.query('begin');
    // Waiting for the lock and then holding it idle while the migrations run on other connections must not be
    // cut short by the app's statement and idle-in-transaction timeouts.
    await holder.query('set local statement_timeout = 0; set local idle_in_transaction_session_timeout = 0');
    await holder.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const result = await run(true);
    await holder.query('commit');
    return result;
  } finally {
    await holder.end().catch(() => undefined);
  }
}

export async function rollbackAll(db: Db): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback(migrationConfig(), true)) as [number, string[]];
  return undone;
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  // Our migration source lists plain file names, so knex hands those back (not its { file } objects).
  const [, pending] = (await db.migrate.list(migrationConfig())) as [
    unknown[],
    (string | { file: string })[],
  ];
  return pending.map((m) => (typeof m === 'string' ? m : m.file));
}
