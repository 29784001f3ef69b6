import { AGENCIES } from '../../src/definitions/agencies';
import { createDb } from '../../src/db';
import { createStaffUser } from '../helpers/staff';
import { request, send, signInOverHttp, walkToCheckAnswers } from './http';
import { percentile, startLoad, summarise, type Sample } from './load';
import { checkInvariants } from './invariants';
import { MFA_ENCRYPTION_KEY, startServer, type ServerProcess } from './server';
import { useFileCluster } from './file-cluster';

// docs/security.md#f11, staff query overload: caseworkers' pages run heavy queries (the queue over a large backlog, a
// CSV export) and must not take the connections citizens need to send their applications. Staff pages have a pool
// of their own with its own statement timeout (DB_STAFF_POOL_MAX, DB_STAFF_STATEMENT_TIMEOUT_MS; src/db.ts
// createStaffDb). The heavy query is made certain rather than hoped for: a transaction holds an ACCESS EXCLUSIVE
// lock on submission_note, which the case page reads and no citizen request touches (not staff_user: inserting a
// submission takes a lock on it for the foreign key), so each staff request waits out its statement timeout.
// Eight caseworkers reload a case meanwhile, and three citizens complete and send applications.
//  - With the staff pool (the default): staff get the 503 "Sorry, this page is taking too long to load" page with
//    Retry-After, every citizen's application is sent (303 to its confirmation), nothing fails.
//  - The control, DB_STAFF_POOL_MAX=0 (staff share the citizens' pool, the design before F11): the same load makes
//    citizens' requests wait for a connection and fail, proving the scenario really threatens them.
// Citizens' send times (p50, p99) are printed for the three phases, not held to a number (the machine is shared).

const POOL_MAX = 4;
const STAFF_POOL_MAX = 2;
const STATEMENT_TIMEOUT_MS = 2000;
const STAFF_STATEMENT_TIMEOUT_MS = 300;
const ACQUIRE_TIMEOUT_MS = 1000;
const PHASE_MS = 6000;
const CITIZENS = 3;
const CASEWORKERS = 8;

const file = useFileCluster();

type CitizenRun = { sends: { status: number; ms: number }[]; failures: string[] };

