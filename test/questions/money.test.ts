import type { MoneyQuestion } from '../../src/definitions/types';
import type { FormBody, ViewContext } from '../../src/questions/question-type';
import { formatPounds, money } from '../../src/questions/money';

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

const income: MoneyQuestion = {
  type: 'money',
  id: 'income',
  label: 'What was your income last year?',
  name: 'your income',
  hint: 'Before tax',
};

const answer = (q: MoneyQuestion, body: FormBody) => money.parse(q, money.read(q, body), today);
const FORMAT = 'Income must be an amount of money in pounds, like 600 or 1250.50';

describe('money question', () => {
  describe('required and optional', () => {
    it.each([
      ['missing', {}],
      ['empty', { income: '' }],
      ['spaces', { income: '  ' }],
    ])('asks the person to enter it when the answer is %s', (_what, body) => {
      expect(answer(income, body)).toEqual({
        ok: false,
        errors: [{ questionId: 'income', fieldId: 'income', text: 'Enter your income' }],
      });
    });

    it('gives undefined for an optional question left blank', () => {
      expect(answer({ ...income, optional: true }, { income: '' })).toEqual({ ok: true, value: undefined });
    });

    it('uses the messages override for the required error', () => {
      expect(answer({ ...income, messages: { required: 'Enter your income, or 0' } }, {})).toMatchObject({
        ok: false,
        errors: [{ text: 'Enter your income, or 0' }],
      });
    });
  });

  describe('normalisation to integer pence', () => {
    it.each([
      ['£1,250.50', 125050],
      ['1250.50', 125050],
      ['1,250.5', 125050],
      ['£1000', 100000],
      ['£ 1000', 100000],
      ['600', 60000],
      ['0.5', 50],
      ['0.05', 5],
      ['0', 0],
      ['0.00', 0],
      ['1 000 000', 100_000_000],
      ['1,000,000,000', 100_000_000_000],
      ['0.29', 29],
      ['1.10', 110],
      ['4.35', 435],
    ])('stores %j as %j pence', (input, pence) => {
      const result = answer(income, { income: input });
      expect(result).toEqual({ ok: true, value: pence });
      expect(result.ok && Number.isInteger(result.value)).toBe(true);
    });

    it.each([
      ['three decimal places', '1.234'],
      ['a negative amount', '-5'],
      ['a negative amount after the pound sign', '£-5'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['an exponent', '1e3'],
      ['hexadecimal', '0x10'],
      ['a word', 'ten pounds'],
      ['a trailing full stop', '5.'],
      ['two full stops', '1.2.3'],
      ['a dollar sign', '$5'],
      ['two pound signs', '££5'],
      ['full-width digits', '\uff15'],
      ['more than 12 digits of pounds', '1234567890123'],
    ])('refuses %s', (_what, input) => {
      expect(answer(income, { income: input })).toEqual({
        ok: false,
        errors: [{ questionId: 'income', fieldId: 'income', text: FORMAT }],
      });
    });

    it('refuses more than 30 characters before looking at the digits', () => {
      expect(answer(income, { income: '1'.repeat(31) })).toMatchObject({
        ok: false,
        errors: [{ text: 'Income must be 30 characters or less' }],
      });
    });
  });

  describe('bounds', () => {
    it('refuses more than the default maximum of £1 billion', () => {
      expect(answer(income, { income: '1000000000.01' })).toEqual({
        ok: false,
        errors: [
          { questionId: 'income', fieldId: 'income', text: 'Income must be £1,000,000,000.00 or less' },
        ],
      });
    });

    it.each([
      ['100.01', 'Income must be £100.00 or less'],
      ['9.99', 'Income must be £10.00 or more'],
    ])('refuses %j outside set bounds', (input, message) => {
      expect(answer({ ...income, minPence: 1000, maxPence: 10000 }, { income: input })).toMatchObject({
        ok: false,
        errors: [{ text: message }],
      });
    });

    it.each([
      ['10', 1000],
      ['100', 10000],
    ])('accepts %j on a bound', (input, pence) => {
      expect(answer({ ...income, minPence: 1000, maxPence: 10000 }, { income: input })).toEqual({
        ok: true,
        value: pence,
      });
    });

    it.each([
      ['format', 'abc', 'Enter an amount like £12.50'],
      ['min', '1', 'Too little'],
      ['max', '1000', 'Too much'],
    ])('uses the %s messages override', (rule, input, message) => {
      const q = { ...income, minPence: 1000, maxPence: 10000, messages: { [rule]: message } };
      expect(answer(q, { income: input })).toMatchObject({ ok: false, errors: [{ text: message }] });
    });
  });

  describe('view', () => {
    it('has a £ prefix, decimal keyboard and no spellcheck, the label as the page heading', () => {
      const { component, params } = money.view(income, { income: '12.50' }, [], heading);
      expect(component).toBe('input');
      expect(params).toMatchObject({
        id: 'income',
        name: 'income',
        value: '12.50',
        prefix: { text: '£' },
        inputmode: 'decimal',
        spellcheck: false,
        classes: 'govuk-input--width-10',
        label: { classes: 'govuk-label--l', isPageHeading: true },
        hint: { text: 'Before tax' },
      });
    });

    it('appends "(optional)" and attaches the error message', () => {
      const errors = [{ questionId: 'income', fieldId: 'income', text: FORMAT }];
      const { params } = money.view({ ...income, optional: true }, {}, errors, inline);
      expect(params.label).toEqual({
        text: 'What was your income last year? (optional)',
        classes: 'govuk-label--m',
      });
      expect(params.errorMessage).toEqual({ text: FORMAT });
    });
  });

  describe('stored answers', () => {
    it.each([[0], [5], [50], [60000], [125050], [100_000_000_000], [99_999_999_999]])(
      'round-trips %j pence through toRaw and parse',
      (pence) => {
        expect(money.parse(income, money.toRaw(income, pence), today)).toEqual({ ok: true, value: pence });
      },
    );

    it.each([
      [125050, '£1,250.50'],
      [50, '£0.50'],
      [0, '£0.00'],
      [100_000_000_000, '£1,000,000,000.00'],
    ])('displays %j pence as %j', (pence, shown) => {
      expect(money.display(income, pence)).toBe(shown);
      expect(formatPounds(pence)).toBe(shown);
    });
  });
});
