import { Client } from 'pg';
import {
  createMigrationSource,
  MIGRATION_LOCK_KEY,
  migrateToLatest,
  pendingMigrations,
  rollbackAll,
} from '../src/migrate';
import { createTestDb, driverName, type TestDb } from './helpers/db';

describe(`migrations on ${driverName()}`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb({ migrate: false });
  });
  afterAll(() => testDb.destroy());

  it('finds every migration file in order, named without its extension', async () => {
    const source = createMigrationSource();
    const files = await source.getMigrations([]);
    expect(files.length).toBeGreaterThan(0);
    expect([...files].sort()).toEqual(files);
    expect(files.map((f) => source.getMigrationName(f))).toContain('20261129090000_create_session');
  });

  it('run up, down and up again, leaving the same tables', async () => {
    const { db } = testDb;
    const tables = async () =>
      (
        await db('pg_tables')
          .where({ schemaname: 'public' })
          .whereNot('tablename', 'like', 'knex_migration%')
          .pluck('tablename')
      ).sort();

    const applied = await migrateToLatest(db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await pendingMigrations(db)).toEqual([]);
    const after = await tables();
    expect(after).toContain('session');

    const undone = await rollbackAll(db);
    expect(undone.sort()).toEqual(applied.sort());
    expect(await tables()).toEqual([]);

    await migrateToLatest(db);
    expect(await tables()).toEqual(after);
  });

  it('does nothing when run again on an up-to-date database', async () => {
    expect(await migrateToLatest(testDb.db)).toEqual([]);
  });

  const onPostgres = process.env.DATABASE_URL ? it : it.skip;

  onPostgres(
    'waits for another instance that holds the migration lock, however long it takes, then migrates',
    async () => {
      const { db, url } = testDb;
      await rollbackAll(db);
      const other = new Client({ connectionString: url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        let finished = false;
        // One try only: before the advisory lock, a held lock made an instance give up after its tries ran out.
        const migrating = migrateToLatest(db, { attempts: 1, waitMs: 0 }).then((applied) => {
          finished = true;
          return applied;
        });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(finished).toBe(false);
        expect(await pendingMigrations(db)).not.toEqual([]);
        await other.query('commit');
        expect((await migrating).length).toBeGreaterThan(0);
        expect(await pendingMigrations(db)).toEqual([]);
      } finally {
        await other.end();
      }
    },
  );

  onPostgres(
    'frees a knex lock left set by an instance that died while migrating, and migrates',
    async () => {
      const { db } = testDb;
      await rollbackAll(db);
      await db('knex_migration_lock').update({ is_locked: 1 });
      const applied = await migrateToLatest(db, { attempts: 1, waitMs: 0 });
      expect(applied.length).toBeGreaterThan(0);
      expect(await db('knex_migration_lock').pluck('is_locked')).toEqual([0]);
    },
  );
});
