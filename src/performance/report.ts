import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceDefinition } from '../definitions/types';
import { addDays } from '../calendar/working-days';
import {
  backlog,
  costMonths,
  journeyTotals,
  monthTotals,
  histogramPercentiles,
  ratingTotals,
  weekTotals,
  type MonthTotals,
  type Percentiles,
} from '../metrics/figures-repository';
import { STARTED } from '../metrics/journey-count-repository';
import { histogramTotal, percentileCont } from '../metrics/percentile';
import { lastDayOfMonth, previousPeriod, trendPeriod, type Period } from '../metrics/period';

// The published figures: one report per service, with suppression and rounding applied once, here. The HTML
// pages, the JSON and the CSV are all rendered from this same object, so they cannot disagree.
//
// Rules (documented on /performance/about-the-data):
// - a count from 1 to 9 is published as null ("fewer than 10"); 0 and 10 or more are exact;
// - a rate, median or percentile built from fewer than 10 cases (its denominator) is null ("not enough data");
// - days are rounded to one decimal place, percentages to whole numbers, pounds to pence.

export const SCHEMA_VERSION = 1;
export const SUPPRESSION_THRESHOLD = 10;

export type DateRange = Readonly<{ start: string; end: string }>;

export type Summary = {
  received: number | null;
  decided: number | null;
  median_working_days: number | null;
  p90_working_days: number | null;
  median_calendar_days: number | null;
  p90_calendar_days: number | null;
  decided_within_target_percent: number | null;
  previous_decided: number | null;
  previous_median_working_days: number | null;
  median_change_percent: number | null;
  open_cases: number | null;
  awaiting_citizen: number | null;
  oldest_open_received: string | null;
  oldest_open_age_days: number | null;
  journeys_started: number | null;
  completion_rate_percent: number | null;
  satisfaction_responses: number | null;
  satisfaction_percent: number | null;
  cost_months: number;
  cost_per_transaction_pounds: number | null;
  digital_transactions: number | null;
  offline_transactions: number | null;
  digital_take_up_percent: number | null;
};

/** A month's figures: the summary's processing-time measures, for that month alone. */
export type MonthRow = { month: string; start: string; end: string } & Pick<
  Summary,
  | 'received'
  | 'decided'
  | 'median_working_days'
  | 'p90_working_days'
  | 'median_calendar_days'
  | 'p90_calendar_days'
  | 'decided_within_target_percent'
>;

export type WeekRow = {
  week_start: string;
  week_end: string;
  received: number | null;
  decided: number | null;
};

export type PageRow = { page: string; title: string; reached: number | null; reached_percent: number | null };

export type ServiceReport = {
  service: string;
  title: string;
  agency: string;
  target_working_days: number;
  summary: Summary;
  months: MonthRow[];
  weeks: WeekRow[];
  pages: PageRow[];
};

export type Report = {
  schema_version: number;
  documentation: string;
  generated_at: string;
  suppression_threshold: number;
  period: DateRange;
  previous_period: DateRange;
  trend_period: DateRange;
  backlog_as_at: string;
  services: ServiceReport[];
};

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** A count as published: null from 1 to 9. */
export const publishedCount = (n: number): number | null => (n > 0 && n < SUPPRESSION_THRESHOLD ? null : n);

/** A percentage as published: null when the denominator is below the threshold. */
export const publishedPercent = (part: number, whole: number, cap = false): number | null => {
  if (whole < SUPPRESSION_THRESHOLD) return null;
  const percent = Math.round((part / whole) * 100);
  return cap ? Math.min(100, percent) : percent;
};

/** A median or percentile of `cases` decisions as published. */
export const publishedDays = (value: number | null, cases: number): number | null =>
  value === null || cases < SUPPRESSION_THRESHOLD ? null : round1(value);

type Found = Readonly<{ decided: number; median: number | null; p90: number | null }>;
const NONE: Found = { decided: 0, median: null, p90: null };

function percentilesOf(rows: readonly Percentiles[], bucket: string) {
  const find = (unit: Percentiles['unit']): Found =>
    rows.find((r) => r.bucket === bucket && r.unit === unit) ?? NONE;
  return { working: find('working_days'), calendar: find('calendar_days') };
}

function sumMonths(rows: readonly MonthTotals[], months: readonly string[]) {
  const wanted = new Set(months);
  const total = { received: 0, decided: 0, within: 0 };
  for (const r of rows) {
    if (!wanted.has(r.month)) continue;
    total.received += r.received;
    total.decided += r.decided;
    total.within += r.decidedWithinTarget;
  }
  return total;
}

/** The typical time (median) and 90th percentile in working days of a set of decisions, exact. */
export function typicalTimeOf(working: ReadonlyMap<number, number>) {
  const decided = histogramTotal(working);
  return {
    decided,
    median: publishedDays(percentileCont(working, 0.5), decided),
    p90: publishedDays(percentileCont(working, 0.9), decided),
  };
}

