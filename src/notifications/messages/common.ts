import { formatReference } from '../../submissions/reference';
import type { Block } from '../render';

/** What every message knows about the application it is about. */
export type ApplicationData = Readonly<{
  reference: string;
  serviceSlug: string;
  serviceTitle: string;
  agency: Readonly<{ name: string; contact: Readonly<{ email: string; phone?: string }> }>;
}>;

export type RenderContext = Readonly<{ baseUrl: string }>;

/** The status check with the reference filled in: the citizen still proves it is theirs (postcode or email). */
export const statusLink = (data: ApplicationData, context: RenderContext): Block => ({
  kind: 'link',
  text: 'Check the status of your application',
  href: `${context.baseUrl}/check-status?reference=${formatReference(data.reference)}`,
});

export const contactUs = (data: ApplicationData): Block => ({
  kind: 'paragraph',
  text: `If you have a question, contact ${data.agency.name} at ${data.agency.contact.email}${
    data.agency.contact.phone ? ` or call ${data.agency.contact.phone}` : ''
  }. Quote your reference number.`,
});

export const referenceInset = (data: ApplicationData): Block => ({
  kind: 'inset',
  text: `Your reference number is\n${formatReference(data.reference)}`,
});
