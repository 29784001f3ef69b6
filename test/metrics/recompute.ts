import type { Db } from '../../src/db';
import type { WorkingDayCalendar } from '../../src/calendar/working-days';
import { ukDate } from '../../src/clock';
import { calendarDaysTaken, workingDaysTaken } from '../../src/metrics/processing-time';

// The rollups worked out again, directly and independently from the raw rows (submissions and survey answers),
// as sorted lists of rows with their non-zero counts, ready for toEqual against the rollup tables.

type Row = Record<string, string | number>;
const key = (r: Row) =>
  JSON.stringify(
    Object.keys(r)
      .sort()
      .map((k) => [k, String(r[k])]),
  );
const sorted = (rows: Row[]) => rows.sort((a, b) => key(a).localeCompare(key(b)));
const nonZero = (r: Row, counters: string[]) => counters.some((c) => Number(r[c]) !== 0);

export type RawSubmission = {
  service_slug: string;
  status: string;
  submitted_at: Date;
  decided_at: Date | null;
  paused_seconds: number;
  paused_working_days: number;
  target: number;
};

export async function rawSubmissions(db: Db): Promise<RawSubmission[]> {
  const rows = await db('submission').select(
    'service_slug',
    'status',
    'submitted_at',
    'decided_at',
    'paused_seconds',
    'paused_working_days',
    db.raw(`(definition_snapshot->>'processingTargetWorkingDays')::int as target`),
  );
  return rows.map((r) => ({ ...r, paused_seconds: Number(r.paused_seconds) }));
}

export const isDecided = (s: RawSubmission) => s.status === 'approved' || s.status === 'rejected';

export function workingDaysOf(s: RawSubmission, calendar: WorkingDayCalendar): number {
  return workingDaysTaken(
    {
      submittedAt: s.submitted_at,
      decidedAt: s.decided_at!,
      pausedSeconds: s.paused_seconds,
      pausedWorkingDays: s.paused_working_days,
    },
    calendar,
  );
}

export async function recompute(db: Db, calendar: WorkingDayCalendar) {
  const subs = await rawSubmissions(db);
  const days = new Map<string, Row>();
  const histogram = new Map<string, Row>();
  const open = new Map<string, Row>();
  const bump = (map: Map<string, Row>, k: Row, field: string) => {
    const id = key(k);
    const row = map.get(id) ?? { ...k };
    row[field] = Number(row[field] ?? 0) + 1;
    map.set(id, row);
  };
  for (const s of subs) {
    const sentDay = ukDate(s.submitted_at);
    bump(days, { service_slug: s.service_slug, day: sentDay }, 'received');
    if (isDecided(s)) {
      const d = { service_slug: s.service_slug, day: ukDate(s.decided_at!) };
      bump(days, d, 'decided');
      bump(days, d, s.status);
      const working = workingDaysOf(s, calendar);
      if (working <= s.target) bump(days, d, 'decided_within_target');
      const month = `${ukDate(s.decided_at!).slice(0, 7)}-01`;
      const calendarDays = calendarDaysTaken({
        submittedAt: s.submitted_at,
        decidedAt: s.decided_at!,
        pausedSeconds: s.paused_seconds,
        pausedWorkingDays: s.paused_working_days,
      });
      bump(
        histogram,
        { service_slug: s.service_slug, month, unit: 'working_days', days: working },
        'decisions',
      );
      bump(
        histogram,
        { service_slug: s.service_slug, month, unit: 'calendar_days', days: calendarDays },
        'decisions',
      );
    } else {
      bump(open, { service_slug: s.service_slug, day: sentDay }, 'open_cases');
      if (s.status === 'awaiting-citizen')
        bump(open, { service_slug: s.service_slug, day: sentDay }, 'awaiting_citizen');
    }
  }
  const fill = (rows: Row[], counters: string[]) =>
    rows.map((r) => ({ ...r, ...Object.fromEntries(counters.map((c) => [c, Number(r[c] ?? 0)])) }));
  const ratings = (await db('survey_response').select('service_slug', 'rating', 'created_at')) as {
    service_slug: string;
    rating: number;
    created_at: Date;
  }[];
  const survey = new Map<string, Row>();
  for (const r of ratings) {
    bump(survey, { service_slug: r.service_slug, day: ukDate(r.created_at), rating: r.rating }, 'responses');
  }
  return {
    performance_day: sorted(
      fill([...days.values()], ['received', 'decided', 'approved', 'rejected', 'decided_within_target']),
    ),
    processing_time_month: sorted([...histogram.values()]),
    open_case_day: sorted(fill([...open.values()], ['open_cases', 'awaiting_citizen'])),
    survey_rating_day: sorted([...survey.values()]),
  };
}

/** The rollup tables as they are, without rows whose counts are all zero. */
export async function rollups(db: Db) {
  const read = async (table: string, columns: string[], counters: string[]) => {
    const rows = (await db(table).select(
      ...columns.map((c) =>
        c === 'day' || c === 'month' ? db.raw(`to_char(${c}, 'YYYY-MM-DD') as ${c}`) : c,
      ),
      ...counters,
    )) as Row[];
    return sorted(
      rows
        .map((r) => ({ ...r, ...Object.fromEntries(counters.map((c) => [c, Number(r[c])])) }))
        .filter((r) => nonZero(r, counters)),
    );
  };
  return {
    performance_day: await read(
      'performance_day',
      ['service_slug', 'day'],
      ['received', 'decided', 'approved', 'rejected', 'decided_within_target'],
    ),
    processing_time_month: await read(
      'processing_time_month',
      ['service_slug', 'month', 'unit', 'days'],
      ['decisions'],
    ),
    open_case_day: await read('open_case_day', ['service_slug', 'day'], ['open_cases', 'awaiting_citizen']),
    survey_rating_day: await read('survey_rating_day', ['service_slug', 'day', 'rating'], ['responses']),
  };
}
