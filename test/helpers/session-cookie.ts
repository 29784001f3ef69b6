import crypto from 'node:crypto';
import signature from 'cookie-signature';
import type { Config } from '../../src/config';

/** A cookie for a session id, signed as express-session signs it, so a test can present a session. */
export function signedSessionCookie(config: Config, sid = crypto.randomUUID()): string {
  return `${config.session.cookieName}=${encodeURIComponent(`s:${signature.sign(sid, config.session.secret)}`)}`;
}
