import { longDate, monthName, shortMonthName } from '../metrics/period';
import { barChart, horizontalBarChart, lineChart, type Chart } from './charts';
import { formatCount, formatDays, formatNumber, formatPercent, formatPounds } from './format';
import type { DateRange, Report, ServiceReport } from './report';

// What the performance pages show, built from the report that the JSON and CSV also come from.

export const rangeText = (r: DateRange): string =>
  r.start === r.end ? longDate(r.start) : `${longDate(r.start)} to ${longDate(r.end)}`;

/** 'Decisions took 30% less time than in …' — the before and after comparison in words. */
export function changeText(report: Report, s: ServiceReport): string {
  const change = s.summary.median_change_percent;
  const previous = rangeText(report.previous_period);
  if (change === null) {
    return `There is not enough data to compare with ${previous}.`;
  }
  if (change === 0) return `The typical time to decide was the same as in ${previous}.`;
  return change < 0
    ? `Decisions were ${-change}% faster than in ${previous} (typical time ${formatDays(s.summary.previous_median_working_days, 'working')} then).`
    : `Decisions were ${change}% slower than in ${previous} (typical time ${formatDays(s.summary.previous_median_working_days, 'working')} then).`;
}

/** The oldest open application as an age; when it is suppressed (fewer than 10 open) it says so, as an age would. */
export function oldestText(
  sum: Pick<ServiceReport['summary'], 'open_cases' | 'oldest_open_received' | 'oldest_open_age_days'>,
): string {
  if (sum.open_cases === 0) return 'No open applications';
  if (sum.oldest_open_received === null) return 'Not published (fewer than 10 open applications)';
  return `${formatDays(sum.oldest_open_age_days, 'calendar')} (received ${longDate(sum.oldest_open_received)})`;
}

/** The headline figures of a service, formatted, in the order the pages show them. */
export function headline(report: Report, s: ServiceReport) {
  const sum = s.summary;
  return {
    slug: s.service,
    title: s.title,
    agency: s.agency,
    href: `/performance/${s.service}`,
    target: formatDays(s.target_working_days, 'working'),
    median: formatDays(sum.median_working_days, 'working'),
    p90: formatDays(sum.p90_working_days, 'working'),
    medianCalendar: formatDays(sum.median_calendar_days, 'calendar'),
    p90Calendar: formatDays(sum.p90_calendar_days, 'calendar'),
    withinTarget: formatPercent(sum.decided_within_target_percent),
    change: changeText(report, s),
    changePercent:
      sum.median_change_percent === null
        ? formatPercent(null)
        : `${sum.median_change_percent > 0 ? '+' : ''}${sum.median_change_percent}%`,
    received: formatCount(sum.received),
    decided: formatCount(sum.decided),
    open: formatCount(sum.open_cases),
    awaiting: formatCount(sum.awaiting_citizen),
    oldest: oldestText(sum),
    started: formatCount(sum.journeys_started),
    completion: formatPercent(sum.completion_rate_percent),
    satisfactionResponses: formatCount(sum.satisfaction_responses),
    satisfaction: formatPercent(sum.satisfaction_percent),
    costMonths: sum.cost_months,
    costPerTransaction:
      sum.cost_months === 0
        ? 'No cost figures for this period'
        : formatPounds(sum.cost_per_transaction_pounds),
    digitalTakeUp:
      sum.cost_months === 0 ? 'No figures for this period' : formatPercent(sum.digital_take_up_percent),
    offline: sum.offline_transactions === null ? '' : formatNumber(sum.offline_transactions),
    digital: sum.digital_transactions === null ? '' : formatCount(sum.digital_transactions),
  };
}

const pct = (v: number | null) => formatPercent(v);

