import type { Db } from '../db';
import type { Clock } from '../clock';
import { ukDate } from '../clock';
import type { WorkingDayCalendar } from '../calendar/working-days';
import type { DefinitionSnapshot } from '../definitions/snapshot';
import { DEFAULT_REMINDER_WORKING_DAYS } from '../definitions/types';
import type { Logger } from '../middleware/logging';
import { enqueue } from './outbox';

// The one reminder (docs/notifications.md#reminders): a request for more information with no reply after the
// service's `reminderAfterWorkingDays` (10 by default, kept in the application's definition snapshot) gets one
// email, and the case history says so. "One" is per request: the reminder is a submission_event after the request
// (awaiting_since), so a later request can have its own. Any number of workers may run this: each case is decided
// on its locked row, after the check is made again.

const REMINDER_EVENT = 'reminder-sent';
const BATCH = 200;

type Candidate = { id: number; awaiting_since: Date; reminder_days: number | null };

const daysOf = (c: Pick<Candidate, 'reminder_days'>) => c.reminder_days ?? DEFAULT_REMINDER_WORKING_DAYS;

/**
 * Cases awaiting the citizen with no reminder since the request, asked at least as many calendar days ago as the
 * service's working days (a working day is never shorter): the cheap filter before the calendar's exact one.
 */
async function candidates(db: Db, now: Date, afterId: number): Promise<Candidate[]> {
  return db('submission as s')
    .where('s.status', 'awaiting-citizen')
    .whereNotNull('s.contact_email')
    .where('s.id', '>', afterId)
    .whereRaw(
      `s.awaiting_since <= ?::timestamptz - make_interval(days => coalesce((s.definition_snapshot->>'reminderAfterWorkingDays')::int, ?))`,
      [now.toISOString(), DEFAULT_REMINDER_WORKING_DAYS],
    )
    .whereNotExists((q) =>
      q
        .from('submission_event as e')
        .whereRaw('e.submission_id = s.id')
        .where('e.type', REMINDER_EVENT)
        .whereRaw('e.occurred_at >= s.awaiting_since'),
    )
    .orderBy('s.id')
    .limit(BATCH)
    .select(
      's.id',
      's.awaiting_since',
      db.raw(`(s.definition_snapshot->>'reminderAfterWorkingDays')::int as reminder_days`),
    ) as Promise<Candidate[]>;
}

/** Whether `days` working days have passed since the request, by the calendar (weekends, bank holidays). */
export const reminderIsDue = (
  calendar: WorkingDayCalendar,
  awaitingSince: Date,
  now: Date,
  days: number,
): boolean => calendar.workingDaysBetween(ukDate(awaitingSince), ukDate(now)) >= days;

/** Remind one case, if it still needs it once its row is locked. True when a reminder was written. */
async function remind(db: Db, id: number, now: Date, calendar: WorkingDayCalendar): Promise<boolean> {
  return db.transaction(async (trx) => {
    const row = await trx('submission')
      .where({ id })
      .forUpdate()
      .first(
        'id',
        'reference',
        'service_slug',
        'status',
        'contact_email',
        'awaiting_since',
        'definition_snapshot',
      );
    if (!row || row.status !== 'awaiting-citizen' || !row.contact_email || !row.awaiting_since) return false;
    const snapshot = (
      typeof row.definition_snapshot === 'string'
        ? JSON.parse(row.definition_snapshot)
        : row.definition_snapshot
    ) as DefinitionSnapshot;
    const days = snapshot.reminderAfterWorkingDays ?? DEFAULT_REMINDER_WORKING_DAYS;
    if (!reminderIsDue(calendar, row.awaiting_since, now, days)) return false;
    const already = await trx('submission_event')
      .where({ submission_id: id, type: REMINDER_EVENT })
      .where('occurred_at', '>=', row.awaiting_since)
      .first('id');
    if (already) return false;
    const request = await trx('submission_message')
      .where({ submission_id: id, direction: 'to-citizen' })
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .first('body');
    await trx('submission_event').insert({
      submission_id: id,
      type: REMINDER_EVENT,
      occurred_at: now,
      details: JSON.stringify({ afterWorkingDays: days }),
    });
    await enqueue(trx, {
      template: 'reminder',
      recipient: row.contact_email,
      submissionId: id,
      now,
      data: {
        reference: row.reference,
        serviceSlug: row.service_slug,
        serviceTitle: snapshot.title,
        agency: { name: snapshot.agency.name, contact: snapshot.agency.contact },
        request: (request?.body as string | undefined) ?? '',
        askedOn: ukDate(row.awaiting_since),
      },
    });
    return true;
  });
}

/** Send every reminder that is due now. Returns how many were written to the outbox. */
export async function sendDueReminders(db: Db, calendar: WorkingDayCalendar, now: Date): Promise<number> {
  let sent = 0;
  let afterId = 0;
  for (;;) {
    const batch = await candidates(db, now, afterId);
    for (const c of batch) {
      if (
        reminderIsDue(calendar, c.awaiting_since, now, daysOf(c)) &&
        (await remind(db, c.id, now, calendar))
      )
        sent++;
    }
    if (batch.length < BATCH) return sent;
    afterId = batch[batch.length - 1]!.id;
  }
}

export type ReminderSchedule = Readonly<{ start: () => void; stop: () => Promise<void> }>;

/** Look for due reminders at start and then every `everyMs`, beside the outbox worker (index.ts). */
export function scheduleReminders(deps: {
  db: Db;
  calendar: WorkingDayCalendar;
  logger: Logger;
  everyMs: number;
  clock?: Clock;
}): ReminderSchedule {
  const { db, calendar, logger, everyMs, clock = () => new Date() } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return; // the last look is still going: this one would find the same cases
    running = sendDueReminders(db, calendar, clock())
      .then((count) => {
        if (count > 0) logger.info({ component: 'notifications', reminders: count }, 'reminders written');
      })
      .catch((err: unknown) => {
        logger.error({ component: 'notifications', err: (err as Error).message }, 'reminder check failed');
      })
      .finally(() => {
        running = undefined;
      });
  };
  return {
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, Math.max(everyMs, 1000));
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
