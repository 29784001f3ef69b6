import { csvCell } from '../staff/csv';
import type { DateRange, Report, ServiceReport, Summary } from './report';

// The CSV is the JSON report laid out as one figure per row ("tidy" data), so a spreadsheet can filter and pivot
// it and new figures can be added without changing the columns. The columns are a stable schema:
//   service, measure, unit, period_start, period_end, breakdown, value, note
// `value` is empty when the figure is withheld; `note` then says why.

export const CSV_COLUMNS = [
  'service',
  'measure',
  'unit',
  'period_start',
  'period_end',
  'breakdown',
  'value',
  'note',
] as const;

export type Figure = Readonly<{
  service: string;
  measure: string;
  unit: string;
  period_start: string;
  period_end: string;
  breakdown: string;
  value: number | string | null;
  note: string;
}>;

/** Every measure in the CSV: its name, unit, and where its value sits in the JSON. */
export const MEASURES = {
  received: { unit: 'applications', count: true },
  decided: { unit: 'applications', count: true },
  processing_time_median: { unit: 'working_days|calendar_days', count: false },
  processing_time_p90: { unit: 'working_days|calendar_days', count: false },
  decided_within_target: { unit: 'percent', count: false },
  processing_time_median_change: { unit: 'percent', count: false },
  open_cases: { unit: 'applications', count: true },
  awaiting_citizen: { unit: 'applications', count: true },
  oldest_open_case_age: { unit: 'calendar_days', count: false },
  journeys_started: { unit: 'journeys', count: true },
  completion_rate: { unit: 'percent', count: false },
  satisfaction_responses: { unit: 'responses', count: true },
  user_satisfaction: { unit: 'percent', count: false },
  cost_per_transaction: { unit: 'pounds', count: false },
  digital_transactions: { unit: 'transactions', count: true },
  offline_transactions: { unit: 'transactions', count: true },
  digital_take_up: { unit: 'percent', count: false },
  page_reached: { unit: 'journeys', count: true },
  page_reached_share: { unit: 'percent', count: false },
} as const;

export type MeasureName = keyof typeof MEASURES;

const SUPPRESSED_COUNT = 'fewer than 10';
const SUPPRESSED = 'not enough data';

function figure(
  service: string,
  measure: MeasureName,
  unit: string,
  range: DateRange,
  value: number | string | null,
  options: { breakdown?: string; noteIfNull?: string } = {},
): Figure {
  const fallback = MEASURES[measure].count ? SUPPRESSED_COUNT : SUPPRESSED;
  return {
    service,
    measure,
    unit,
    period_start: range.start,
    period_end: range.end,
    breakdown: options.breakdown ?? '',
    value,
    note: value === null ? (options.noteIfNull ?? fallback) : '',
  };
}

function summaryFigures(report: Report, s: ServiceReport): Figure[] {
  const f = (measure: MeasureName, unit: string, value: number | null, range: DateRange = report.period) =>
    figure(s.service, measure, unit, range, value);
  const sum: Summary = s.summary;
  const now: DateRange = { start: report.backlog_as_at, end: report.backlog_as_at };
  const noCosts = sum.cost_months === 0 ? 'no cost figures entered for this period' : undefined;
  const noOpen = sum.open_cases === 0 ? 'no open applications' : undefined;
  return [
    f('received', 'applications', sum.received),
    f('decided', 'applications', sum.decided),
    f('processing_time_median', 'working_days', sum.median_working_days),
    f('processing_time_p90', 'working_days', sum.p90_working_days),
    f('processing_time_median', 'calendar_days', sum.median_calendar_days),
    f('processing_time_p90', 'calendar_days', sum.p90_calendar_days),
    f('decided_within_target', 'percent', sum.decided_within_target_percent),
    f('decided', 'applications', sum.previous_decided, report.previous_period),
    f('processing_time_median', 'working_days', sum.previous_median_working_days, report.previous_period),
    f('processing_time_median_change', 'percent', sum.median_change_percent),
    f('open_cases', 'applications', sum.open_cases, now),
    f('awaiting_citizen', 'applications', sum.awaiting_citizen, now),
    figure(s.service, 'oldest_open_case_age', 'calendar_days', now, sum.oldest_open_age_days, {
      breakdown: sum.oldest_open_received ? `received ${sum.oldest_open_received}` : '',
      noteIfNull: noOpen,
    }),
    f('journeys_started', 'journeys', sum.journeys_started),
    f('completion_rate', 'percent', sum.completion_rate_percent),
    f('satisfaction_responses', 'responses', sum.satisfaction_responses),
    f('user_satisfaction', 'percent', sum.satisfaction_percent),
    figure(s.service, 'cost_per_transaction', 'pounds', report.period, sum.cost_per_transaction_pounds, {
      noteIfNull: noCosts,
    }),
    figure(s.service, 'digital_transactions', 'transactions', report.period, sum.digital_transactions, {
      noteIfNull: noCosts,
    }),
    figure(s.service, 'offline_transactions', 'transactions', report.period, sum.offline_transactions, {
      noteIfNull: noCosts,
    }),
    figure(s.service, 'digital_take_up', 'percent', report.period, sum.digital_take_up_percent, {
      noteIfNull: noCosts,
    }),
  ];
}

/** Every figure of a report, one per row, in a fixed order. */
export function reportFigures(report: Report): Figure[] {
  return report.services.flatMap((s) => [
    ...summaryFigures(report, s),
    ...s.months.flatMap((m) => {
      const range = { start: m.start, end: m.end };
      return [
        figure(s.service, 'received', 'applications', range, m.received, { breakdown: 'month' }),
        figure(s.service, 'decided', 'applications', range, m.decided, { breakdown: 'month' }),
        figure(s.service, 'processing_time_median', 'working_days', range, m.median_working_days, {
          breakdown: 'month',
        }),
        figure(s.service, 'processing_time_p90', 'working_days', range, m.p90_working_days, {
          breakdown: 'month',
        }),
        figure(s.service, 'processing_time_median', 'calendar_days', range, m.median_calendar_days, {
          breakdown: 'month',
        }),
        figure(s.service, 'processing_time_p90', 'calendar_days', range, m.p90_calendar_days, {
          breakdown: 'month',
        }),
        figure(s.service, 'decided_within_target', 'percent', range, m.decided_within_target_percent, {
          breakdown: 'month',
        }),
      ];
    }),
    ...s.weeks.flatMap((w) => {
      const range = { start: w.week_start, end: w.week_end };
      return [
        figure(s.service, 'received', 'applications', range, w.received, { breakdown: 'week' }),
        figure(s.service, 'decided', 'applications', range, w.decided, { breakdown: 'week' }),
      ];
    }),
    ...s.pages.flatMap((p) => [
      figure(s.service, 'page_reached', 'journeys', report.period, p.reached, {
        breakdown: `page:${p.page}`,
      }),
      figure(s.service, 'page_reached_share', 'percent', report.period, p.reached_percent, {
        breakdown: `page:${p.page}`,
      }),
    ]),
  ]);
}

// Numbers are written as they are (a negative change must stay a number); text goes through csvCell, which
// also defuses anything a spreadsheet would run as a formula.
const cell = (value: unknown): string => (typeof value === 'number' ? String(value) : csvCell(value));
const line = (cells: readonly unknown[]): string => `${cells.map(cell).join(',')}\r\n`;

export function reportCsv(report: Report): string {
  let body = line(CSV_COLUMNS);
  for (const f of reportFigures(report)) body += line(CSV_COLUMNS.map((c) => f[c]));
  return body;
}
