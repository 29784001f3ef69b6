import type { Answers, Question, QuestionPage } from '../definitions/types';
import { questionType } from './index';
import { escapeHtml } from './question-type';

export type SummaryRow = Readonly<{
  key: { text: string };
  value: { text: string } | { html: string };
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}>;
export type SummarySection = Readonly<{ title: string; rows: readonly SummaryRow[] }>;

function summaryValue(question: Question, answers: Answers) {
  const value = answers[question.id];
  if (value === undefined) return { text: 'Not provided' };
  const shown = questionType(question).display(question, value as never);
  return typeof shown === 'string'
    ? { text: shown }
    : { html: shown.map((line) => escapeHtml(line)).join('<br>') };
}

/**
 * govukSummaryList rows for the answers, section by section, one row per question on the pages given (and a
 * revealed follow-up question under its radio). Works from a live definition or a submission's snapshot.
 */
export function answerSummary(
  pages: readonly Omit<QuestionPage, 'next'>[],
  sections: readonly Readonly<{ title: string; pages: readonly string[] }>[],
  answers: Answers,
  options: Readonly<{ pagesShown: ReadonlySet<string>; changeHref?: (pageId: string) => string }>,
): SummarySection[] {
  return sections
    .map((section) => ({
      title: section.title,
      rows: section.pages
        .filter((id) => options.pagesShown.has(id))
        .flatMap((id) => (pages.find((p) => p.id === id)?.questions ?? []).map((q) => ({ q, pageId: id })))
        .flatMap(({ q, pageId }) => {
          const follow =
            'options' in q ? q.options.find((o) => o.value === answers[q.id])?.conditional : undefined;
          return [q, ...(follow ? [follow] : [])].map((question): SummaryRow => {
            const label = question.summaryLabel ?? question.label;
            return {
              key: { text: label },
              value: summaryValue(question, answers),
              ...(options.changeHref
                ? {
                    actions: {
                      items: [
                        {
                          href: options.changeHref(pageId),
                          text: 'Change',
                          visuallyHiddenText: inSentence(label),
                        },
                      ],
                    },
                  }
                : {}),
            };
          });
        }),
    }))
    .filter((section) => section.rows.length > 0);
}

/**
 * A row label as it reads after "Change": "Date of birth" becomes "date of birth", but a label that starts with
 * an acronym ("UK tax taken off pay") or a proper noun phrase ("National Insurance number", "Blue Badge number":
 * a capitalised first word followed by another capitalised word, or a nationality: "Scottish taxpayer") keeps its
 * capitals.
 */
const PROPER_ADJECTIVES = new Set(['British', 'English', 'Irish', 'Northern', 'Scottish', 'Welsh']);

export function inSentence(label: string): string {
  const [first = '', second = ''] = label.split(/\s+/);
  const acronym = /^[^a-z]{2,}$/.test(first) || /[A-Z]/.test(first.slice(1));
  const properNoun = /^[A-Z]/.test(second) || PROPER_ADJECTIVES.has(first);
  return acronym || properNoun ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
