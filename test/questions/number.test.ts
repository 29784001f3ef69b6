import type { NumberQuestion } from '../../src/definitions/types';
import type { FormBody, ViewContext } from '../../src/questions/question-type';
import { number } from '../../src/questions/number';

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

const people: NumberQuestion = {
  type: 'number',
  id: 'people',
  label: 'How many people live at the address?',
  name: 'how many people live at the address',
  hint: 'Include yourself',
};

const answer = (q: NumberQuestion, body: FormBody) => number.parse(q, number.read(q, body), today);
const FORMAT = 'How many people live at the address must be a whole number, like 15';

describe('number question', () => {
  describe('required and optional', () => {
    it.each([
      ['missing', {}],
      ['empty', { people: '' }],
      ['spaces', { people: '   ' }],
    ])('asks the person to enter it when the answer is %s', (_what, body) => {
      expect(answer(people, body)).toEqual({
        ok: false,
        errors: [
          { questionId: 'people', fieldId: 'people', text: 'Enter how many people live at the address' },
        ],
      });
    });

    it('gives undefined for an optional question left blank', () => {
      expect(answer({ ...people, optional: true }, {})).toEqual({ ok: true, value: undefined });
    });

    it('uses the messages override for the required error', () => {
      expect(answer({ ...people, messages: { required: 'Enter a number' } }, {})).toMatchObject({
        ok: false,
        errors: [{ text: 'Enter a number' }],
      });
    });
  });

  describe('normalisation', () => {
    it.each([
      ['15', 15],
      ['1,500', 1500],
      ['1 500', 1500],
      [' 42 ', 42],
      ['007', 7],
      ['0', 0],
      ['-5', -5],
      ['999999999999999', 999_999_999_999_999],
    ])('stores %j as %j', (input, value) => {
      expect(answer(people, { people: input })).toEqual({ ok: true, value });
    });

    it('stores -0 as 0, not negative zero', () => {
      const result = answer(people, { people: '-0' });
      expect(result.ok).toBe(true);
      expect(result.ok && Object.is(result.value, 0)).toBe(true);
    });

    it.each([
      ['a decimal', '1.5'],
      ['a word', 'ten'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['an exponent', '1e3'],
      ['hexadecimal', '0x10'],
      ['a plus sign', '+5'],
      ['only a minus sign', '-'],
      ['full-width digits', '\uff11\uff12'],
      ['Arabic-Indic digits', '\u0663'],
      ['16 digits, beyond exact integers', '1234567890123456'],
      ['a number followed by words', '5 people'],
    ])('refuses %s', (_what, input) => {
      expect(answer(people, { people: input })).toEqual({
        ok: false,
        errors: [{ questionId: 'people', fieldId: 'people', text: FORMAT }],
      });
    });

    it('refuses more than 20 characters before looking at the digits', () => {
      expect(answer(people, { people: '1'.repeat(21) })).toMatchObject({
        ok: false,
        errors: [{ text: 'How many people live at the address must be 20 characters or less' }],
      });
    });
  });

  describe('bounds', () => {
    const bounded = { ...people, min: 1, max: 20 };

    it.each([
      ['0', 'How many people live at the address must be 1 or more'],
      ['21', 'How many people live at the address must be 20 or less'],
    ])('refuses %j outside the bounds', (input, message) => {
      expect(answer(bounded, { people: input })).toMatchObject({ ok: false, errors: [{ text: message }] });
    });

    it.each([['1'], ['20']])('accepts %j on a bound (bounds are inclusive)', (input) => {
      expect(answer(bounded, { people: input })).toEqual({ ok: true, value: Number(input) });
    });

    it.each([
      ['format', 'abc', 'Enter a number like 3'],
      ['min', '0', 'At least one person'],
      ['max', '99', 'No more than 20 people'],
    ])('uses the %s messages override', (rule, input, message) => {
      expect(answer({ ...bounded, messages: { [rule]: message } }, { people: input })).toMatchObject({
        ok: false,
        errors: [{ text: message }],
      });
    });
  });

  describe('units in messages', () => {
    const depth: NumberQuestion = {
      type: 'number',
      id: 'depth',
      label: 'How deep is the pothole?',
      name: 'the depth',
      min: 1,
      max: 100,
      suffix: 'cm',
      unit: 'centimetres',
    };
    const engine: NumberQuestion = {
      type: 'number',
      id: 'engine',
      label: 'What is the engine size?',
      name: 'the engine size',
      min: 1,
      max: 10000,
      suffix: 'cc',
      unit: 'cc',
      example: 1598,
    };
    const textOf = (q: NumberQuestion, value: string) => {
      const result = answer(q, { [q.id]: value });
      return result.ok ? null : result.errors[0]?.text;
    };

    it.each([
      [depth, '', 'Enter the depth in centimetres'],
      [depth, 'deep', 'Depth must be a whole number of centimetres, like 15'],
      [depth, '0', 'Depth must be 1 centimetre or more'],
      [depth, '150', 'Depth must be 100 centimetres or less'],
      [engine, '1.6', 'Engine size must be a whole number of cc, like 1598'],
      [engine, '20000', 'Engine size must be 10,000 cc or less'],
    ] as const)('says what is wrong with the unit (%#)', (q, value, text) => {
      expect(textOf(q, value)).toBe(text);
    });
  });

  describe('view', () => {
    it('is a numeric input without spellcheck, the label as the page heading', () => {
      const { component, params } = number.view(people, { people: '3' }, [], heading);
      expect(component).toBe('input');
      expect(params).toMatchObject({
        id: 'people',
        name: 'people',
        value: '3',
        inputmode: 'numeric',
        spellcheck: false,
        classes: 'govuk-input--width-10',
        label: { classes: 'govuk-label--l', isPageHeading: true },
        hint: { text: 'Include yourself' },
      });
    });

    it('shows a suffix and "(optional)"', () => {
      const { params } = number.view({ ...people, suffix: 'people', optional: true }, {}, [], inline);
      expect(params.suffix).toEqual({ text: 'people' });
      expect(params.label).toEqual({
        text: 'How many people live at the address? (optional)',
        classes: 'govuk-label--m',
      });
    });

    it('attaches the error message', () => {
      const errors = [{ questionId: 'people', fieldId: 'people', text: FORMAT }];
      expect(number.view(people, { people: 'x' }, errors, inline).params.errorMessage).toEqual({
        text: FORMAT,
      });
    });
  });

  describe('stored answers', () => {
    it.each([[0], [7], [1500], [-3], [999_999_999_999_999]])(
      'round-trips %j through toRaw and parse',
      (value) => {
        expect(number.parse(people, number.toRaw(people, value), today)).toEqual({ ok: true, value });
      },
    );

    it.each([
      [people, 1500, '1,500'],
      [{ ...people, suffix: 'people' }, 3, '3 people'],
    ])('displays %#: %j as %j', (q, value, shown) => {
      expect(number.display(q, value)).toBe(shown);
    });
  });
});
