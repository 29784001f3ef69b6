import crypto from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Response } from 'express';
import type { Db } from '../db';

export type RateLimit = Readonly<{
  /**
   * Spend one attempt for the key; refused, with the wait, when the key has none left. `spent`: the key's
   * attempts in the window, this one included (1: the key had none outstanding).
   */
  consume(
    key: string,
  ): Promise<{ allowed: true; spent: number } | { allowed: false; retryAfterSeconds: number; spent: number }>;
  /** Give back one attempt (after a success, so only failures count). */
  giveBack(key: string): Promise<void>;
  /** Forget the key's attempts altogether. */
  clear(key: string): Promise<void>;
}>;

/**
 * rate-limiter-flexible's Postgres store talks to a client with pg's `query({ text, values })`. This adapter
 * runs those queries through our knex instance, so one code path works on a PostgreSQL server and on the
 * embedded database, and every app instance shares the counters in the rate_limit table.
 */
function knexQueryClient(db: Db) {
  return {
    async query({ text, values = [] }: { text: string; values?: unknown[] }) {
      const bindings: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_m, n: string) => {
        bindings.push(values[Number(n) - 1]);
        return '?';
      });
      const result = (await db.raw(sql, bindings as never[])) as {
        rows: unknown[];
        rowCount?: number | null;
      };
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

export function createRateLimit(
  db: Db,
  options: { keyPrefix: string; points: number; durationSeconds: number },
): RateLimit {
  const limiter = new RateLimiterPostgres({
    storeClient: knexQueryClient(db),
    storeType: 'pool',
    tableName: 'rate_limit',
    tableCreated: true, // the migration creates it
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  });
  return {
    async consume(key) {
      try {
        const res = await limiter.consume(key);
        return { allowed: true, spent: res.consumedPoints };
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          return {
            allowed: false,
            retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
            spent: err.consumedPoints,
          };
        }
        throw err; // a database error: the error handler turns it into a 503
      }
    },
    async giveBack(key) {
      await limiter.reward(key, 1);
    },
    async clear(key) {
      await limiter.delete(key);
    },
  };
}

/**
 * The two limits of every form that emails someone (save and come back later, "I have lost my reference", signing
 * in): per client address (`<prefix>-ip`) and per email address (`<prefix>-email`), over one window.
 */
export function createEmailFormLimits(
  db: Db,
  keyPrefix: string,
  limits: Readonly<{ perClient: number; perEmail: number; durationSeconds: number }>,
): Readonly<{ perClient: RateLimit; perEmail: RateLimit }> {
  const limit = (suffix: string, points: number) =>
    createRateLimit(db, {
      keyPrefix: `${keyPrefix}-${suffix}`,
      points,
      durationSeconds: limits.durationSeconds,
    });
  return { perClient: limit('ip', limits.perClient), perEmail: limit('email', limits.perEmail) };
}

/** The key an email address is counted under: a hash, so the limiter's table never holds the address. */
export const emailLimitKey = (email: string): string =>
  crypto.createHash('sha256').update(email.toLowerCase()).digest('hex');

/** A refused attempt's 429 page: `Retry-After`, and the wait in whole minutes (at least 1) for the page to say. */
export function renderTooMany(
  res: Response,
  retryAfterSeconds: number,
  view: string,
  locals: Record<string, unknown> = {},
): void {
  res
    .status(429)
    .set('Retry-After', String(retryAfterSeconds))
    .render(view, { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)), ...locals });
}
