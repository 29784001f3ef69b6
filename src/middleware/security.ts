import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/** Security headers for every response, errors included: a strict CSP with a fresh nonce per request. */
export function setUpSecurityHeaders(config: Config): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString('base64');
    // Pages carry personal data and session state; static assets override this with their own caching.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // The only inline script is govuk-frontend's template line that adds `js-enabled`; it carries the nonce.
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: config.isProduction ? [] : null,
        },
      },
      // helmet's default SAMEORIGIN would contradict frame-ancestors 'none'.
      frameguard: { action: 'deny' },
      strictTransportSecurity: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    }),
  );
  // Defence in depth beside the CSRF token (docs/security.md#c3): every form here posts to its own origin, so a post
  // the browser marks as cross-site, or whose Origin is neither BASE_URL's nor the one it was sent to, is refused.
  const configuredOrigin = new URL(config.baseUrl).origin;
  router.use((req, _res, next) => {
    if (req.method === 'POST' && (req.headers['sec-fetch-site'] === 'cross-site' || !fromThisSite(req))) {
      next(Object.assign(new Error('Cross-site form submission'), { status: 403, code: CROSS_SITE_CODE }));
      return;
    }
    next();
  });
  /** No Origin header (older browsers, scripts): left to the CSRF token. `null` (a sandboxed or opaque origin) is refused. */
  function fromThisSite(req: Request): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return origin === configuredOrigin || origin === `${req.protocol}://${req.headers.host ?? ''}`;
  }
  return router;
}

export const CROSS_SITE_CODE = 'ECROSSSITE';
