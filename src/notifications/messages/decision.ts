import { formatReference } from '../../submissions/reference';
import type { Block, MessageSource } from '../render';
import { contactUs, referenceInset, statusLink, type ApplicationData, type RenderContext } from './common';

// "Decision": approved, or rejected with the reason and how to challenge it or apply again.

export type DecisionData = ApplicationData &
  Readonly<{
    outcome: 'approved' | 'rejected';
    reason: string | null;
    /** The service's "what happens next" once approved, as it stood when the citizen applied (may be absent). */
    afterApproval?: readonly string[];
  }>;

export function decision(data: DecisionData, context: RenderContext): MessageSource {
  const reference = formatReference(data.reference);
  const blocks: Block[] =
    data.outcome === 'approved'
      ? [
          { kind: 'paragraph', text: `Your application has been approved: ${data.serviceTitle}.` },
          referenceInset(data),
          ...(data.afterApproval && data.afterApproval.length > 0
            ? [
                { kind: 'heading', text: 'What happens next' } as const,
                ...data.afterApproval.map((text) => ({ kind: 'paragraph', text }) as const),
              ]
            : []),
          {
            kind: 'paragraph',
            text: `${data.agency.name} will contact you if anything else is needed.`,
          },
          statusLink(data, context),
          contactUs(data),
        ]
      : [
          { kind: 'paragraph', text: `Your application has been rejected: ${data.serviceTitle}.` },
          referenceInset(data),
          { kind: 'heading', text: 'Why' },
          { kind: 'inset', text: data.reason ?? 'No reason was recorded.' },
          { kind: 'heading', text: 'If you think the decision is wrong' },
          {
            kind: 'paragraph',
            text: `You can ask for the decision to be looked at again. Contact ${data.agency.name} at ${data.agency.contact.email}, quoting your reference number, and say why you think it is wrong.`,
          },
          { kind: 'heading', text: 'Apply again' },
          {
            kind: 'link',
            text: 'You can apply again at any time',
            href: `${context.baseUrl}/services/${data.serviceSlug}`,
          },
          statusLink(data, context),
        ];
  return {
    subject: `Application ${data.outcome}: reference ${reference}`,
    blocks,
  };
}
