import type { AddressQuestion, AddressValue } from '../../src/definitions/types';
import { address } from '../../src/questions/address';
import type { FormBody, ViewContext } from '../../src/questions/question-type';

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

const home: AddressQuestion = {
  type: 'address',
  id: 'home',
  label: 'What is your address?',
  name: 'your address',
  hint: 'The address where you live now',
};

const full = {
  'home-line1': '10 Downing Street',
  'home-line2': 'Westminster',
  'home-town': 'London',
  'home-county': 'Greater London',
  'home-postcode': 'sw1a2aa',
};

const answer = (q: AddressQuestion, body: FormBody) => address.parse(q, address.read(q, body), today);
const err = (part: string, text: string) => ({ questionId: 'home', fieldId: `home-${part}`, text });

type Input = { id: string; name: string; value: string; label: { text: string }; autocomplete: string };
const inputs = (params: Record<string, unknown>) =>
  params.inputs as (Input & { errorMessage?: { text: string } })[];

describe('address question', () => {
  describe('answers', () => {
    it('stores every part, the postcode normalised', () => {
      expect(answer(home, full)).toEqual({
        ok: true,
        value: {
          line1: '10 Downing Street',
          line2: 'Westminster',
          town: 'London',
          county: 'Greater London',
          postcode: 'SW1A 2AA',
        },
      });
    });

    it('leaves the optional parts out of the value when they are blank', () => {
      const result = answer(home, { ...full, 'home-line2': '  ', 'home-county': '' });
      expect(result).toEqual({
        ok: true,
        value: { line1: '10 Downing Street', town: 'London', postcode: 'SW1A 2AA' },
      });
      expect(result.ok && result.value && Object.keys(result.value)).toEqual(['line1', 'town', 'postcode']);
    });

    it('cleans each part: trimmed, NFC, no invisible or control characters', () => {
      const result = answer(home, {
        ...full,
        'home-line1': '  1 Rue\u200b de la Paix\u0000 ',
        'home-town': 'Ame\u0301lie\r\nTown',
      });
      expect(result).toMatchObject({
        ok: true,
        value: { line1: '1 Rue de la Paix', town: 'Am\u00e9lie Town' },
      });
    });

    it('gives one error for each missing required part, in the order of the form', () => {
      expect(answer(home, { 'home-line2': 'Flat 2' })).toEqual({
        ok: false,
        errors: [
          err('line1', 'Enter address line 1, typically the building and street'),
          err('town', 'Enter town or city'),
          err('postcode', 'Enter postcode'),
        ],
      });
    });

    it.each([
      ['line 1', 'home-line1', [err('line1', 'Enter address line 1, typically the building and street')]],
      ['town', 'home-town', [err('town', 'Enter town or city')]],
      ['postcode', 'home-postcode', [err('postcode', 'Enter postcode')]],
    ])('asks for %s alone when only it is missing', (_what, field, errors) => {
      expect(answer(home, { ...full, [field]: '' })).toEqual({ ok: false, errors });
    });

    it.each([['SW1A1A'], ['Q1 1AA'], ['not a postcode'], ['12345']])(
      'refuses the postcode %j',
      (postcode) => {
        expect(answer(home, { ...full, 'home-postcode': postcode })).toEqual({
          ok: false,
          errors: [err('postcode', 'Enter a full UK postcode')],
        });
      },
    );

    it.each([
      ['line1', 'Address line 1 must be 100 characters or less', 101],
      ['line2', 'Address line 2 must be 100 characters or less', 101],
      ['town', 'Town or city must be 60 characters or less', 61],
      ['county', 'County must be 60 characters or less', 61],
      ['postcode', 'Postcode must be 16 characters or less', 17],
    ])('refuses a %s that is too long', (part, text, length) => {
      expect(answer(home, { ...full, [`home-${part}`]: 'a'.repeat(length) })).toEqual({
        ok: false,
        errors: [err(part, text)],
      });
    });

    it('gives undefined for an optional address left blank', () => {
      expect(answer({ ...home, optional: true }, {})).toEqual({ ok: true, value: undefined });
    });

    it('validates an optional address that is partly filled in', () => {
      expect(answer({ ...home, optional: true }, { 'home-town': 'Leeds' })).toMatchObject({
        ok: false,
        errors: [{ fieldId: 'home-line1' }, { fieldId: 'home-postcode' }],
      });
    });

    it.each([
      ['line1Required', { ...full, 'home-line1': '' }, 'Enter the first line of the address'],
      ['townRequired', { ...full, 'home-town': '' }, 'Enter the town'],
      ['postcodeRequired', { ...full, 'home-postcode': '' }, 'Enter the postcode'],
      ['postcodeFormat', { ...full, 'home-postcode': 'nope' }, 'Enter a real postcode'],
    ])('uses the %s messages override', (rule, body, text) => {
      expect(answer({ ...home, messages: { [rule]: text } }, body)).toMatchObject({
        ok: false,
        errors: [{ text }],
      });
    });
  });

  describe('view', () => {
    it('has the address autocomplete tokens on each input', () => {
      expect(
        inputs(address.view(home, {}, [], inline).params).map((i) => [i.id, i.name, i.autocomplete]),
      ).toEqual([
        ['home-line1', 'home-line1', 'address-line1'],
        ['home-line2', 'home-line2', 'address-line2'],
        ['home-town', 'home-town', 'address-level2'],
        ['home-county', 'home-county', 'address-level1'],
        ['home-postcode', 'home-postcode', 'postal-code'],
      ]);
    });

    it('labels the optional parts "(optional)"', () => {
      expect(inputs(address.view(home, {}, [], inline).params).map((i) => i.label.text)).toEqual([
        'Address line 1',
        'Address line 2 (optional)',
        'Town or city',
        'County (optional)',
        'Postcode',
      ]);
    });

    it('makes the legend the page heading and shows what was typed', () => {
      const { component, params } = address.view(home, address.read(home, full), [], heading);
      expect(component).toBe('address');
      expect(params).toMatchObject({
        fieldset: { legend: { classes: 'govuk-fieldset__legend--l', isPageHeading: true } },
        hint: { text: 'The address where you live now' },
        hasError: false,
      });
      expect(inputs(params).map((i) => i.value)).toEqual([
        '10 Downing Street',
        'Westminster',
        'London',
        'Greater London',
        'sw1a2aa',
      ]);
    });

    it('uses a medium legend with "(optional)" among several questions', () => {
      expect(address.view({ ...home, optional: true }, {}, [], inline).params.fieldset).toEqual({
        legend: { text: 'What is your address? (optional)', classes: 'govuk-fieldset__legend--m' },
      });
    });

    it('attaches each error to its own input', () => {
      const result = answer(home, { 'home-line1': 'x', 'home-postcode': 'nope' });
      if (result.ok) throw new Error('expected errors');
      const { params } = address.view(home, {}, result.errors, inline);
      expect(params.hasError).toBe(true);
      expect(inputs(params).map((i) => i.errorMessage)).toEqual([
        undefined,
        undefined,
        { text: 'Enter town or city' },
        undefined,
        { text: 'Enter a full UK postcode' },
      ]);
    });
  });

  describe('stored answers', () => {
    it.each<[string, AddressValue]>([
      [
        'a full address',
        { line1: '1 High St', line2: 'Flat 2', town: 'Leeds', county: 'West Yorkshire', postcode: 'LS1 1AA' },
      ],
      ['an address without optional parts', { line1: '1 High St', town: 'Leeds', postcode: 'LS1 1AA' }],
      ['a BFPO address', { line1: 'Unit 1', town: 'BFPO', postcode: 'BFPO 1234' }],
    ])('round-trips %s through toRaw and parse', (_what, value) => {
      expect(address.parse(home, address.toRaw(home, value), today)).toEqual({ ok: true, value });
    });

    it('displays the parts that are present, one a line', () => {
      expect(address.display(home, { line1: '1 High St', town: 'Leeds', postcode: 'LS1 1AA' })).toEqual([
        '1 High St',
        'Leeds',
        'LS1 1AA',
      ]);
    });
  });
});
