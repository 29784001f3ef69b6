import crypto from 'node:crypto';
import knex, { type Knex } from 'knex';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createDb, isDatabaseUnavailableError, type Db } from '../../src/db';
import { checkRoles, grantRoles, migrateForConfig } from '../../src/db-roles';
import { migrateToLatest } from '../../src/migrate';
import { syncServices } from '../../src/catalogue/service-repository';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, shippedServices, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { csrfTokenIn, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// docs/security.md#d1 and #l2 (separate database roles), and fault F5 (too many clients, SQLSTATE 53300), on a real
// PostgreSQL server: throwaway owner, app and metrics roles and a database owned by the owner, all dropped after.
// PGlite has one built-in superuser and no roles to separate, so on the embedded database only the
// configuration checks run.

const serverUrl = process.env.DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;

describe('configuring separate roles', () => {
  const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://portal_app@db.internal/portal' };
  it('takes the owner from DATABASE_MIGRATION_URL and the app role from DATABASE_URL', () => {
    const config = loadConfig({
      ...base,
      DATABASE_MIGRATION_URL: 'postgres://portal_owner:secret@db.internal/portal',
      DATABASE_METRICS_ROLE: 'portal_metrics',
    });
    expect(config.database).toMatchObject({
      kind: 'postgres',
      migrationUrl: 'postgres://portal_owner:secret@db.internal/portal',
      appRole: 'portal_app',
      metricsRole: 'portal_metrics',
    });
  });

  it('changes nothing when DATABASE_MIGRATION_URL is unset', () => {
    const { database } = loadConfig(base);
    expect(database).not.toHaveProperty('migrationUrl');
    expect(loadConfig({ NODE_ENV: 'test' }).database.kind).toBe('pglite');
  });

  it('refuses a migration URL without DATABASE_URL, the same user twice, or a metrics role without an owner', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATABASE_MIGRATION_URL: 'postgres://owner@db.internal/portal' }),
    ).toThrow(/DATABASE_MIGRATION_URL needs DATABASE_URL/);
    expect(() =>
      loadConfig({ ...base, DATABASE_MIGRATION_URL: 'postgres://portal_app@db.internal/portal' }),
    ).toThrow(/different ones/);
    expect(() => loadConfig({ ...base, DATABASE_METRICS_ROLE: 'portal_metrics' })).toThrow(
      /DATABASE_METRICS_ROLE needs DATABASE_MIGRATION_URL/,
    );
    expect(() =>
      loadConfig({
        ...base,
        DATABASE_MIGRATION_URL: 'postgres://portal_owner@db.internal/portal',
        DATABASE_METRICS_ROLE: 'Robert"; drop table x',
      }),
    ).toThrow(/DATABASE_METRICS_ROLE/);
  });
});

