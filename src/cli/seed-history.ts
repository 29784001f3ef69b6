import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { exitWith } from './exit-with';
import { createDb } from '../db';
import { migrateToLatest } from '../migrate';
import { createCalendar, loadBankHolidays } from '../calendar/working-days';
import { createRegistry, loadServiceDefinitions } from '../definitions/registry';
import { syncServices } from '../catalogue/service-repository';
import { generateHistory } from '../metrics/history-generator';
import { rebuildRollups } from '../metrics/rollup-repository';

// `npm run seed:history -- --submissions 100000` (after `npm run build`): a realistic history of applications
// for every service, up to two years back from today, on the configured database (DATABASE_URL, or the
// embedded one under DATA_DIR: stop the server first, the embedded database has one user at a time).
//   --submissions N   how many applications (default 10000)
//   --days N          how far back, in days (default 730, at most 730)
//   --seed N          the random seed (the same seed gives the same history)
//   --rebuild         recompute every performance rollup from the raw rows instead, and stop
const USAGE = 'Usage: seed:history [--submissions N] [--days N] [--seed N] | --rebuild';

function readArgs(argv: readonly string[]) {
  const args = { submissions: 10_000, days: 730, seed: 20261129, rebuild: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--rebuild') {
      args.rebuild = true;
      continue;
    }
    const value = argv[i + 1] ?? '';
    const limits: Record<string, [number, number]> = {
      '--submissions': [1, 5_000_000],
      '--days': [1, 730],
      '--seed': [0, 2 ** 31],
    };
    const limit = name ? limits[name] : undefined;
    if (!limit || !/^\d+$/.test(value) || Number(value) < limit[0] || Number(value) > limit[1]) {
      throw new Error(`${name ?? ''} ${value}: not understood.\n${USAGE}`);
    }
    args[name!.slice(2) as 'submissions' | 'days' | 'seed'] = Number(value);
    i++;
  }
  return args;
}

async function run(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  const config = loadConfig();
  const registry = createRegistry(loadServiceDefinitions());
  const calendar = createCalendar(
    config.calendar.division,
    loadBankHolidays(config.calendar.division, config.calendar.bankHolidaysFile),
  );
  const db = createDb(config.database);
  const bar = new SingleBar(
    {
      format: '{task} |{bar}| {percentage}% | {value}/{total} | {duration}s elapsed, about {eta}s to go',
      stream: process.stderr,
      hideCursor: true,
      // Without a terminal (CI, a log file) print a line every few seconds instead of redrawing.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  try {
    await migrateToLatest(db);
    await syncServices(db, registry.services);
    const started = Date.now();
    if (args.rebuild) {
      const [{ n }] = (await db('submission').count({ n: '*' })) as [{ n: number }];
      bar.start(Number(n), 0, { task: 'Rebuilding rollups' });
      await rebuildRollups(db, calendar, (done) => bar.update(done));
      bar.stop();
      process.stdout.write(
        `Rebuilt the performance rollups from ${n} applications in ${(Date.now() - started) / 1000} s.\n`,
      );
      return 0;
    }
    bar.start(args.submissions, 0, { task: 'Seeding applications' });
    const summary = await generateHistory(db, registry.services, calendar, {
      submissions: args.submissions,
      now: new Date(),
      days: args.days,
      seed: args.seed,
      onProgress: (done) => bar.update(Math.min(done, args.submissions)),
    });
    bar.update(bar.getTotal());
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `Seeded ${summary.submissions} applications from ${summary.first} to ${summary.last} in ${seconds.toFixed(1)} s: ` +
        `${summary.decided} decided, ${summary.open} open (${summary.awaitingCitizen} waiting for the applicant), ` +
        `${summary.surveyResponses} survey answers.\n`,
    );
    return 0;
  } finally {
    bar.stop();
    await db.destroy();
  }
}

exitWith(run());
