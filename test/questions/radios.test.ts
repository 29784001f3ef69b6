import type { Question, RadiosQuestion, YesNoQuestion } from '../../src/definitions/types';
import type { FieldError, FormBody, RawInput, ViewContext } from '../../src/questions/question-type';
import { chosenOption, radios, yesNo } from '../../src/questions/radios';

const today = { today: '2025-06-15' };

/** Renders a follow-up question as a marker naming its id, its input and its errors. */
const renderNested = (question: Question, raw: RawInput, errors: readonly FieldError[]) =>
  `<nested id="${question.id}" raw="${JSON.stringify(raw)}" errors="${errors.map((e) => e.text).join('|')}">`;
const inline: ViewContext = { isPageHeading: false, renderNested };
const heading: ViewContext = { isPageHeading: true, caption: 'Contact', renderNested };

const contactEmail: Question = {
  type: 'email',
  id: 'contactEmail',
  label: 'Email address',
  name: 'your email address',
};

const contact: RadiosQuestion = {
  type: 'radios',
  id: 'contact',
  label: 'How should we contact you?',
  name: 'how we should contact you',
  hint: 'Select one option',
  options: [
    { value: 'email', text: 'Email', conditional: contactEmail },
    { value: 'phone', text: 'Phone', hint: 'We will call between 9am and 5pm' },
    { value: 'post', text: 'Post' },
  ],
};

const passport: YesNoQuestion = {
  type: 'yes-no',
  id: 'hasPassport',
  label: 'Do you have a UK passport?',
  name: 'whether you have a UK passport',
};

const answer = (q: RadiosQuestion, body: FormBody) => radios.parse(q, radios.read(q, body), today);
const answerYesNo = (q: YesNoQuestion, body: FormBody) => yesNo.parse(q, yesNo.read(q, body), today);

type Item = {
  id: string;
  value: string;
  text: string;
  hint?: { text: string };
  conditional?: { html: string };
};
const items = (params: Record<string, unknown>) => params.items as Item[];

describe('radios question', () => {
  describe('answers', () => {
    it.each([['email'], ['phone'], ['post']])('accepts the option %j', (value) => {
      expect(answer(contact, { contact: value })).toEqual({ ok: true, value });
    });

    it('accepts an option with spaces around it', () => {
      expect(answer(contact, { contact: ' post ' })).toEqual({ ok: true, value: 'post' });
    });

    it.each([
      ['nothing', {}],
      ['an empty value', { contact: '' }],
      ['a value that is not an option (forged)', { contact: 'carrier-pigeon' }],
      ['an option in the wrong case', { contact: 'Email' }],
      ['an option text instead of its value', { contact: 'Phone' }],
      ['two options at once', { contact: ['email', 'phone'] }],
      ['an object', { contact: { email: 1 } }],
      ['a number', { contact: 1 }],
      ['a prototype property name', { contact: 'toString' }],
    ])('asks the person to select an option when given %s', (_what, body) => {
      expect(answer(contact, body)).toEqual({
        ok: false,
        errors: [{ questionId: 'contact', fieldId: 'contact', text: 'Select how we should contact you' }],
      });
    });

    it('gives undefined for an optional question left blank', () => {
      expect(answer({ ...contact, optional: true }, {})).toEqual({ ok: true, value: undefined });
    });

    it('still refuses a forged value on an optional question', () => {
      expect(answer({ ...contact, optional: true }, { contact: 'forged' })).toMatchObject({
        ok: false,
        errors: [{ text: 'Select how we should contact you' }],
      });
    });

    it('uses the messages override for the required error', () => {
      const q = { ...contact, messages: { required: 'Select how you would like to be contacted' } };
      expect(answer(q, {})).toMatchObject({
        ok: false,
        errors: [{ text: 'Select how you would like to be contacted' }],
      });
    });
  });

  describe('view', () => {
    it('gives the first radio the question id, so the error summary link lands on it', () => {
      const ids = items(radios.view(contact, {}, [], inline).params).map((i) => i.id);
      expect(ids).toEqual(['contact', 'contact-2', 'contact-3']);
    });

    it('makes the legend the page heading when it is the only question', () => {
      const { component, params } = radios.view(contact, { contact: 'phone' }, [], heading);
      expect(component).toBe('radios');
      expect(params).toMatchObject({
        idPrefix: 'contact',
        name: 'contact',
        value: 'phone',
        fieldset: { legend: { classes: 'govuk-fieldset__legend--l', isPageHeading: true } },
        hint: { text: 'Select one option' },
      });
      const legend = (params.fieldset as { legend: { html: string } }).legend;
      expect(legend.html).toBe('<span class="govuk-caption-l">Contact</span> How should we contact you?');
    });

    it('uses a medium legend with "(optional)" among several questions', () => {
      expect(radios.view({ ...contact, optional: true }, {}, [], inline).params.fieldset).toEqual({
        legend: { text: 'How should we contact you? (optional)', classes: 'govuk-fieldset__legend--m' },
      });
    });

    it('shows option text and hints', () => {
      const [email, phone] = items(radios.view(contact, {}, [], inline).params);
      expect(email).toMatchObject({ value: 'email', text: 'Email', hint: undefined });
      expect(phone).toMatchObject({
        value: 'phone',
        text: 'Phone',
        hint: { text: 'We will call between 9am and 5pm' },
      });
    });

    it('attaches the error message', () => {
      const errors = [
        { questionId: 'contact', fieldId: 'contact', text: 'Select how we should contact you' },
      ];
      expect(radios.view(contact, {}, errors, inline).params.errorMessage).toEqual({
        text: 'Select how we should contact you',
      });
    });

    it('puts the rendered follow-up question into conditional.html, with its own input and errors', () => {
      const errors = [
        { questionId: 'contactEmail', fieldId: 'contactEmail', text: 'Enter your email address' },
      ];
      const context: ViewContext = {
        ...inline,
        nested: { contactEmail: { raw: { contactEmail: 'x' }, errors } },
      };
      const [email, phone, post] = items(radios.view(contact, { contact: 'email' }, [], context).params);
      expect(email?.conditional).toEqual({
        html: `<nested id="contactEmail" raw="${JSON.stringify({ contactEmail: 'x' })}" errors="Enter your email address">`,
      });
      expect(phone?.conditional).toBeUndefined();
      expect(post?.conditional).toBeUndefined();
    });

    it('renders a follow-up with empty input and no errors when none are given', () => {
      const [email] = items(radios.view(contact, {}, [], inline).params);
      expect(email?.conditional).toEqual({ html: '<nested id="contactEmail" raw="{}" errors="">' });
    });

    it.each([
      [{}, undefined],
      [{ inline: true }, 'govuk-radios--inline'],
      [{ small: true }, 'govuk-radios--small'],
      [{ inline: true, small: true }, 'govuk-radios--inline govuk-radios--small'],
    ])('sets the classes for %j to %j', (extra, classes) => {
      expect(radios.view({ ...contact, ...extra }, {}, [], inline).params.classes).toBe(classes);
    });
  });

  describe('stored answers', () => {
    it.each([['email'], ['phone'], ['post']])('round-trips %j through toRaw and parse', (value) => {
      expect(radios.parse(contact, radios.toRaw(contact, value), today)).toEqual({ ok: true, value });
    });

    it('displays the option text', () => {
      expect(radios.display(contact, 'post')).toBe('Post');
    });

    it('finds the chosen option only for an exact option value', () => {
      expect(chosenOption(contact.options, 'phone')?.text).toBe('Phone');
      expect(chosenOption(contact.options, 'Phone')).toBeUndefined();
      expect(chosenOption(contact.options, undefined)).toBeUndefined();
    });
  });
});

