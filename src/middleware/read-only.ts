import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Db } from '../db';

// Read-only mode (docs/security.md#rel9, the GOV.UK Service Manual's "read-only mode"): pages can still be read, and
// every form post answers 503 "try again later" instead of failing half-way. It is on when
//  - READ_ONLY is set (planned maintenance, a database restore), or
//  - the database refused a write as read-only (SQLSTATE 25006: a failover left us on a standby, or
//    default_transaction_read_only was switched on). The error handler reports each such error here. From then
//    on, each form post first asks the database whether it takes writes again (one cheap query, only while in
//    this state): while it does not, the post is refused before it starts; once it does, the mode ends by itself.
// A post refused here never reaches the routes, so nothing in the citizen's session changes: their answers stay.

export const READ_ONLY_SQLSTATE = '25006';
export const READ_ONLY_RETRY_AFTER_SECONDS = 60;
const CHECK_TIMEOUT_MS = 1000;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Signing out must stay possible: it is tried, and if the database refuses, the read-only page says so.
const ALWAYS_TRIED = new Set(['/staff/sign-out']);

export type ReadOnlyMode = Readonly<{
  /** True while form posts are refused without asking the database (the READ_ONLY flag). */
  forced(): boolean;
  /** True from a read-only refusal by the database until it is seen to take writes again. */
  suspected(): boolean;
  /** The database refused a write as read-only. */
  noticed(): void;
  /** Answers unsafe methods with the 503 read-only page while the mode is on. */
  refuseWrites: RequestHandler;
}>;

export function isReadOnlyDatabaseError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  if ((err as { code?: unknown }).code === READ_ONLY_SQLSTATE) return true;
  const errors = (err as AggregateError).errors;
  return Array.isArray(errors) && errors.some(isReadOnlyDatabaseError);
}

/** Whether a new transaction on this database would be read-only (a standby, or the default switched on). */
export async function databaseIsReadOnly(db: Db): Promise<boolean> {
  const { rows } = (await db
    .raw(`select current_setting('transaction_read_only') as ro`)
    .timeout(CHECK_TIMEOUT_MS, { cancel: false })) as { rows: { ro: string }[] };
  return rows[0]?.ro === 'on';
}

export function createReadOnlyMode(config: Pick<Config, 'readOnly'>, db: Db): ReadOnlyMode {
  let suspected = false;
  return {
    forced: () => config.readOnly,
    suspected: () => suspected,
    noticed() {
      suspected = true;
    },
    async refuseWrites(req, res, next) {
      if (SAFE_METHODS.has(req.method) || ALWAYS_TRIED.has(req.path)) return next();
      if (!config.readOnly) {
        if (!suspected) return next();
        try {
          if (!(await databaseIsReadOnly(db))) {
            suspected = false;
            return next();
          }
        } catch {
          // The database cannot say: let the post run, and fail or succeed on its own (a 503 at worst).
          return next();
        }
      }
      req.log?.warn({ event: 'read-only-refused' }, 'form post refused: read-only mode');
      res.status(503).set('Retry-After', String(READ_ONLY_RETRY_AFTER_SECONDS)).render('errors/read-only');
    },
  };
}
