import { formatReference } from '../../submissions/reference';
import { formatDate } from '../../questions/date';
import type { MessageSource } from '../render';
import { contactUs, replyLink, type ApplicationData, type RenderContext } from './common';

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
      { kind: 'paragraph', text: 'Reply on the status page for your application.' },
      ...replyLink(data, context),
      contactUs(data),
    ],
  };
}
