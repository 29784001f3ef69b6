import type { AnswerValue, Question, QuestionPage, QuestionType } from '../../src/definitions/types';
import { QUESTION_TYPES, questionType } from '../../src/questions';
import { pageFields, rawFromAnswers, readPage, validatePage } from '../../src/questions/page';
import type { FieldView, FormBody, ParseResult, RawInput } from '../../src/questions/question-type';

const context = { today: '2025-06-15' };

/** A stand-in for the nested-field template: names the macro, the field and its error. */
const renderStub = (view: FieldView) =>
  `<${view.component} id="${String(view.params.id)}" value="${String(view.params.value)}"` +
  ` error="${(view.params.errorMessage as { text?: string } | undefined)?.text ?? ''}">`;

// ---- one sample question of every type, with a body that answers it and the value that body gives ----

const contactEmail: Question = {
  type: 'email',
  id: 'contactEmail',
  label: 'Email address',
  name: 'your email address',
};
const contactPhone: Question = {
  type: 'phone',
  id: 'contactPhone',
  label: 'Phone number',
  name: 'your phone number',
  optional: true,
};

type Sample = Readonly<{ question: Question; body: FormBody; value: AnswerValue }>;

// File questions read no form field at all (their files come from the upload page, src/apply/upload-page.ts), so
// they have no body sample; test/questions/file.test.ts covers them, including that a body is ignored.
type FormQuestionType = Exclude<QuestionType, 'file'>;

const SAMPLES: Readonly<Record<FormQuestionType, Sample>> = {
  text: {
    question: {
      type: 'text',
      id: 'fullName',
      label: 'Full name',
      name: 'your full name',
      autocomplete: 'name',
    },
    body: { fullName: ' Jane Smith ' },
    value: 'Jane Smith',
  },
  textarea: {
    question: { type: 'textarea', id: 'details', label: 'Details', name: 'the details', maxLength: 1200 },
    body: { details: 'line one\r\nline two' },
    value: 'line one\nline two',
  },
  number: {
    question: { type: 'number', id: 'people', label: 'How many people?', name: 'how many people' },
    body: { people: '1,500' },
    value: 1500,
  },
  money: {
    question: { type: 'money', id: 'income', label: 'Income', name: 'your income' },
    body: { income: '£1,250.50' },
    value: 125050,
  },
  date: {
    question: { type: 'date', id: 'dob', label: 'Date of birth', name: 'your date of birth', when: 'past' },
    body: { 'dob-day': '29', 'dob-month': '2', 'dob-year': '2024' },
    value: '2024-02-29',
  },
  radios: {
    question: {
      type: 'radios',
      id: 'contact',
      label: 'How should we contact you?',
      name: 'how we should contact you',
      options: [
        { value: 'email', text: 'Email', conditional: contactEmail },
        { value: 'phone', text: 'Phone', conditional: contactPhone },
        { value: 'post', text: 'Post' },
      ],
    },
    body: { contact: 'post' },
    value: 'post',
  },
  checkboxes: {
    question: {
      type: 'checkboxes',
      id: 'benefits',
      label: 'Which benefits do you get?',
      name: 'which benefits you get',
      options: [
        { value: 'universal-credit', text: 'Universal Credit' },
        { value: 'child-benefit', text: 'Child Benefit' },
      ],
      exclusiveOption: { value: 'none', text: 'None of these' },
    },
    body: { benefits: ['child-benefit', 'universal-credit'] },
    value: ['universal-credit', 'child-benefit'],
  },
  'yes-no': {
    question: {
      type: 'yes-no',
      id: 'hasPassport',
      label: 'Do you have a passport?',
      name: 'whether you have one',
    },
    body: { hasPassport: 'yes' },
    value: 'yes',
  },
  email: {
    question: { type: 'email', id: 'email', label: 'Email address', name: 'your email address' },
    body: { email: 'name@example.com' },
    value: 'name@example.com',
  },
  phone: {
    question: { type: 'phone', id: 'phone', label: 'Phone number', name: 'your phone number' },
    body: { phone: '07700 900 982' },
    value: '+447700900982',
  },
  postcode: {
    question: { type: 'postcode', id: 'postcode', label: 'Postcode', name: 'your postcode' },
    body: { postcode: 'sw1a1aa' },
    value: 'SW1A 1AA',
  },
  address: {
    question: { type: 'address', id: 'home', label: 'Address', name: 'your address' },
    body: { 'home-line1': '1 High St', 'home-town': 'Leeds', 'home-postcode': 'ls11aa' },
    value: { line1: '1 High St', town: 'Leeds', postcode: 'LS1 1AA' },
  },
  'national-insurance-number': {
    question: {
      type: 'national-insurance-number',
      id: 'nino',
      label: 'NINO',
      name: 'your National Insurance number',
    },
    body: { nino: 'jg 10 37 23 a' },
    value: 'JG103723A',
  },
  utr: {
    question: { type: 'utr', id: 'utr', label: 'UTR', name: 'your UTR' },
    body: { utr: '22345 67890' },
    value: '2234567890',
  },
  'vehicle-registration': {
    question: {
      type: 'vehicle-registration',
      id: 'vrm',
      label: 'Registration',
      name: 'the registration number',
    },
    body: { vrm: 'cu57 abc' },
    value: 'CU57ABC',
  },
  vin: {
    question: { type: 'vin', id: 'vin', label: 'VIN', name: 'the VIN' },
    body: { vin: '1M8GDM9AXKP042788' },
    value: '1M8GDM9AXKP042788',
  },
};

