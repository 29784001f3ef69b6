import crypto from 'node:crypto';
import knex from 'knex';
import { createDb, databaseReady, type Db } from '../../src/db';
import { migrateToLatest } from '../../src/migrate';

export type TestDb = { db: Db; url?: string; destroy: () => Promise<void> };

/**
 * A fresh, empty database for one test file: in-memory PGlite by default, or a new database on the
 * server named by DATABASE_URL (dropped afterwards), so the same suite runs on both drivers.
 */
export async function createTestDb({ migrate = true, acquireTimeoutMs = 5000 } = {}): Promise<TestDb> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await createEmbeddedDb({ migrate });
    return { db, destroy: () => db.destroy() };
  }
  const name = `portal_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb({
    kind: 'postgres',
    url: url.toString(),
    poolMax: 5,
    acquireTimeoutMs,
    statementTimeoutMs: 15000,
  });
  if (migrate) await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    async destroy() {
      await db.destroy();
      const cleanup = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      await cleanup.raw(`drop database if exists ${name} with (force)`);
      await cleanup.destroy();
    },
  };
}

/** A fresh in-memory embedded database; its one connection is waited for at most `acquireTimeoutMs`. */
export async function createEmbeddedDb({ migrate = true, acquireTimeoutMs = 5000 } = {}): Promise<Db> {
  const db = createDb({ kind: 'pglite', dataDir: 'memory://', acquireTimeoutMs, statementTimeoutMs: 15000 });
  await databaseReady(db);
  if (migrate) await migrateToLatest(db);
  return db;
}

/**
 * Runs `during` while a transaction holds one of `db`'s connections (the embedded database's only one): what a
 * heavy query does to the queries waiting behind it.
 */
export async function whileConnectionHeld<T>(db: Db, during: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const started = new Promise<void>((resolve) => (holding = resolve));
  const transaction = db.transaction(async (trx) => {
    await trx.raw('select 1');
    holding();
    await held;
  });
  await started;
  try {
    return await during();
  } finally {
    release();
    await transaction;
  }
}

export const driverName = (): string => (process.env.DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite');

/**
 * Every table an action can change, in full (sessions, rate-limit counters and journey counts aside), as one
 * string: equal before and after means a refused request changed nothing.
 */
export async function tableContents(db: Db): Promise<string> {
  const tables = [
    'submission',
    'submission_event',
    'submission_note',
    'submission_message',
    'audit_event',
    'staff_user',
    'staff_recovery_code',
    'service',
    'service_cost_month',
    'survey_response',
    'performance_day',
    'processing_time_month',
    'open_case_day',
  ];
  const rows = await Promise.all(tables.map((table) => db(table).select('*').orderByRaw('1')));
  return JSON.stringify(Object.fromEntries(tables.map((table, i) => [table, rows[i]])));
}
