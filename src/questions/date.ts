import { MONTH_NAMES } from '../clock';
import type { DateQuestion } from '../definitions/types';
import { cleanText } from './sanitise';
import {
  errorFor,
  hintParams,
  legendParams,
  message,
  rawString,
  stringField,
  subjectOf,
  type ParseResult,
  type QuestionTypeModule,
} from './question-type';

const PARTS = ['day', 'month', 'year'] as const;
type Part = (typeof PARTS)[number];
const fieldName = (q: DateQuestion, part: Part) => `${q.id}-${part}`;

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A real calendar date? Checked by round trip, because Date.UTC(2025, 1, 31) quietly becomes 3 March. */
export function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** '2019-03-03' -> '3 March 2019', as GOV.UK writes dates. */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTH_NAMES[(m ?? 1) - 1]} ${y}`;
}

/**
 * The month as a number from 1 to 12, or null. The Design System's date input asks services to accept month names
 * and their abbreviations as well as numbers ("June", "jun", "Sept"), in any case.
 */
export function monthNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const word = text.toLowerCase().replace(/\.$/, '');
  if (word.length < 3) return null;
  const index = MONTH_NAMES.findIndex((name) => {
    const full = name.toLowerCase();
    return (
      full === word ||
      (word.length <= full.length && full.startsWith(word) && (word.length === 3 || word === 'sept'))
    );
  });
  return index === -1 ? null : index + 1;
}

function joinParts(parts: Part[]): string {
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function errorOn(q: DateQuestion, parts: readonly Part[], text: string): ParseResult<never> {
  // The summary links to the first input in error; all inputs in error get the error style.
  const fieldIds = parts.map((p) => fieldName(q, p));
  return {
    ok: false,
    errors: [{ questionId: q.id, fieldId: fieldIds[0] ?? fieldName(q, 'day'), text, fieldIds }],
  };
}

/** Day, month and year in three inputs, stored as 'YYYY-MM-DD'. Errors follow the Design System's date input. */
export const date: QuestionTypeModule<DateQuestion, string> = {
  read: (q, body) =>
    Object.fromEntries(
      // Not truncated: cutting '2024 … 5' or '000…015' short would turn an invalid part into a valid one.
      PARTS.map((p) => [fieldName(q, p), cleanText(stringField(body, fieldName(q, p)))]),
    ),
  parse(q, raw, context) {
    const values = Object.fromEntries(
      PARTS.map((p) => [p, rawString(raw, fieldName(q, p)).replace(/\s+/g, '')]),
    ) as Record<Part, string>;
    const missing = PARTS.filter((p) => values[p] === '');
    if (missing.length === 3) {
      return q.optional
        ? { ok: true, value: undefined }
        : errorOn(q, PARTS, message(q, 'required', `Enter ${q.name}`));
    }
    const subject = subjectOf(q);
    if (missing.length > 0) {
      return errorOn(q, missing, message(q, 'incomplete', `${subject} must include a ${joinParts(missing)}`));
    }
    const notNumbers = PARTS.filter((p) =>
      p === 'month' ? monthNumber(values.month) === null : !/^\d+$/.test(values[p]),
    );
    if (notNumbers.length > 0) {
      return errorOn(q, notNumbers, message(q, 'real', `${subject} must be a real date`));
    }
    if (!/^\d{4}$/.test(values.year)) {
      return errorOn(q, ['year'], message(q, 'year', 'Year must include 4 numbers'));
    }
    const [day, month, year] = [Number(values.day), monthNumber(values.month) ?? 0, Number(values.year)];
    if (!isRealDate(year, month, day) || year < 1000) {
      const wrong: Part[] = [];
      if (day < 1 || day > 31) wrong.push('day');
      if (month < 1 || month > 12) wrong.push('month');
      if (year < 1000) wrong.push('year');
      if (wrong.length === 0) wrong.push('day'); // a day past the end of its month: 31 April
      return errorOn(q, wrong, message(q, 'real', `${subject} must be a real date`));
    }
    const value = isoDate(year, month, day);
    const today = context.today;
    const rules: [boolean, string, string][] = [
      [q.when === 'past' && value >= today, 'past', `${subject} must be in the past`],
      [q.when === 'today-or-past' && value > today, 'past', `${subject} must be today or in the past`],
      [q.when === 'future' && value <= today, 'future', `${subject} must be in the future`],
      [q.when === 'today-or-future' && value < today, 'future', `${subject} must be today or in the future`],
      [
        !!q.earliest && value < q.earliest,
        'earliest',
        `${subject} must be the same as or after ${formatDate(q.earliest ?? '')}`,
      ],
      [
        !!q.latest && value > q.latest,
        'latest',
        `${subject} must be the same as or before ${formatDate(q.latest ?? '')}`,
      ],
    ];
    const broken = rules.find(([isBroken]) => isBroken);
    if (broken) return errorOn(q, PARTS, message(q, broken[1], broken[2]));
    return { ok: true, value };
  },
  toRaw(q, value) {
    const [y, m, d] = value.split('-');
    return {
      [fieldName(q, 'day')]: String(Number(d)),
      [fieldName(q, 'month')]: String(Number(m)),
      [fieldName(q, 'year')]: y ?? '',
    };
  },
  view(q, raw, errors, context) {
    const error = errors[0];
    const inError = new Set(error ? (error.fieldIds ?? PARTS.map((p) => fieldName(q, p))) : []);
    return {
      component: 'date-input',
      params: {
        id: q.id,
        namePrefix: q.id,
        fieldset: { legend: legendParams(q, context) },
        hint: hintParams(q),
        errorMessage: errorFor(errors),
        items: PARTS.map((p) => ({
          name: p,
          id: fieldName(q, p),
          label: p.charAt(0).toUpperCase() + p.slice(1),
          value: rawString(raw, fieldName(q, p)),
          classes: `govuk-input--width-${p === 'year' ? 4 : 2}${inError.has(fieldName(q, p)) ? ' govuk-input--error' : ''}`,
          autocomplete: q.autocomplete ? `bday-${p}` : undefined,
        })),
      },
    };
  },
  display: (_q, value) => formatDate(value),
};