const TYPES = Object.keys(SAMPLES) as FormQuestionType[];
const sample = (type: FormQuestionType) => SAMPLES[type];
const pageOf = (...questions: Question[]): QuestionPage => ({ id: 'page', questions });

/** The form fields a question reads: the keys of what it reads from an empty body. */
const fieldsOf = (question: Question) => Object.keys(questionType(question).read(question, {}));

// ---- what a hostile value must never become ----

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INVISIBLE = /[\p{Bidi_Control}\u200B-\u200D\u2060\uFEFF]/u;

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function expectClean(value: unknown) {
  if (value !== undefined) {
    expect(['string', 'number', 'object']).toContain(typeof value);
    if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
  }
  for (const s of stringsIn(value)) {
    expect(s).not.toContain('\u0000');
    expect(s).not.toMatch(LONE_SURROGATE);
    expect(s).not.toMatch(INVISIBLE);
    expect(s).not.toContain('[object Object]');
    expect(s).toBe(s.normalize('NFC'));
  }
}

function expectSafeResult(result: ParseResult<AnswerValue>) {
  if (result.ok) {
    expectClean(result.value);
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) {
      expect(typeof e.text).toBe('string');
      expect(e.text.trim()).not.toBe('');
      expect(e.text).not.toContain('[object Object]');
      expect(e.fieldId).not.toBe('');
    }
  }
}

function expectNotPolluted() {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  expect(typeof ({} as Record<string, unknown>).toString).toBe('function');
}

const nullProtoObject = Object.create(null) as Record<string, unknown>;
nullProtoObject.a = 1;

const HOSTILE_VALUES: readonly (readonly [string, unknown])[] = [
  ['an array where a string belongs', ['a', 'b']],
  ['an empty array', []],
  ['an array holding an object', ['a', { b: 1 }]],
  ['an object', { a: 1 }],
  ['a query-operator object', { $gt: '' }],
  ['an object with its own toString', { toString: () => 'sneaky' }],
  ['an object without a prototype', nullProtoObject],
  ['a number', 42],
  ['1e309, an infinite number', Number('1e309')],
  ['a boolean', true],
  ['null', null],
  ['undefined', undefined],
  ['a null byte', 'a\u0000b'],
  ['a 10,000-character string', 'x'.repeat(10_000)],
  ['10,000 digits', '1'.repeat(10_000)],
  ['a bidi override', '\u202Eevil'],
  ['a zero-width space', 'a\u200Bb'],
  ['a BOM', '\uFEFFa'],
  ['a lone surrogate', '\uD800'],
  ['a lone surrogate inside text', 'a\uD800b'],
  ['a decomposed accent', 'Rene\u0301e'],
  ['a zero-width space between a letter and its accent', 'e\u200B\u0301'],
  ['a script tag', '<script>alert(1)</script>'],
  ['an attribute break-out', '"><img src=x onerror=alert(1)>'],
  ['a template expression', '{{7*7}}'],
  ['a template constructor call', "{{ constructor.constructor('x')() }}"],
  ['SQL injection', "' OR 1=1--"],
  ['CRLF header injection', 'a\r\nSet-Cookie: x=1'],
  ['an ANSI escape', '\u001b[31mred'],
  ['full-width digits', '\uff11\uff12'],
  ['Arabic-Indic digits', '\u0663'],
  ['a prototype property name', '__proto__'],
  ['a CSV formula', '=HYPERLINK("http://evil.example")'],
];

