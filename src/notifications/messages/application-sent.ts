import { formatReference } from '../../submissions/reference';
import type { AnswerRow } from '../contact';
import type { Block, MessageSource } from '../render';
import { contactUs, referenceInset, statusLink, type ApplicationData, type RenderContext } from './common';

// "Application sent": the reference, what happens next, the status link and a copy of the answers.

export type ApplicationSentData = ApplicationData &
  Readonly<{
    whatHappensNext: readonly string[];
    targetWorkingDays: number;
    /** As check your answers showed them, identifiers masked (contact.ts answersForEmail). */
    sections: readonly Readonly<{ title: string; rows: readonly AnswerRow[] }>[];
  }>;

export function applicationSent(data: ApplicationSentData, context: RenderContext): MessageSource {
  const blocks: Block[] = [
    { kind: 'paragraph', text: `We have received your application: ${data.serviceTitle}.` },
    referenceInset(data),
    {
      kind: 'paragraph',
      text: 'Keep this email. You need the reference number to check the status of your application.',
    },
    { kind: 'heading', text: 'What happens next' },
    ...data.whatHappensNext.map((text): Block => ({ kind: 'paragraph', text })),
    {
      kind: 'paragraph',
      text: `We aim to make a decision within ${data.targetWorkingDays} working ${
        data.targetWorkingDays === 1 ? 'day' : 'days'
      }. We will email you if we need more information and when we have decided.`,
    },
    statusLink(data, context),
    { kind: 'heading', text: 'Your answers' },
    {
      kind: 'paragraph',
      text: 'National Insurance numbers and Unique Taxpayer References show only their last 3 characters.',
    },
    ...data.sections.flatMap((section): Block[] => [
      { kind: 'heading', text: section.title },
      { kind: 'answers', rows: section.rows },
    ]),
    contactUs(data),
  ];
  return { subject: `Application received: reference ${formatReference(data.reference)}`, blocks };
}
