import { formatReference } from '../../submissions/reference';
import { formatDate } from '../../questions/date';
import type { MessageSource } from '../render';
import { contactUs, referenceInset, statusLink, type ApplicationData, type RenderContext } from './common';

// "We no longer need the information we asked for": the caseworker withdrew their request; work has restarted.

export type RequestWithdrawnData = ApplicationData &
  Readonly<{
    /** 'YYYY-MM-DD' (UK): the day the request was withdrawn and work restarted. */
    withdrawnOn: string;
  }>;

export function requestWithdrawn(data: RequestWithdrawnData, context: RenderContext): MessageSource {
  const reference = formatReference(data.reference);
  return {
    subject: `We no longer need the information we asked for: reference ${reference}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `We no longer need the information we asked you for about your application (${data.serviceTitle}).`,
      },
      referenceInset(data),
      {
        kind: 'paragraph',
        text: `You do not need to reply. We started working on your application again on ${formatDate(data.withdrawnOn)}.`,
      },
      statusLink(data, context),
      contactUs(data),
    ],
  };
}
