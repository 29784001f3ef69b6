import nunjucks from 'nunjucks';
import type { AnswerValue, Question } from '../definitions/types';

/** The parsed form body: express.urlencoded (extended: false) gives strings and arrays of strings. */
export type FormBody = Readonly<Record<string, unknown>>;

/** What the person typed, keyed by form field name, kept to show back to them. Never trusted. */
export type RawInput = Readonly<Record<string, string | readonly string[]>>;

/** One error: the message and the id of the input the error summary links to. */
export type FieldError = Readonly<{
  questionId: string;
  fieldId: string;
  text: string;
  /** Every input in error when there are several (date parts); fieldId is the first of them. */
  fieldIds?: readonly string[];
}>;

export type ParseResult<V> =
  | Readonly<{ ok: true; value: V | undefined }> // undefined: an optional question left blank
  | Readonly<{ ok: false; errors: readonly FieldError[] }>;

export type ValidationContext = Readonly<{ today: string /* YYYY-MM-DD in the service's time zone */ }>;

/** govuk-frontend macro and its parameters, rendered by views/apply/field.njk. */
export type FieldView = Readonly<{
  component:
    | 'input'
    | 'textarea'
    | 'character-count'
    | 'date-input'
    | 'radios'
    | 'checkboxes'
    | 'address'
    | 'file-upload';
  params: Record<string, unknown>;
}>;

export type ViewContext = Readonly<{
  /** With one question on the page, its label or legend is the page's h1. */
  isPageHeading: boolean;
  caption?: string;
  /** Renders a conditional follow-up question to HTML, for a radio option's reveal. */
  renderNested: (question: Question, raw: RawInput, errors: readonly FieldError[]) => string;
  /** The input and errors of each conditional follow-up question, by question id. */
  nested?: Readonly<Record<string, Readonly<{ raw: RawInput; errors: readonly FieldError[] }>>>;
}>;

/** What check your answers shows for an answer: one line, or several (an address). */
export type DisplayValue = string | readonly string[];

/**
 * A question type owns everything about its kind of answer: which form fields it reads, how it parses and
 * validates them, the govuk-frontend view model, and how a stored answer is shown back.
 */
export interface QuestionTypeModule<Q extends Question = Question, V extends AnswerValue = AnswerValue> {
  read(question: Q, body: FormBody): RawInput;
  parse(question: Q, raw: RawInput, context: ValidationContext): ParseResult<V>;
  /** The form fields that show a stored answer again (going back, changing an answer). */
  toRaw(question: Q, value: V): RawInput;
  view(question: Q, raw: RawInput, errors: readonly FieldError[], context: ViewContext): FieldView;
  display(question: Q, value: V): DisplayValue;
}

// ---- small shared pieces used by the type modules ----

/** A form field as a string. Arrays (a repeated field) and anything else count as not given. */
export function stringField(body: FormBody, name: string): string {
  if (!Object.hasOwn(body, name)) return '';
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/** A form field as a list of strings (checkboxes); a single string becomes a one-item list. */
export function stringListField(body: FormBody, name: string): string[] {
  if (!Object.hasOwn(body, name)) return [];
  const value = body[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export const rawString = (raw: RawInput, name: string): string => {
  const v = raw[name];
  return typeof v === 'string' ? v : '';
};

export const rawList = (raw: RawInput, name: string): readonly string[] => {
  const v = raw[name];
  return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
};

/** "your date of birth" -> "Date of birth", for messages that start with the thing itself. */
export function subjectOf(question: Question): string {
  const bare = question.name.replace(/^(your|the|a|an) /i, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

export function message(question: Question, rule: string, fallback: string): string {
  return question.messages?.[rule] ?? fallback;
}

export const fail = (question: Question, fieldId: string, text: string): ParseResult<never> => ({
  ok: false,
  errors: [{ questionId: question.id, fieldId, text }],
});

export const errorFor = (errors: readonly FieldError[], fieldId?: string) => {
  const e = fieldId ? errors.find((x) => x.fieldId === fieldId) : errors[0];
  return e ? { text: e.text } : undefined;
};

export function labelText(question: Question): string {
  return question.optional ? `${question.label} (optional)` : question.label;
}

// nunjucks' own HTML escaping, the same the templates use (missing from its type definitions).
export const escapeHtml = (nunjucks.lib as unknown as { escape: (s: string) => string }).escape;

/** Label or legend content: the question, with the page's caption inside it when it is the page heading. */
export function headingHtml(question: Question, context: ViewContext): string {
  const caption =
    context.isPageHeading && context.caption
      ? `<span class="govuk-caption-l">${escapeHtml(context.caption)}</span> `
      : '';
  return `${caption}${escapeHtml(labelText(question))}`;
}

export function labelParams(question: Question, context: ViewContext) {
  return context.isPageHeading
    ? { html: headingHtml(question, context), classes: 'govuk-label--l', isPageHeading: true }
    : { text: labelText(question), classes: 'govuk-label--m' };
}

export function legendParams(question: Question, context: ViewContext) {
  return context.isPageHeading
    ? { html: headingHtml(question, context), classes: 'govuk-fieldset__legend--l', isPageHeading: true }
    : { text: labelText(question), classes: 'govuk-fieldset__legend--m' };
}

export const hintParams = (question: Question) => (question.hint ? { text: question.hint } : undefined);

export const widthClass = (width: string | number | undefined): string | undefined =>
  width === undefined
    ? undefined
    : typeof width === 'number'
      ? `govuk-input--width-${width}`
      : `govuk-!-width-${width === 'full' ? 'full' : width}`;
