import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, createCalendar, loadBankHolidays } from '../../src/calendar/working-days';

const englandAndWales = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));

describe('working days', () => {
  it.each([
    ['2026-11-27', true], // Friday
    ['2026-11-28', false], // Saturday
    ['2026-11-29', false], // Sunday
    ['2026-12-25', false], // Christmas Day
    ['2026-12-28', false], // Boxing Day, substitute day
    ['2026-12-29', true],
    ['2026-08-31', false], // Summer bank holiday
  ])('%s is a working day in England and Wales: %s', (date, expected) => {
    expect(englandAndWales.isWorkingDay(date)).toBe(expected);
  });

  it('counts ten working days from a Monday to the Monday two weeks later', () => {
    expect(englandAndWales.addWorkingDays('2026-11-02', 10)).toBe('2026-11-16');
  });

  it('skips Christmas, Boxing Day and New Year when adding working days', () => {
    // Thu 24 Dec 2026 + 3 working days: Tue 29, Wed 30, Thu 31 (25 and 28 are holidays, 26–27 a weekend).
    expect(englandAndWales.addWorkingDays('2026-12-24', 3)).toBe('2026-12-31');
    expect(englandAndWales.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('counts the working days between two dates, excluding the first and including the last', () => {
    expect(englandAndWales.workingDaysBetween('2026-11-02', '2026-11-16')).toBe(10);
    expect(englandAndWales.workingDaysBetween('2026-11-16', '2026-11-02')).toBe(-10);
    expect(englandAndWales.workingDaysBetween('2026-11-27', '2026-11-29')).toBe(0);
    expect(englandAndWales.workingDaysBetween('2026-12-24', '2026-12-31')).toBe(3);
  });

  it('agrees with adding working days across a whole year', () => {
    for (let d = '2025-01-01'; d < '2026-01-01'; d = addDays(d, 13)) {
      for (const n of [1, 5, 10, 40, 60]) {
        expect(englandAndWales.workingDaysBetween(d, englandAndWales.addWorkingDays(d, n))).toBe(n);
      }
    }
  });

  it('uses the division’s own holidays: Scotland has 2 January and St Andrew’s Day but not Easter Monday', () => {
    const scotland = createCalendar('scotland', loadBankHolidays('scotland'));
    expect(scotland.isWorkingDay('2026-01-02')).toBe(false);
    expect(scotland.isWorkingDay('2026-11-30')).toBe(false);
    expect(scotland.isWorkingDay('2026-04-06')).toBe(true);
    expect(englandAndWales.isWorkingDay('2026-04-06')).toBe(false);
  });

  it('reads bank holidays from a GOV.UK-format file when one is configured', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bh-')), 'bank-holidays.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'Test day', date: '2026-11-27', notes: '' }],
        },
      }),
    );
    const custom = createCalendar('england-and-wales', loadBankHolidays('england-and-wales', file));
    expect(custom.isWorkingDay('2026-11-27')).toBe(false);
    expect(custom.isWorkingDay('2026-12-25')).toBe(true);
  });

  it('refuses a file without the division or with a malformed date', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bh-'));
    const missing = path.join(dir, 'a.json');
    fs.writeFileSync(missing, JSON.stringify({}));
    expect(() => loadBankHolidays('scotland', missing)).toThrow(/no "scotland" division/);
    const bad = path.join(dir, 'b.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ scotland: { division: 'scotland', events: [{ title: 'x', date: '30/11/2026' }] } }),
    );
    expect(() => loadBankHolidays('scotland', bad)).toThrow(/not a YYYY-MM-DD date/);
  });
});
