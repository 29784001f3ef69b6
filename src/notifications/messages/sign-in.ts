import type { MessageSource } from '../render';
import type { RenderContext } from './common';

// "Sign in to see your applications": the link that signs a citizen in (src/sign-in, docs/your-applications.md).
// The token is sealed in the stored message and opened only to render it.

export type SignInData = Readonly<{
  linkId: string;
  /** The link's token, sealed (src/crypto/secret-box.ts) for this link. */
  sealedToken: string;
  /** How many minutes the link works for. */
  minutes: number;
}>;

export function signIn(data: SignInData, context: RenderContext): MessageSource {
  return {
    subject: 'Sign in to see your applications',
    blocks: [
      {
        kind: 'paragraph',
        text: 'Use this link to see the applications you have sent and the answers you have saved with this email address.',
      },
      { kind: 'link', text: 'Sign in', href: context.signInLink(data.linkId, data.sealedToken) },
      {
        kind: 'paragraph',
        text: `The link works once, for ${data.minutes} minutes. If it has stopped working, you can get a new one at ${context.baseUrl}/your-applications.`,
      },
      {
        kind: 'paragraph',
        text: 'If you did not ask to sign in, you can ignore this email. Nobody can sign in without the link.',
      },
    ],
  };
}
