import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { AGENCIES } from '../../src/definitions/agencies';
import { createDb, type Db } from '../../src/db';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import { createStaffUser } from '../helpers/staff';
import { useFileCluster } from './file-cluster';
import {
  cookieFrom,
  formBody,
  hiddenInput,
  request,
  send,
  SERVICE,
  signInOverHttp,
  startCitizenSession,
  walkToCheckAnswers,
} from './http';
import { startLoad, summarise, type Sample } from './load';
import { startPgBouncer, type PgBouncer } from './pgbouncer';
import { MFA_ENCRYPTION_KEY, SERVER_SCRIPT, SESSION_SECRET, startServer, type ServerProcess } from './server';

// Scale-out through a connection pooler (issue 22), set up exactly as docs/operations.md ("PgBouncer in transaction mode") says: migrations
// run directly against PostgreSQL, the statement and idle-in-transaction timeouts set on the role, and two
// instances of the production build connected through a real PgBouncer in transaction mode with fewer server
// connections than the instances' pools, so consecutive transactions of one client connection land on different
// server connections. Anything the app kept on a server connection between transactions (named prepared
// statements, session SETs, advisory locks, LISTEN, temporary tables) fails here. The session store's named
// prepared statements did: "prepared statement "session-get" does not exist", a 500.

const CONFIRMATION = /^\/services\/register-a-vehicle\/confirmation\/[A-Z0-9]+$/;
const CASE_PAGE = /^\/staff\/submissions\/([A-Z0-9]+)$/;
const LOAD_MS = 5000;
const JOURNEY_LOOPS = 4;
const PAGE_LOOPS = 6;

const file = useFileCluster();
let pooler: PgBouncer;
let a: ServerProcess;
let b: ServerProcess;
let db: Db;

const serverErrors = (samples: { status: number }[]) => samples.filter((s) => s.status >= 500);
const output = () =>
  `--- A ---\n${a?.output()}\n--- B ---\n${b?.output()}\n--- PgBouncer ---\n${pooler?.log()}`;

beforeAll(async () => {
  const { cluster } = file;
  // 1. The release step: migrate once, directly, not through the pooler.
  await promisify(execFile)(process.execPath, [path.join(path.dirname(SERVER_SCRIPT), 'cli/migrate.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      BASE_URL: 'http://127.0.0.1',
      DATABASE_URL: cluster.url('portal'),
      SESSION_SECRET,
      MFA_ENCRYPTION_KEY,
    },
  });
  // 2. The timeouts the pooler drops from the startup packet, set on the role instead.
  const admin = await cluster.connect();
  await admin.query(`alter role postgres set statement_timeout = '15s'`);
  await admin.query(`alter role postgres set idle_in_transaction_session_timeout = '15s'`);
  await admin.end();
  // 3. PgBouncer in transaction mode: 3 server connections for two instances' 2 × (10 + 3) client connections.
  pooler = await startPgBouncer({ serverPort: cluster.port, databases: ['portal'], poolSize: 3 });
  file.atEnd(() => pooler.stop());
  [a, b] = await Promise.all([
    startServer(pooler.url('portal')).then(file.started),
    startServer(pooler.url('portal')).then(file.started),
  ]);
  db = createDb({
    kind: 'postgres',
    url: cluster.url('portal'),
    poolMax: 2,
    acquireTimeoutMs: 5000,
    statementTimeoutMs: 15000,
  });
  file.atEnd(() => db.destroy());
}, 60_000);

