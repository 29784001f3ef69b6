import type { Question } from '../../src/definitions/types';
import {
  email,
  nationalInsuranceNumber,
  phone,
  postcode,
  utr,
  vehicleRegistration,
  vin,
} from '../../src/questions/identifiers';
import type { FormBody, QuestionTypeModule, ViewContext } from '../../src/questions/question-type';

// The format rules themselves are tested in ./formats; these check the wording, the input attributes and the
// plumbing from the form body to the stored value.

const today = { today: '2025-06-15' };
const inline: ViewContext = { isPageHeading: false, renderNested: () => '' };
const heading: ViewContext = { isPageHeading: true, renderNested: () => '' };

type Case = Readonly<{
  title: string;
  module: QuestionTypeModule;
  question: Question;
  valid: readonly (readonly [input: string, value: string])[];
  invalid: string;
  format: string;
  maxLength: number;
  display: readonly [value: string, shown: string];
  input: Record<string, unknown>;
}>;

const any = (m: unknown) => m as QuestionTypeModule;

const CASES: readonly Case[] = [
  {
    title: 'email',
    module: any(email),
    question: { type: 'email', id: 'email', label: 'Email address', name: 'your email address' },
    valid: [
      ['name@example.com', 'name@example.com'],
      ['  Name@Example.COM  ', 'Name@example.com'],
    ],
    invalid: 'name@example',
    format: 'Enter an email address in the correct format, like name@example.com',
    maxLength: 254,
    display: ['name@example.com', 'name@example.com'],
    input: { type: 'email', autocomplete: 'email', spellcheck: false },
  },
  {
    title: 'phone',
    module: any(phone),
    question: { type: 'phone', id: 'phone', label: 'Phone number', name: 'your phone number' },
    valid: [
      ['07700 900 982', '+447700900982'],
      ['+44 808 157 0192', '+448081570192'],
    ],
    invalid: 'call me',
    format: 'Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
    maxLength: 30,
    display: ['+447700900982', '07700 900982'],
    input: { type: 'tel', autocomplete: 'tel', classes: 'govuk-input--width-20' },
  },
  {
    title: 'postcode',
    module: any(postcode),
    question: { type: 'postcode', id: 'postcode', label: 'Postcode', name: 'your postcode' },
    valid: [
      ['sw1a1aa', 'SW1A 1AA'],
      ['  SW1A 1AA ', 'SW1A 1AA'],
      ['m11ae', 'M1 1AE'],
    ],
    invalid: 'SW1A1A',
    format: 'Enter a full UK postcode',
    maxLength: 16,
    display: ['SW1A 1AA', 'SW1A 1AA'],
    input: { autocomplete: 'postal-code', spellcheck: false, classes: 'govuk-input--width-10' },
  },
  {
    title: 'National Insurance number',
    module: any(nationalInsuranceNumber),
    question: {
      type: 'national-insurance-number',
      id: 'nino',
      label: 'What is your National Insurance number?',
      name: 'your National Insurance number',
    },
    valid: [
      ['JG 10 37 23 A', 'JG103723A'],
      ['jg 10 37 23 a', 'JG103723A'],
      ['jg103723a', 'JG103723A'],
    ],
    invalid: 'QQ 12 34 56 C',
    format:
      'Enter a National Insurance number that is 2 letters, 6 numbers, then A, B, C or D, like QQ 12 34 56 C',
    maxLength: 20,
    display: ['JG103723A', 'JG 10 37 23 A'],
    input: { spellcheck: false, classes: 'govuk-input--width-10' },
  },
  {
    title: 'Unique Taxpayer Reference',
    module: any(utr),
    question: { type: 'utr', id: 'utr', label: 'What is your UTR?', name: 'your Unique Taxpayer Reference' },
    valid: [
      ['22345 67890', '2234567890'],
      ['2234567890k', '2234567890'],
    ],
    invalid: '1234567890',
    format: 'Enter a real Unique Taxpayer Reference: check you have typed all 10 numbers correctly',
    maxLength: 20,
    display: ['2234567890', '22345 67890'],
    input: { spellcheck: false, inputmode: 'numeric', classes: 'govuk-input--width-10' },
  },
  {
    title: 'vehicle registration',
    module: any(vehicleRegistration),
    question: {
      type: 'vehicle-registration',
      id: 'vrm',
      label: 'What is the registration number?',
      name: 'the registration number',
    },
    valid: [
      ['cu57 abc', 'CU57ABC'],
      ['AB51-ABC', 'AB51ABC'],
    ],
    invalid: '!!!',
    format: 'Enter a registration number in the correct format, like CU57 ABC',
    maxLength: 12,
    display: ['CU57ABC', 'CU57 ABC'],
    input: {
      spellcheck: false,
      autocomplete: 'off',
      classes: 'govuk-input--width-10 govuk-input--extra-letter-spacing',
    },
  },
  {
    title: 'VIN',
    module: any(vin),
    question: {
      type: 'vin',
      id: 'vin',
      label: 'What is the vehicle identification number?',
      name: 'the vehicle identification number (VIN)',
    },
    valid: [['1M8GDM9AXKP042788', '1M8GDM9AXKP042788']],
    invalid: '1M8GDM9AXKP04278',
    format:
      'Enter the vehicle identification number (VIN) in the correct format: 17 letters and numbers, without the letters I, O or Q',
    maxLength: 30,
    display: ['1M8GDM9AXKP042788', '1M8GDM9AXKP042788'],
    input: {
      spellcheck: false,
      autocomplete: 'off',
      classes: 'govuk-input--width-20 govuk-input--extra-letter-spacing',
    },
  },
];

