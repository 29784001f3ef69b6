import type { Answers, Question, QuestionPage, ServiceDefinition } from './types';

/** A question in the wording for the person it is about (its `toSubject`), nested follow-up questions included. */
function toSubject(question: Question): Question {
  const worded = question.toSubject ? ({ ...question, ...question.toSubject } as Question) : question;
  if (!('options' in worded)) return worded;
  return {
    ...worded,
    options: worded.options.map((o) => (o.conditional ? { ...o, conditional: toSubject(o.conditional) } : o)),
  } as Question;
}

/** True when this service asks its questions of the citizen as the person they are about. */
export const asksTheSubject = (definition: ServiceDefinition, answers: Answers): boolean =>
  definition.askingTheSubject?.(answers) ?? false;

/** The page as asked, given the answers so far: in the second person when the citizen applies for themselves. */
export function pageAsAsked(
  definition: ServiceDefinition,
  page: QuestionPage,
  answers: Answers,
): QuestionPage {
  if (!asksTheSubject(definition, answers)) return page;
  return { ...page, questions: page.questions.map(toSubject) };
}
