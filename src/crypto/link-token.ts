import crypto from 'node:crypto';

// The random tokens in the links we email (a saved draft's, a citizen's sign-in): 256 random bits, base64url. The
// database keeps only their SHA-256, so a copy of the database opens nothing.

export const newLinkToken = (): string => crypto.randomBytes(32).toString('base64url');

export const hashLinkToken = (token: string): string =>
  crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/** True when the text could be one of our tokens (43 base64url characters): anything else is not looked up. */
export const isLinkToken = (text: unknown): text is string =>
  typeof text === 'string' && /^[A-Za-z0-9_-]{43}$/.test(text);
