import type { Db } from '../db';
import type { Clock } from '../clock';
import type { Logger } from '../middleware/logging';
import { claimBatch, markFailed, markSent, render, type RenderSettings } from './outbox';
import { describeFailure, type Transport } from './transport';

// The outbox worker (docs/adr/0001-notifications-outbox.md): claims due messages in a short transaction, sends
// each with no database connection held, and records the outcome in another. Runs in the web process (WORKERS)
// and on its own (npm run worker, src/cli/worker.ts); any number of copies share the work.

export type WorkerSettings = RenderSettings &
  Readonly<{
    from: string;
    maxAttempts: number;
    /** The first retry waits this long; each further one twice as long, up to an hour. */
    retryBaseMs: number;
    pollMs: number;
    batchSize?: number;
    /** How long a claimed message is left to its worker before another may try it (covers the SMTP timeouts). */
    leaseMs?: number;
    /** At most this many messages to one address in any hour; more wait, their attempts unused. 0 or absent: no limit. */
    perRecipientPerHour?: number;
  }>;

export type OutboxWorker = {
  /** One batch: returns how many messages were attempted. */
  runOnce: () => Promise<number>;
  /** Poll every pollMs (straight on while there is a backlog) with `loops` batches in flight. */
  start: (loops?: number) => void;
  /** Stop polling and wait for the batches in flight to finish. */
  stop: () => Promise<void>;
};

const MAX_BACKOFF_MS = 60 * 60 * 1000;

export const retryDelayMs = (attempts: number, baseMs: number): number =>
  Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));

export function createOutboxWorker(deps: {
  db: Db;
  transport: Transport;
  logger: Logger;
  settings: WorkerSettings;
  clock?: Clock;
}): OutboxWorker {
  const { db, transport, logger, settings, clock = () => new Date() } = deps;
  const batchSize = settings.batchSize ?? 10;
  const leaseMs = settings.leaseMs ?? 2 * 60 * 1000;

  /** One batch: how many messages it attempted and how many the per-recipient limit put off. */
  async function runBatch(): Promise<{ attempted: number; deferred: number }> {
    const { claimed, deferred } = await claimBatch(db, {
      now: clock(),
      limit: batchSize,
      leaseMs,
      perRecipientPerHour: settings.perRecipientPerHour,
    });
    for (const d of deferred) {
      // Never the address: the id says which message, the template what it is.
      logger.info(
        {
          component: 'notifications',
          outboxId: d.id,
          template: d.template,
          deferredUntil: d.until.toISOString(),
        },
        'notification deferred: the limit for one address in an hour is reached',
      );
    }
    for (const row of claimed) {
      // Logged: ids, template and codes. Never the address or the content.
      const fields = { component: 'notifications', outboxId: row.id, template: row.template };
      try {
        const message = render(row, settings);
        await transport.send({ id: row.id, from: settings.from, to: row.recipient, ...message });
        await markSent(db, row.id, transport.kind, clock());
        logger.info({ ...fields, attempts: row.attempts, via: transport.kind }, 'notification sent');
      } catch (err) {
        const failure = describeFailure(err);
        const dead = failure.permanent || row.attempts >= settings.maxAttempts;
        await markFailed(db, row.id, {
          error: failure.code,
          retryAt: dead
            ? undefined
            : new Date(clock().getTime() + retryDelayMs(row.attempts, settings.retryBaseMs)),
        });
        logger.warn(
          { ...fields, attempts: row.attempts, error: failure.code, dead },
          dead ? 'notification could not be sent: given up' : 'notification not sent: will retry',
        );
      }
    }
    return { attempted: claimed.length, deferred: deferred.length };
  }

  async function runOnce(): Promise<number> {
    return (await runBatch()).attempted;
  }

  let stopping = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  function loop() {
    if (stopping) return;
    const run = runBatch()
      .then((batch) => batch.attempted + batch.deferred)
      .catch((err: unknown) => {
        // The database is down or busy: try again at the next poll.
        logger.error({ component: 'notifications', err: (err as Error).message }, 'outbox poll failed');
        return 0;
      })
      .then((count) => {
        inFlight.delete(run);
        if (stopping) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            loop();
          },
          count >= batchSize ? 0 : settings.pollMs,
        );
        timer.unref();
        timers.add(timer);
      });
    inFlight.add(run);
  }

  return {
    runOnce,
    start(loops = 1) {
      stopping = false;
      for (let i = 0; i < loops; i++) loop();
    },
    async stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...inFlight]);
    },
  };
}
