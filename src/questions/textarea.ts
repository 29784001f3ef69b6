import type { TextareaQuestion } from '../definitions/types';
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

/** A longer answer with a character count (which still works as a plain textarea without JavaScript). */
export const textarea: QuestionTypeModule<TextareaQuestion, string> = {
  read: (q, body) => ({ [q.id]: cleanText(stringField(body, q.id), { multiline: true }) }),
  parse(q, raw) {
    const text = rawString(raw, q.id);
    if (text === '') {
      return q.optional
        ? { ok: true, value: undefined }
        : fail(q, q.id, message(q, 'required', `Enter ${q.name}`));
    }
    if (characterCount(text) > q.maxLength) {
      return fail(
        q,
        q.id,
        message(q, 'tooLong', `${subjectOf(q)} must be ${q.maxLength} characters or less`),
      );
    }
    return { ok: true, value: text };
  },
  toRaw: (q, value) => ({ [q.id]: value }),
  view: (q, raw, errors, context) => ({
    component: 'character-count',
    params: {
      id: q.id,
      name: q.id,
      value: rawString(raw, q.id),
      maxlength: q.maxLength,
      rows: q.rows ?? 5,
      label: labelParams(q, context),
      hint: hintParams(q),
      errorMessage: errorFor(errors, q.id),
      spellcheck: true,
    },
  }),
  display: (_q, value) => value.split('\n'),
};
