import type { AnswerValue, Question } from '../definitions/types';
import { cleanText, characterCount } from './sanitise';
import {
  errorFor,
  fail,
  hintParams,
  labelParams,
  message,
  rawString,
  stringField,
  subjectOf,
  type QuestionTypeModule,
} from './question-type';

export type SingleInputSpec<Q extends Question, V extends AnswerValue> = Readonly<{
  /** Longest answer accepted, in characters, before any parsing. */
  maxLength: (question: Q) => number;
  /** The message for a required question left blank, when "Enter <name>" is not enough (a unit to add). */
  requiredMessage?: (question: Q) => string;
  /** The message for an answer over maxLength, when the default "must be N characters or less" is not right. */
  tooLongMessage?: (question: Q, max: number) => string | undefined;
  /** Turn the cleaned, non-empty text into the stored value, or say what is wrong with it. */
  parse: (question: Q, text: string) => { ok: true; value: V } | { ok: false; text: string };
  /** The text that shows a stored value in the input again. */
  toText: (question: Q, value: V) => string;
  /** What check your answers shows. Defaults to toText. */
  display?: (question: Q, value: V) => string;
  /** Extra govukInput parameters: type, autocomplete, spellcheck, inputmode, classes, prefix, suffix. */
  input: (question: Q) => Record<string, unknown>;
}>;

/** The shared shape of every question answered in one text input: text, email, phone, identifiers, numbers. */
export function singleInputType<Q extends Question, V extends AnswerValue>(
  spec: SingleInputSpec<Q, V>,
): QuestionTypeModule<Q, V> {
  return {
    read: (q, body) => ({ [q.id]: cleanText(stringField(body, q.id)) }),
    parse(q, raw) {
      const text = rawString(raw, q.id);
      if (text === '') {
        return q.optional
          ? { ok: true, value: undefined }
          : fail(q, q.id, message(q, 'required', spec.requiredMessage?.(q) ?? `Enter ${q.name}`));
      }
      const max = spec.maxLength(q);
      if (characterCount(text) > max) {
        const text = spec.tooLongMessage?.(q, max) ?? `${subjectOf(q)} must be ${max} characters or less`;
        return fail(q, q.id, message(q, 'tooLong', text));
      }
      const parsed = spec.parse(q, text);
      return parsed.ok ? { ok: true, value: parsed.value } : fail(q, q.id, parsed.text);
    },
    toRaw: (q, value) => ({ [q.id]: spec.toText(q, value) }),
    view: (q, raw, errors, context) => ({
      component: 'input',
      params: {
        id: q.id,
        name: q.id,
        value: rawString(raw, q.id),
        label: labelParams(q, context),
        hint: hintParams(q),
        errorMessage: errorFor(errors, q.id),
        ...spec.input(q),
      },
    }),
    display: (q, value) => (spec.display ?? spec.toText)(q, value),
  };
}
