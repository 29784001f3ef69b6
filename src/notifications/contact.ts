import type { Answers, Question, QuestionPage } from '../definitions/types';
import { questionType } from '../questions';

// Who a service's messages go to, and what of the answers an email may show.

/** Every question of the pages, each followed by the follow-up question its chosen option reveals. */
function questionsAnswered(pages: readonly Omit<QuestionPage, 'next'>[], answers: Answers): Question[] {
  return pages.flatMap((page) =>
    page.questions.flatMap((q) => {
      const follow =
        'options' in q ? q.options.find((o) => o.value === answers[q.id])?.conditional : undefined;
      return [q, ...(follow ? [follow] : [])];
    }),
  );
}

/**
 * The email address the citizen gave for updates: the first email question they answered, in page order
 * (the status-check email where a service uses one). Undefined when they gave none: nothing is sent.
 */
export function contactEmailOf(
  pages: readonly Omit<QuestionPage, 'next'>[],
  answers: Answers,
): string | undefined {
  for (const q of questionsAnswered(pages, answers)) {
    const value = answers[q.id];
    if (q.type === 'email' && typeof value === 'string' && value.trim()) return value.trim().toLowerCase();
  }
  return undefined;
}

const IDENTIFIERS: ReadonlySet<Question['type']> = new Set(['national-insurance-number', 'utr']);

/** "QQ 12 34 56 C" -> "*******56C": an identifier in an email shows its last 3 characters only. */
export function maskIdentifier(value: string): string {
  const compact = value.replace(/\s+/g, '');
  return `${'*'.repeat(Math.max(0, compact.length - 3))}${compact.slice(-3)}`;
}

export type AnswerRow = Readonly<{ key: string; lines: readonly string[] }>;

/** The answers as check your answers shows them, section by section, identifiers masked. */
export function answersForEmail(
  pages: readonly Omit<QuestionPage, 'next'>[],
  sections: readonly Readonly<{ title: string; pages: readonly string[] }>[],
  answers: Answers,
): { title: string; rows: AnswerRow[] }[] {
  return sections
    .map((section) => ({
      title: section.title,
      rows: questionsAnswered(
        pages.filter((p) => section.pages.includes(p.id) && p.questions.some((q) => q.id in answers)),
        answers,
      ).map((q): AnswerRow => {
        const key = q.summaryLabel ?? q.label;
        const value = answers[q.id];
        if (value === undefined) return { key, lines: ['Not provided'] };
        const shown = questionType(q).display(q, value as never);
        const lines = typeof shown === 'string' ? [shown] : [...shown];
        return { key, lines: IDENTIFIERS.has(q.type) ? lines.map(maskIdentifier) : lines };
      }),
    }))
    .filter((section) => section.rows.length > 0);
}
