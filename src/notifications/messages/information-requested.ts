import { formatReference } from '../../submissions/reference';
import { formatDate } from '../../questions/date';
import type { MessageSource } from '../render';
import { contactUs, statusLink, type ApplicationData, type RenderContext } from './common';

// "More information needed": the caseworker's request, the day the clock paused, and the way to reply.

export type InformationRequestedData = ApplicationData &
  Readonly<{
    request: string;
    /** 'YYYY-MM-DD' (UK): the day the processing clock stopped. */
    pausedOn: string;
  }>;

export function informationRequested(data: InformationRequestedData, context: RenderContext): MessageSource {
  const reference = formatReference(data.reference);
  return {
    subject: `More information needed: reference ${reference}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `We need more information about your application (${data.serviceTitle}, reference ${reference}).`,
      },
      { kind: 'heading', text: 'What we need' },
      { kind: 'inset', text: data.request },
      {
        kind: 'paragraph',
        text: `We stopped working on your application on ${formatDate(data.pausedOn)}. We will start again when you reply.`,
      },
      {
        kind: 'paragraph',
        text: 'Reply on the status page. You will need your reference number and the postcode or email address you gave in your application.',
      },
      statusLink(data, context),
      contactUs(data),
    ],
  };
}
