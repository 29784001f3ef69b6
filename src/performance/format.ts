// How the published figures read on a page. A null figure is a suppressed one (see report.ts): a count reads
// "Fewer than 10", any other figure "Not enough data". Units are always spelled out.

export const NOT_ENOUGH_DATA = 'Not enough data';
export const FEWER_THAN_10 = 'Fewer than 10';

const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  minimumFractionDigits: 2,
});

/** '1 working day', '5.5 working days', '12 calendar days' */
export function formatDays(value: number | null, unit: 'working' | 'calendar'): string {
  if (value === null) return NOT_ENOUGH_DATA;
  return `${number.format(value)} ${unit} ${value === 1 ? 'day' : 'days'}`;
}

/** A number without its unit, for table cells under a heading that names the unit. */
export const formatNumber = (value: number | null): string =>
  value === null ? NOT_ENOUGH_DATA : number.format(value);

export const formatCount = (value: number | null): string =>
  value === null ? FEWER_THAN_10 : number.format(value);

export const formatPercent = (value: number | null): string =>
  value === null ? NOT_ENOUGH_DATA : `${value}%`;

export const formatPounds = (value: number | null): string =>
  value === null ? NOT_ENOUGH_DATA : money.format(value);
