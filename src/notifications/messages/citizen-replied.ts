import { formatReference } from '../../submissions/reference';
import type { MessageSource } from '../render';
import type { RenderContext } from './common';

// To a member of staff who asked for it (/staff/account/notifications): a citizen replied on a case assigned to
// them. Only the reference, the service and a link to the case: never the citizen's details or reply, which staff
// read after signing in.

export type CitizenRepliedData = Readonly<{ reference: string; serviceTitle: string }>;

export function citizenReplied(data: CitizenRepliedData, context: RenderContext): MessageSource {
  const reference = formatReference(data.reference);
  return {
    subject: `A citizen replied: case ${reference}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `The citizen has replied to your request for more information on case ${reference} (${data.serviceTitle}), which is assigned to you.`,
      },
      {
        kind: 'paragraph',
        text: 'Sign in to the back office to read their reply. The processing clock has started again.',
      },
      { kind: 'link', text: 'Open the case', href: `${context.baseUrl}/staff/submissions/${data.reference}` },
      {
        kind: 'paragraph',
        text: 'You get these emails because you asked for them. To stop them, change your email alerts in the back office.',
      },
    ],
  };
}
