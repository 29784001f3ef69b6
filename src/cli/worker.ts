import { loadConfig } from '../config';
import { exitWith } from './exit-with';
import { createDb } from '../db';
import { refuseWithPendingMigrations } from './pending-migrations';
import { createLogger } from '../middleware/logging';
import { workerFor } from '../notifications';

// `npm run worker` (after `npm run build`): deliver the notification outbox on its own, for scale-out, with
// WORKERS=0 on the web processes. Needs DATABASE_URL (the embedded database has one user at a time: there, the
// web process delivers). Runs until SIGTERM or SIGINT, then finishes the messages in hand and exits 0.
async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config);
  const db = createDb(config.database);
  try {
    if (await refuseWithPendingMigrations(db)) return 1;
    const worker = workerFor(config, db, logger);
    if (!worker) return 1;
    worker.start(Math.max(1, config.notifications.workers));
    logger.info({ component: 'notifications' }, 'outbox worker started');
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await worker.stop();
    logger.info({ component: 'notifications' }, 'outbox worker stopped');
    return 0;
  } finally {
    await db.destroy();
  }
}

exitWith(run());
