import { createCalendar, loadBankHolidays, type WorkingDayCalendar } from '../calendar/working-days';

// How processing time is counted, in one place: the rollups, the seed, the tests and the about-the-data page all
// use these definitions.
//
// - Working days: the working days (Monday to Friday, less bank holidays) after the UK day the application was
//   sent, up to and including the UK day it was decided, less the working days spent waiting for the citizen.
//   Decided on the day it was sent: 0. Sent on Friday, decided on Monday: 1.
// - Calendar days: whole 24-hour periods from sending to decision, less the time spent waiting for the citizen,
//   rounded down. Decided within 24 hours: 0.
// Both are whole numbers and never negative, so a histogram of them is exact.

// ukDate (src/clock.ts) builds an Intl.DateTimeFormat on every call, which dominated bulk loads; this is the same
// formatting with one formatter, for the hot paths here.
const ukFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The UK date of a moment, 'YYYY-MM-DD': the same as ukDate in src/clock.ts. */
export const ukDay = (at: Date): string => ukFormat.format(at);

export type DecidedCase = Readonly<{
  submittedAt: Date;
  decidedAt: Date;
  pausedSeconds: number;
  pausedWorkingDays: number;
}>;

const DAY_SECONDS = 86_400;

export function calendarDaysTaken(c: DecidedCase): number {
  const seconds = (c.decidedAt.getTime() - c.submittedAt.getTime()) / 1000 - c.pausedSeconds;
  return Math.max(0, Math.floor(seconds / DAY_SECONDS));
}

export function workingDaysTaken(c: DecidedCase, calendar: WorkingDayCalendar): number {
  const between = calendar.workingDaysBetween(ukDay(c.submittedAt), ukDay(c.decidedAt));
  return Math.max(0, between - c.pausedWorkingDays);
}

/** The first day of the UK month a moment falls in, as 'YYYY-MM-01'. */
export const ukMonth = (at: Date): string => `${ukDay(at).slice(0, 7)}-01`;

let englandAndWales: WorkingDayCalendar | undefined;
/**
 * The calendar used when a caller passes none: England and Wales from the shipped snapshot, as the config's
 * default. The app passes its configured calendar.
 */
export function defaultCalendar(): WorkingDayCalendar {
  englandAndWales ??= createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));
  return englandAndWales;
}
