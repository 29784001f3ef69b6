import { formatReference } from '../../submissions/reference';
import { formatDate } from '../../questions/date';
import type { MessageSource } from '../render';
import { contactUs, replyLink, type ApplicationData, type RenderContext } from './common';

// "Reminder": the one reminder when a request for more information has had no reply for the service's number of
// working days (src/notifications/reminders.ts).

export type ReminderData = ApplicationData &
  Readonly<{
    request: string;
    /** 'YYYY-MM-DD' (UK): the day we asked. */
    askedOn: string;
  }>;

export function reminder(data: ReminderData, context: RenderContext): MessageSource {
  const reference = formatReference(data.reference);
  return {
    subject: `Reminder: more information needed: reference ${reference}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `On ${formatDate(data.askedOn)} we asked you for more information about your application (${data.serviceTitle}, reference ${reference}). We have not had a reply.`,
      },
      { kind: 'heading', text: 'What we need' },
      { kind: 'inset', text: data.request },
      {
        kind: 'paragraph',
        text: 'We cannot carry on with your application until you reply. Reply on the status page for your application.',
      },
      ...replyLink(data, context),
      contactUs(data),
    ],
  };
}
