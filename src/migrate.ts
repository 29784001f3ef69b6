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

// Several instances starting at once (a rolling deploy, or N replicas on a fresh database) race to create knex's
// own tables (a duplicate pg_type or relation) or find its lock taken. Each is safe to retry: knex re-reads what
// has been applied and migrates only what is still pending.
const CONCURRENT_MIGRATION_CODES = new Set(['23505', '42P07', '40P01']);
const isConcurrentMigration = (err: unknown) =>
  (err as Error)?.name === 'MigrationLocked' ||
  CONCURRENT_MIGRATION_CODES.has((err as { code?: string })?.code ?? '');

export async function migrateToLatest(
  db: Db,
  retry: Readonly<{ attempts: number; waitMs: number }> = { attempts: 40, waitMs: 250 },
): Promise<string[]> {
  await databaseReady(db);
  for (let attempt = 1; ; attempt++) {
    try {
      // Nothing pending (every start after the release step): no lock to take, so an app role with SELECT only
      // on knex's tables (db-roles.ts) or a read-only database (a failover) does not stop the start.
      if ((await pendingMigrations(db)).length === 0) return [];
      const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
      return applied;
    } catch (err) {
      if (attempt >= retry.attempts || !isConcurrentMigration(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, retry.waitMs));
    }
  }
}

export async function rollbackAll(db: Db): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback(migrationConfig(), true)) as [number, string[]];
  return undone;
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig())) as [unknown[], { file: string }[]];
  return pending.map((m) => m.file);
}
