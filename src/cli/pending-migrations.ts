import type { Db } from '../db';
import { pendingMigrations } from '../migrate';

/**
 * The jobs (worker, retention) run as the app's role, which may not migrate (separate roles): with migrations
 * pending they say so and stop (true) rather than fail half-way on a table that is not there yet.
 */
export async function refuseWithPendingMigrations(db: Db): Promise<boolean> {
  const pending = await pendingMigrations(db);
  if (pending.length === 0) return false;
  process.stderr.write(
    `The database has ${pending.length} pending migration(s): run npm run migrate first.\n`,
  );
  return true;
}