/** Bodies that put the value in every field the question reads, plainly and on a prototype-less object. */
function bodiesWith(question: Question, value: unknown): [string, FormBody][] {
  const entries = fieldsOf(question).map((f) => [f, value] as const);
  const plain = Object.fromEntries(entries);
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, plain);
  return [
    ['plain body', plain],
    ['prototype-less body', bare],
  ];
}

/** Bodies carrying prototype-polluting keys beside the question's own fields. */
function prototypeBodies(fields: FormBody): [string, FormBody][] {
  const json = JSON.stringify(fields).slice(1, -1);
  const extra = json === '' ? '' : `, ${json}`;
  const parsed = JSON.parse(
    `{"__proto__": {"polluted": 1, "isAdmin": true}, "constructor": {"prototype": {"polluted": 1}},` +
      ` "toString": "x", "hasOwnProperty": "1", "valueOf": 1${extra}}`,
  ) as FormBody;
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, {
    toString: 'x',
    hasOwnProperty: '1',
    valueOf: 1,
    constructor: { prototype: { polluted: 1 } },
    ...fields,
  });
  Object.defineProperty(bare, '__proto__', { value: { polluted: 1 }, enumerable: true });
  return [
    ['JSON.parse body', parsed],
    ['prototype-less body', bare],
  ];
}

const TEXT_LIKE: readonly FormQuestionType[] = [
  'text',
  'textarea',
  'number',
  'money',
  'email',
  'phone',
  'postcode',
  'national-insurance-number',
  'utr',
  'vehicle-registration',
  'vin',
];

describe('the sample questions', () => {
  it('cover every question type in the registry that reads the form', () => {
    expect([...TYPES, 'file'].sort()).toEqual(Object.keys(QUESTION_TYPES).sort());
  });

  it.each(TYPES)('answer the %s sample as expected', (type) => {
    const { question, body, value } = sample(type);
    const m = questionType(question);
    expect(m.parse(question, m.read(question, body), context)).toEqual({ ok: true, value });
  });
});

