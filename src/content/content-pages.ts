import { Router } from 'express';
import type { Config } from '../config';
import type { PageCache } from '../middleware/page-cache';

/** The pages every GOV.UK service must have, linked from every footer. The same for everyone: cached. */
export function setUpContentPages(config: Config, pages: PageCache): Router {
  const router = Router();
  router.get('/accessibility-statement', (_req, res) =>
    pages.send(res, 'accessibility-statement', 'content/accessibility-statement'),
  );
  router.get('/cookies', (_req, res) =>
    pages.send(res, 'cookies', 'content/cookies', () => ({
      sessionCookieName: config.session.cookieName,
      sessionIdleMinutes: config.session.idleMinutes,
    })),
  );
  router.get('/privacy', (_req, res) => pages.send(res, 'privacy', 'content/privacy'));
  return router;
}
