import { Router } from 'express';
import { csrfSync } from 'csrf-sync';

export const CSRF_ERROR_CODE = 'EBADCSRFTOKEN';

/**
 * Synchroniser tokens (csrf-sync) on every state-changing request, in tests too.
 * The token is created lazily: templates call csrfToken() inside a form, so pages without a form
 * (the catalogue, start pages) never create a session.
 */
export function setUpCsrf(): Router {
  const router = Router();
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const token: unknown = req.body?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    errorConfig: { statusCode: 403, message: 'Invalid or missing CSRF token', code: CSRF_ERROR_CODE },
  });
  router.use((req, res, next) => {
    res.locals.csrfToken = () => generateToken(req);
    next();
  });
  router.use(csrfSynchronisedProtection);
  return router;
}
