import type { Knex } from 'knex';
import type { Db } from '../db';
import type { WorkingDayCalendar } from '../calendar/working-days';
import { calendarDaysTaken, ukDay, ukMonth, workingDaysTaken, type DecidedCase } from './processing-time';

// The performance rollups, kept in step with every event in the transaction that makes the change, so a
// figure can never count half an event and concurrent changes simply add up (each update is `x = x + n`).
// Rows are always touched in the same order (performance_day, processing_time_month, open_case_day) so two
// transactions can wait for each other but never deadlock.

type Executor = Db | Knex.Transaction;

async function addToDay(
  db: Executor,
  serviceSlug: string,
  day: string,
  counts: Partial<Record<'received' | 'decided' | 'approved' | 'rejected' | 'decided_within_target', number>>,
): Promise<void> {
  const columns = Object.keys(counts) as (keyof typeof counts)[];
  await db('performance_day')
    .insert({ service_slug: serviceSlug, day, ...counts })
    .onConflict(['service_slug', 'day'])
    .merge(Object.fromEntries(columns.map((c) => [c, db.raw(`performance_day.${c} + excluded.${c}`)])));
}

async function addToOpen(
  db: Executor,
  serviceSlug: string,
  day: string,
  counts: Partial<Record<'open_cases' | 'awaiting_citizen', number>>,
): Promise<void> {
  const columns = Object.keys(counts) as (keyof typeof counts)[];
  await db('open_case_day')
    .insert({ service_slug: serviceSlug, day, ...counts })
    .onConflict(['service_slug', 'day'])
    .merge(Object.fromEntries(columns.map((c) => [c, db.raw(`open_case_day.${c} + excluded.${c}`)])));
}

/** A new application: received today, open from today. Call inside the transaction that inserts it. */
export async function recordReceived(
  trx: Executor,
  c: Readonly<{ serviceSlug: string; submittedAt: Date }>,
): Promise<void> {
  const day = ukDay(c.submittedAt);
  await addToDay(trx, c.serviceSlug, day, { received: 1 });
  await addToOpen(trx, c.serviceSlug, day, { open_cases: 1 });
}

/** A request for information (+1) or the citizen's reply (-1): the case waits on the citizen meanwhile. */
export async function recordAwaitingCitizen(
  trx: Executor,
  c: Readonly<{ serviceSlug: string; submittedAt: Date }>,
  change: 1 | -1,
): Promise<void> {
  await addToOpen(trx, c.serviceSlug, ukDay(c.submittedAt), { awaiting_citizen: change });
}

export type Decision = DecidedCase &
  Readonly<{ serviceSlug: string; outcome: 'approved' | 'rejected'; targetWorkingDays: number | null }>;

/** A decision: counted on its day, its processing time added to the month's histogram, no longer open. */
export async function recordDecided(trx: Executor, d: Decision, calendar: WorkingDayCalendar): Promise<void> {
  const working = workingDaysTaken(d, calendar);
  const calendarDays = calendarDaysTaken(d);
  const within = d.targetWorkingDays !== null && working <= d.targetWorkingDays ? 1 : 0;
  await addToDay(trx, d.serviceSlug, ukDay(d.decidedAt), {
    decided: 1,
    [d.outcome]: 1,
    decided_within_target: within,
  });
  const month = ukMonth(d.decidedAt);
  await trx('processing_time_month')
    .insert([
      { service_slug: d.serviceSlug, month, unit: 'calendar_days', days: calendarDays, decisions: 1 },
      { service_slug: d.serviceSlug, month, unit: 'working_days', days: working, decisions: 1 },
    ])
    .onConflict(['service_slug', 'month', 'unit', 'days'])
    .merge({ decisions: trx.raw('processing_time_month.decisions + 1') });
  await addToOpen(trx, d.serviceSlug, ukDay(d.submittedAt), { open_cases: -1 });
}

