import { MONTH_NAMES } from '../clock';
// Reporting periods are whole UK calendar months, ending no later than today: "the last 3 months" on
// 29 November 2026 is 1 September to 29 November 2026. Month strings are 'YYYY-MM', dates 'YYYY-MM-DD'.

export type Period = Readonly<{
  start: string;
  end: string;
  /** The months the period covers, oldest first. */
  months: readonly string[];
}>;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function addMonths(month: string, count: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

export const monthsBetween = (from: string, to: string): number => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm) + 1;
};

/** The months from `fromMonth` to `toMonth` inclusive, cut off at today. */
export function monthPeriod(fromMonth: string, toMonth: string, today: string): Period {
  const count = monthsBetween(fromMonth, toMonth);
  const months = Array.from({ length: Math.max(0, count) }, (_v, i) => addMonths(fromMonth, i));
  const last = lastDayOfMonth(toMonth);
  return { start: `${fromMonth}-01`, end: last < today ? last : today, months };
}

/** The current month and the `count - 1` before it. */
export function recentMonths(today: string, count: number): Period {
  const current = today.slice(0, 7);
  return monthPeriod(addMonths(current, -(count - 1)), current, today);
}

/** The same number of whole months immediately before. */
export function previousPeriod(p: Period, today: string): Period {
  const first = p.months[0] ?? p.start.slice(0, 7);
  const count = p.months.length;
  return monthPeriod(addMonths(first, -count), addMonths(first, -1), today);
}

/** The months a trend chart covers: at least the 12 months ending with the period's last month. */
export function trendPeriod(p: Period, today: string): Period {
  const last = p.months[p.months.length - 1] ?? p.end.slice(0, 7);
  if (p.months.length >= 12) return p;
  return monthPeriod(addMonths(last, -11), last, today);
}

/** 'November 2026' */
export const monthName = (month: string): string =>
  `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/** 'Nov 2026' */
export const shortMonthName = (month: string): string =>
  `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]!.slice(0, 3)} ${month.slice(0, 4)}`;

/** '29 November 2026' */
export const longDate = (date: string): string =>
  `${Number(date.slice(8, 10))} ${MONTH_NAMES[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
