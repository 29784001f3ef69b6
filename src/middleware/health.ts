import { Router } from 'express';
import { pingDatabase, type Db } from '../db';

export type Lifecycle = { shuttingDown: boolean };

const READY_TIMEOUT_MS = 1000;

/**
 * Mounted before sessions so a probe never touches the session store.
 * live: the process answers (no dependencies). ready: the database answers and we are not shutting down.
 */
export function setUpHealthChecks(db: Db, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    if (lifecycle.shuttingDown) {
      res.status(503).set('Retry-After', '5').json({ status: 'shutting-down' });
      return;
    }
    try {
      await pingDatabase(db, READY_TIMEOUT_MS);
      res.json({ status: 'ok' });
    } catch {
      // No detail in the public answer; the error is the operator's business, not the caller's.
      res.status(503).set('Retry-After', '10').json({ status: 'unavailable' });
    }
  });
  return router;
}
