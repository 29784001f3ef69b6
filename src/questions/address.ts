import type { AddressQuestion, AddressValue } from '../definitions/types';
import { cleanText, characterCount } from './sanitise';
import { parsePostcode } from './formats/postcode';
import {
  errorFor,
  hintParams,
  legendParams,
  message,
  rawString,
  stringField,
  type FieldError,
  type QuestionTypeModule,
} from './question-type';

const PARTS = [
  { key: 'line1', label: 'Address line 1', autocomplete: 'address-line1', required: true, max: 100 },
  {
    key: 'line2',
    label: 'Address line 2 (optional)',
    autocomplete: 'address-line2',
    required: false,
    max: 100,
  },
  { key: 'town', label: 'Town or city', autocomplete: 'address-level2', required: true, max: 60 },
  { key: 'county', label: 'County (optional)', autocomplete: 'address-level1', required: false, max: 60 },
  { key: 'postcode', label: 'Postcode', autocomplete: 'postal-code', required: true, max: 16 },
] as const;
type PartKey = (typeof PARTS)[number]['key'];

const field = (q: AddressQuestion, key: PartKey) => `${q.id}-${key}`;

const REQUIRED_MESSAGES: Record<string, string> = {
  line1: 'Enter address line 1, typically the building and street',
  town: 'Enter town or city',
  postcode: 'Enter postcode',
};

/** A UK address in the Design System's multiple-inputs pattern: each part validated, the postcode normalised. */
export const address: QuestionTypeModule<AddressQuestion, AddressValue> = {
  read: (q, body) =>
    Object.fromEntries(PARTS.map((p) => [field(q, p.key), cleanText(stringField(body, field(q, p.key)))])),
  parse(q, raw) {
    const v = Object.fromEntries(PARTS.map((p) => [p.key, rawString(raw, field(q, p.key))])) as Record<
      PartKey,
      string
    >;
    if (q.optional && PARTS.every((p) => v[p.key] === '')) return { ok: true, value: undefined };
    const errors: FieldError[] = [];
    let postcode = '';
    for (const part of PARTS) {
      const text = v[part.key];
      const fieldId = field(q, part.key);
      if (text === '') {
        if (part.required)
          errors.push({
            questionId: q.id,
            fieldId,
            text: message(q, `${part.key}Required`, REQUIRED_MESSAGES[part.key]!),
          });
      } else if (characterCount(text) > part.max) {
        errors.push({
          questionId: q.id,
          fieldId,
          text: `${part.label.replace(' (optional)', '')} must be ${part.max} characters or less`,
        });
      } else if (part.key === 'postcode') {
        const parsed = parsePostcode(text);
        if (parsed.ok) postcode = parsed.value;
        else
          errors.push({
            questionId: q.id,
            fieldId,
            text: message(q, 'postcodeFormat', 'Enter a full UK postcode'),
          });
      }
    }
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      value: {
        line1: v.line1,
        ...(v.line2 ? { line2: v.line2 } : {}),
        town: v.town,
        ...(v.county ? { county: v.county } : {}),
        postcode,
      },
    };
  },
  toRaw: (q, value) => Object.fromEntries(PARTS.map((p) => [field(q, p.key), value[p.key] ?? ''])),
  view: (q, raw, errors, context) => ({
    component: 'address',
    params: {
      fieldset: { legend: legendParams(q, context) },
      hint: hintParams(q),
      inputs: PARTS.map((p) => ({
        id: field(q, p.key),
        name: field(q, p.key),
        value: rawString(raw, field(q, p.key)),
        label: { text: p.label },
        autocomplete: p.autocomplete,
        errorMessage: errorFor(errors, field(q, p.key)),
        classes:
          p.key === 'postcode'
            ? 'govuk-input--width-10'
            : p.key === 'town' || p.key === 'county'
              ? 'govuk-!-width-two-thirds'
              : undefined,
        spellcheck: p.key === 'postcode' ? false : undefined,
      })),
      hasError: errors.length > 0,
    },
  }),
  display: (_q, value) =>
    [value.line1, value.line2, value.town, value.county, value.postcode].filter((x): x is string => !!x),
};