describe('hostile input, question by question', () => {
  afterEach(expectNotPolluted);

  const cases = TYPES.flatMap((type) => HOSTILE_VALUES.map(([what, value]) => [type, what, value] as const));

  it.each(cases)(
    '%s: %s is read and parsed without throwing, to a clean value or an error',
    (type, _what, value) => {
      const { question } = sample(type);
      const m = questionType(question);
      for (const [, body] of bodiesWith(question, value)) {
        let raw: RawInput = {};
        expect(() => {
          raw = m.read(question, body);
        }).not.toThrow();
        expectClean(raw);
        let result: ParseResult<AnswerValue> | undefined;
        expect(() => {
          result = m.parse(question, raw, context);
        }).not.toThrow();
        expectSafeResult(result!);
        // An optional question given garbage is either blank or wrong, never a crash either.
        const optional = { ...question, optional: true } as Question;
        expectSafeResult(m.parse(optional, m.read(optional, body), context));
      }
    },
  );

  it.each(TYPES)('%s: prototype keys in the body are ignored beside a valid answer', (type) => {
    const { question, body, value } = sample(type);
    const m = questionType(question);
    for (const [, hostile] of prototypeBodies(body)) {
      expect(m.parse(question, m.read(question, hostile), context)).toEqual({ ok: true, value });
    }
  });

  it.each(TYPES)('%s: prototype keys alone give the same result as an empty body', (type) => {
    const { question } = sample(type);
    const m = questionType(question);
    const empty = m.parse(question, m.read(question, {}), context);
    expect(empty.ok).toBe(false);
    for (const [, hostile] of prototypeBodies({})) {
      const raw = m.read(question, hostile);
      expectClean(raw);
      expect(m.parse(question, raw, context)).toEqual(empty);
    }
  });

  it.each(TEXT_LIKE)('%s: a 10,000-character answer is refused as too long', (type) => {
    const { question } = sample(type);
    const m = questionType(question);
    for (const long of ['x'.repeat(10_000), '1'.repeat(10_000), '𝒜'.repeat(10_000)]) {
      const result = m.parse(question, m.read(question, { [question.id]: long }), context);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.text).toMatch(/ must be \d+ characters or less$| is too long$/);
    }
  });

  it('address: 10,000 characters in every part gives a too-long error for each part', () => {
    const { question } = sample('address');
    const m = questionType(question);
    const body = Object.fromEntries(fieldsOf(question).map((f) => [f, 'x'.repeat(10_000)]));
    const result = m.parse(question, m.read(question, body), context);
    expect(result).toEqual({
      ok: false,
      errors: [
        { questionId: 'home', fieldId: 'home-line1', text: 'Address line 1 must be 100 characters or less' },
        { questionId: 'home', fieldId: 'home-line2', text: 'Address line 2 must be 100 characters or less' },
        { questionId: 'home', fieldId: 'home-town', text: 'Town or city must be 60 characters or less' },
        { questionId: 'home', fieldId: 'home-county', text: 'County must be 60 characters or less' },
        { questionId: 'home', fieldId: 'home-postcode', text: 'Postcode must be 16 characters or less' },
      ],
    });
  });

  it.each(['date', 'radios', 'yes-no', 'checkboxes'] as const)(
    '%s: a 10,000-character answer is refused',
    (type) => {
      const { question } = sample(type);
      const m = questionType(question);
      const body = Object.fromEntries(fieldsOf(question).map((f) => [f, '1'.repeat(10_000)]));
      expect(m.parse(question, m.read(question, body), context).ok).toBe(false);
    },
  );

  it.each([
    ['text', 'a\u0000b', 'ab'],
    ['text', '<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['text', '{{7*7}}', '{{7*7}}'],
    ['text', "' OR 1=1--", "' OR 1=1--"],
    ['text', 'a\r\nSet-Cookie: x=1', 'a Set-Cookie: x=1'],
    ['text', '\u202Eevil', 'evil'],
    ['textarea', 'a\r\nb\u0000', 'a\nb'],
  ] as const)('%s: stores %j inert, as %j', (type, input, value) => {
    const { question } = sample(type);
    const m = questionType(question);
    expect(m.parse(question, m.read(question, { [question.id]: input }), context)).toEqual({
      ok: true,
      value,
    });
  });

  it.each(TEXT_LIKE.filter((t) => t !== 'text' && t !== 'textarea'))(
    '%s: refuses CRLF header injection',
    (type) => {
      const { question, body } = sample(type);
      const m = questionType(question);
      const good = String(body[question.id]);
      expect(
        m.parse(question, m.read(question, { [question.id]: `${good}\r\nBcc: x@evil.example` }), context).ok,
      ).toBe(false);
    },
  );
});

describe('hostile input, page by page', () => {
  afterEach(expectNotPolluted);

  const everything = pageOf(...TYPES.map((t) => sample(t).question));
  const allFields = Object.keys(readPage(everything, {}));

  it('reads every field of every question and follow-up, and nothing else', () => {
    expect(allFields).toEqual(
      expect.arrayContaining(['contactEmail', 'contactPhone', 'dob-day', 'home-postcode']),
    );
    const raw = readPage(everything, { ...sample('text').body, isAdmin: 'true', role: 'staff' });
    expect(Object.keys(raw).sort()).toEqual([...allFields].sort());
    expect(raw).not.toHaveProperty('isAdmin');
  });

  it.each(HOSTILE_VALUES)('%s in every field gives errors, never a throw', (_what, value) => {
    const body = Object.fromEntries(allFields.map((f) => [f, value]));
    for (const b of [body, Object.assign(Object.create(null) as Record<string, unknown>, body)]) {
      const raw = readPage(everything, b);
      expectClean(raw);
      const result = validatePage(everything, raw, context);
      if (result.ok) {
        for (const v of Object.values(result.answers)) expectClean(v);
      } else {
        for (const e of result.errors) expect(e.text.trim()).not.toBe('');
      }
      expect(() => pageFields(everything, raw, result.ok ? [] : result.errors, renderStub)).not.toThrow();
    }
  });

  it('ignores prototype keys in a body that answers every question', () => {
    const valid = Object.assign({}, ...TYPES.map((t) => sample(t).body)) as FormBody;
    for (const [, hostile] of prototypeBodies(valid)) {
      const result = validatePage(everything, readPage(everything, hostile), context);
      expect(result).toEqual({
        ok: true,
        answers: {
          ...Object.fromEntries(TYPES.map((t) => [sample(t).question.id, sample(t).value])),
          contactEmail: undefined,
          contactPhone: undefined,
        },
      });
    }
  });
});

