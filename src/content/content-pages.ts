import { Router } from 'express';
import type { Config } from '../config';

/** The pages every GOV.UK service must have, linked from every footer. */
export function setUpContentPages(config: Config): Router {
  const router = Router();
  router.get('/accessibility-statement', (_req, res) => res.render('content/accessibility-statement'));
  router.get('/cookies', (_req, res) =>
    res.render('content/cookies', {
      sessionCookieName: config.session.cookieName,
      sessionIdleMinutes: config.session.idleMinutes,
    }),
  );
  router.get('/privacy', (_req, res) => res.render('content/privacy'));
  return router;
}
