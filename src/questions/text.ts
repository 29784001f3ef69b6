import type { TextQuestion } from '../definitions/types';
import { characterCount } from './sanitise';
import { message, subjectOf, widthClass } from './question-type';
import { singleInputType } from './single-input';

const DEFAULT_MAX_LENGTH = 200;

export const text = singleInputType<TextQuestion, string>({
  maxLength: (q) => q.maxLength ?? DEFAULT_MAX_LENGTH,
  // An exact length (minLength equal to maxLength) is said the same way whichever side the answer misses it on.
  tooLongMessage: (q, max) => (q.minLength === max ? `${subjectOf(q)} must be ${max} characters` : undefined),
  parse(q, value) {
    if (q.minLength && characterCount(value) < q.minLength) {
      return {
        ok: false,
        text: message(
          q,
          'tooShort',
          q.minLength === q.maxLength
            ? `${subjectOf(q)} must be ${q.minLength} characters`
            : `${subjectOf(q)} must be ${q.minLength} characters or more`,
        ),
      };
    }
    return { ok: true, value };
  },
  toText: (_q, value) => value,
  input: (q) => ({
    autocomplete: q.autocomplete,
    spellcheck: q.spellcheck,
    classes: widthClass(q.width),
  }),
});