describe('readPage and validatePage', () => {
  const contact = sample('radios').question;
  const fullName = sample('text').question;
  const dob = sample('date').question;
  const page = pageOf(fullName, contact);

  it('returns the answers of every question on the page', () => {
    const raw = readPage(page, { fullName: 'Jane', contact: 'post' });
    expect(validatePage(page, raw, context)).toEqual({
      ok: true,
      answers: { fullName: 'Jane', contact: 'post', contactEmail: undefined, contactPhone: undefined },
    });
  });

  it('returns the errors of every question, in page order', () => {
    const result = validatePage(
      pageOf(fullName, dob, contact),
      readPage(pageOf(fullName, dob, contact), {}),
      context,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { questionId: 'fullName', fieldId: 'fullName', text: 'Enter your full name' },
        {
          questionId: 'dob',
          fieldId: 'dob-day',
          text: 'Enter your date of birth',
          fieldIds: ['dob-day', 'dob-month', 'dob-year'],
        },
        { questionId: 'contact', fieldId: 'contact', text: 'Select how we should contact you' },
      ],
    });
  });

  it('validates the follow-up question when its option is chosen', () => {
    const raw = readPage(page, { fullName: 'Jane', contact: 'email', contactEmail: 'jane@example.com' });
    expect(validatePage(page, raw, context)).toEqual({
      ok: true,
      answers: {
        fullName: 'Jane',
        contact: 'email',
        contactEmail: 'jane@example.com',
        contactPhone: undefined,
      },
    });
  });

  it.each([
    ['missing', '', 'Enter your email address'],
    ['in the wrong format', 'jane@', 'Enter an email address in the correct format, like name@example.com'],
  ])(
    'gives the follow-up its own error when its option is chosen and its answer is %s',
    (_what, input, text) => {
      const raw = readPage(page, { fullName: 'Jane', contact: 'email', contactEmail: input });
      expect(validatePage(page, raw, context)).toEqual({
        ok: false,
        errors: [{ questionId: 'contactEmail', fieldId: 'contactEmail', text }],
      });
    },
  );

  it('accepts an optional follow-up left blank', () => {
    const raw = readPage(page, { fullName: 'Jane', contact: 'phone' });
    expect(validatePage(page, raw, context)).toEqual({
      ok: true,
      answers: { fullName: 'Jane', contact: 'phone', contactEmail: undefined, contactPhone: undefined },
    });
  });

  it.each([
    ['another option with a follow-up', 'phone'],
    ['an option without a follow-up', 'post'],
  ])('drops a hidden follow-up answer, even an invalid one, when %s is chosen', (_what, chosen) => {
    const raw = readPage(page, {
      fullName: 'Jane',
      contact: chosen,
      contactEmail: 'not an email',
      contactPhone: chosen === 'phone' ? '07700 900 982' : 'not a phone',
    });
    const result = validatePage(page, raw, context);
    expect(result).toEqual({
      ok: true,
      answers: {
        fullName: 'Jane',
        contact: chosen,
        contactEmail: undefined,
        contactPhone: chosen === 'phone' ? '+447700900982' : undefined,
      },
    });
  });

  it('does not validate any follow-up when the radios question itself is unanswered', () => {
    const raw = readPage(page, { fullName: 'Jane', contactEmail: 'not an email' });
    expect(validatePage(page, raw, context)).toEqual({
      ok: false,
      errors: [{ questionId: 'contact', fieldId: 'contact', text: 'Select how we should contact you' }],
    });
  });

  it('does not reveal a follow-up for a forged radio value', () => {
    const raw = readPage(page, { fullName: 'Jane', contact: 'email ', contactEmail: 'jane@example.com' });
    expect(validatePage(page, raw, context)).toMatchObject({ ok: true, answers: { contact: 'email' } });
    const forged = readPage(page, { fullName: 'Jane', contact: 'EMAIL', contactEmail: 'jane@example.com' });
    expect(validatePage(page, forged, context)).toEqual({
      ok: false,
      errors: [{ questionId: 'contact', fieldId: 'contact', text: 'Select how we should contact you' }],
    });
  });

  it('uses context.today for dates on the page', () => {
    const p = pageOf(dob);
    const raw = readPage(p, { 'dob-day': '15', 'dob-month': '6', 'dob-year': '2025' });
    expect(validatePage(p, raw, { today: '2025-06-15' })).toMatchObject({
      ok: false,
      errors: [{ text: 'Date of birth must be in the past' }],
    });
    expect(validatePage(p, raw, { today: '2025-06-16' })).toEqual({
      ok: true,
      answers: { dob: '2025-06-15' },
    });
  });
});

