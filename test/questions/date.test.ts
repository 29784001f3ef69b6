import type { DateQuestion } from '../../src/definitions/types';
import { date, formatDate, isRealDate } from '../../src/questions/date';
import type { FieldError, ViewContext } from '../../src/questions/question-type';

const context = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

const dob: DateQuestion = {
  type: 'date',
  id: 'dob',
  label: 'What is your date of birth?',
  name: 'your date of birth',
  hint: 'For example, 27 3 2007',
};

const answer = (q: DateQuestion, day: unknown, month: unknown, year: unknown) =>
  date.parse(q, date.read(q, { 'dob-day': day, 'dob-month': month, 'dob-year': year }), context);

const error = (text: string, ...parts: ('day' | 'month' | 'year')[]) => ({
  ok: false,
  errors: [{ questionId: 'dob', fieldId: `dob-${parts[0]}`, text, fieldIds: parts.map((p) => `dob-${p}`) }],
});

type Item = {
  id: string;
  classes: string;
  autocomplete?: string;
  value: string;
  name: string;
  label: string;
};
const items = (params: Record<string, unknown>) => params.items as Item[];

describe('date question', () => {
  describe('required and optional', () => {
    it.each([
      ['all three parts missing', undefined, undefined, undefined],
      ['all three parts empty', '', '', ''],
      ['all three parts only spaces', ' ', '  ', '\t'],
    ])('asks for the date when %s, with every part in error', (_what, d, m, y) => {
      expect(answer(dob, d, m, y)).toEqual(error('Enter your date of birth', 'day', 'month', 'year'));
    });

    it('gives undefined for an optional date left blank', () => {
      expect(answer({ ...dob, optional: true }, '', '', '')).toEqual({ ok: true, value: undefined });
    });

    it('still validates an optional date that is partly filled in', () => {
      expect(answer({ ...dob, optional: true }, '1', '', '2000')).toEqual(
        error('Date of birth must include a month', 'month'),
      );
    });

    it('uses the messages override for the required error', () => {
      expect(
        answer({ ...dob, messages: { required: 'Enter the date you were born' } }, '', '', ''),
      ).toMatchObject({
        ok: false,
        errors: [{ text: 'Enter the date you were born' }],
      });
    });
  });

  describe('incomplete dates', () => {
    it.each([
      ['a day', '', '3', '2000', ['day']],
      ['a month', '27', '', '2000', ['month']],
      ['a year', '27', '3', '', ['year']],
      ['a day and month', '', '', '2000', ['day', 'month']],
      ['a day and year', '', '3', '', ['day', 'year']],
      ['a month and year', '27', '', '', ['month', 'year']],
    ] as const)('says it must include %s and marks only those parts', (missing, d, m, y, parts) => {
      expect(answer(dob, d, m, y)).toEqual(error(`Date of birth must include ${missing}`, ...parts));
    });

    it('uses the incomplete messages override', () => {
      expect(
        answer({ ...dob, messages: { incomplete: 'Enter a full date' } }, '1', '', '2000'),
      ).toMatchObject({
        ok: false,
        errors: [{ text: 'Enter a full date' }],
      });
    });
  });

  describe('month names', () => {
    it.each([
      ['June', '06'],
      ['june', '06'],
      ['JUNE', '06'],
      ['jun', '06'],
      ['Jun.', '06'],
      ['sept', '09'],
      ['Sep', '09'],
      ['december', '12'],
      ['Feb', '02'],
    ])('accepts the month written as %j, as the Design System asks', (month, mm) => {
      expect(answer(dob, '3', month, '1990')).toEqual({ ok: true, value: `1990-${mm}-03` });
    });

    it('still checks that a date with a named month is real', () => {
      expect(answer(dob, '31', 'April', '1990')).toEqual(error('Date of birth must be a real date', 'day'));
    });
  });

  describe('real dates', () => {
    it.each([
      ['31 February', '31', '2', '2025', ['day']],
      ['29 February in a non-leap year', '29', '2', '2023', ['day']],
      ['29 February 1900 (not a leap year)', '29', '2', '1900', ['day']],
      ['31 April', '31', '4', '2025', ['day']],
      ['day 0', '0', '1', '2000', ['day']],
      ['day 32', '32', '1', '2000', ['day']],
      ['month 13', '1', '13', '2000', ['month']],
      ['month 0', '1', '0', '2000', ['month']],
      ['day 32 and month 13', '32', '13', '2000', ['day', 'month']],
      ['year 0000', '1', '1', '0000', ['year']],
      ['year 0999', '1', '1', '0999', ['year']],
      ['year -1', '1', '1', '-1', ['year']],
      ['year 1e3', '1', '1', '1e3', ['year']],
      ['a word that is not a month', '1', 'Marchy', '2000', ['month']],
      ['two letters of a month', '1', 'ju', '2000', ['month']],
      ['a decimal day', '1.5', '1', '2000', ['day']],
      ['full-width digits', '\uff11\uff12', '1', '2000', ['day']],
      ['an Arabic-Indic digit', '\u0663', '1', '2000', ['day']],
      ['an Arabic-Indic year', '1', '1', '\u0662\u0660\u0662\u0664', ['year']],
      ['letters in day and year', 'a', '1', 'b', ['day', 'year']],
    ] as const)('refuses %s as not a real date, marking only the wrong parts', (_what, d, m, y, parts) => {
      expect(answer(dob, d, m, y)).toEqual(error('Date of birth must be a real date', ...parts));
    });

    it.each([
      ['2 digits', '25'],
      ['3 digits', '202'],
      ['5 digits', '10000'],
    ])('asks for 4 numbers when the year has %s', (_what, year) => {
      expect(answer(dob, '1', '1', year)).toEqual(error('Year must include 4 numbers', 'year'));
    });

    it.each([
      ['29 February in a leap year', '29', '2', '2024', '2024-02-29'],
      ['29 February 2000', '29', '2', '2000', '2000-02-29'],
      ['a padded day and month', '01', '03', '2000', '2000-03-01'],
      ['spaces around the parts', ' 1 ', ' 3 ', ' 2000 ', '2000-03-01'],
      ['31 December', '31', '12', '1999', '1999-12-31'],
      ['the earliest 4-digit year', '1', '1', '1000', '1000-01-01'],
    ])('accepts %s', (_what, d, m, y, value) => {
      expect(answer(dob, d, m, y)).toEqual({ ok: true, value });
    });

    it('refuses a year that only looks like 4 numbers because of what follows it', () => {
      expect(answer(dob, '1', '1', `2024${' '.repeat(20)}5`)).toEqual(
        error('Year must include 4 numbers', 'year'),
      );
    });

    it('does not truncate a long day into a different, valid one', () => {
      const result = answer(dob, `${'0'.repeat(19)}15`, '1', '2024');
      expect(result).not.toEqual({ ok: true, value: '2024-01-01' });
    });

    it.each([
      ['real', '31', '2', '2025', 'That date does not exist'],
      ['year', '1', '1', '25', 'Enter the year as 4 numbers'],
    ])('uses the %s messages override', (rule, d, m, y, message) => {
      expect(answer({ ...dob, messages: { [rule]: message } }, d, m, y)).toMatchObject({
        ok: false,
        errors: [{ text: message }],
      });
    });
  });

  describe('relative to today', () => {
    it.each([
      ['past', '2025-06-14', true],
      ['past', '2025-06-15', false],
      ['past', '2025-06-16', false],
      ['today-or-past', '2025-06-15', true],
      ['today-or-past', '2025-06-16', false],
      ['future', '2025-06-16', true],
      ['future', '2025-06-15', false],
      ['future', '2025-06-14', false],
      ['today-or-future', '2025-06-15', true],
      ['today-or-future', '2025-06-14', false],
    ] as const)('with when: %s, %s (today is 2025-06-15) is allowed: %s', (when, iso, allowed) => {
      const [y, m, d] = iso.split('-');
      expect(answer({ ...dob, when }, d, m, y).ok).toBe(allowed);
    });

    it.each([
      ['past', '15', 'Date of birth must be in the past'],
      ['today-or-past', '16', 'Date of birth must be today or in the past'],
      ['future', '15', 'Date of birth must be in the future'],
      ['today-or-future', '14', 'Date of birth must be today or in the future'],
    ] as const)('with when: %s gives %j, marking the whole date', (when, day, message) => {
      expect(answer({ ...dob, when }, day, '6', '2025')).toEqual(error(message, 'day', 'month', 'year'));
    });

    it('uses context.today, not the system clock', () => {
      const q = { ...dob, when: 'future' as const };
      const raw = date.read(q, { 'dob-day': '1', 'dob-month': '1', 'dob-year': '2000' });
      expect(date.parse(q, raw, { today: '1999-12-31' })).toEqual({ ok: true, value: '2000-01-01' });
      expect(date.parse(q, raw, { today: '2000-01-01' }).ok).toBe(false);
    });

    it('uses the past messages override', () => {
      const q = { ...dob, when: 'past' as const, messages: { past: 'You cannot be born in the future' } };
      expect(answer(q, '1', '1', '2030')).toMatchObject({
        ok: false,
        errors: [{ text: 'You cannot be born in the future' }],
      });
    });
  });

  describe('earliest and latest', () => {
    const bounded = { ...dob, earliest: '1900-01-01', latest: '2019-03-03' };

    it.each([
      ['31', '12', '1899', 'Date of birth must be the same as or after 1 January 1900'],
      ['4', '3', '2019', 'Date of birth must be the same as or before 3 March 2019'],
    ])('refuses %s/%s/%s', (d, m, y, message) => {
      expect(answer(bounded, d, m, y)).toEqual(error(message, 'day', 'month', 'year'));
    });

    it.each([
      ['1', '1', '1900', '1900-01-01'],
      ['3', '3', '2019', '2019-03-03'],
    ])('accepts the bound %s/%s/%s itself', (d, m, y, value) => {
      expect(answer(bounded, d, m, y)).toEqual({ ok: true, value });
    });
  });

  describe('view', () => {
    it('is a date input whose legend is the page heading', () => {
      const { component, params } = date.view(dob, { 'dob-day': '1' }, [], heading);
      expect(component).toBe('date-input');
      expect(params).toMatchObject({
        id: 'dob',
        namePrefix: 'dob',
        fieldset: { legend: { classes: 'govuk-fieldset__legend--l', isPageHeading: true } },
        hint: { text: 'For example, 27 3 2007' },
      });
      expect(params.errorMessage).toBeUndefined();
      expect(items(params).map((i) => [i.name, i.id, i.label, i.value, i.classes])).toEqual([
        ['day', 'dob-day', 'Day', '1', 'govuk-input--width-2'],
        ['month', 'dob-month', 'Month', '', 'govuk-input--width-2'],
        ['year', 'dob-year', 'Year', '', 'govuk-input--width-4'],
      ]);
    });

    it('uses a medium legend with "(optional)" among several questions', () => {
      expect(date.view({ ...dob, optional: true }, {}, [], inline).params.fieldset).toEqual({
        legend: { text: 'What is your date of birth? (optional)', classes: 'govuk-fieldset__legend--m' },
      });
    });

    it.each([
      ['a missing month', '1', '', '2000', ['month']],
      ['a missing day and month', '', '', '2000', ['day', 'month']],
      ['a 2-digit year', '1', '1', '25', ['year']],
      ['31 February', '31', '2', '2025', ['day']],
      ['nothing at all', '', '', '', ['day', 'month', 'year']],
    ] as const)(
      'with %s, links the error to the first part and styles only the parts in error',
      (_w, d, m, y, parts) => {
        const raw = date.read(dob, { 'dob-day': d, 'dob-month': m, 'dob-year': y });
        const result = date.parse(dob, raw, context);
        if (result.ok) throw new Error('expected an error');
        expect(result.errors[0]?.fieldId).toBe(`dob-${parts[0]}`);
        const { params } = date.view(dob, raw, result.errors, inline);
        expect(params.errorMessage).toEqual({ text: result.errors[0]?.text });
        const styled = items(params)
          .filter((i) => i.classes.includes('govuk-input--error'))
          .map((i) => i.name);
        expect(styled).toEqual(parts);
      },
    );

    it('styles every part when an error does not list its parts', () => {
      const errors: FieldError[] = [
        { questionId: 'dob', fieldId: 'dob-day', text: 'Enter your date of birth' },
      ];
      expect(
        items(date.view(dob, {}, errors, inline).params).every((i) =>
          i.classes.includes('govuk-input--error'),
        ),
      ).toBe(true);
    });

    it('adds the bday autocomplete tokens for a date of birth', () => {
      const { params } = date.view({ ...dob, autocomplete: 'bday' }, {}, [], inline);
      expect(items(params).map((i) => i.autocomplete)).toEqual(['bday-day', 'bday-month', 'bday-year']);
    });

    it('has no autocomplete tokens otherwise', () => {
      expect(items(date.view(dob, {}, [], inline).params).map((i) => i.autocomplete)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    });
  });

  describe('stored answers', () => {
    it.each([['2024-02-29'], ['2000-01-01'], ['1999-12-31'], ['1000-10-05']])(
      'round-trips %j through toRaw and parse',
      (value) => {
        expect(date.parse(dob, date.toRaw(dob, value), context)).toEqual({ ok: true, value });
      },
    );

    it('shows a stored date in the inputs without leading zeros', () => {
      expect(date.toRaw(dob, '2024-03-05')).toEqual({ 'dob-day': '5', 'dob-month': '3', 'dob-year': '2024' });
    });

    it.each([
      ['2019-03-03', '3 March 2019'],
      ['2024-02-29', '29 February 2024'],
      ['2000-12-31', '31 December 2000'],
    ])('displays %j as %j', (iso, shown) => {
      expect(date.display(dob, iso)).toBe(shown);
      expect(formatDate(iso)).toBe(shown);
    });
  });

  describe('isRealDate', () => {
    it.each([
      [2024, 2, 29, true],
      [2023, 2, 29, false],
      [2025, 2, 31, false],
      [2025, 4, 31, false],
      [2025, 13, 1, false],
      [2025, 0, 1, false],
      [2025, 1, 0, false],
    ])('says %i-%i-%i is real: %s', (y, m, d, real) => {
      expect(isRealDate(y, m, d)).toBe(real);
    });
  });
});
