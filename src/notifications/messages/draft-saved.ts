import { formatDate } from '../../questions/date';
import type { MessageSource } from '../render';
import type { RenderContext } from './common';

// "Continue your application": the link to a saved draft (src/drafts, docs/save-and-return.md). The token is sealed
// in the stored message and opened only to render it.

export type DraftSavedData = Readonly<{
  draftId: string;
  serviceTitle: string;
  /** The link's token, sealed (src/crypto/secret-box.ts) for this draft. */
  sealedToken: string;
  /** 'YYYY-MM-DD' (UK): the last day the link works. */
  linkUntil: string;
  /** 'YYYY-MM-DD' (UK): the last day the answers are kept. */
  keptUntil: string;
}>;

export function draftSaved(data: DraftSavedData, context: RenderContext): MessageSource {
  return {
    subject: `Continue your application: ${data.serviceTitle}`,
    blocks: [
      { kind: 'paragraph', text: `We have saved your answers: ${data.serviceTitle}.` },
      {
        kind: 'link',
        text: 'Continue your application',
        href: context.draftLink(data.draftId, data.sealedToken),
      },
      {
        kind: 'paragraph',
        text: `The link works once, until ${formatDate(data.linkUntil)}. We will keep your answers until ${formatDate(data.keptUntil)}, then delete them.`,
      },
      {
        kind: 'paragraph',
        text: `If the link has stopped working, you can get a new one at ${context.baseUrl}/continue with this email address.`,
      },
      {
        kind: 'paragraph',
        text: 'If you did not save an application, you can ignore this email. Nobody can see your answers without the link.',
      },
    ],
  };
}
