import type { Db } from '../db';
import { STARTED } from './journey-count-repository';

// Reads of the rollups only: every query here touches rows per service and day (or month and processing time),
// never the submissions, so the published figures cost the same with ten thousand applications or ten million.
// Each query answers for a list of services at once.

export type MonthTotals = Readonly<{
  serviceSlug: string;
  month: string; // 'YYYY-MM'
  received: number;
  decided: number;
  approved: number;
  rejected: number;
  decidedWithinTarget: number;
}>;

export async function monthTotals(
  db: Db,
  slugs: readonly string[],
  start: string,
  end: string,
): Promise<MonthTotals[]> {
  const rows: Record<string, unknown>[] = await db('performance_day')
    .whereIn('service_slug', slugs)
    .whereBetween('day', [start, end])
    .groupBy('service_slug', 'month')
    .select(
      'service_slug',
      db.raw(`to_char(day, 'YYYY-MM') as month`),
      db.raw('sum(received)::bigint as received'),
      db.raw('sum(decided)::bigint as decided'),
      db.raw('sum(approved)::bigint as approved'),
      db.raw('sum(rejected)::bigint as rejected'),
      db.raw('sum(decided_within_target)::bigint as within'),
    );
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    month: r.month as string,
    received: Number(r.received),
    decided: Number(r.decided),
    approved: Number(r.approved),
    rejected: Number(r.rejected),
    decidedWithinTarget: Number(r.within),
  }));
}

export type WeekTotals = Readonly<{
  serviceSlug: string;
  weekStart: string;
  received: number;
  decided: number;
}>;

/** Received and decided per ISO week (Monday to Sunday), counting only the days from start to end. */
export async function weekTotals(
  db: Db,
  slugs: readonly string[],
  start: string,
  end: string,
): Promise<WeekTotals[]> {
  const rows: Record<string, unknown>[] = await db('performance_day')
    .whereIn('service_slug', slugs)
    .whereBetween('day', [start, end])
    .groupBy('service_slug', 'week')
    .select(
      'service_slug',
      db.raw(`to_char(date_trunc('week', day), 'YYYY-MM-DD') as week`),
      db.raw('sum(received)::bigint as received'),
      db.raw('sum(decided)::bigint as decided'),
    );
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    weekStart: r.week as string,
    received: Number(r.received),
    decided: Number(r.decided),
  }));
}

export type HistogramRow = Readonly<{
  serviceSlug: string;
  month: string; // 'YYYY-MM'
  unit: 'working_days' | 'calendar_days';
  days: number;
  decisions: number;
}>;

export async function processingTimeHistogram(
  db: Db,
  slugs: readonly string[],
  firstMonth: string,
  lastMonth: string,
  unit?: 'working_days' | 'calendar_days',
): Promise<HistogramRow[]> {
  const q = db('processing_time_month')
    .whereIn('service_slug', slugs)
    .whereBetween('month', [`${firstMonth}-01`, `${lastMonth}-01`]);
  if (unit) q.where('unit', unit);
  const rows: Record<string, unknown>[] = await q.select(
    'service_slug',
    db.raw(`to_char(month, 'YYYY-MM') as month`),
    'unit',
    'days',
    'decisions',
  );
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    month: r.month as string,
    unit: r.unit as 'working_days' | 'calendar_days',
    days: Number(r.days),
    decisions: Number(r.decisions),
  }));
}

export type Percentiles = Readonly<{
  serviceSlug: string;
  /** 'YYYY-MM' for months, or 'current' / 'previous' for periods. */
  bucket: string;
  unit: 'working_days' | 'calendar_days';
  decided: number;
  median: number;
  p90: number;
}>;

/**
 * Medians and 90th percentiles worked out inside the database from the histogram, per service, unit and month
 * (or per period), so only the answers travel, however many distinct processing times there are. Exactly
 * percentile_cont: the value at rank r (from 0) is the smallest number of days whose running count exceeds r,
 * and the result interpolates between the values at floor and ceil of p × (n − 1).
 */
export async function histogramPercentiles(
  db: Db,
  slugs: readonly string[],
  range: Readonly<{ first: string; last: string }>,
  periods?: Readonly<{ currentFirst: string }>,
): Promise<Percentiles[]> {
  const bucket = periods
    ? db.raw(`case when month >= ? then 'current' else 'previous' end`, [`${periods.currentFirst}-01`])
    : db.raw(`to_char(month, 'YYYY-MM')`);
  const { rows } = (await db.raw(
    `with h as (
       select service_slug, ? as bucket, unit, days, sum(decisions)::float8 as n
         from processing_time_month
        where service_slug = any(?) and month between ? and ?
        group by 1, 2, 3, 4
     ), c as (
       select service_slug, bucket, unit, days,
              sum(n) over (partition by service_slug, bucket, unit order by days) as running,
              sum(n) over (partition by service_slug, bucket, unit) as total
         from h
     ), r as (
       select distinct service_slug, bucket, unit, total,
              floor(0.5::float8 * (total - 1)) as m_lo, ceil(0.5::float8 * (total - 1)) as m_hi,
              floor(0.9::float8 * (total - 1)) as p_lo, ceil(0.9::float8 * (total - 1)) as p_hi
         from c
     )
     select r.service_slug, r.bucket, r.unit, r.total,
            min(c.days) filter (where c.running > r.m_lo) as m_lo,
            min(c.days) filter (where c.running > r.m_hi) as m_hi,
            min(c.days) filter (where c.running > r.p_lo) as p_lo,
            min(c.days) filter (where c.running > r.p_hi) as p_hi
       from r join c using (service_slug, bucket, unit)
      group by r.service_slug, r.bucket, r.unit, r.total`,
    [bucket, [...slugs], `${range.first}-01`, `${range.last}-01`] as never,
  )) as { rows: Record<string, unknown>[] };
  const at = (p: number, n: number, lo: number, hi: number) => {
    const position = p * (n - 1);
    return lo + (position - Math.floor(position)) * (hi - lo);
  };
  return rows
    .filter((r) => Number(r.total) > 0)
    .map((r) => {
      const n = Number(r.total);
      return {
        serviceSlug: r.service_slug as string,
        bucket: r.bucket as string,
        unit: r.unit as 'working_days' | 'calendar_days',
        decided: n,
        median: at(0.5, n, Number(r.m_lo), Number(r.m_hi)),
        p90: at(0.9, n, Number(r.p_lo), Number(r.p_hi)),
      };
    });
}