const answer = (c: Case, body: FormBody) =>
  c.module.parse(c.question, c.module.read(c.question, body), today);

describe.each(CASES)('$title question', (c) => {
  const id = c.question.id;

  it.each(c.valid)('stores %j as %j', (input, value) => {
    expect(answer(c, { [id]: input })).toEqual({ ok: true, value });
  });

  it('asks the person to enter it when left blank', () => {
    expect(answer(c, { [id]: '  ' })).toEqual({
      ok: false,
      errors: [{ questionId: id, fieldId: id, text: `Enter ${c.question.name}` }],
    });
  });

  it('gives undefined when optional and left blank', () => {
    expect(answer({ ...c, question: { ...c.question, optional: true } }, {})).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('refuses a wrong format with the Design System message', () => {
    expect(answer(c, { [id]: c.invalid })).toEqual({
      ok: false,
      errors: [{ questionId: id, fieldId: id, text: c.format }],
    });
  });

  it('refuses an answer longer than the input allows', () => {
    const result = answer(c, { [id]: 'a'.repeat(c.maxLength + 1) });
    expect(result).toMatchObject({ ok: false, errors: [{ fieldId: id }] });
    if (result.ok) return;
    expect(result.errors[0]?.text).toMatch(
      new RegExp(`must be ${c.maxLength} characters or less$|is too long$`),
    );
  });

  it.each([
    ['required', '', 'Custom required message'],
    ['format', 'invalid', 'Custom format message'],
  ])('uses the %s messages override', (rule, input, text) => {
    const question = { ...c.question, messages: { [rule]: text } };
    expect(answer({ ...c, question }, { [id]: input === 'invalid' ? c.invalid : input })).toMatchObject({
      ok: false,
      errors: [{ text }],
    });
  });

  it('has the input attributes for its kind of answer', () => {
    expect(c.module.view(c.question, {}, [], inline).params).toMatchObject({ id, name: id, ...c.input });
  });

  it('makes the label the page heading when it is the only question, "(optional)" when optional', () => {
    const question = { ...c.question, optional: true, hint: 'A hint' };
    const { component, params } = c.module.view(question, { [id]: 'typed' }, [], heading);
    expect(component).toBe('input');
    expect(params).toMatchObject({
      value: 'typed',
      hint: { text: 'A hint' },
      label: { classes: 'govuk-label--l', isPageHeading: true, html: `${c.question.label} (optional)` },
    });
  });

  it('attaches the error message to the input', () => {
    const errors = [{ questionId: id, fieldId: id, text: c.format }];
    expect(c.module.view(c.question, {}, errors, inline).params.errorMessage).toEqual({ text: c.format });
  });

  it.each(c.valid)('round-trips the value of %j through toRaw and parse', (_input, value) => {
    expect(c.module.parse(c.question, c.module.toRaw(c.question, value), today)).toEqual({ ok: true, value });
  });

  it('displays a stored value', () => {
    expect(c.module.display(c.question, c.display[0])).toBe(c.display[1]);
  });
});

describe('identifier look-alikes', () => {
  it.each([
    ['a Cyrillic А in a National Insurance number', nationalInsuranceNumber, 'nino', 'JG 10 37 23 \u0410'],
    ['full-width digits in a UTR', utr, 'utr', '\uff12\uff12\uff13\uff14\uff15 67890'],
    ['a Cyrillic letter in a postcode', postcode, 'postcode', 'SW1\u0410 1AA'],
  ] as const)('refuses %s rather than converting it', (_what, module, id, input) => {
    const question = { type: 'text', id, label: id, name: 'it' } as unknown as never;
    const m = module as unknown as QuestionTypeModule;
    expect(m.parse(question, m.read(question, { [id]: input }), today).ok).toBe(false);
  });
});

describe('messages that say what is actually wrong', () => {
  const parseOne = (module: unknown, question: Question, input: string) => {
    const m = module as QuestionTypeModule;
    return m.parse(question, m.read(question, { [question.id]: input }), today);
  };
  const errorText = (result: ReturnType<typeof parseOne>) => (result.ok ? null : result.errors[0]?.text);
  const utrQuestion: Question = {
    type: 'utr',
    id: 'utr',
    label: 'Self Assessment Unique Taxpayer Reference (UTR)',
    name: 'your Unique Taxpayer Reference',
  };

  it.each([
    [
      '10 numbers with a wrong check digit',
      '1234567890',
      'Enter a real Unique Taxpayer Reference: check you have typed all 10 numbers correctly',
    ],
    ['9 numbers', '223456789', 'Unique Taxpayer Reference must be 10 numbers, like 22345 67890'],
    [
      'a letter among the numbers',
      '22345A67890',
      'Unique Taxpayer Reference must only include numbers, like 22345 67890',
    ],
  ])('tells a citizen who typed a UTR of %s what is wrong with it', (_what, input, text) => {
    expect(errorText(parseOne(utr, utrQuestion, input))).toBe(text);
  });

  const mobile: Question = {
    type: 'phone',
    kind: 'uk-mobile',
    id: 'mobile',
    label: 'UK mobile number',
    name: 'the mobile number',
  };

  it.each([
    ['a York landline', '01904 000000'],
    ['a London landline', '020 7946 0000'],
    ['a French mobile', '+33 6 12 34 56 78'],
    ['a freephone number', '0808 157 0192'],
  ])('refuses %s where a UK mobile number is asked for', (_what, input) => {
    expect(errorText(parseOne(phone, mobile, input))).toBe(
      'Mobile number must be a UK mobile number, like 07700 900 982',
    );
  });

  it.each([
    ['07700 900982', '+447700900982'],
    ['+44 7911 123456', '+447911123456'],
    ['07911123456', '+447911123456'],
  ])('accepts the UK mobile number %j', (input, value) => {
    expect(parseOne(phone, mobile, input)).toEqual({ ok: true, value });
  });

  it('still accepts a landline where any phone number is asked for', () => {
    const anyPhone: Question = { type: 'phone', id: 'tel', label: 'Phone number', name: 'your phone number' };
    expect(parseOne(phone, anyPhone, '01904 000000')).toEqual({ ok: true, value: '+441904000000' });
  });

  it('asks for a UK mobile number, not any phone number, when the text is not a number at all', () => {
    expect(errorText(parseOne(phone, mobile, 'call me'))).toBe(
      'Enter a UK mobile number, like 07700 900 982',
    );
  });
});
