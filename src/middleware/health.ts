import { Router } from 'express';
import { pingDatabase, type Db } from '../db';
import type { VirusScanner } from '../uploads/scanner';

export type Lifecycle = { shuttingDown: boolean };

const READY_TIMEOUT_MS = 1000;

/** Whether the virus scanner answers PING within the readiness timeout. */
async function scannerAnswers(scanner: VirusScanner): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      scanner.ping(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Mounted before sessions so a probe never touches the session store.
 * live: the process answers (no dependencies). ready: the database answers and we are not shutting down. The
 * virus scanner is reported too but does not make the instance unready: without it only uploads are refused
 * ("try again later"), and every other page still works.
 */
export function setUpHealthChecks(db: Db, lifecycle: Lifecycle, scanner?: VirusScanner): Router {
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
      const [, scannerOk] = await Promise.all([
        pingDatabase(db, READY_TIMEOUT_MS),
        scanner ? scannerAnswers(scanner) : Promise.resolve(undefined),
      ]);
      res.json(
        scannerOk === undefined
          ? { status: 'ok' }
          : { status: 'ok', virusScanner: scannerOk ? 'ok' : 'unavailable' },
      );
    } catch {
      // No detail in the public answer; the error is the operator's business, not the caller's.
      res.status(503).set('Retry-After', '10').json({ status: 'unavailable' });
    }
  });
  return router;
}
