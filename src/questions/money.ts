import type { MoneyQuestion } from '../definitions/types';
import { message, subjectOf } from './question-type';
import { singleInputType } from './single-input';

// £1 billion: far above any amount a citizen form needs, and far below 2^53 pence.
const DEFAULT_MAX_PENCE = 100_000_000_000;

export function formatPounds(pence: number): string {
  const pounds = Math.floor(Math.abs(pence) / 100);
  const rest = String(Math.abs(pence) % 100).padStart(2, '0');
  return `${pence < 0 ? '-' : ''}£${pounds.toLocaleString('en-GB')}.${rest}`;
}

/** Pounds and pence as typed ("£1,250.50", "600", "0.5"), stored as integer pence: never a float. */
export const money = singleInputType<MoneyQuestion, number>({
  maxLength: () => 30,
  parse(q, text) {
    const plain = text.replace(/^£\s*/, '').replace(/[,\s]/g, '');
    const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(plain);
    if (!match) {
      return {
        ok: false,
        text: message(
          q,
          'format',
          `${subjectOf(q)} must be an amount of money in pounds, like 600 or 1250.50`,
        ),
      };
    }
    const pence = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
    const min = q.minPence ?? 0;
    const max = q.maxPence ?? DEFAULT_MAX_PENCE;
    if (pence < min)
      return { ok: false, text: message(q, 'min', `${subjectOf(q)} must be ${formatPounds(min)} or more`) };
    if (pence > max)
      return { ok: false, text: message(q, 'max', `${subjectOf(q)} must be ${formatPounds(max)} or less`) };
    return { ok: true, value: pence };
  },
  toText: (_q, pence) => (pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2)),
  display: (_q, pence) => formatPounds(pence),
  input: () => ({
    prefix: { text: '£' },
    classes: 'govuk-input--width-10',
    spellcheck: false,
    inputmode: 'decimal',
  }),
});
