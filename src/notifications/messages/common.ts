import { formatReference } from '../../submissions/reference';
import type { Block } from '../render';

/** What every message knows about the application it is about. */
export type ApplicationData = Readonly<{
  reference: string;
  serviceSlug: string;
  serviceTitle: string;
  agency: Readonly<{ name: string; contact: Readonly<{ email: string; phone?: string }> }>;
}>;

export type RenderContext = Readonly<{
  baseUrl: string;
  /** The signed link that opens this application's status page (status-link.ts), for the message's recipient. */
  statusPageLink: (reference: string) => string;
  /** How many days that link works. */
  statusLinkDays: number;
  /** The link to continue a saved draft, from the token sealed in the message (or the page to get a new one). */
  draftLink: (draftId: string, sealedToken: string) => string;
  /** The link that signs a citizen in, from the token sealed in the message (or the page to ask for a new one). */
  signInLink: (linkId: string, sealedToken: string) => string;
}>;

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

/** Straight to the status page, without the status check: only in messages that ask the citizen to act. */
export const replyLink = (data: ApplicationData, context: RenderContext): readonly Block[] => [
  {
    kind: 'link',
    text: 'See your application and reply',
    href: context.statusPageLink(data.reference),
  },
  {
    kind: 'paragraph',
    text: `The link works for ${context.statusLinkDays} days. After that, check the status of your application with your reference number and the email address or phone number you gave in your application.`,
  },
];
