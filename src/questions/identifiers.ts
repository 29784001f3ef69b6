import type {
  EmailQuestion,
  NationalInsuranceNumberQuestion,
  PhoneQuestion,
  PostcodeQuestion,
  UtrQuestion,
  VehicleRegistrationQuestion,
  VinQuestion,
} from '../definitions/types';
import { message, subjectOf } from './question-type';
import { singleInputType } from './single-input';
import type { FormatResult } from './formats/result';
import { parseEmail } from './formats/email';
import { formatPhone, parsePhone } from './formats/phone';
import { parsePostcode } from './formats/postcode';
import {
  formatNationalInsuranceNumber,
  parseNationalInsuranceNumber,
} from './formats/national-insurance-number';
import { formatUtr, parseUtr } from './formats/utr';
import { formatVehicleRegistration, parseVehicleRegistration } from './formats/vehicle-registration';
import { parseVin } from './formats/vin';

// Question types whose answer is one identifier or contact detail in one input. The rules for each format live
// in ./formats; these add the GOV.UK Design System wording and the input attributes.

type Failure = Exclude<Extract<FormatResult, { ok: false }>['reason'], 'empty' | 'too-long'>;

/**
 * Turns a format parser into a question type's parse step. `formatMessage` words each failure; a more precise
 * reason (characters, length, check, not-mobile) is also the key of a service's own message for it, falling back
 * to its 'format' message.
 */
const fromFormat =
  <Q extends Parameters<typeof subjectOf>[0]>(
    parse: (q: Q, s: string) => FormatResult,
    formatMessage: (q: Q, reason: Failure) => string,
  ) =>
  (q: Q, text: string) => {
    const r = parse(q, text);
    if (r.ok) return { ok: true as const, value: r.value };
    if (r.reason === 'too-long')
      return { ok: false as const, text: message(q, 'tooLong', `${subjectOf(q)} is too long`) };
    const reason: Failure = r.reason === 'empty' ? 'format' : r.reason;
    const own = reason === 'format' ? undefined : q.messages?.[reason];
    return { ok: false as const, text: own ?? message(q, 'format', formatMessage(q, reason)) };
  };

const anyOf = (parse: (s: string) => FormatResult) => (_q: unknown, s: string) => parse(s);

const same = (_q: unknown, v: string) => v;

export const email = singleInputType<EmailQuestion, string>({
  maxLength: () => 254,
  parse: fromFormat(
    anyOf(parseEmail),
    () => 'Enter an email address in the correct format, like name@example.com',
  ),
  toText: same,
  input: () => ({ type: 'email', autocomplete: 'email', spellcheck: false }),
});

export const phone = singleInputType<PhoneQuestion, string>({
  maxLength: () => 30,
  parse: fromFormat(
    (q, text) => parsePhone(text, q.kind ?? 'any'),
    (q, reason) =>
      q.kind === 'uk-mobile'
        ? reason === 'not-mobile'
          ? `${subjectOf(q)} must be a UK mobile number, like 07700 900 982`
          : `Enter a UK mobile number, like 07700 900 982`
        : 'Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
  ),
  toText: (_q, v) => formatPhone(v),
  input: () => ({ type: 'tel', autocomplete: 'tel', classes: 'govuk-input--width-20' }),
});

export const postcode = singleInputType<PostcodeQuestion, string>({
  maxLength: () => 16,
  parse: fromFormat(anyOf(parsePostcode), () => 'Enter a full UK postcode'),
  toText: same,
  input: () => ({ autocomplete: 'postal-code', spellcheck: false, classes: 'govuk-input--width-10' }),
});

export const nationalInsuranceNumber = singleInputType<NationalInsuranceNumberQuestion, string>({
  maxLength: () => 20,
  parse: fromFormat(
    anyOf(parseNationalInsuranceNumber),
    () =>
      'Enter a National Insurance number that is 2 letters, 6 numbers, then A, B, C or D, like QQ 12 34 56 C',
  ),
  toText: (_q, v) => formatNationalInsuranceNumber(v),
  input: () => ({ spellcheck: false, classes: 'govuk-input--width-10' }),
});

export const utr = singleInputType<UtrQuestion, string>({
  maxLength: () => 20,
  parse: fromFormat(anyOf(parseUtr), (_q, reason) =>
    reason === 'check'
      ? 'Enter a real Unique Taxpayer Reference: check you have typed all 10 numbers correctly'
      : reason === 'length'
        ? 'Unique Taxpayer Reference must be 10 numbers, like 22345 67890'
        : 'Unique Taxpayer Reference must only include numbers, like 22345 67890',
  ),
  toText: (_q, v) => formatUtr(v),
  input: () => ({ spellcheck: false, inputmode: 'numeric', classes: 'govuk-input--width-10' }),
});

export const vehicleRegistration = singleInputType<VehicleRegistrationQuestion, string>({
  maxLength: () => 12,
  parse: fromFormat(
    anyOf(parseVehicleRegistration),
    () => 'Enter a registration number in the correct format, like CU57 ABC',
  ),
  toText: (_q, v) => formatVehicleRegistration(v),
  input: () => ({
    spellcheck: false,
    autocomplete: 'off',
    classes: 'govuk-input--width-10 govuk-input--extra-letter-spacing',
  }),
});

export const vin = singleInputType<VinQuestion, string>({
  maxLength: () => 30,
  parse: fromFormat(
    anyOf(parseVin),
    (q) => `Enter ${q.name} in the correct format: 17 letters and numbers, without the letters I, O or Q`,
  ),
  toText: same,
  input: () => ({
    spellcheck: false,
    autocomplete: 'off',
    classes: 'govuk-input--width-20 govuk-input--extra-letter-spacing',
  }),
});
