import net from 'node:net';
import type { Client } from 'pg';
import { createCluster, type Cluster, type StopMode } from './cluster';
import { firstQuestionPath, FORWARDED, send, startCitizenSession, walkToCheckAnswers } from './http';
import { startLoad, summarise, waitUntil, type Load, type Sample, type Target } from './load';
import { checkInvariants, RECOVERY_LIMIT_MS, servesNormallyAgain } from './invariants';
import { startServer, type ServerProcess } from './server';

// security.md §5: the production build runs as a child process on a private PostgreSQL cluster, under load from a
// bounded loopback client, while each scenario breaks the database or stops the process. `npm run test:faults`.

const APP_NAME = 'citizen-services-portal'; // src/db.ts sets it as the connection's application_name
const CONCURRENCY = 10;
const QUESTION = 'question page';
const PROBES: Target[] = [
  { name: 'ready', path: '/health/ready' },
  { name: 'live', path: '/health/live' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

let cluster: Cluster;
let databaseUrl: string;
let server: ServerProcess | undefined;
const admins: Client[] = [];
const loads: Load[] = [];
const report: Record<string, unknown> = {};

beforeAll(async () => {
  cluster = await createCluster();
  const admin = await cluster.connect();
  await admin.query('create database portal');
  await admin.end();
  databaseUrl = cluster.url('portal');
}, 60_000);

afterEach(async () => {
  // A failed scenario must not leave its load, locks, server or a stopped database to the next one.
  await Promise.all(loads.splice(0).map((l) => l.stop()));
  await Promise.all(admins.splice(0).map((a) => a.end().catch(() => undefined)));
  await server?.stop(5000);
  server = undefined;
  if (cluster && !cluster.isRunning()) await cluster.start();
}, 30_000);

afterAll(async () => {
  await cluster?.destroy();
  process.stdout.write(`\nfault scenarios, measured:\n${JSON.stringify(report, null, 2)}\n`);
}, 30_000);

async function admin(): Promise<Client> {
  const client = await cluster.connect('portal');
  admins.push(client);
  return client;
}

/** Three citizens part-way through a journey (their pages read the session from the database), plus two pages. */
async function citizenTargets(base: string): Promise<Target[]> {
  const sessions = await Promise.all([1, 2, 3].map(() => startCitizenSession(base)));
  return [
    ...sessions.map((s) => ({ name: QUESTION, path: firstQuestionPath(), cookie: s.cookie })),
    { name: 'home', path: '/' },
    { name: 'check status', path: '/check-status' },
  ];
}

function loadAndProbes(
  base: string,
  targets: Target[],
  maxDurationMs = 50_000,
): { load: Load; probes: Load } {
  const load = startLoad(base, { concurrency: CONCURRENCY, maxDurationMs, targets });
  const probes = startLoad(base, { concurrency: 1, maxDurationMs, targets: PROBES, pauseMs: 50 });
  loads.push(load, probes);
  return { load, probes };
}

const first = (samples: Sample[], test: (s: Sample) => boolean) =>
  samples.filter(test).sort((a, b) => a.endedAt - b.endedAt)[0];

describe('the production server under database faults and shutdown', () => {
  it.each<StopMode>(['fast', 'immediate'])(
    '1 (§5 F1): PostgreSQL stops (-m %s) mid-load and starts again: 503 + Retry-After meanwhile, recovery without a restart',
    async (mode) => {
      server = await startServer(databaseUrl);
      const { load, probes } = loadAndProbes(server.base, await citizenTargets(server.base));
      await sleep(2000);

      const stopAt = Date.now();
      await cluster.stop(mode);
      const stoppedAt = Date.now();
      await waitUntil(
        '/health/ready to answer 503',
        () =>
          probes.samples.some((s) => s.target === 'ready' && s.startedAt >= stoppedAt && s.status === 503),
        5000,
      );
      await waitUntil(
        'a question page to answer 503',
        () => load.samples.some((s) => s.target === QUESTION && s.startedAt >= stoppedAt && s.status === 503),
        5000,
      );
      await sleep(3000); // the outage, under load

      const restartAt = Date.now();
      await cluster.start();
      const restartedAt = Date.now();
      await waitUntil(
        '/health/ready to answer 200 again',
        () =>
          probes.samples.some((s) => s.target === 'ready' && s.startedAt >= restartedAt && s.status === 200),
        RECOVERY_LIMIT_MS,
      );
      const normalAfterMs = await servesNormallyAgain(load, restartedAt);
      await sleep(500);
      const samples = await load.stop();
      const probeSamples = await probes.stop();

      const summary = checkInvariants(`1 (stop -m ${mode})`, [...samples, ...probeSamples], {
        server,
        cluster,
      });
      const outage = samples.filter(
        (s) => s.target === QUESTION && s.startedAt >= stoppedAt && s.endedAt <= restartAt,
      );
      // Every page that needs the database answered the 503 page during the outage: never a 500, never a hang.
      expect(outage.length).toBeGreaterThan(0);
      expect(outage.filter((s) => s.status !== 503)).toEqual([]);
      expect(probeSamples.filter((s) => s.target === 'live' && s.status !== 200)).toEqual([]);
      const readyDown = first(
        probeSamples,
        (s) => s.target === 'ready' && s.startedAt >= stoppedAt && s.status === 503,
      )!;
      const readyUp = first(
        probeSamples,
        (s) => s.target === 'ready' && s.startedAt >= restartedAt && s.status === 200,
      )!;
      const pageUp = first(
        samples,
        (s) => s.target === QUESTION && s.startedAt >= restartedAt && s.status === 200,
      )!;
      expect(readyDown.endedAt - stoppedAt).toBeLessThan(5000);
      expect(readyUp.endedAt - restartedAt).toBeLessThan(RECOVERY_LIMIT_MS);

      report[`1 PostgreSQL stopped -m ${mode} for 3 s under load`] = {
        stopTookS: seconds(stoppedAt - stopAt),
        restartTookS: seconds(restartedAt - restartAt),
        readyWent503AfterStopS: seconds(readyDown.endedAt - stoppedAt),
        readyBack200AfterRestartS: seconds(readyUp.endedAt - restartedAt),
        questionPageBack200AfterRestartS: seconds(pageUp.endedAt - restartedAt),
        twentyNormalInARowAfterRestartS: seconds(normalAfterMs),
        questionPagesDuringOutage: outage.length,
        liveProbes: probeSamples.filter((s) => s.target === 'live').length,
        responses: summary.byStatus,
        maxLatencyOf503Ms: summary.maxUnavailableMs,
      };
    },
    60_000,
  );

  it('2 (§5 F2): its database connections are terminated again and again: no crash, requests recover', async () => {
    server = await startServer(databaseUrl);
    const { load, probes } = loadAndProbes(server.base, await citizenTargets(server.base));
    const killer = await admin();
    await sleep(1500);

    let terminated = 0;
    let rounds = 0;
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      const { rows } = await killer.query<{ n: number }>(
        'select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1) t',
        [APP_NAME],
      );
      terminated += rows[0]!.n;
      rounds++;
      await sleep(500);
    }
    const clearedAt = Date.now();
    const normalAfterMs = await servesNormallyAgain(load, clearedAt);
    const samples = await load.stop();
    const probeSamples = await probes.stop();

    const summary = checkInvariants('2 (terminated connections)', [...samples, ...probeSamples], {
      server,
      cluster,
    });
    expect(terminated).toBeGreaterThan(0);
    expect(probeSamples.filter((s) => s.target === 'live' && s.status !== 200)).toEqual([]);
    report['2 backends terminated every 0.5 s for 8 s'] = {
      rounds,
      backendsTerminated: terminated,
      twentyNormalInARowAfterLastKillS: seconds(normalAfterMs),
      responses: summary.byStatus,
      maxLatencyOf503Ms: summary.maxUnavailableMs,
    };
  }, 60_000);

  it('3 (§5 F3): an ACCESS EXCLUSIVE lock on the session table with a pool of 2: waiters get a 503 within seconds', async () => {
    const acquireTimeoutMs = 3000; // the default of DB_ACQUIRE_TIMEOUT_MS
    const statementTimeoutMs = 2000;
    server = await startServer(databaseUrl, {
      DB_POOL_MAX: '2',
      DB_STATEMENT_TIMEOUT_MS: String(statementTimeoutMs),
    });
    const { load, probes } = loadAndProbes(server.base, await citizenTargets(server.base));
    const locker = await admin();
    await sleep(1500);

    await locker.query('begin');
    await locker.query('lock table session in access exclusive mode');
    const lockedAt = Date.now();
    await sleep(8000);
    await locker.query('rollback');
    const releasedAt = Date.now();
    const normalAfterMs = await servesNormallyAgain(load, releasedAt);
    const samples = await load.stop();
    const probeSamples = await probes.stop();

    const summary = checkInvariants('3 (lock, small pool)', [...samples, ...probeSamples], {
      server,
      cluster,
    });
    const duringLock = samples.filter((s) => s.startedAt >= lockedAt && s.endedAt <= releasedAt);
    const waited = duringLock.filter((s) => s.status === 503);
    expect(waited.length).toBeGreaterThan(0);
    // Bounded waits: a request either waits for a connection (acquire timeout) or, holding one, for the lock
    // (statement timeout): never the 60 s knex default, never forever.
    const bound = acquireTimeoutMs + statementTimeoutMs + 1500;
    expect(Math.max(...duringLock.map((s) => s.endedAt - s.startedAt))).toBeLessThan(bound);
    // No transaction was left open on a connection the pool handed back.
    const { rows: leaked } = await (
      await admin()
    ).query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = $1 and state like 'idle in transaction%'`,
      [APP_NAME],
    );
    expect(leaked).toEqual([]);
    const homeDuringLock = duringLock.filter((s) => s.target === 'home');
    report['3 session table locked for 8 s, DB_POOL_MAX=2'] = {
      statementTimeoutMs,
      acquireTimeoutMs,
      requestsDuringLock: duringLock.length,
      unavailableDuringLock: waited.length,
      maxLatencyOf503Ms: Math.max(...waited.map((s) => s.endedAt - s.startedAt)),
      minLatencyOf503Ms: Math.min(...waited.map((s) => s.endedAt - s.startedAt)),
      homePageDuringLock: summarise(homeDuringLock).byStatus,
      twentyNormalInARowAfterReleaseS: seconds(normalAfterMs),
      responses: summary.byStatus,
    };
  }, 60_000);

  it('4 (§5 F6): SIGTERM under load: in-flight requests complete, new connections are refused, exit 0 in time', async () => {
    const shutdownTimeoutMs = 10_000;
    server = await startServer(databaseUrl, { SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) });
    const load = startLoad(server.base, {
      concurrency: CONCURRENCY,
      maxDurationMs: 30_000,
      targets: await citizenTargets(server.base),
    });
    loads.push(load);
    const locker = await admin();
    await sleep(1500);

    // Hold the session table for a moment so requests are certainly in flight when the signal arrives.
    await locker.query('begin');
    await locker.query('lock table session in access exclusive mode');
    await sleep(700);
    // Requests sent at least 200 ms ago and blocked on the lock: certainly accepted by the server.
    const inFlight = load.inFlight().filter((r) => r.startedAt <= Date.now() - 200);
    expect(inFlight.length).toBeGreaterThan(0);

    const signalledAt = Date.now();
    server.proc.kill('SIGTERM');
    await sleep(300);
    const fresh = await new Promise<string>((resolve) => {
      const socket = net.connect(server!.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('accepted');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    await sleep(700);
    await locker.query('rollback');
    const exiting = server.exited;
    const exit = await Promise.race([
      exiting,
      new Promise<undefined>((r) => {
        const giveUp = setTimeout(r, shutdownTimeoutMs + 5000);
        void exiting.then(() => clearTimeout(giveUp));
      }),
    ]);
    const outcomes = await load.outcomeOf(inFlight.map((r) => r.id));
    const samples = await load.stop();

    checkInvariants('4 (SIGTERM)', samples, {
      server,
      cluster,
      expectAlive: false,
      allowNetworkErrors: true,
    });
    expect(fresh).toBe('ECONNREFUSED');
    expect(exit).toMatchObject({ code: 0 });
    expect(exit!.at - signalledAt).toBeLessThan(shutdownTimeoutMs);
    // Every request the server had accepted before the signal was answered, and answered normally.
    expect(outcomes.filter((s) => s.status !== 200)).toEqual([]);
    const afterSignal = samples.filter((s) => s.startedAt > signalledAt + 100);
    report['4 SIGTERM with requests in flight'] = {
      inFlightAtSignal: inFlight.length,
      inFlightAnswered: summarise(outcomes).byStatus,
      slowestInFlightMs: Math.max(...outcomes.map((s) => s.endedAt - s.startedAt)),
      newConnectionAfterSignal: fresh,
      exitCode: exit!.code,
      exitedAfterSignalS: seconds(exit!.at - signalledAt),
      requestsSentAfterSignal: summarise(afterSignal).byStatus,
    };
  }, 60_000);

  it('5 (§5 F7): 20 identical submits in parallel make exactly one submission, and all go to its confirmation', async () => {
    server = await startServer(databaseUrl);
    const form = await walkToCheckAnswers(server.base);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(server!.base, form)));
    const tookMs = Date.now() - started;

    const samples: Sample[] = answers.map((a) => ({
      target: 'send',
      startedAt: started,
      endedAt: started + tookMs,
      status: a.status,
      retryAfter: a.retryAfter,
    }));
    checkInvariants('5 (parallel submits)', samples, { server, cluster });
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(303));
    const locations = new Set(answers.map((a) => a.location));
    expect(locations.size).toBe(1);
    const [location] = [...locations];
    expect(location).toMatch(/^\/services\/register-a-vehicle\/confirmation\/[A-Z0-9]+$/);
    const { rows } = await (
      await admin()
    ).query<{ reference: string }>('select reference from submission where submission_token = $1', [
      form.submissionToken,
    ]);
    expect(rows).toEqual([{ reference: location!.split('/').pop() }]);
    // The citizen's session shows that confirmation (the answers were cleared from it once, not 20 times).
    const confirmation = await fetch(`${server.base}${location}`, {
      headers: { ...FORWARDED, cookie: form.cookie },
      redirect: 'manual',
    });
    expect(confirmation.status).toBe(200);
    expect(await confirmation.text()).toMatch(/<title>Application sent/);
    report['5 20 parallel identical submits'] = {
      statuses: summarise(samples).byStatus,
      distinctLocations: locations.size,
      rowsForToken: rows.length,
      allAnsweredInMs: tookMs,
    };
  }, 60_000);
});
