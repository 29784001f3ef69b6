import type { Config } from './config';
import { createDb, type Db } from './db';
import { migrateToLatest } from './migrate';

// Separate database roles (docs/security.md#d1 and #l2), optional: with DATABASE_MIGRATION_URL set,
//  - its user (the "owner") runs the migrations, so it owns the schema and is the only role with DDL;
//  - DATABASE_URL's user (the "app role") gets SELECT, INSERT, UPDATE and DELETE on the tables, never
//    UPDATE, DELETE or TRUNCATE on the audit log, only SELECT on knex's migration tables, and cannot create,
//    alter or drop anything;
//  - DATABASE_METRICS_ROLE, if set, gets SELECT on the published figures (the rollup tables) and on the few
//    submission columns the operator metrics count, and nothing that holds personal data.
// The grants are applied after every migration run, so tables added by later migrations are covered, and then
// checked: a setup that leaves the app role with DDL or with a way to change the audit log stops the start.
// Without DATABASE_MIGRATION_URL nothing here runs: one role does everything, as before.

/** Tables the metrics role may read in full: aggregates with no personal data. */
export const METRICS_TABLES = [
  'service',
  'performance_day',
  'processing_time_month',
  'open_case_day',
  'survey_rating_day',
  'service_cost_month',
  'journey_count',
] as const;
/** The submission columns the operator metrics need: no answers, references or contact details. */
export const METRICS_SUBMISSION_COLUMNS = [
  'id',
  'service_slug',
  'status',
  'submitted_at',
  'decided_at',
  'due_date',
];
const AUDIT_TABLE = 'audit_event';
const MIGRATION_TABLES = ['knex_migration', 'knex_migration_lock'];

export class RoleSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleSetupError';
  }
}

export type Roles = Readonly<{ appRole: string; metricsRole?: string }>;

/** Grant the app and metrics roles what they need and nothing else; run as the owner. Idempotent. */
export async function grantRoles(owner: Db, roles: Roles): Promise<void> {
  for (const role of [roles.appRole, roles.metricsRole].filter((r): r is string => !!r)) {
    const { rows } = (await owner.raw('select 1 from pg_roles where rolname = ?', [role])) as {
      rows: unknown[];
    };
    if (rows.length === 0) {
      throw new RoleSetupError(
        `The database role "${role}" does not exist. Create it first (docs/security.md, "Separate database roles").`,
      );
    }
  }
  await owner.transaction(async (trx) => {
    // Concurrent GRANTs on one table can fail ("tuple concurrently updated"), and instances starting together
    // each run this: the first to lock knex's lock table goes first, inside the transaction only.
    await trx.raw('lock table ?? in share row exclusive mode', ['knex_migration_lock']);
    // Since PostgreSQL 15 nobody but the owner may create in schema public; on older servers this closes it
    // (it only warns when the owner of the database is not the owner of the schema: the check below catches it).
    await trx.raw('revoke create on schema public from public');
    const app = roles.appRole;
    await trx.raw('grant usage on schema public to ??', [app]);
    await trx.raw('grant select, insert, update, delete on all tables in schema public to ??', [app]);
    await trx.raw('revoke truncate, references, trigger on all tables in schema public from ??', [app]);
    await trx.raw('grant usage, select on all sequences in schema public to ??', [app]);
    await trx.raw('revoke update, delete, truncate on ?? from ??', [AUDIT_TABLE, app]);
    for (const table of MIGRATION_TABLES) {
      await trx.raw('revoke all on ?? from ??', [table, app]);
      await trx.raw('grant select on ?? to ??', [table, app]);
    }
    if (roles.metricsRole) {
      const metrics = roles.metricsRole;
      await trx.raw('revoke all on all tables in schema public from ??', [metrics]);
      await trx.raw('grant usage on schema public to ??', [metrics]);
      for (const table of METRICS_TABLES) await trx.raw('grant select on ?? to ??', [table, metrics]);
      await trx.raw(`grant select (${METRICS_SUBMISSION_COLUMNS.map(() => '??').join(', ')}) on ?? to ??`, [
        ...METRICS_SUBMISSION_COLUMNS,
        'submission',
        metrics,
      ]);
    }
  });
  await checkRoles(owner, roles);
}

/** What the grants must have achieved, asked of the server itself. Throws RoleSetupError naming each gap. */
export async function checkRoles(db: Db, roles: Roles): Promise<void> {
  const problems: string[] = [];
  const ask = async (sql: string, bindings: string[]) =>
    ((await db.raw(`select ${sql} as ok`, bindings)) as { rows: { ok: boolean }[] }).rows[0]!.ok;
  const app = roles.appRole;
  if (await ask("has_schema_privilege(?, 'public', 'CREATE')", [app])) {
    problems.push(`"${app}" can create tables in schema public (REVOKE CREATE ON SCHEMA public FROM PUBLIC)`);
  }
  if (!(await ask("has_table_privilege(?, 'submission', 'INSERT')", [app]))) {
    problems.push(`"${app}" cannot insert submissions: were the tables created by another role?`);
  }
  for (const privilege of ['UPDATE', 'DELETE', 'TRUNCATE']) {
    if (await ask(`has_table_privilege(?, '${AUDIT_TABLE}', '${privilege}')`, [app])) {
      problems.push(`"${app}" has ${privilege} on ${AUDIT_TABLE}`);
    }
  }
  if (!(await ask(`has_table_privilege(?, '${AUDIT_TABLE}', 'INSERT')`, [app]))) {
    problems.push(`"${app}" cannot insert into ${AUDIT_TABLE}`);
  }
  if (roles.metricsRole) {
    const metrics = roles.metricsRole;
    if (!(await ask("has_table_privilege(?, 'performance_day', 'SELECT')", [metrics]))) {
      problems.push(`"${metrics}" cannot read performance_day`);
    }
    if (await ask("has_table_privilege(?, 'submission', 'SELECT')", [metrics])) {
      problems.push(`"${metrics}" can read every column of submission`);
    }
  }
  if (problems.length > 0) {
    throw new RoleSetupError(`The database roles are not set up safely:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Migrate before serving: as the owner (then re-grant) when DATABASE_MIGRATION_URL is set, otherwise on the
 * app's own connection, as always.
 */
export async function migrateForConfig(database: Config['database'], db: Db): Promise<string[]> {
  if (database.kind !== 'postgres' || !database.migrationUrl) return migrateToLatest(db);
  const owner = createDb({ ...database, url: database.migrationUrl, poolMax: 1 });
  try {
    const applied = await migrateToLatest(owner);
    await grantRoles(owner, { appRole: database.appRole!, metricsRole: database.metricsRole });
    return applied;
  } finally {
    await owner.destroy();
  }
}
