import fs from 'node:fs';
import snapshot from './bank-holidays.json';

// Processing targets count working days: Monday to Friday, less the bank holidays of one division.
// Dates here are 'YYYY-MM-DD' strings in UK local time, never Date objects, so no time zone can shift them.

export const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type Division = (typeof DIVISIONS)[number];

type BankHolidayFile = Record<
  string,
  { division: string; events: { title: string; date: string; notes?: string }[] }
>;

export type WorkingDayCalendar = Readonly<{
  division: Division;
  isWorkingDay(date: string): boolean;
  /** The date `days` working days after `date` (a target of 10 working days from a Monday is the Monday two weeks on). */
  addWorkingDays(date: string, days: number): string;
  /** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number;
  /** The first and last dates the bank holiday data covers. */
  coverage: Readonly<{ from: string; to: string }>;
}>;

const DAY_MS = 86_400_000;
const toUtc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string => fromUtc(toUtc(date) + days * DAY_MS);

/** Bank holidays for a division, from a GOV.UK-format file or, without one, the snapshot shipped with the code. */
export function loadBankHolidays(division: Division, file?: string): string[] {
  const data = (file ? JSON.parse(fs.readFileSync(file, 'utf8')) : snapshot) as BankHolidayFile;
  const events = data[division]?.events;
  if (!Array.isArray(events))
    throw new Error(`${file ?? 'bank-holidays.json'} has no "${division}" division`);
  return events.map((e) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.date))
      throw new Error(`${file ?? 'bank-holidays.json'}: "${e.date}" is not a YYYY-MM-DD date`);
    return e.date;
  });
}

export function createCalendar(division: Division, holidays: readonly string[]): WorkingDayCalendar {
  const holidaySet = new Set(holidays);
  const sorted = [...holidays].sort();
  const isWorkingDay = (date: string) => {
    const weekday = new Date(toUtc(date)).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !holidaySet.has(date);
  };
  const addWorkingDays = (date: string, days: number) => {
    let current = date;
    let remaining = Math.abs(days);
    const step = days < 0 ? -1 : 1;
    while (remaining > 0) {
      current = addDays(current, step);
      if (isWorkingDay(current)) remaining--;
    }
    return current;
  };
  const workingDaysBetween = (from: string, to: string): number => {
    if (to < from) return -workingDaysBetween(to, from);
    // Whole weeks at once (five working days each, less holidays in them), then the remainder day by day.
    const totalDays = Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
    const weeks = Math.floor(totalDays / 7);
    let count = weeks * 5;
    const weeksEnd = addDays(from, weeks * 7);
    for (const h of sorted) {
      if (h > from && h <= weeksEnd && isWeekday(h)) count--;
    }
    for (let d = addDays(weeksEnd, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
    return count;
  };
  return {
    division,
    isWorkingDay,
    addWorkingDays,
    workingDaysBetween,
    coverage: { from: sorted[0] ?? '', to: sorted[sorted.length - 1] ?? '' },
  };
}

function isWeekday(date: string): boolean {
  const weekday = new Date(toUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
