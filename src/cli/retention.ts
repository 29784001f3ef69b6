import { loadConfig } from '../config';
import { exitWith } from './exit-with';
import { createDb } from '../db';
import { refuseWithPendingMigrations } from './pending-migrations';
import { applyRetention, summariseRetention } from '../retention/retention';

// `npm run retention` (after `npm run build`): anonymise the applications decided more than RETENTION_MONTHS ago
// and remove old survey comments (src/retention/retention.ts), on the configured database (DATABASE_URL, or the
// embedded one under DATA_DIR: stop the server first, the embedded database has one user at a time). Run it daily,
// from cron or a Kubernetes CronJob; several copies at once share the work (FOR UPDATE SKIP LOCKED).
//   --dry-run    count what would be anonymised and change nothing
//   --months N   the retention period in months for this run, instead of RETENTION_MONTHS
// Prints one line of counts (never anything about a person); exit 0 on success, 1 on failure, 2 on bad arguments.
const USAGE = 'Usage: retention [--dry-run] [--months N]';

class UsageError extends Error {}

function readArgs(argv: readonly string[]): { dryRun: boolean; months?: number } {
  const args: { dryRun: boolean; months?: number } = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--dry-run') {
      args.dryRun = true;
      continue;
    }
    const value = argv[i + 1] ?? '';
    if (name !== '--months' || !/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1200) {
      throw new UsageError(`${name ?? ''} ${value}: not understood.\n${USAGE}`);
    }
    args.months = Number(value);
    i++;
  }
  return args;
}

async function run(): Promise<number> {
  let args;
  try {
    args = readArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  const config = loadConfig();
  const db = createDb(config.database);
  try {
    if (await refuseWithPendingMigrations(db)) return 1;
    const result = await applyRetention(db, {
      now: new Date(),
      retentionMonths: args.months ?? config.retentionMonths,
      dryRun: args.dryRun,
    });
    process.stdout.write(`${summariseRetention(result)}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

exitWith(run());
