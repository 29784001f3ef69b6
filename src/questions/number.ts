import type { NumberQuestion } from '../definitions/types';
import { message, subjectOf, widthClass } from './question-type';
import { singleInputType } from './single-input';

/** A whole number. Commas and spaces between digits are fine ("1,500"); decimals and words are not. */
// Messages carry the unit when the question has one: "Enter the depth in centimetres", "Engine size must be a
// whole number of cc, like 1598", "Depth must be 100 centimetres or less".
const inUnit = (q: NumberQuestion, n: number) => {
  const unit = q.unit && Math.abs(n) === 1 ? q.unit.replace(/s$/, '') : q.unit; // "1 centimetre"
  return `${n.toLocaleString('en-GB')}${unit ? ` ${unit}` : ''}`;
};

export const number = singleInputType<NumberQuestion, number>({
  maxLength: () => 20,
  requiredMessage: (q) => `Enter ${q.name}${q.unit ? ` in ${q.unit}` : ''}`,
  parse(q, text) {
    const digits = text.replace(/[,\s]/g, '');
    if (!/^-?\d{1,15}$/.test(digits)) {
      const of = q.unit ? ` of ${q.unit}` : '';
      return {
        ok: false,
        text: message(q, 'format', `${subjectOf(q)} must be a whole number${of}, like ${q.example ?? 15}`),
      };
    }
    const value = Number(digits) + 0; // + 0 turns -0 into 0
    if (q.min !== undefined && value < q.min) {
      return { ok: false, text: message(q, 'min', `${subjectOf(q)} must be ${inUnit(q, q.min)} or more`) };
    }
    if (q.max !== undefined && value > q.max) {
      return { ok: false, text: message(q, 'max', `${subjectOf(q)} must be ${inUnit(q, q.max)} or less`) };
    }
    return { ok: true, value };
  },
  toText: (_q, value) => String(value),
  display: (q, value) => `${value.toLocaleString('en-GB')}${q.suffix ? ` ${q.suffix}` : ''}`,
  input: (q) => ({
    inputmode: 'numeric',
    spellcheck: false,
    classes: widthClass(q.width ?? 10),
    suffix: q.suffix ? { text: q.suffix } : undefined,
  }),
});
