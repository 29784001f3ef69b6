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

export async function migrateToLatest(db: Db): Promise<string[]> {
  await databaseReady(db);
  const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

export async function rollbackAll(db: Db): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback(migrationConfig(), true)) as [number, string[]];
  return undone;
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig())) as [unknown[], { file: string }[]];
  return pending.map((m) => m.file);
}