/** `CITIZENS` citizens, each completing and sending applications one after another until the deadline. */
async function citizensSending(base: string, durationMs: number): Promise<CitizenRun> {
  const run: CitizenRun = { sends: [], failures: [] };
  const deadline = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: CITIZENS }, async () => {
      while (Date.now() < deadline) {
        try {
          const session = await walkToCheckAnswers(base);
          const started = Date.now();
          const sent = await send(base, session);
          run.sends.push({ status: sent.status, ms: Date.now() - started });
          if (sent.status !== 303) run.failures.push(`send answered ${sent.status}`);
        } catch (err) {
          run.failures.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
  return run;
}

const timings = (run: CitizenRun) => {
  const ms = run.sends.filter((s) => s.status === 303).map((s) => s.ms);
  return { sent: ms.length, failures: run.failures.length, p50: percentile(ms, 50), p99: percentile(ms, 99) };
};

/** Eight caseworkers reloading a case while its notes are locked, next to citizens sending applications. */
async function overload(server: ServerProcess, staffCookie: string, casePath: string) {
  const locker = await file.cluster.connect('portal');
  file.atEnd(() => locker.end()); // if the test fails while it holds the lock
  await locker.query('begin');
  await locker.query('lock table submission_note in access exclusive mode');
  const staff = startLoad(server.base, {
    concurrency: CASEWORKERS,
    maxDurationMs: PHASE_MS,
    targets: [{ name: 'case page', path: casePath, cookie: staffCookie }],
  });
  file.loads.push(staff);
  const citizens = await citizensSending(server.base, PHASE_MS);
  const staffSamples: Sample[] = await staff.done;
  // What a caseworker sees meanwhile.
  const page = await request(server.base, casePath, { cookie: staffCookie });
  await locker.query('rollback');
  await locker.end();
  return { citizens, staffSamples, page };
}

describe('F11: heavy staff queries next to citizens sending applications', () => {
  it('with the staff pool, staff get the 503 page and every citizen’s application is sent; sharing one pool, citizens fail', async () => {
    const env = {
      DB_POOL_MAX: String(POOL_MAX),
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    };
    const { cluster } = file;
    const separate = await startServer(cluster.url('portal'), {
      ...env,
      DB_STAFF_POOL_MAX: String(STAFF_POOL_MAX),
      DB_STAFF_STATEMENT_TIMEOUT_MS: String(STAFF_STATEMENT_TIMEOUT_MS),
    });
    file.started(separate);
    const shared = await startServer(cluster.url('portal'), { ...env, DB_STAFF_POOL_MAX: '0' });
    file.started(shared);

    const db = createDb({
      kind: 'postgres',
      url: cluster.url('portal'),
      poolMax: 1,
      acquireTimeoutMs: 5000,
      statementTimeoutMs: 15000,
    });
    file.atEnd(() => db.destroy());
    const caseworker = () =>
      createStaffUser(db, {
        role: 'caseworker',
        agencies: [AGENCIES.vehicleLicensing.id],
        mfaEncryptionKey: MFA_ENCRYPTION_KEY,
      });
    const separateCookie = await signInOverHttp(separate.base, await caseworker());
    const sharedCookie = await signInOverHttp(shared.base, await caseworker());
    for (const [server, cookie] of [
      [separate, separateCookie],
      [shared, sharedCookie],
    ] as const) {
      expect((await request(server.base, '/staff', { cookie })).res.status).toBe(200);
    }

    const baseline = await citizensSending(separate.base, PHASE_MS / 2);
    const { reference } = await db('submission').first('reference');
    const casePath = `/staff/submissions/${reference as string}`;
    const withPool = await overload(separate, separateCookie, casePath);
    const sharing = await overload(shared, sharedCookie, casePath);

    const report = {
      baseline: timings(baseline),
      staffPool: { citizens: timings(withPool.citizens), staff: summarise(withPool.staffSamples).byStatus },
      sharedPool: { citizens: timings(sharing.citizens), staff: summarise(sharing.staffSamples).byStatus },
    };
    process.stdout.write(`\nF11 staff query overload (send ms): ${JSON.stringify(report)}\n`);

    // With the staff pool: every citizen's application went through, and staff were told to try later.
    expect(baseline.failures).toEqual([]);
    expect(withPool.citizens.failures).toEqual([]);
    expect(withPool.citizens.sends.length).toBeGreaterThan(0);
    checkInvariants('F11 staff pool, caseworkers', withPool.staffSamples, { server: separate, cluster });
    expect(summarise(withPool.staffSamples).unavailable).toBe(withPool.staffSamples.length);
    expect(withPool.page.res.status).toBe(503);
    expect(withPool.page.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(withPool.page.text).toContain('Sorry, this page is taking too long to load');
    expect(separate.output()).toMatch(/57014|KnexTimeoutError/);

    // Sharing one pool, the same staff load costs citizens: the scenario really threatens them.
    expect(sharing.citizens.failures.length).toBeGreaterThan(0);
    // The control still answers 503s, never a 500, and stays up. Now and then (about one run in two here) one
    // staff request in it sees its keep-alive connection closed (UND_ERR_SOCKET); never seen with the staff pool,
    // whose invariants above allow no such error. Not chased further: it is the design this scenario replaces.
    checkInvariants('F11 shared pool, caseworkers', sharing.staffSamples, {
      server: shared,
      cluster,
      allowNetworkErrors: true,
    });

    // The lock gone, staff pages serve again on both, without a restart.
    for (const [server, cookie] of [
      [separate, separateCookie],
      [shared, sharedCookie],
    ] as const) {
      expect((await request(server.base, casePath, { cookie })).res.status).toBe(200);
      expect(server.alive()).toBe(true);
    }
  }, 60_000);
});