describe('yes-no question', () => {
  it.each([
    ['yes', 'yes'],
    ['no', 'no'],
  ])('accepts %j', (input, value) => {
    expect(answerYesNo(passport, { hasPassport: input })).toEqual({ ok: true, value });
  });

  it.each([
    ['nothing', {}],
    ['"Yes" with a capital (the text, not the value)', { hasPassport: 'Yes' }],
    ['"true"', { hasPassport: 'true' }],
    ['"maybe"', { hasPassport: 'maybe' }],
    ['both', { hasPassport: ['yes', 'no'] }],
  ])('asks the person to select yes or no when given %s', (_what, body) => {
    expect(answerYesNo(passport, body)).toEqual({
      ok: false,
      errors: [
        { questionId: 'hasPassport', fieldId: 'hasPassport', text: 'Select whether you have a UK passport' },
      ],
    });
  });

  it('gives undefined for an optional question left blank', () => {
    expect(answerYesNo({ ...passport, optional: true }, { hasPassport: '' })).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('uses the messages override', () => {
    const q = { ...passport, messages: { required: 'Select yes if you have a UK passport' } };
    expect(answerYesNo(q, {})).toMatchObject({
      ok: false,
      errors: [{ text: 'Select yes if you have a UK passport' }],
    });
  });

  it('shows inline Yes and No radios, the first carrying the question id', () => {
    const { component, params } = yesNo.view(passport, { hasPassport: 'no' }, [], heading);
    expect(component).toBe('radios');
    expect(params).toMatchObject({ classes: 'govuk-radios--inline', value: 'no', name: 'hasPassport' });
    expect(items(params).map((i) => [i.id, i.value, i.text])).toEqual([
      ['hasPassport', 'yes', 'Yes'],
      ['hasPassport-2', 'no', 'No'],
    ]);
  });

  it.each([
    ['yes', 'Yes'],
    ['no', 'No'],
  ])('round-trips %j and displays it as %j', (value, shown) => {
    expect(yesNo.parse(passport, yesNo.toRaw(passport, value), today)).toEqual({ ok: true, value });
    expect(yesNo.display(passport, value)).toBe(shown);
  });
});
