import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { types as pgTypes } from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type ClientPgLiteType from 'knex-pglite';
import type { Config } from './config';

export type Db = Knex;

// Both drivers must return the same JavaScript types, or a test on one could hide a bug on the other.
//  - int8 (count(*), bigint ids): number on both. pg returns a string by default.
//  - date: 'YYYY-MM-DD' string on both. pg would build a Date at local midnight, which shifts across time zones.
//  - timestamptz: Date on both (the default of each driver).
const INT8_OID = 20;
const DATE_OID = 1082;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is outside the safe integer range`);
  return n;
}

const pgTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    if (oid === DATE_OID) return (value: string) => value;
    return format === 'binary' ? pgTypes.getTypeParser(oid, 'binary') : pgTypes.getTypeParser(oid, 'text');
  },
};

type DbLog = { warn: (message: string) => void; error: (message: string) => void };
const silentLog: DbLog = { warn: () => {}, error: () => {} };

function knexLog(log: DbLog): Knex.Config['log'] {
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
  return {
    warn: (m: unknown) => log.warn(text(m)),
    error: (m: unknown) => log.error(text(m)),
    deprecate: (m: unknown) => log.warn(text(m)),
    debug: () => {},
  };
}

// The embedded database boots (initdb or reopening its files) when first used. That can take seconds on a busy
// machine, and it must not count against the short wait for a connection that protects requests.
const embeddedInstances = new WeakMap<Db, PGlite>();

/** Resolves once the database can take queries (immediately for a PostgreSQL server). */
export async function databaseReady(db: Db): Promise<void> {
  await embeddedInstances.get(db)?.waitReady;
}

/** A copy of an embedded database's files, uncompressed, to start another from (createDb's loadDataDir). */
export async function dumpEmbedded(db: Db): Promise<Blob> {
  const pglite = embeddedInstances.get(db);
  if (!pglite) throw new Error('only an embedded database can be dumped this way');
  return pglite.dumpDataDir('none');
}

const QUERY_TIMEOUT_MARGIN_MS = 1000;

/**
 * The connections staff pages use (docs/security.md#f11): on PostgreSQL, when DB_STAFF_POOL_MAX is above 0, a pool of
 * their own with its own statement timeout, so a heavy staff query (a CSV export, a queue over a large backlog) can
 * neither take the connections citizens' submits need nor run for long; it gets the 503 page instead. Otherwise
 * (the embedded database has one connection) the citizens' `db` itself.
 */
export function createStaffDb(database: Config['database'], db: Db, log: DbLog = silentLog): Db {
  if (database.kind !== 'postgres' || !database.staff) return db;
  return createDb(
    {
      ...database,
      poolMax: database.staff.poolMax,
      statementTimeoutMs: database.staff.statementTimeoutMs,
      staff: undefined,
    },
    log,
    'citizen-services-portal-staff',
  );
}

/** The only knex configuration: a PostgreSQL server when DATABASE_URL is set, embedded PGlite otherwise. */
export function createDb(
  database: Config['database'],
  log: DbLog = silentLog,
  applicationName = 'citizen-services-portal',
  /** For the embedded database: start from this copy of a database (dumpEmbedded) instead of an empty one. */
  loadDataDir?: Blob,
): Db {
  if (database.kind === 'postgres') {
    return knex({
      client: 'pg',
      connection: {
        connectionString: database.url,
        types: pgTypeParsers,
        connectionTimeoutMillis: database.acquireTimeoutMs,
        statement_timeout: database.statementTimeoutMs,
        // A transaction left open and idle (a bug, a client that vanished mid-transaction) would hold its locks
        // and its connection for ever: the server ends the session once it has idled as long as a whole statement
        // may run (docs/security.md#rel5). Waiting for a lock is bounded by statement_timeout.
        idle_in_transaction_session_timeout: database.statementTimeoutMs,
        // statement_timeout is enforced by the server, so it cannot fire when the network drops every packet
        // (docs/security.md#f4): a query on an open connection would wait for TCP to give up, many minutes. pg's own
        // client-side timer bounds it just after the server's would have fired ("Query read timeout", a 503).
        query_timeout: database.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
        application_name: applicationName,
      } as Knex.PgConnectionConfig,
      pool: { min: 0, max: database.poolMax },
      // knex waits 60 s for a free connection by default; a request should fail fast with a 503 instead.
      acquireConnectionTimeout: database.acquireTimeoutMs,
      log: knexLog(log),
    });
  }

  const inMemory = database.dataDir === 'memory://';
  if (!inMemory) fs.mkdirSync(path.resolve(database.dataDir), { recursive: true });
  // Loaded only for the embedded database: a server connected to PostgreSQL never carries PGlite in memory.
  /* eslint-disable @typescript-eslint/no-require-imports -- see above */
  const { PGlite: PGliteClass, types: pgliteTypes } =
    require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const { pg_trgm } =
    require('@electric-sql/pglite/contrib/pg_trgm') as typeof import('@electric-sql/pglite/contrib/pg_trgm');
  const clientModule = require('knex-pglite') as
    typeof ClientPgLiteType | { default: typeof ClientPgLiteType };
  const ClientPgLite = 'default' in clientModule ? clientModule.default : clientModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const pglite = new PGliteClass({
    dataDir: inMemory ? undefined : path.resolve(database.dataDir),
    loadDataDir,
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: (value: string) => value },
    // Typo-tolerant catalogue search (migrations/20261203080000_add_service_search_trigrams.ts).
    extensions: { pg_trgm },
  });
  const db = knex({
    client: ClientPgLite,
    dialect: 'postgres',
    // knex-pglite holds exactly one connection; pass our own instance so the parsers above apply.
    connection: () => ({ pglite }) as never,
    acquireConnectionTimeout: database.acquireTimeoutMs,
    log: knexLog(log),
  });
  embeddedInstances.set(db, pglite);
  return db;
}

// Errors that mean "the database cannot be reached right now" rather than "this query is wrong".
// They become a 503 page with Retry-After instead of a 500.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled: statement_timeout (DB_STATEMENT_TIMEOUT_MS) expired, e.g. waiting behind a lock
  '53300', // too_many_connections
  '25006', // read_only_sql_transaction
]);

export function isDatabaseUnavailableError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === 'KnexTimeoutError') return true;
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = e.message ?? '';
  return (
    /Connection terminated|Client has encountered a connection error|connect ECONNREFUSED|timeout expired|Query read timeout/i.test(
      message,
    ) ||
    (Array.isArray((err as AggregateError).errors) &&
      (err as AggregateError).errors.some(isDatabaseUnavailableError))
  );
}

/** A cheap round trip for the readiness probe, bounded so a hung database cannot hang the probe. */
export async function pingDatabase(db: Db, timeoutMs: number): Promise<void> {
  await db.raw('select 1').timeout(timeoutMs, { cancel: false });
}
