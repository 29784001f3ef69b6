import type { Clock } from '../clock';
import { ukDate } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceDefinition } from '../definitions/types';
import { recentMonths, type Period } from '../metrics/period';
import { formatDays } from './format';
import { typicalTimeOf } from './report';

// The one "typical processing time" a citizen or member of staff reads anywhere: the median working days of the
// applications decided in the last 3 months (the default period of /performance, where the same figure is
// published), with the 90th percentile beside it. Shown on the catalogue, start, confirmation and queue pages.
//
// The catalogue is the busiest page and otherwise needs no database, so each app instance keeps these figures
// in memory for PERFORMANCE_CACHE_SECONDS (one small query on the rollup when they expire). If the database
// cannot be reached the last figures (or the targets) are shown rather than an error.

export const TYPICAL_TIME_MONTHS = 3;

export type TypicalTime = Readonly<{ decided: number; median: number | null; p90: number | null }>;

type Entry = { loadedAt: number; today: string; times: ReadonlyMap<string, TypicalTime> };
type Cache = { entry?: Entry; pending?: Promise<Entry> };

const caches = new WeakMap<Db, Cache>();

export type TypicalTimeDeps = Readonly<{ db: Db; config: Config; clock: Clock }>;

/** Every service's typical time, read from the rollup now (no cache). */
export async function loadTypicalTimes(db: Db, today: string): Promise<Map<string, TypicalTime>> {
  const period: Period = recentMonths(today, TYPICAL_TIME_MONTHS);
  const rows = await db('processing_time_month')
    .where('unit', 'working_days')
    .whereBetween('month', [`${period.months[0]}-01`, `${period.months[period.months.length - 1]}-01`])
    .groupBy('service_slug', 'days')
    .select('service_slug', 'days', db.raw('sum(decisions)::bigint as decisions'));
  const histograms = new Map<string, Map<number, number>>();
  for (const r of rows as { service_slug: string; days: number; decisions: number }[]) {
    const h = histograms.get(r.service_slug) ?? new Map<number, number>();
    h.set(Number(r.days), Number(r.decisions));
    histograms.set(r.service_slug, h);
  }
  return new Map([...histograms].map(([slug, h]) => [slug, typicalTimeOf(h)]));
}

/** The typical times, from this instance's cache when it is fresh enough. */
export async function typicalTimes(deps: TypicalTimeDeps): Promise<ReadonlyMap<string, TypicalTime>> {
  let cache = caches.get(deps.db);
  if (!cache) {
    cache = {};
    caches.set(deps.db, cache);
  }
  const today = ukDate(deps.clock());
  const ttl = deps.config.performanceCacheSeconds * 1000;
  const entry = cache.entry;
  if (entry && entry.today === today && Date.now() - entry.loadedAt < ttl) return entry.times;
  const c = cache;
  c.pending ??= loadTypicalTimes(deps.db, today)
    .then((times) => (c.entry = { loadedAt: Date.now(), today, times }))
    .finally(() => (c.pending = undefined));
  try {
    return (await c.pending).times;
  } catch {
    return entry?.times ?? new Map();
  }
}

/** One service's typical time, or undefined when it has too few decisions to publish one. */
export async function typicalTimeFor(deps: TypicalTimeDeps, slug: string): Promise<TypicalTime | undefined> {
  const time = (await typicalTimes(deps)).get(slug);
  return time && time.median !== null ? time : undefined;
}

/** 'Typically decided in 6 working days': the same words wherever the figure appears. */
export const typicalTimeText = (time: TypicalTime): string =>
  `Typically decided in ${formatDays(time.median, 'working')}`;

/** 'Aims to decide within 10 working days': what a service without enough decisions shows instead. */
export const targetText = (service: ServiceDefinition): string =>
  `Aims to decide within ${formatDays(service.processingTargetWorkingDays, 'working')}`;

/** What the start and confirmation pages say about how long it takes. */
export function processingTimeView(service: ServiceDefinition, time: TypicalTime | undefined) {
  return {
    typical: time ? typicalTimeText(time) : undefined,
    ninetyPercent: time && time.p90 !== null ? formatDays(time.p90, 'working') : undefined,
    target: formatDays(service.processingTargetWorkingDays, 'working'),
    months: TYPICAL_TIME_MONTHS,
    href: `/performance/${service.slug}`,
  };
}