/** The charts of a service's page, each with the table of its numbers. */
export function charts(report: Report, s: ServiceReport): Chart[] {
  const months = s.months;
  const monthLabels = months.map((m) => monthName(m.month));
  const monthAxis = months.map((m) => shortMonthName(m.month).replace(' 20', " '"));
  const trend = rangeText(report.trend_period);
  const weeks = s.weeks;
  return [
    lineChart({
      id: `${s.service}-time-by-month`,
      title: `Time to decide by month, in working days: ${s.title}`,
      description: `The median and the 90th percentile of the working days taken to decide applications, for each month from ${trend}. Months with fewer than 10 decisions are left out. The table that follows has every value.`,
      categoryHeading: 'Month decided',
      categories: monthLabels,
      axisLabels: monthAxis,
      unit: 'Working days',
      series: [
        { name: 'Median (typical)', values: months.map((m) => m.median_working_days), format: formatNumber },
        { name: '90th percentile', values: months.map((m) => m.p90_working_days), format: formatNumber },
      ],
    }),
    lineChart({
      id: `${s.service}-calendar-time-by-month`,
      title: `Time to decide by month, in calendar days: ${s.title}`,
      description: `The median and the 90th percentile of the calendar days taken to decide applications, not counting time waiting for the applicant, for each month from ${trend}. The table that follows has every value.`,
      categoryHeading: 'Month decided',
      categories: monthLabels,
      axisLabels: monthAxis,
      unit: 'Calendar days',
      series: [
        { name: 'Median (typical)', values: months.map((m) => m.median_calendar_days), format: formatNumber },
        { name: '90th percentile', values: months.map((m) => m.p90_calendar_days), format: formatNumber },
      ],
    }),
    barChart({
      id: `${s.service}-within-target-by-month`,
      title: `Applications decided within the target of ${formatDays(s.target_working_days, 'working')}, by month: ${s.title}`,
      description: `The percentage of applications decided within the target, for each month from ${trend}. The table that follows has every value.`,
      categoryHeading: 'Month decided',
      categories: monthLabels,
      axisLabels: monthAxis,
      unit: 'Percentage decided',
      max: 100,
      series: [
        {
          name: 'Decided within target',
          values: months.map((m) => m.decided_within_target_percent),
          format: pct,
        },
      ],
    }),
    barChart({
      id: `${s.service}-volumes-by-month`,
      title: `Applications received and decided by month: ${s.title}`,
      description: `The number of applications received and decided in each month from ${trend}. Counts from 1 to 9 are not shown. The table that follows has every value.`,
      categoryHeading: 'Month',
      categories: monthLabels,
      axisLabels: monthAxis,
      unit: 'Applications',
      series: [
        { name: 'Received', values: months.map((m) => m.received), format: formatCount },
        { name: 'Decided', values: months.map((m) => m.decided), format: formatCount },
      ],
    }),
    barChart({
      id: `${s.service}-volumes-by-week`,
      title: `Applications received and decided by week: ${s.title}`,
      description: `The number of applications received and decided in each week (Monday to Sunday) from ${rangeText(report.period)}. Counts from 1 to 9 are not shown. The table that follows has every value.`,
      categoryHeading: 'Week',
      categories: weeks.map((w) => rangeText({ start: w.week_start, end: w.week_end })),
      axisLabels: weeks.map((w) => `${Number(w.week_start.slice(8))}/${Number(w.week_start.slice(5, 7))}`),
      unit: 'Applications',
      series: [
        { name: 'Received', values: weeks.map((w) => w.received), format: formatCount },
        { name: 'Decided', values: weeks.map((w) => w.decided), format: formatCount },
      ],
    }),
    horizontalBarChart({
      id: `${s.service}-drop-off`,
      title: `Journeys that reached each question page: ${s.title}`,
      description: `Of the journeys started from ${rangeText(report.period)}, the percentage that completed each question page, in the order the pages come, and that sent the application. Pages that only some applicants see (because of an earlier answer) are reached by fewer journeys. The table that follows has every value.`,
      categoryHeading: 'Question page',
      categories: s.pages.map((p) => p.title),
      unit: 'Percentage of journeys started',
      max: 100,
      series: [
        {
          name: 'Journeys started that reached it',
          values: s.pages.map((p) => p.reached_percent),
          format: pct,
        },
      ],
    }),
  ];
}
