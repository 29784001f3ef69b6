import { createDb, createStaffDb, isDatabaseUnavailableError, type Db } from '../src/db';
import { createTestDb, driverName, type TestDb } from './helpers/db';

describe(`the database layer on ${driverName()}`, () => {
  let testDb: TestDb;
  let db: Db;
  beforeAll(async () => {
    testDb = await createTestDb({ migrate: false });
    db = testDb.db;
  });
  afterAll(() => testDb.destroy());

  it('returns count(*) and bigint columns as numbers, as both drivers must', async () => {
    const row = await db.raw(
      `select count(*) as n, 9007199254740991::int8 as big from generate_series(1, 3)`,
    );
    expect(row.rows[0]).toEqual({ n: 3, big: 9007199254740991 });
  });

  it('refuses an int8 beyond the safe integer range instead of losing precision', async () => {
    await expect(db.raw(`select 9007199254740993::int8 as big`)).rejects.toThrow(/safe integer range/);
  });

  it('returns dates as YYYY-MM-DD strings and timestamps as Date objects', async () => {
    const { rows } = await db.raw(`select date '2024-02-29' as d, timestamptz '2024-02-29T12:00:00Z' as t`);
    expect(rows[0].d).toBe('2024-02-29');
    expect(rows[0].t).toBeInstanceOf(Date);
    expect((rows[0].t as Date).toISOString()).toBe('2024-02-29T12:00:00.000Z');
  });

  it('returns numeric as an exact string on both drivers', async () => {
    const { rows } = await db.raw(`select 1234.50::numeric(10,2) as amount`);
    expect(rows[0].amount).toBe('1234.50');
  });

  it('rolls back a failed transaction', async () => {
    await db.schema.createTable('rollback_probe', (t) => t.integer('n'));
    await expect(
      db.transaction(async (trx) => {
        await trx('rollback_probe').insert({ n: 1 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db('rollback_probe').count({ c: '*' })).toEqual([{ c: 0 }]);
    await db.schema.dropTable('rollback_probe');
  });
});

describe(`abandoned transactions on ${driverName()} (docs/security.md#rel5)`, () => {
  (process.env.DATABASE_URL ? it : it.skip)(
    'ends a transaction left idle longer than the statement timeout, releasing its locks, and the pool goes on',
    async () => {
      const testDb = await createTestDb({ migrate: false });
      const db = createDb({
        kind: 'postgres',
        url: testDb.url!,
        poolMax: 2,
        acquireTimeoutMs: 2000,
        statementTimeoutMs: 300,
      });
      try {
        await db.raw('create table held (id int primary key)');
        expect(
          (await db.raw("select current_setting('idle_in_transaction_session_timeout') as t")).rows[0].t,
        ).toBe('300ms');
        const trx = await db.transaction();
        await trx.raw('lock table held in access exclusive mode');
        // The transaction now idles, holding the lock, as one forgotten by a bug would. Another connection (with
        // the test database's 15 s statement timeout) waits for the lock until the server ends the idle session.
        const waited = await testDb.db.raw('select count(*) as n from held');
        expect(waited.rows[0].n).toBe(0);
        const ended = await trx.raw('select 1').catch((e: unknown) => e);
        expect(ended).toBeInstanceOf(Error);
        await trx.rollback().catch(() => undefined);
        // The pool replaces the ended connection.
        expect((await db.raw('select 1 as one')).rows[0].one).toBe(1);
      } finally {
        await db.destroy();
        await testDb.destroy();
      }
    },
  );
});

describe(`the staff pages' pool on ${driverName()} (docs/security.md#f11)`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb({ migrate: false });
  });
  afterAll(() => testDb.destroy());

  it('is the citizens’ own database when staff share it, and always on the embedded database', () => {
    const embedded = {
      kind: 'pglite',
      dataDir: 'memory://',
      acquireTimeoutMs: 1000,
      statementTimeoutMs: 1000,
    } as const;
    expect(createStaffDb(embedded, testDb.db)).toBe(testDb.db);
    const shared = {
      kind: 'postgres',
      url: 'postgres://x@127.0.0.1/x',
      poolMax: 2,
      acquireTimeoutMs: 1000,
      statementTimeoutMs: 1000,
    } as const;
    expect(createStaffDb(shared, testDb.db)).toBe(testDb.db);
  });

  (process.env.DATABASE_URL ? it : it.skip)(
    'is a pool of its own, named for staff, whose statement timeout stops a heavy query with a 503 error',
    async () => {
      const staffDb = createStaffDb(
        {
          kind: 'postgres',
          url: testDb.url!,
          poolMax: 5,
          acquireTimeoutMs: 2000,
          statementTimeoutMs: 15000,
          staff: { poolMax: 2, statementTimeoutMs: 100 },
        },
        testDb.db,
      );
      try {
        expect(staffDb).not.toBe(testDb.db);
        const settings = await staffDb.raw(
          "select current_setting('statement_timeout') as timeout, current_setting('application_name') as name",
        );
        expect(settings.rows[0]).toEqual({ timeout: '100ms', name: 'citizen-services-portal-staff' });
        expect((await testDb.db.raw("select current_setting('statement_timeout') as t")).rows[0].t).toBe(
          '15s',
        );
        const heavy = await staffDb.raw('select pg_sleep(2)').catch((e: unknown) => e);
        expect((heavy as { code?: string }).code).toBe('57014');
        expect(isDatabaseUnavailableError(heavy)).toBe(true);
        expect((staffDb.client as { pool: { max: number } }).pool.max).toBe(2);
      } finally {
        await staffDb.destroy();
      }
    },
  );
});

describe('recognising an unreachable database', () => {
  it('treats a refused connection as unavailable', async () => {
    const down = createDb({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:1/none',
      poolMax: 1,
      acquireTimeoutMs: 1000,
      statementTimeoutMs: 1000,
    });
    const err = await down.raw('select 1').catch((e: unknown) => e);
    await down.destroy();
    expect(isDatabaseUnavailableError(err)).toBe(true);
  });

  it('does not treat a bad query as unavailable', () => {
    expect(isDatabaseUnavailableError(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(
      false,
    );
    expect(isDatabaseUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailableError(undefined)).toBe(false);
  });

  it('treats server shutdown and connection-class SQLSTATEs as unavailable', () => {
    expect(isDatabaseUnavailableError(Object.assign(new Error('terminating'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailableError(Object.assign(new Error('lost'), { code: '08006' }))).toBe(true);
  });

  it('treats too many connections (53300, F5) and a read-only database (25006, F8) as unavailable', () => {
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    expect(isDatabaseUnavailableError(tooMany)).toBe(true);
    expect(isDatabaseUnavailableError(new AggregateError([tooMany]))).toBe(true);
    const readOnly = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), {
      code: '25006',
    });
    expect(isDatabaseUnavailableError(readOnly)).toBe(true);
  });

  it('treats a statement cancelled by statement_timeout (57014, e.g. waiting behind a lock) as unavailable', () => {
    const timedOut = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    expect(isDatabaseUnavailableError(timedOut)).toBe(true);
  });
});
