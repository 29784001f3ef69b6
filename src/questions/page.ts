import type { AnswerValue, Answers, Question, QuestionPage } from '../definitions/types';
import { questionType } from './index';
import { chosenOption } from './radios';
import type { FieldError, FieldView, FormBody, RawInput, ValidationContext } from './question-type';

export type PageResult =
  | Readonly<{ ok: true; answers: Readonly<Record<string, AnswerValue | undefined>> }>
  | Readonly<{ ok: false; errors: readonly FieldError[] }>;

/** The follow-up question revealed by the chosen radio option, if any. */
function revealed(question: Question, value: unknown): Question | undefined {
  return 'options' in question && question.type === 'radios'
    ? chosenOption(question.options, value)?.conditional
    : undefined;
}

const conditionalsOf = (question: Question): Question[] =>
  'options' in question ? question.options.flatMap((o) => (o.conditional ? [o.conditional] : [])) : [];

/** Everything the page's questions read from the body, kept to show back on error. */
export function readPage(page: QuestionPage, body: FormBody): RawInput {
  return Object.assign(
    {},
    ...page.questions.flatMap((q) => [q, ...conditionalsOf(q)]).map((q) => questionType(q).read(q, body)),
  ) as RawInput;
}

/**
 * Validation returns a value, not an exception. A follow-up question is validated only when its option is
 * chosen; otherwise its answer is dropped (undefined), so hidden answers are never kept.
 */
export function validatePage(page: QuestionPage, raw: RawInput, context: ValidationContext): PageResult {
  const answers: Record<string, AnswerValue | undefined> = {};
  const errors: FieldError[] = [];
  for (const q of page.questions) {
    const result = questionType(q).parse(q, raw, context);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    answers[q.id] = result.value;
    for (const follow of conditionalsOf(q)) answers[follow.id] = undefined;
    const follow = revealed(q, result.value);
    if (follow) {
      const nested = questionType(follow).parse(follow, raw, context);
      if (nested.ok) answers[follow.id] = nested.value;
      else errors.push(...nested.errors);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}

/** The form fields that show stored answers again. */
export function rawFromAnswers(page: QuestionPage, answers: Answers): RawInput {
  const parts = page.questions
    .flatMap((q) => [q, ...conditionalsOf(q)])
    .flatMap((q) => {
      const value = answers[q.id];
      return value === undefined ? [] : [questionType(q).toRaw(q, value as never)];
    });
  return Object.assign({}, ...parts) as RawInput;
}

/** The view model of each question on the page, errors attached. */
export function pageFields(
  page: QuestionPage,
  raw: RawInput,
  errors: readonly FieldError[],
  renderNested: (view: FieldView) => string,
): FieldView[] {
  const single = page.questions.length === 1;
  const errorsOf = (q: Question) => errors.filter((e) => e.questionId === q.id);
  return page.questions.map((q) => {
    const nested = Object.fromEntries(conditionalsOf(q).map((c) => [c.id, { raw, errors: errorsOf(c) }]));
    return questionType(q).view(q, raw, errorsOf(q), {
      isPageHeading: single,
      caption: page.caption,
      renderNested: (follow, followRaw, followErrors) =>
        renderNested(
          questionType(follow).view(follow, followRaw, followErrors, {
            isPageHeading: false,
            renderNested: () => '',
          }),
        ),
      nested,
    });
  });
}
