import crypto from 'node:crypto';

// The link to continue a saved draft (docs/save-and-return.md). The token is 256 random bits; the database keeps only
// its SHA-256 (draft_link.token_hash), so a copy of the database does not open anyone's draft. The email that
// carries the link waits in the outbox with the token sealed (src/crypto/secret-box.ts, keyed from SESSION_SECRET
// and bound to the draft), since the worker renders it later.

export const DRAFT_LINK_PATH = '/continue';
export const DRAFT_LINK_PURPOSE = 'draft-link/v1';

export const newDraftToken = (): string => crypto.randomBytes(32).toString('base64url');

export const hashDraftToken = (token: string): string =>
  crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/** True when the text could be one of our tokens (43 base64url characters): anything else is not looked up. */
export const isDraftToken = (text: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(text);

/** The context a draft's sealed token is bound to: a sealed token copied to another draft's email does not open. */
export const draftTokenContext = (draftId: string): string => `draft:${draftId}:link`;