const pageTitle = (page: ServiceDefinition['pages'][number]): string =>
  page.title ?? page.questions[0]?.label ?? page.id;

const weekEnd = (monday: string) => addDays(monday, 6);
/** The Monday on or before a date. */
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

export type ReportOptions = Readonly<{
  period: Period;
  today: string;
  now: Date;
  baseUrl: string;
  /** Months, weeks and pages as well as the summary (the overview page needs only the summary). */
  detail: boolean;
}>;

/** The published figures for some services over a period, read from the rollups only. */
export async function buildReport(
  db: Db,
  services: readonly ServiceDefinition[],
  options: ReportOptions,
): Promise<Report> {
  const { period, today, detail } = options;
  const previous = previousPeriod(period, today);
  const trend = detail ? trendPeriod(period, today) : period;
  const slugs = services.map((s) => s.slug);
  const firstMonth = [previous.months[0], trend.months[0]].sort()[0]!;
  const lastMonth = period.months[period.months.length - 1]!;
  const earliest = `${firstMonth}-01`;

  const first = (p: Period) => p.months[0]!;
  const last = (p: Period) => p.months[p.months.length - 1]!;
  const [months, periods, monthly, open, journeys, ratings, costs, weeks] = await Promise.all([
    monthTotals(db, slugs, earliest, period.end),
    histogramPercentiles(
      db,
      slugs,
      { first: first(previous), last: last(period) },
      { currentFirst: first(period) },
    ),
    detail ? histogramPercentiles(db, slugs, { first: first(trend), last: lastMonth }) : Promise.resolve([]),
    backlog(db, slugs),
    journeyTotals(db, slugs, period.start, period.end, !detail),
    ratingTotals(db, slugs, period.start, period.end),
    costMonths(db, slugs, period.months[0]!, lastMonth),
    detail ? weekTotals(db, slugs, period.start, period.end) : Promise.resolve([]),
  ]);

  const reports = services.map((service): ServiceReport => {
    const mine = <T extends { serviceSlug: string }>(rows: readonly T[]) =>
      rows.filter((r) => r.serviceSlug === service.slug);
    const myMonths = mine(months);
    const myMonthly = mine(monthly);
    const now = sumMonths(myMonths, period.months);
    const before = sumMonths(myMonths, previous.months);
    const myPeriods = mine(periods);
    const current = percentilesOf(myPeriods, 'current');
    const earlier = percentilesOf(myPeriods, 'previous');
    const decidedNow = current.working.decided;
    const decidedBefore = earlier.working.decided;
    const medianNow = current.working.median;
    const medianBefore = earlier.working.median;
    const publishedNow = publishedDays(medianNow, decidedNow);
    const publishedBefore = publishedDays(medianBefore, decidedBefore);

    const backlogRow = mine(open)[0];
    const openCases = backlogRow?.open ?? 0;
    const oldest = openCases >= SUPPRESSION_THRESHOLD ? (backlogRow?.oldestReceived ?? null) : null;

    const pageCounts = new Map(mine(journeys).map((j) => [j.pageId, j.count]));
    const started = pageCounts.get(STARTED) ?? 0;
    const myRatings = mine(ratings);
    const responses = myRatings.reduce((sum, r) => sum + r.responses, 0);
    const satisfied = myRatings.filter((r) => r.rating >= 4).reduce((sum, r) => sum + r.responses, 0);

    const myCosts = mine(costs);
    const costMonthsSet = new Set(myCosts.map((c) => c.month));
    const digital = sumMonths(myMonths, [...costMonthsSet]).received;
    const offline = myCosts.reduce((sum, c) => sum + c.offlineTransactions, 0);
    const costPence = myCosts.reduce((sum, c) => sum + c.costPence, 0);
    const transactions = digital + offline;

    const summary: Summary = {
      received: publishedCount(now.received),
      decided: publishedCount(now.decided),
      median_working_days: publishedNow,
      p90_working_days: publishedDays(current.working.p90, decidedNow),
      median_calendar_days: publishedDays(current.calendar.median, decidedNow),
      p90_calendar_days: publishedDays(current.calendar.p90, decidedNow),
      decided_within_target_percent: publishedPercent(now.within, now.decided),
      previous_decided: publishedCount(before.decided),
      previous_median_working_days: publishedBefore,
      median_change_percent:
        publishedNow !== null && publishedBefore !== null && medianBefore! > 0
          ? Math.round(((medianNow! - medianBefore!) / medianBefore!) * 100)
          : null,
      open_cases: publishedCount(openCases),
      awaiting_citizen: publishedCount(backlogRow?.awaitingCitizen ?? 0),
      oldest_open_received: oldest,
      oldest_open_age_days:
        oldest === null ? null : Math.round((Date.parse(today) - Date.parse(oldest)) / 86_400_000),
      journeys_started: publishedCount(started),
      completion_rate_percent: publishedPercent(now.received, started, true),
      satisfaction_responses: publishedCount(responses),
      satisfaction_percent: publishedPercent(satisfied, responses),
      cost_months: myCosts.length,
      cost_per_transaction_pounds:
        myCosts.length > 0 && transactions >= SUPPRESSION_THRESHOLD
          ? Math.round(costPence / transactions) / 100
          : null,
      digital_transactions: myCosts.length > 0 ? publishedCount(digital) : null,
      offline_transactions: myCosts.length > 0 ? offline : null,
      digital_take_up_percent: myCosts.length > 0 ? publishedPercent(digital, transactions) : null,
    };

    if (!detail) return { ...base(service), summary, months: [], weeks: [], pages: [] };

    const monthRows = trend.months.map((month): MonthRow => {
      const totals = sumMonths(myMonths, [month]);
      const h = percentilesOf(myMonthly, month);
      const n = h.working.decided;
      const end = lastDayOfMonth(month) > period.end ? period.end : lastDayOfMonth(month);
      return {
        month,
        start: `${month}-01`,
        end,
        received: publishedCount(totals.received),
        decided: publishedCount(totals.decided),
        median_working_days: publishedDays(h.working.median, n),
        p90_working_days: publishedDays(h.working.p90, n),
        median_calendar_days: publishedDays(h.calendar.median, n),
        p90_calendar_days: publishedDays(h.calendar.p90, n),
        decided_within_target_percent: publishedPercent(totals.within, totals.decided),
      };
    });

    // Every week of the period, Monday to Sunday, including weeks with nothing in them.
    const myWeeks = new Map(mine(weeks).map((w) => [w.weekStart, w]));
    const weekRows: WeekRow[] = [];
    for (let monday = mondayOf(period.start); monday <= period.end; monday = addDays(monday, 7)) {
      const w = myWeeks.get(monday);
      weekRows.push({
        week_start: monday < period.start ? period.start : monday,
        week_end: weekEnd(monday) > period.end ? period.end : weekEnd(monday),
        received: publishedCount(w?.received ?? 0),
        decided: publishedCount(w?.decided ?? 0),
      });
    }

    const pageRows: PageRow[] = service.pages.map((page) => {
      const reached = pageCounts.get(page.id) ?? 0;
      return {
        page: page.id,
        title: pageTitle(page),
        reached: publishedCount(reached),
        reached_percent: publishedPercent(reached, started, true),
      };
    });
    pageRows.push({
      page: '(sent)',
      title: 'Sent the application',
      reached: publishedCount(now.received),
      reached_percent: publishedPercent(now.received, started, true),
    });

    return { ...base(service), summary, months: monthRows, weeks: weekRows, pages: pageRows };
  });

  return {
    schema_version: SCHEMA_VERSION,
    documentation: `${options.baseUrl}/performance/about-the-data`,
    generated_at: options.now.toISOString(),
    suppression_threshold: SUPPRESSION_THRESHOLD,
    period: { start: period.start, end: period.end },
    previous_period: { start: previous.start, end: previous.end },
    trend_period: { start: trend.start, end: trend.end },
    backlog_as_at: today,
    services: reports,
  };
}

