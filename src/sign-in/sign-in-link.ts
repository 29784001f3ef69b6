// The link that signs a citizen in to "your applications" (docs/your-applications.md). Its token is
// src/crypto/link-token.ts's: the database keeps only its hash. The email that carries it waits in the outbox with
// the token sealed (src/crypto/secret-box.ts, keyed from SESSION_SECRET for this purpose and bound to the link).

export const SIGN_IN_PATH = '/your-applications/sign-in';
export const SIGN_IN_LINK_PURPOSE = 'sign-in-link/v1';

/** The context a link's sealed token is bound to: a sealed token copied to another link's email does not open. */
export const signInTokenContext = (linkId: string): string => `sign-in:${linkId}:link`;
