import { formatReference } from '../../submissions/reference';
import { formatDate } from '../../questions/date';
import type { Block, MessageSource } from '../render';
import type { RenderContext } from './common';

// "I have lost my reference": the references of the applications sent with this address, newest first.

export type LostReferenceData = Readonly<{
  applications: readonly Readonly<{ reference: string; serviceTitle: string; sentOn: string }>[];
  /** More applications were found than the message lists (the newest are listed). */
  more: boolean;
}>;

export function lostReference(data: LostReferenceData, context: RenderContext): MessageSource {
  const count = data.applications.length;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text:
        count === 1
          ? 'Someone asked for the reference number of the application sent with this email address.'
          : 'Someone asked for the reference numbers of the applications sent with this email address.',
    },
    ...data.applications.map((a): Block => ({
      kind: 'inset',
      text: `${formatReference(a.reference)}\n${a.serviceTitle}, sent on ${formatDate(a.sentOn)}`,
    })),
    ...(data.more
      ? [{ kind: 'paragraph', text: `These are your ${count} most recent applications.` } as Block]
      : []),
    {
      kind: 'paragraph',
      text: 'To check an application, you need its reference number and the email address or phone number you gave in it.',
    },
    { kind: 'link', text: 'Check the status of an application', href: `${context.baseUrl}/check-status` },
    {
      kind: 'paragraph',
      text: 'If you did not ask for this email, you can ignore it. Nobody else has been sent these reference numbers.',
    },
  ];
  return {
    subject: count === 1 ? 'Your application reference number' : 'Your application reference numbers',
    blocks,
  };
}