const base = (service: ServiceDefinition) => ({
  service: service.slug,
  title: service.title,
  agency: service.agency.name,
  target_working_days: service.processingTargetWorkingDays,
});

// Each app instance keeps a report it has built for PERFORMANCE_CACHE_SECONDS (as it does the typical times), so
// a busy performance page or open data file costs a handful of rollup queries a minute, whatever the traffic.
const reportCaches = new WeakMap<Db, Map<string, { at: number; report: Promise<Report> }>>();
const MAX_CACHED_REPORTS = 200;

export function cachedReport(
  deps: Readonly<{ db: Db; config: Config }>,
  services: readonly ServiceDefinition[],
  options: ReportOptions,
): Promise<Report> {
  const ttl = deps.config.performanceCacheSeconds * 1000;
  if (ttl === 0) return buildReport(deps.db, services, options);
  let cache = reportCaches.get(deps.db);
  if (!cache) {
    cache = new Map();
    reportCaches.set(deps.db, cache);
  }
  const key = JSON.stringify([
    services.map((s) => s.slug),
    options.period.start,
    options.period.end,
    options.today,
    options.detail,
  ]);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < ttl) return hit.report;
  if (cache.size >= MAX_CACHED_REPORTS) cache.clear();
  const report = buildReport(deps.db, services, options);
  const entries = cache;
  entries.set(key, { at: Date.now(), report });
  report.catch(() => entries.delete(key));
  return report;
}
