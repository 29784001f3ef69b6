// The link to continue a saved draft (docs/save-and-return.md). The token is src/crypto/link-token.ts's; the database keeps only
// its SHA-256 (draft_link.token_hash), so a copy of the database does not open anyone's draft. The email that
// carries the link waits in the outbox with the token sealed (src/crypto/secret-box.ts, keyed from SESSION_SECRET
// and bound to the draft), since the worker renders it later.

export const DRAFT_LINK_PATH = '/continue';
export const DRAFT_LINK_PURPOSE = 'draft-link/v1';

/** The context a draft's sealed token is bound to: a sealed token copied to another draft's email does not open. */
export const draftTokenContext = (draftId: string): string => `draft:${draftId}:link`;