/** A satisfaction survey answer, counted on the UK day it was given. */
export async function recordSurveyRating(
  trx: Executor,
  serviceSlug: string,
  rating: number,
  at: Date,
): Promise<void> {
  await trx('survey_rating_day')
    .insert({ service_slug: serviceSlug, day: ukDay(at), rating, responses: 1 })
    .onConflict(['service_slug', 'day', 'rating'])
    .merge({ responses: trx.raw('survey_rating_day.responses + 1') });
}

/** The rollup rows, as the bulk loaders (seed:history, rebuild) build them in memory before writing. */
export type RollupBatch = {
  days: Map<
    string,
    {
      service_slug: string;
      day: string;
      received: number;
      decided: number;
      approved: number;
      rejected: number;
      decided_within_target: number;
    }
  >;
  histogram: Map<
    string,
    {
      service_slug: string;
      month: string;
      unit: 'working_days' | 'calendar_days';
      days: number;
      decisions: number;
    }
  >;
  open: Map<string, { service_slug: string; day: string; open_cases: number; awaiting_citizen: number }>;
  ratings: Map<string, { service_slug: string; day: string; rating: number; responses: number }>;
};

export const emptyRollupBatch = (): RollupBatch => ({
  days: new Map(),
  histogram: new Map(),
  open: new Map(),
  ratings: new Map(),
});

export type RawCase = Readonly<{
  serviceSlug: string;
  status: string;
  submittedAt: Date;
  decidedAt: Date | null;
  pausedSeconds: number;
  pausedWorkingDays: number;
  targetWorkingDays: number | null;
}>;

/** Add one application, as it stands now, to a batch: what the live hooks would have counted for it. */
export function addCaseToBatch(batch: RollupBatch, c: RawCase, calendar: WorkingDayCalendar): void {
  const day = (slug: string, d: string) => {
    const key = `${slug}|${d}`;
    let row = batch.days.get(key);
    if (!row) {
      row = {
        service_slug: slug,
        day: d,
        received: 0,
        decided: 0,
        approved: 0,
        rejected: 0,
        decided_within_target: 0,
      };
      batch.days.set(key, row);
    }
    return row;
  };
  const submittedDay = ukDay(c.submittedAt);
  day(c.serviceSlug, submittedDay).received++;
  if ((c.status === 'approved' || c.status === 'rejected') && c.decidedAt) {
    const decided = { ...c, decidedAt: c.decidedAt };
    const working = workingDaysTaken(decided, calendar);
    const row = day(c.serviceSlug, ukDay(c.decidedAt));
    row.decided++;
    row[c.status]++;
    if (c.targetWorkingDays !== null && working <= c.targetWorkingDays) row.decided_within_target++;
    const month = ukMonth(c.decidedAt);
    for (const [unit, days] of [
      ['working_days', working],
      ['calendar_days', calendarDaysTaken(decided)],
    ] as const) {
      const key = `${c.serviceSlug}|${month}|${unit}|${days}`;
      const bucket = batch.histogram.get(key);
      if (bucket) bucket.decisions++;
      else batch.histogram.set(key, { service_slug: c.serviceSlug, month, unit, days, decisions: 1 });
    }
  } else {
    const key = `${c.serviceSlug}|${submittedDay}`;
    let row = batch.open.get(key);
    if (!row) {
      row = { service_slug: c.serviceSlug, day: submittedDay, open_cases: 0, awaiting_citizen: 0 };
      batch.open.set(key, row);
    }
    row.open_cases++;
    if (c.status === 'awaiting-citizen') row.awaiting_citizen++;
  }
}

export function addRatingToBatch(batch: RollupBatch, serviceSlug: string, rating: number, at: Date): void {
  const day = ukDay(at);
  const key = `${serviceSlug}|${day}|${rating}`;
  const row = batch.ratings.get(key);
  if (row) row.responses++;
  else batch.ratings.set(key, { service_slug: serviceSlug, day, rating, responses: 1 });
}

