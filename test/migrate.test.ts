import { createMigrationSource, migrateToLatest, pendingMigrations, rollbackAll } from '../src/migrate';
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
});
