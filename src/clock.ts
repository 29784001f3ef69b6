// Building a formatter is far slower than using one: keep one.
const UK_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in the UK, as 'YYYY-MM-DD', whatever the server's time zone. */
export function ukDate(now: Date): string {
  return UK_DATE.format(now);
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Month names as GOV.UK dates show them ('29 November 2026'). */
export const MONTH_NAMES: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