describe('two app instances through PgBouncer in transaction mode (docs/operations.md)', () => {
  it('connect through the pooler with the driver’s startup timeouts ignored and the role’s applied', async () => {
    const client = new Client({ connectionString: pooler.url('portal'), statement_timeout: 1000 });
    await client.connect();
    try {
      const { rows } = await client.query<{ timeout: string; idle: string }>(
        `select current_setting('statement_timeout') as timeout,
                current_setting('idle_in_transaction_session_timeout') as idle`,
      );
      expect(rows[0]).toEqual({ timeout: '15s', idle: '15s' });
    } finally {
      await client.end();
    }
    for (const server of [a, b]) {
      expect((await request(server.base, '/health/ready')).res.status).toBe(200);
    }
    process.stdout.write(`\nPgBouncer ${pooler.version} in transaction mode on port ${pooler.port}\n`);
  });

  it('take a citizen through a whole journey, changing instance at every request, and send it', async () => {
    const steps = vehiclePaths[0]!.steps;
    const instances = [a, b];
    const session = await startCitizenSession(a.base);
    for (const [i, step] of steps.entries()) {
      const { res } = await request(instances[i % 2]!.base, `${SERVICE}/${step.page}`, {
        method: 'POST',
        cookie: session.cookie,
        body: formBody({ ...step.body, _csrf: session.csrf }),
      });
      expect({ page: step.page, status: res.status }).toEqual({ page: step.page, status: 302 });
      session.cookie = cookieFrom(res, session.cookie);
    }
    const check = await request(b.base, `${SERVICE}/check-answers`, { cookie: session.cookie });
    expect(check.res.status).toBe(200);
    const sent = await send(a.base, {
      ...session,
      cookie: cookieFrom(check.res, session.cookie),
      submissionToken: hiddenInput(check.text, 'submissionToken'),
    });
    expect(sent.status).toBe(303);
    expect(sent.location).toMatch(CONFIRMATION);
    const confirmation = await request(b.base, sent.location, { cookie: session.cookie });
    expect(confirmation.res.status).toBe(200);
  }, 30_000);

  it('sign a caseworker in on A and B, take the next case, add a note and approve it, across both', async () => {
    const application = await walkToCheckAnswers(b.base);
    expect((await send(b.base, application)).status).toBe(303);
    const user = await createStaffUser(db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
      mfaEncryptionKey: MFA_ENCRYPTION_KEY,
    });
    // Password on A, authenticator code on B.
    let cookie = await signInOverHttp(a.base, user, b.base);

    const queue = await request(b.base, '/staff', { cookie });
    expect(queue.res.status).toBe(200);
    const taken = await request(a.base, '/staff/next-case', {
      method: 'POST',
      cookie,
      body: formBody({ _csrf: hiddenInput(queue.text, '_csrf') }),
    });
    expect(taken.res.status).toBe(303);
    const reference = CASE_PAGE.exec(taken.res.headers.get('location') ?? '')?.[1];
    expect(reference).toBeDefined();
    cookie = cookieFrom(taken.res, cookie);
    const casePath = `/staff/submissions/${reference!}`;

    const act = async (on: ServerProcess, action: string, fields: Record<string, string>) => {
      const page = await request(on === a ? b.base : a.base, casePath, { cookie });
      expect(page.res.status).toBe(200);
      const { res } = await request(on.base, `${casePath}/${action}`, {
        method: 'POST',
        cookie,
        body: formBody({
          ...fields,
          _csrf: hiddenInput(page.text, '_csrf'),
          version: hiddenInput(page.text, 'version'),
        }),
      });
      expect({ action, status: res.status }).toEqual({ action, status: 303 });
      cookie = cookieFrom(res, cookie);
    };
    await act(a, 'notes', { note: 'Checked the V5C against the DVLA record.' });
    await act(b, 'approve', {});

    const row = (await db('submission').where({ reference }).first('id', 'status', 'assigned_to')) as {
      id: number;
      status: string;
      assigned_to: number;
    };
    expect({ status: row.status, assignedTo: row.assigned_to }).toEqual({
      status: 'approved',
      assignedTo: user.id,
    });
    expect(await db('submission_note').where({ submission_id: row.id }).pluck('body')).toEqual([
      'Checked the V5C against the DVLA record.',
    ]);
    expect((await request(a.base, casePath, { cookie })).res.status).toBe(200);
  }, 30_000);

  it('serves a short load of journeys and pages on both instances with no server error', async () => {
    const user = await createStaffUser(db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
      mfaEncryptionKey: MFA_ENCRYPTION_KEY,
    });
    const staffCookie = await signInOverHttp(b.base, user, a.base);
    const citizen = await startCitizenSession(a.base);
    const { reference } = (await db('submission').first('reference')) as { reference: string };
    const targets = [
      {
        name: 'question page',
        path: `${SERVICE}/${vehiclePaths[0]!.steps[0]!.page}`,
        cookie: citizen.cookie,
      },
      { name: 'staff queue', path: '/staff', cookie: staffCookie },
      { name: 'case page', path: `/staff/submissions/${reference}`, cookie: staffCookie },
      { name: 'start page', path: `${SERVICE}/start` },
    ];
    const pages = [a, b].map((server) =>
      startLoad(server.base, { concurrency: PAGE_LOOPS / 2, maxDurationMs: LOAD_MS, targets }),
    );
    file.loads.push(...pages);

    // Complete journeys meanwhile, each answered on one instance and sent on the other.
    const sends: number[] = [];
    const failures: string[] = [];
    const deadline = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: JOURNEY_LOOPS }, async (_v, loop) => {
        const [answerOn, sendOn] = loop % 2 === 0 ? [a, b] : [b, a];
        while (Date.now() < deadline) {
          try {
            const session = await walkToCheckAnswers(answerOn.base);
            sends.push((await send(sendOn.base, session)).status);
          } catch (err) {
            failures.push(err instanceof Error ? err.message : String(err));
          }
        }
      }),
    );
    const samples: Sample[] = (await Promise.all(pages.map((p) => p.done))).flat();
    const seconds = LOAD_MS / 1000;
    process.stdout.write(
      `\nThrough PgBouncer, two instances, ${seconds} s: ${sends.length / seconds} journeys/s sent; pages ${JSON.stringify(summarise(samples).byStatus)}\n`,
    );

    const problems = {
      journeyFailures: failures.slice(0, 5),
      sendsNot303: sends.filter((s) => s !== 303).slice(0, 5),
      pageServerErrors: serverErrors(samples).slice(0, 5),
      networkErrors: samples.filter((s) => s.status === 0).slice(0, 5),
      preparedStatementErrors: /prepared statement/.test(a.output() + b.output()),
    };
    if (Object.values(problems).some((p) => p === true || (Array.isArray(p) && p.length > 0))) {
      throw new Error(`${JSON.stringify(problems, null, 2)}\n${output()}`);
    }
    expect(sends.length).toBeGreaterThan(0);
    expect(samples.length).toBeGreaterThan(0);
    expect([a.alive(), b.alive()]).toEqual([true, true]);
  }, 60_000);
});