describe('rawFromAnswers', () => {
  it.each(TYPES)('shows a stored %s answer again so that it validates to the same value', (type) => {
    const { question, value } = sample(type);
    const page = pageOf(question);
    const answers = { [question.id]: value };
    const result = validatePage(page, rawFromAnswers(page, answers), context);
    expect(result.ok).toBe(true);
    expect(result.ok && result.answers[question.id]).toEqual(value);
  });

  it('includes a follow-up answer, and round-trips the whole page', () => {
    const page = pageOf(sample('text').question, sample('radios').question);
    const answers = { fullName: 'Jane', contact: 'email', contactEmail: 'jane@example.com' };
    const raw = rawFromAnswers(page, answers);
    expect(raw).toEqual({ fullName: 'Jane', contact: 'email', contactEmail: 'jane@example.com' });
    expect(validatePage(page, raw, context)).toEqual({
      ok: true,
      answers: { ...answers, contactPhone: undefined },
    });
  });

  it('leaves out questions with no answer', () => {
    expect(rawFromAnswers(pageOf(sample('text').question, sample('date').question), {})).toEqual({});
  });
});

describe('pageFields', () => {
  const contact = sample('radios').question;
  const fullName = sample('text').question;

  it('makes the only question on a page its heading, with the page caption', () => {
    const [field] = pageFields({ ...pageOf(fullName), caption: 'About you' }, {}, [], renderStub);
    expect(field?.params.label).toEqual({
      html: '<span class="govuk-caption-l">About you</span> Full name',
      classes: 'govuk-label--l',
      isPageHeading: true,
    });
  });

  it('does not make any question the heading when the page has several', () => {
    const fields = pageFields(pageOf(fullName, contact), {}, [], renderStub);
    expect(fields.map((f) => f.params.label ?? (f.params.fieldset as { legend: unknown }).legend)).toEqual([
      { text: 'Full name', classes: 'govuk-label--m' },
      { text: 'How should we contact you?', classes: 'govuk-fieldset__legend--m' },
    ]);
  });

  it('attaches each error to its own question', () => {
    const page = pageOf(fullName, contact);
    const result = validatePage(page, readPage(page, { contact: 'post' }), context);
    if (result.ok) throw new Error('expected errors');
    const [name, radios] = pageFields(page, readPage(page, { contact: 'post' }), result.errors, renderStub);
    expect(name?.params.errorMessage).toEqual({ text: 'Enter your full name' });
    expect(radios?.params.errorMessage).toBeUndefined();
    expect(radios?.params.value).toBe('post');
  });

  it('renders the follow-up into conditional.html with its own input and error', () => {
    const page = pageOf(contact);
    const raw = readPage(page, { contact: 'email', contactEmail: 'jane@' });
    const result = validatePage(page, raw, context);
    if (result.ok) throw new Error('expected errors');
    const [field] = pageFields(page, raw, result.errors, renderStub);
    expect(field?.params.errorMessage).toBeUndefined();
    const items = field?.params.items as { value: string; conditional?: { html: string } }[];
    expect(items.map((i) => [i.value, i.conditional?.html])).toEqual([
      [
        'email',
        '<input id="contactEmail" value="jane@" error="Enter an email address in the correct format, like name@example.com">',
      ],
      ['phone', '<input id="contactPhone" value="" error="">'],
      ['post', undefined],
    ]);
  });

  it('renders a follow-up with a medium label, never as the page heading', () => {
    const views: FieldView[] = [];
    pageFields(pageOf(contact), {}, [], (view) => {
      views.push(view);
      return '';
    });
    expect(views.map((v) => v.params.label)).toEqual([
      { text: 'Email address', classes: 'govuk-label--m' },
      { text: 'Phone number (optional)', classes: 'govuk-label--m' },
    ]);
  });
});
