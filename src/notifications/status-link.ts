import crypto from 'node:crypto';
import { parseReference } from '../submissions/reference';

// The link in a request for more information (and its reminder) that opens the status page for that application
// without the status check (docs/notifications.md#the-link-to-the-status-page). It is signed, not stored: an
// HMAC-SHA256 over the reference, the expiry and the address the email went to, with a key derived from
// SESSION_SECRET. Nothing in the database can be stolen to make one, a retry of the same email carries the same
// link (the expiry counts from when the message was written), and the link stops working when the application's
// email address is gone (anonymised by retention) or SESSION_SECRET changes.

export type StatusLinkSigner = Readonly<{
  /** The token for one application's link, bound to the address it is sent to. */
  sign: (reference: string, recipient: string, writtenAt: Date) => string;
  /** What a token claims, if it is well formed; nothing is trusted until `matches`. */
  read: (token: string) => StatusLinkClaim | undefined;
  /** True when the claim was signed by us for this address (compared in constant time). */
  matches: (claim: StatusLinkClaim, recipient: string) => boolean;
}>;

export type StatusLinkClaim = Readonly<{ reference: string; expiresAt: Date; mac: string }>;

export const STATUS_LINK_PATH = '/check-status/link';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAC_LENGTH = 43; // 32 bytes, base64url without padding

export function createStatusLinkSigner(secret: string, lifetimeDays: number): StatusLinkSigner {
  const key = Buffer.from(
    crypto.hkdfSync('sha256', secret, 'portal', 'status-page-link-v1', 32) as ArrayBuffer,
  );
  const macOf = (reference: string, expiresSeconds: number, recipient: string) =>
    crypto
      .createHmac('sha256', key)
      .update(`${reference}\n${expiresSeconds}\n${recipient.trim().toLowerCase()}`)
      .digest('base64url');

  return {
    sign(reference, recipient, writtenAt) {
      const expiresSeconds = Math.floor((writtenAt.getTime() + lifetimeDays * DAY_MS) / 1000);
      return `${reference}.${expiresSeconds.toString(36)}.${macOf(reference, expiresSeconds, recipient)}`;
    },
    read(token) {
      if (token.length > 80) return undefined;
      const [reference, expires, mac, ...rest] = token.split('.');
      if (rest.length > 0 || !reference || !expires || !mac) return undefined;
      if (parseReference(reference) !== reference) return undefined;
      if (!/^[0-9a-z]{1,10}$/.test(expires) || !/^[A-Za-z0-9_-]+$/.test(mac) || mac.length !== MAC_LENGTH)
        return undefined;
      return { reference, expiresAt: new Date(parseInt(expires, 36) * 1000), mac };
    },
    matches(claim, recipient) {
      const expected = Buffer.from(
        macOf(claim.reference, Math.floor(claim.expiresAt.getTime() / 1000), recipient),
      );
      const given = Buffer.from(claim.mac);
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },
  };
}
