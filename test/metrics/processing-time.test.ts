import { createCalendar, loadBankHolidays } from '../../src/calendar/working-days';
import { calendarDaysTaken, workingDaysTaken, ukMonth } from '../../src/metrics/processing-time';
import { countAtMost, percentileCont } from '../../src/metrics/percentile';
import { monthPeriod, previousPeriod, recentMonths, trendPeriod } from '../../src/metrics/period';
import { publishedCount, publishedDays, publishedPercent } from '../../src/performance/report';

const calendar = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));
const at = (iso: string) => new Date(iso);
const decided = (submitted: string, decision: string, pausedSeconds = 0, pausedWorkingDays = 0) => ({
  submittedAt: at(submitted),
  decidedAt: at(decision),
  pausedSeconds,
  pausedWorkingDays,
});

describe('processing time', () => {
  it('counts a decision on the day of sending as 0 working days and 0 calendar days', () => {
    const c = decided('2026-11-23T09:00:00Z', '2026-11-23T16:00:00Z');
    expect(workingDaysTaken(c, calendar)).toBe(0);
    expect(calendarDaysTaken(c)).toBe(0);
  });

  it('counts working days after the day of sending, up to and including the day of decision', () => {
    // Monday to Wednesday: Tuesday and Wednesday.
    const c = decided('2026-11-23T09:00:00Z', '2026-11-25T16:00:00Z');
    expect(workingDaysTaken(c, calendar)).toBe(2);
    expect(calendarDaysTaken(c)).toBe(2);
  });

  it('does not count a weekend: sent on Friday, decided on Monday is 1 working day but 3 calendar days', () => {
    const c = decided('2026-11-27T15:00:00Z', '2026-11-30T15:30:00Z');
    expect(workingDaysTaken(c, calendar)).toBe(1);
    expect(calendarDaysTaken(c)).toBe(3);
  });

  it('does not count bank holidays: Christmas Day and the substitute Boxing Day', () => {
    // Thursday 24 December to Tuesday 29 December 2026: 25th (holiday), 26-27 (weekend), 28th (substitute day).
    const c = decided('2026-12-24T10:00:00Z', '2026-12-29T11:00:00Z');
    expect(workingDaysTaken(c, calendar)).toBe(1);
    expect(calendarDaysTaken(c)).toBe(5);
  });

  it('rounds calendar days down: 47 hours is 1 calendar day', () => {
    expect(calendarDaysTaken(decided('2026-11-23T09:00:00Z', '2026-11-25T08:00:00Z'))).toBe(1);
  });

  it('takes out the time spent waiting for the citizen', () => {
    // Sent Monday 5 October, asked for information Tuesday, citizen replied Friday (3 working days, 3 days
    // exactly), decided Thursday 15 October: 8 working days less 3, 10 days 5 hours less 3 days.
    const c = decided('2026-10-05T09:00:00Z', '2026-10-15T14:00:00Z', 3 * 86_400, 3);
    expect(workingDaysTaken(c, calendar)).toBe(5);
    expect(calendarDaysTaken(c)).toBe(7);
  });

  it('takes out a pause that spans a weekend and a bank holiday', () => {
    // Sent Monday 21 December; waiting from Wednesday 23rd to Tuesday 29th (2 working days: the 24th and the
    // 29th; 6 days exactly), decided Wednesday 30 December.
    const c = decided('2026-12-21T10:00:00Z', '2026-12-30T15:00:00Z', 6 * 86_400, 2);
    // Working days 22, 23, 24, 29, 30 = 5, less 2 paused.
    expect(workingDaysTaken(c, calendar)).toBe(3);
    // 9 days 5 hours less 6 days.
    expect(calendarDaysTaken(c)).toBe(3);
  });

  it('never counts below zero', () => {
    expect(workingDaysTaken(decided('2026-11-23T09:00:00Z', '2026-11-24T09:00:00Z', 0, 3), calendar)).toBe(0);
    expect(calendarDaysTaken(decided('2026-11-23T09:00:00Z', '2026-11-24T09:00:00Z', 90_000))).toBe(0);
  });

  it('puts a decision in its UK month, even just after midnight in summer time', () => {
    expect(ukMonth(at('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukMonth(at('2026-12-31T23:30:00Z'))).toBe('2026-12-01');
  });
});

describe('medians and 90th percentiles from a histogram', () => {
  const histogram = (values: number[]) => {
    const h = new Map<number, number>();
    for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
    return h;
  };

  it.each([
    [[5], 5, 5],
    [[1, 2, 3, 4], 2.5, 3.7],
    [[1, 2, 2, 3, 3, 3, 4, 5, 6, 8, 10, 12], 3.5, 9.8],
    [[7, 7, 7, 7, 7, 7, 7, 7, 7, 7], 7, 7],
    [[0, 0, 0, 1, 30], 0, 18.4],
    [[2, 4, 6, 8, 10, 12, 14, 16, 18, 20], 11, 18.2],
  ])('of %j: median %d, 90th percentile %d (as percentile_cont)', (values, median, p90) => {
    expect(percentileCont(histogram(values), 0.5)).toBeCloseTo(median, 10);
    expect(percentileCont(histogram(values), 0.9)).toBeCloseTo(p90, 10);
  });

  it('has none for no decisions', () => {
    expect(percentileCont(new Map(), 0.5)).toBeNull();
  });

  it('counts the decisions within a target', () => {
    expect(countAtMost(histogram([1, 2, 10, 11, 12]), 10)).toBe(3);
  });
});

describe('suppression of small numbers', () => {
  it('publishes counts of 0 and of 10 or more, and withholds 1 to 9', () => {
    expect([0, 1, 9, 10, 11].map(publishedCount)).toEqual([0, null, null, 10, 11]);
  });

  it('withholds a percentage whose denominator is below 10', () => {
    expect(publishedPercent(5, 9)).toBeNull();
    expect(publishedPercent(5, 10)).toBe(50);
    expect(publishedPercent(2, 3 * 10)).toBe(7);
    expect(publishedPercent(12, 10, true)).toBe(100);
  });

  it('withholds a median of fewer than 10 decisions, and rounds the rest to one decimal place', () => {
    expect(publishedDays(4, 9)).toBeNull();
    expect(publishedDays(9.799999999, 10)).toBe(9.8);
    expect(publishedDays(null, 20)).toBeNull();
  });
});

describe('reporting periods', () => {
  it('ends the last 3 months at today and compares them with the 3 whole months before', () => {
    const p = recentMonths('2026-11-29', 3);
    expect(p).toEqual({ start: '2026-09-01', end: '2026-11-29', months: ['2026-09', '2026-10', '2026-11'] });
    expect(previousPeriod(p, '2026-11-29')).toEqual({
      start: '2026-06-01',
      end: '2026-08-31',
      months: ['2026-06', '2026-07', '2026-08'],
    });
  });

  it('crosses years and handles February', () => {
    expect(monthPeriod('2027-12', '2028-02', '2030-01-01')).toEqual({
      start: '2027-12-01',
      end: '2028-02-29',
      months: ['2027-12', '2028-01', '2028-02'],
    });
  });

  it('draws trends over at least 12 months', () => {
    expect(trendPeriod(recentMonths('2026-11-29', 3), '2026-11-29').months).toHaveLength(12);
    expect(trendPeriod(recentMonths('2026-11-29', 24), '2026-11-29').months).toHaveLength(24);
  });
});
