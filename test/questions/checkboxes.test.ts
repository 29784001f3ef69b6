import type { CheckboxesQuestion } from '../../src/definitions/types';
import { checkboxes } from '../../src/questions/checkboxes';
import type { FormBody, ViewContext } from '../../src/questions/question-type';

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

const benefits: CheckboxesQuestion = {
  type: 'checkboxes',
  id: 'benefits',
  label: 'Which benefits do you get?',
  name: 'which benefits you get',
  options: [
    { value: 'universal-credit', text: 'Universal Credit' },
    { value: 'pension-credit', text: 'Pension Credit', hint: 'Guarantee or savings credit' },
    { value: 'child-benefit', text: 'Child Benefit' },
  ],
  exclusiveOption: { value: 'none', text: 'None of these' },
};

const answer = (q: CheckboxesQuestion, body: FormBody) =>
  checkboxes.parse(q, checkboxes.read(q, body), today);
const REQUIRED = {
  ok: false,
  errors: [{ questionId: 'benefits', fieldId: 'benefits', text: 'Select which benefits you get' }],
};

type Item = {
  id?: string;
  value?: string;
  text?: string;
  divider?: string;
  behaviour?: string;
  hint?: unknown;
};
const items = (params: Record<string, unknown>) => params.items as Item[];

describe('checkboxes question', () => {
  describe('answers', () => {
    it.each([
      ['one option as a string', 'child-benefit', ['child-benefit']],
      ['one option as a list', ['child-benefit'], ['child-benefit']],
      [
        'options in the order listed',
        ['universal-credit', 'child-benefit'],
        ['universal-credit', 'child-benefit'],
      ],
      [
        'options in a different order, stored in option order',
        ['child-benefit', 'pension-credit', 'universal-credit'],
        ['universal-credit', 'pension-credit', 'child-benefit'],
      ],
      ['the same option twice, stored once', ['child-benefit', 'child-benefit'], ['child-benefit']],
      ['the exclusive option alone', ['none'], ['none']],
      ['an option with an empty value beside it', ['', 'pension-credit'], ['pension-credit']],
      ['an option with spaces around it', [' pension-credit '], ['pension-credit']],
    ])('accepts %s', (_what, input, value) => {
      expect(answer(benefits, { benefits: input })).toEqual({ ok: true, value });
    });

    it.each([
      ['nothing', {}],
      ['an empty string', { benefits: '' }],
      ['an empty list', { benefits: [] }],
      ['a value that is not an option (forged)', { benefits: 'jobseekers-allowance' }],
      ['a forged value beside a real option', { benefits: ['child-benefit', 'forged'] }],
      ['an option text instead of its value', { benefits: 'Child Benefit' }],
      ['an object', { benefits: { 'child-benefit': 'on' } }],
      ['a number', { benefits: 3 }],
      ['a list of non-strings', { benefits: [1, null, {}] }],
    ])('asks the person to select an option when given %s', (_what, body) => {
      expect(answer(benefits, body)).toEqual(REQUIRED);
    });

    it.each([
      ['the exclusive option with another', ['none', 'child-benefit']],
      ['another option with the exclusive one', ['universal-credit', 'none']],
    ])('refuses %s with the exclusive message', (_what, input) => {
      expect(answer(benefits, { benefits: input })).toEqual({
        ok: false,
        errors: [
          {
            questionId: 'benefits',
            fieldId: 'benefits',
            text: 'Select which benefits you get, or select ‘None of these’',
          },
        ],
      });
    });

    it('ignores list items beyond the number of options, so a huge forged list costs nothing', () => {
      const raw = checkboxes.read(benefits, {
        benefits: Array.from({ length: 10_000 }, () => 'child-benefit'),
      });
      expect((raw.benefits as readonly string[]).length).toBeLessThanOrEqual(5);
      expect(checkboxes.parse(benefits, raw, today)).toEqual({ ok: true, value: ['child-benefit'] });
    });

    it('gives undefined for an optional question left blank', () => {
      expect(answer({ ...benefits, optional: true }, {})).toEqual({ ok: true, value: undefined });
    });

    it.each([
      ['required', {}, 'Select the benefits you get'],
      ['exclusive', { benefits: ['none', 'child-benefit'] }, 'Select benefits, or None of these, not both'],
    ])('uses the %s messages override', (rule, body, message) => {
      expect(answer({ ...benefits, messages: { [rule]: message } }, body)).toMatchObject({
        ok: false,
        errors: [{ text: message }],
      });
    });
  });

  describe('view', () => {
    it('lists the options, then an "or" divider and the exclusive option, the first carrying the question id', () => {
      expect(items(checkboxes.view(benefits, {}, [], inline).params)).toEqual([
        { id: 'benefits', value: 'universal-credit', text: 'Universal Credit', hint: undefined },
        {
          id: 'benefits-2',
          value: 'pension-credit',
          text: 'Pension Credit',
          hint: { text: 'Guarantee or savings credit' },
        },
        { id: 'benefits-3', value: 'child-benefit', text: 'Child Benefit', hint: undefined },
        { divider: 'or' },
        { id: 'benefits-4', value: 'none', text: 'None of these', behaviour: 'exclusive' },
      ]);
    });

    it('has no divider without an exclusive option', () => {
      const { exclusiveOption: _none, ...plain } = benefits;
      expect(items(checkboxes.view(plain, {}, [], inline).params).map((i) => i.value)).toEqual([
        'universal-credit',
        'pension-credit',
        'child-benefit',
      ]);
    });

    it('makes the legend the page heading and ticks the chosen options', () => {
      const { component, params } = checkboxes.view(benefits, { benefits: ['child-benefit'] }, [], heading);
      expect(component).toBe('checkboxes');
      expect(params).toMatchObject({
        idPrefix: 'benefits',
        name: 'benefits',
        values: ['child-benefit'],
        fieldset: { legend: { classes: 'govuk-fieldset__legend--l', isPageHeading: true } },
        hint: { text: 'Select all that apply' },
      });
    });

    it('uses the question hint when there is one, and "(optional)" on an optional question', () => {
      const { params } = checkboxes.view(
        { ...benefits, hint: 'Include pending claims', optional: true },
        {},
        [],
        inline,
      );
      expect(params.hint).toEqual({ text: 'Include pending claims' });
      expect(params.fieldset).toEqual({
        legend: { text: 'Which benefits do you get? (optional)', classes: 'govuk-fieldset__legend--m' },
      });
    });

    it('attaches the error message', () => {
      const errors = [{ questionId: 'benefits', fieldId: 'benefits', text: 'Select which benefits you get' }];
      expect(checkboxes.view(benefits, {}, errors, inline).params.errorMessage).toEqual({
        text: 'Select which benefits you get',
      });
    });
  });

  describe('stored answers', () => {
    it.each([[['child-benefit']], [['universal-credit', 'pension-credit']], [['none']]])(
      'round-trips %j through toRaw and parse',
      (value) => {
        expect(checkboxes.parse(benefits, checkboxes.toRaw(benefits, value), today)).toEqual({
          ok: true,
          value,
        });
      },
    );

    it('displays the text of each chosen option, the exclusive one included', () => {
      expect(checkboxes.display(benefits, ['universal-credit', 'child-benefit'])).toEqual([
        'Universal Credit',
        'Child Benefit',
      ]);
      expect(checkboxes.display(benefits, ['none'])).toEqual(['None of these']);
    });
  });
});