export type Backlog = Readonly<{
  serviceSlug: string;
  open: number;
  awaitingCitizen: number;
  oldestReceived: string | null;
}>;

/** Open applications now, per service (the given ones, or all), and the UK day the oldest was received. */
export async function backlog(db: Db, slugs?: readonly string[]): Promise<Backlog[]> {
  const query = db('open_case_day');
  if (slugs) query.whereIn('service_slug', slugs);
  const rows: Record<string, unknown>[] = await query
    .where('open_cases', '>', 0)
    .groupBy('service_slug')
    .select(
      'service_slug',
      db.raw('sum(open_cases)::bigint as open'),
      db.raw('sum(awaiting_citizen)::bigint as awaiting'),
      db.raw(`to_char(min(day), 'YYYY-MM-DD') as oldest`),
    );
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    open: Number(r.open),
    awaitingCitizen: Number(r.awaiting),
    oldestReceived: (r.oldest as string | null) ?? null,
  }));
}

export type PageTotals = Readonly<{ serviceSlug: string; pageId: string; count: number }>;

/** Journeys started ('(started)') and question pages completed, per service and page, from start to end. */
export async function journeyTotals(
  db: Db,
  slugs: readonly string[],
  start: string,
  end: string,
  onlyStarts = false,
): Promise<PageTotals[]> {
  const q = db('journey_count').whereIn('service_slug', slugs).whereBetween('day', [start, end]);
  if (onlyStarts) q.where('page_id', STARTED);
  const rows: Record<string, unknown>[] = await q
    .groupBy('service_slug', 'page_id')
    .select('service_slug', 'page_id', db.raw('sum(count)::bigint as count'));
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    pageId: r.page_id as string,
    count: Number(r.count),
  }));
}

export type RatingTotals = Readonly<{ serviceSlug: string; rating: number; responses: number }>;

export async function ratingTotals(
  db: Db,
  slugs: readonly string[],
  start: string,
  end: string,
): Promise<RatingTotals[]> {
  const rows: Record<string, unknown>[] = await db('survey_rating_day')
    .whereIn('service_slug', slugs)
    .whereBetween('day', [start, end])
    .groupBy('service_slug', 'rating')
    .select('service_slug', 'rating', db.raw('sum(responses)::bigint as responses'));
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    rating: Number(r.rating),
    responses: Number(r.responses),
  }));
}

export type CostMonth = Readonly<{
  serviceSlug: string;
  month: string; // 'YYYY-MM'
  costPence: number;
  offlineTransactions: number;
  updatedAt: Date;
}>;

export async function costMonths(
  db: Db,
  slugs: readonly string[],
  firstMonth: string,
  lastMonth: string,
): Promise<CostMonth[]> {
  const rows: Record<string, unknown>[] = await db('service_cost_month')
    .whereIn('service_slug', slugs)
    .whereBetween('month', [`${firstMonth}-01`, `${lastMonth}-01`])
    .orderBy('month')
    .select(
      'service_slug',
      db.raw(`to_char(month, 'YYYY-MM') as month`),
      'cost_pence',
      'offline_transactions',
      'updated_at',
    );
  return rows.map((r) => ({
    serviceSlug: r.service_slug as string,
    month: r.month as string,
    costPence: Number(r.cost_pence),
    offlineTransactions: Number(r.offline_transactions),
    updatedAt: r.updated_at as Date,
  }));
}

/** Save (or replace) an administrator's figures for one service and month. */
export async function saveCostMonth(
  db: Db,
  figures: Readonly<{
    serviceSlug: string;
    month: string;
    costPence: number;
    offlineTransactions: number;
    updatedBy: number | null;
    updatedAt: Date;
  }>,
  onSaved: (trx: Db) => Promise<void> = async () => {},
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('service_cost_month')
      .insert({
        service_slug: figures.serviceSlug,
        month: `${figures.month}-01`,
        cost_pence: figures.costPence,
        offline_transactions: figures.offlineTransactions,
        updated_by: figures.updatedBy,
        updated_at: figures.updatedAt,
      })
      .onConflict(['service_slug', 'month'])
      .merge(['cost_pence', 'offline_transactions', 'updated_by', 'updated_at']);
    await onSaved(trx as unknown as Db);
  });
}

/** Months for which any rollup holds data, so period choices start where the data does. */
export async function firstDataMonth(db: Db): Promise<string | null> {
  const row = await db('performance_day').first(db.raw(`to_char(min(day), 'YYYY-MM') as month`));
  return (row?.month as string | null) ?? null;
}
