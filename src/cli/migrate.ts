import { loadConfig } from '../config';
import { exitWith } from './exit-with';
import { createDb } from '../db';
import { grantRoles } from '../db-roles';
import { migrateToLatest, pendingMigrations, rollbackAll } from '../migrate';

// `npm run migrate` for deployments that migrate before rolling out app instances:
//   npm run migrate            apply every pending migration
//   npm run migrate -- status  list pending migrations (exit 3 when any are pending)
//   npm run migrate -- down    undo every migration (development only)
//   npm run migrate -- roles   grant the app and metrics roles their privileges (separate roles only)
// With DATABASE_MIGRATION_URL set (separate roles, see db-roles.ts) all of these connect as the owner, and `up`
// grants the roles again after migrating.
async function run(command: string): Promise<number> {
  const config = loadConfig();
  const database = config.database;
  const separateRoles = database.kind === 'postgres' && database.migrationUrl ? database : undefined;
  const db = createDb(
    separateRoles ? { ...separateRoles, url: separateRoles.migrationUrl!, poolMax: 1 } : database,
  );
  const grant = async () => {
    if (!separateRoles) return false;
    await grantRoles(db, { appRole: separateRoles.appRole!, metricsRole: separateRoles.metricsRole });
    return true;
  };
  try {
    if (command === 'up') {
      const applied = await migrateToLatest(db);
      process.stdout.write(applied.length ? `Applied:\n${applied.join('\n')}\n` : 'Already up to date.\n');
      if (await grant()) process.stdout.write('Granted the app and metrics roles their privileges.\n');
      return 0;
    }
    if (command === 'roles') {
      if (!(await grant())) {
        process.stderr.write(
          'Set DATABASE_MIGRATION_URL (the owner) and DATABASE_URL (the app role) first.\n',
        );
        return 2;
      }
      process.stdout.write('Granted the app and metrics roles their privileges, and checked them.\n');
      return 0;
    }
    if (command === 'status') {
      const pending = await pendingMigrations(db);
      process.stdout.write(pending.length ? `Pending:\n${pending.join('\n')}\n` : 'Up to date.\n');
      return pending.length ? 3 : 0;
    }
    if (command === 'down') {
      if (config.isProduction) throw new Error('Refusing to undo migrations in production.');
      const undone = await rollbackAll(db);
      process.stdout.write(`Undone:\n${undone.join('\n')}\n`);
      return 0;
    }
    process.stderr.write(`Unknown command "${command}". Use up, status, down or roles.\n`);
    return 2;
  } finally {
    await db.destroy();
  }
}

exitWith(run(process.argv[2] ?? 'up'));
