import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { createDb, databaseReady, dumpEmbedded, type Db } from '../../src/db';
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

const MIGRATIONS = path.resolve(__dirname, '../../migrations');

/**
 * A migrated embedded database's files, made once per set of migrations and kept in the system's temporary folder.
 * Booting PGlite from empty runs initdb, seconds on a busy machine; starting from this copy is a fraction of that,
 * and every test file needs a database. The name is a hash of the migrations and the PGlite version, so a changed
 * migration makes a new copy. Written to a temporary name and renamed, so parallel workers never read half a file.
 */
async function migratedTemplate(): Promise<Blob> {
  const hash = crypto.createHash('sha256');
  for (const name of fs.readdirSync(MIGRATIONS).sort()) {
    hash.update(name).update(fs.readFileSync(path.join(MIGRATIONS, name)));
  }
  hash.update(
    fs.readFileSync(path.resolve(__dirname, '../../node_modules/@electric-sql/pglite/package.json')),
  );
  const dir = path.join(os.tmpdir(), 'portal-test-databases');
  const file = path.join(dir, `${hash.digest('hex').slice(0, 16)}.tar`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const db = createDb({
    kind: 'pglite',
    dataDir: 'memory://',
    acquireTimeoutMs: 60_000,
    statementTimeoutMs: 60_000,
  });
  try {
    await databaseReady(db);
    await migrateToLatest(db);
    const dump = await dumpEmbedded(db);
    fs.mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
    return dump;
  } finally {
    await db.destroy();
  }
}

/**
 * A fresh in-memory embedded database; its one connection is waited for at most `acquireTimeoutMs`. Migrated, it
 * starts from a copy of a migrated one (migratedTemplate), and the migrations then find nothing left to run.
 */
export async function createEmbeddedDb({ migrate = true, acquireTimeoutMs = 5000 } = {}): Promise<Db> {
  const template = migrate ? await migratedTemplate() : undefined;
  const db = createDb(
    { kind: 'pglite', dataDir: 'memory://', acquireTimeoutMs, statementTimeoutMs: 15000 },
    undefined,
    undefined,
    template,
  );
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