const CHUNK = 2000;
async function addRows(
  db: Executor,
  table: string,
  rows: readonly Record<string, unknown>[],
  key: readonly string[],
  counters: readonly string[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db(table)
      .insert(rows.slice(i, i + CHUNK))
      .onConflict(key as string[])
      .merge(Object.fromEntries(counters.map((c) => [c, db.raw(`${table}.${c} + excluded.${c}`)])));
  }
}

/** Add a batch to the rollups (on top of what they hold). */
export async function addBatchToRollups(db: Executor, batch: RollupBatch): Promise<void> {
  await addRows(
    db,
    'performance_day',
    [...batch.days.values()],
    ['service_slug', 'day'],
    ['received', 'decided', 'approved', 'rejected', 'decided_within_target'],
  );
  await addRows(
    db,
    'processing_time_month',
    [...batch.histogram.values()],
    ['service_slug', 'month', 'unit', 'days'],
    ['decisions'],
  );
  await addRows(
    db,
    'open_case_day',
    [...batch.open.values()],
    ['service_slug', 'day'],
    ['open_cases', 'awaiting_citizen'],
  );
  await addRows(
    db,
    'survey_rating_day',
    [...batch.ratings.values()],
    ['service_slug', 'day', 'rating'],
    ['responses'],
  );
}

const REBUILD_PAGE = 20_000;

/**
 * Recompute every rollup from the raw rows, in one transaction (readers see the old figures until it commits).
 * For a database that had applications before the rollups existed, or after a change of bank holiday calendar.
 */
export async function rebuildRollups(
  db: Db,
  calendar: WorkingDayCalendar,
  onProgress: (done: number) => void = () => {},
): Promise<RollupBatch> {
  return db.transaction(async (trx) => {
    await trx.raw(
      'lock table performance_day, processing_time_month, open_case_day, survey_rating_day in exclusive mode',
    );
    const batch = emptyRollupBatch();
    let after = 0;
    let done = 0;
    for (;;) {
      const rows: {
        id: number;
        service_slug: string;
        status: string;
        submitted_at: Date;
        decided_at: Date | null;
        paused_seconds: number;
        paused_working_days: number;
        target: string | null;
      }[] = await trx('submission')
        .where('id', '>', after)
        .orderBy('id')
        .limit(REBUILD_PAGE)
        .select(
          'id',
          'service_slug',
          'status',
          'submitted_at',
          'decided_at',
          'paused_seconds',
          'paused_working_days',
          trx.raw(`definition_snapshot->>'processingTargetWorkingDays' as target`),
        );
      if (rows.length === 0) break;
      for (const r of rows) {
        addCaseToBatch(
          batch,
          {
            serviceSlug: r.service_slug,
            status: r.status,
            submittedAt: r.submitted_at,
            decidedAt: r.decided_at,
            pausedSeconds: Number(r.paused_seconds),
            pausedWorkingDays: r.paused_working_days,
            targetWorkingDays: r.target === null ? null : Number(r.target),
          },
          calendar,
        );
      }
      after = rows[rows.length - 1]!.id;
      done += rows.length;
      onProgress(done);
    }
    const ratings: { service_slug: string; day: string; rating: number; responses: number }[] = await trx(
      'survey_response',
    )
      .groupBy('service_slug', 'day', 'rating')
      .select(
        'service_slug',
        trx.raw(`(created_at at time zone 'Europe/London')::date as day`),
        'rating',
        trx.raw('count(*)::int as responses'),
      );
    for (const r of ratings) batch.ratings.set(`${r.service_slug}|${r.day}|${r.rating}`, r);
    await trx('performance_day').delete();
    await trx('processing_time_month').delete();
    await trx('open_case_day').delete();
    await trx('survey_rating_day').delete();
    await addBatchToRollups(trx, batch);
    return batch;
  });
}