/** The SQLSTATE a statement fails with, or 'ok'. */
async function sqlstateOf(db: Db | Knex, sql: string, bindings: string[] = []): Promise<string> {
  try {
    await db.raw(sql, bindings);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

onServer('separate database roles on PostgreSQL (D1, L2)', () => {
  const suffix = crypto.randomBytes(4).toString('hex');
  const owner = `portal_owner_${suffix}`;
  const appRole = `portal_app_${suffix}`;
  const metricsRole = `portal_metrics_${suffix}`;
  const databaseName = `portal_roles_${suffix}`;
  let admin: Knex;
  let appDb: Db;
  let ownerDb: Db;
  let metricsDb: Db;
  let t: TestApp;

  const urlFor = (user: string) => {
    const url = new URL(serverUrl!);
    url.username = user;
    url.password = '';
    url.pathname = `/${databaseName}`;
    return url.toString();
  };
  const env = () => ({
    DATABASE_URL: urlFor(appRole),
    DATABASE_MIGRATION_URL: urlFor(owner),
    DATABASE_METRICS_ROLE: metricsRole,
  });

  beforeAll(async () => {
    admin = knex({ client: 'pg', connection: serverUrl!, pool: { min: 0, max: 1 } });
    for (const role of [owner, appRole, metricsRole]) await admin.raw('create role ?? login', [role]);
    await admin.raw('create database ?? owner ??', [databaseName, owner]);
    const config = loadConfig({ NODE_ENV: 'test', ...env() });
    appDb = createDb(config.database);
    // What `npm start` does with these variables: migrate as the owner, grant, then serve as the app role.
    await migrateForConfig(config.database, appDb);
    await syncServices(appDb, shippedServices().services);
    ownerDb = createDb({ ...config.database, url: urlFor(owner), poolMax: 1 } as typeof config.database);
    metricsDb = createDb({
      ...config.database,
      url: urlFor(metricsRole),
      poolMax: 1,
    } as typeof config.database);
    t = await appWith(env(), { db: appDb });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([appDb, ownerDb, metricsDb].map((db) => db?.destroy()));
    if (!admin) return;
    await admin.raw('drop database if exists ?? with (force)', [databaseName]);
    for (const role of [metricsRole, appRole, owner]) await admin.raw('drop role if exists ??', [role]);
    await admin.destroy();
  }, 30_000);

  it('has the owner own every table, so only it has DDL', async () => {
    const { rows } = (await ownerDb.raw(
      `select tablename, tableowner from pg_tables where schemaname = 'public' and tableowner <> ?`,
      [owner],
    )) as { rows: unknown[] };
    expect(rows).toEqual([]);
  });

  it('serves a citizen’s journey and a staff action as the app role, auditing it', async () => {
    const citizen = await walkToCheckAnswers(t.app, 'register-a-vehicle', vehiclePaths[0]!);
    const sent = await sendApplication(citizen, 'register-a-vehicle');
    expect(sent.status).toBe(303);
    const reference = sent.headers.location!.split('/').pop()!;

    const manager = await createStaffUser(appDb, {
      role: 'manager',
      agencies: Object.values(AGENCIES).map((a) => a.id),
    });
    const staff = await signIn(t, manager);
    const casePage = await staff.get(`/staff/submissions/${reference}`).expect(200);
    const version = parseHtml(casePage.text)('input[name="version"]').first().attr('value')!;
    const assigned = await staff
      .post(`/staff/submissions/${reference}/assign`)
      .type('form')
      .send({ _csrf: csrfTokenIn(casePage.text), version, assignee: String(manager.id) });
    expect(assigned.status).toBe(303);
    const actions = await appDb('audit_event').where('actor_id', manager.id).pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['sign-in']));
    expect(actions.length).toBeGreaterThanOrEqual(2);
  });

  it('lets the app role add audit rows but never change or remove them: 42501 from the privileges, not only the trigger', async () => {
    const before = Number((await appDb('audit_event').count({ n: '*' }))[0]!.n);
    await appDb('audit_event').insert({ action: 'test-row', details: {} });
    expect(Number((await appDb('audit_event').count({ n: '*' }))[0]!.n)).toBe(before + 1);
    for (const sql of [
      `update audit_event set action = 'changed'`,
      'delete from audit_event',
      'truncate audit_event',
    ]) {
      let error: { code?: string; message?: string } = {};
      await appDb.raw(sql).catch((err: typeof error) => (error = err));
      expect({ sql, code: error.code }).toEqual({ sql, code: '42501' });
      // The privilege check comes first: the append-only trigger (a second line of defence) never runs.
      expect(error.message).toMatch(/permission denied for table audit_event/);
    }
    expect(Number((await appDb('audit_event').count({ n: '*' }))[0]!.n)).toBe(before + 1);
  });

  it('refuses the app role any DDL: CREATE TABLE, ALTER, DROP, CREATE SCHEMA, triggers (42501)', async () => {
    expect(await sqlstateOf(appDb, 'create table intruder (id int)')).toBe('42501');
    expect(await sqlstateOf(appDb, 'alter table submission add column intruder text')).toBe('42501');
    expect(await sqlstateOf(appDb, 'drop table survey_response')).toBe('42501');
    expect(await sqlstateOf(appDb, 'create schema intruder')).toBe('42501');
    expect(await sqlstateOf(appDb, 'drop trigger audit_event_no_change on audit_event')).toBe('42501');
    expect(await sqlstateOf(appDb, 'truncate submission cascade')).toBe('42501');
  });

  it('lets the app role read but not change the migration record, and start without migrating', async () => {
    expect(await sqlstateOf(appDb, 'select count(*) from knex_migration')).toBe('ok');
    expect(await sqlstateOf(appDb, 'update knex_migration_lock set is_locked = 1')).toBe('42501');
    expect(await sqlstateOf(appDb, `delete from knex_migration`)).toBe('42501');
    // Nothing pending: an instance started with only the app role's DATABASE_URL takes no lock and starts.
    await expect(migrateToLatest(appDb)).resolves.toEqual([]);
  });

  it('lets the metrics role read the published figures and nothing personal, and write nothing', async () => {
    expect(await sqlstateOf(metricsDb, 'select count(*) from performance_day')).toBe('ok');
    expect(await sqlstateOf(metricsDb, 'select service_slug, status, due_date from submission')).toBe('ok');
    expect(await sqlstateOf(metricsDb, 'select answers from submission')).toBe('42501');
    expect(await sqlstateOf(metricsDb, 'select * from staff_user')).toBe('42501');
    expect(await sqlstateOf(metricsDb, 'select * from session')).toBe('42501');
    expect(await sqlstateOf(metricsDb, 'select * from audit_event')).toBe('42501');
    expect(await sqlstateOf(metricsDb, `delete from performance_day`)).toBe('42501');
    expect(await sqlstateOf(metricsDb, 'create table intruder (id int)')).toBe('42501');
  });

  it('stops at a role that does not exist, and catches a grant that would let the app change the audit log', async () => {
    await expect(grantRoles(ownerDb, { appRole: `missing_${suffix}` })).rejects.toThrow(/does not exist/);
    await ownerDb.raw('grant update on audit_event to ??', [appRole]);
    await expect(checkRoles(ownerDb, { appRole, metricsRole })).rejects.toThrow(/UPDATE on audit_event/);
    await grantRoles(ownerDb, { appRole, metricsRole }); // running the grants again repairs it
    await expect(checkRoles(ownerDb, { appRole, metricsRole })).resolves.toBeUndefined();
  });

  it('maps "too many connections" (SQLSTATE 53300, F5) to the 503 page with Retry-After, and recovers', async () => {
    await admin.raw('alter role ?? connection limit 0', [appRole]);
    const config = loadConfig({ NODE_ENV: 'test', ...env() });
    const crowded = createDb(config.database); // a new pool: every connection it opens is refused
    try {
      const refusal = await crowded.raw('select 1').then(
        () => undefined,
        (err: { code?: string }) => err,
      );
      expect(refusal?.code).toBe('53300');
      expect(isDatabaseUnavailableError(refusal)).toBe(true);

      const full = await appWith(env(), { db: crowded });
      for (const path of ['/performance', '/performance/register-a-vehicle']) {
        const res = await request(full.app).get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 503 });
        expect(res.headers['retry-after']).toBeDefined();
        expect(parseHtml(res.text)('h1').text().trim()).toBe('Sorry, the service is unavailable');
      }
      await request(full.app).get('/health/ready').expect(503);
      await request(full.app).get('/health/live').expect(200);

      await admin.raw('alter role ?? connection limit -1', [appRole]);
      await request(full.app).get('/health/ready').expect(200);
      await request(full.app).get('/performance').expect(200);
    } finally {
      await admin.raw('alter role ?? connection limit -1', [appRole]);
      await crowded.destroy();
    }
  });
});
