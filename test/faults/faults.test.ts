import net from 'node:net';
import type { Client } from 'pg';
import { createClusterWithPortalDatabase, type Cluster, type StopMode } from './cluster';
import {
  firstQuestionPath,
  FORWARDED,
  send,
  startCitizenSession,
  walkToCheckAnswers,
  type CitizenSession,
} from './http';
import { startLoad, summarise, waitUntil, type Load, type Sample, type Target } from './load';
import { checkInvariants, RECOVERY_LIMIT_MS, servesNormallyAgain } from './invariants';
import { startServer, type ServerProcess } from './server';

// docs/security.md#fault-scenarios: the production build runs as a child process on a private PostgreSQL cluster, under load from a
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
/** Servers a scenario killed on purpose, or started after that: stopped after each scenario like `server`. */
const extraServers: ServerProcess[] = [];
const admins: Client[] = [];
const loads: Load[] = [];
const report: Record<string, unknown> = {};

beforeAll(async () => {
  cluster = await createClusterWithPortalDatabase();
  databaseUrl = cluster.url('portal');
}, 60_000);

afterEach(async () => {
  // A failed scenario must not leave its load, locks, server or a stopped database to the next one.
  await Promise.all(loads.splice(0).map((l) => l.stop()));
  await Promise.all(admins.splice(0).map((a) => a.end().catch(() => undefined)));
  await server?.stop(5000);
  server = undefined;
  await Promise.all(extraServers.splice(0).map((s) => s.stop(5000)));
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

// Scenario 6: the process is killed (SIGKILL: no shutdown, no cleanup) while citizens are sending, then started again.
type KillMoment = 'before-commit' | 'after-commit' | 'random';
type Form = CitizenSession & { submissionToken: string };
type Sent = { form: Form; status: number; location: string; retryAfter: string | null; error?: string };
type RoundReport = {
  killedAfterMs: number;
  sentBeforeKill: number;
  shownBeforeKill: number;
  noAnswerBeforeKill: number;
  /** Sent, no reference shown (the process died), but committed: after the restart the same reference. */
  committedButNotShown: number;
  /** Sent, no reference shown, not committed: sent again after the restart, stored once. */
  rolledBackThenSentAgain: number;
  storedBeforeRestart: number;
  restartedReadyInMs: number;
};

const KILL_ROUNDS = 2;
const FORMS_PER_ROUND = 12;
const SENDERS = 4;
const CONFIRMATION = /^\/services\/register-a-vehicle\/confirmation\/([A-Z0-9]+)$/;
const HOLD_FUNCTION = 'fault_suite_hold';
const NOTIFY_FUNCTION = 'fault_suite_notify';
const COMMITTED_CHANNEL = 'fault_suite_committed';

async function walkForms(base: string, count: number): Promise<Form[]> {
  const forms: Form[] = [];
  while (forms.length < count) {
    forms.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(4, count - forms.length) }, () => walkToCheckAnswers(base)),
      )),
    );
  }
  return forms;
}

async function sendOnce(base: string, form: Form): Promise<Sent> {
  try {
    return { form, ...(await send(base, form)) };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { form, status: 0, location: '', retryAfter: null, error: cause?.code ?? String(err) };
  }
}

/**
 * Test-only instrumentation of the throwaway database, so the kill lands where it matters.
 * before-commit: each `submitted` event insert holds its transaction open for 200 ms, and the kill comes while one
 * is inside it. after-commit: a SHARE lock on the session table lets submissions commit but holds the session
 * save that comes after the commit and before the answer (express-session saves before it responds); each commit
 * NOTIFYs (delivered only on COMMIT), and the kill comes on the 1st to 3rd notification. random: see killRound.
 */
async function armKill(moment: KillMoment, kill: () => void): Promise<() => Promise<void>> {
  const db = await admin();
  if (moment === 'random') return async () => undefined;
  if (moment === 'before-commit') {
    await db.query(`create or replace function ${HOLD_FUNCTION}() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.2); return new; end $$`);
    await db.query(`create trigger ${HOLD_FUNCTION} before insert on submission_event
      for each row execute function ${HOLD_FUNCTION}()`);
    let polling = true;
    const skipFirst = Math.floor(Math.random() * 3); // not always the very first submission of the stream
    const poll = (async () => {
      let seen = 0;
      while (polling) {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
           where application_name = $1 and state = 'active' and query ilike 'insert into "submission_event"%'`,
          [APP_NAME],
        );
        if (rows[0]!.n > 0 && seen++ >= skipFirst) {
          kill();
          return;
        }
        await sleep(rows[0]!.n > 0 ? 60 : 5);
      }
    })();
    return async () => {
      polling = false;
      await poll;
      await db.query(`drop trigger if exists ${HOLD_FUNCTION} on submission_event`);
      await db.query(`drop function if exists ${HOLD_FUNCTION}()`);
    };
  }
  await db.query(`create or replace function ${NOTIFY_FUNCTION}() returns trigger language plpgsql as $$
    begin perform pg_notify('${COMMITTED_CHANNEL}', new.submission_id::text); return new; end $$`);
  await db.query(`create trigger ${NOTIFY_FUNCTION} after insert on submission_event
    for each row execute function ${NOTIFY_FUNCTION}()`);
  const listener = await admin();
  const killOn = 1 + Math.floor(Math.random() * 3);
  let notified = 0;
  listener.on('notification', () => {
    if (++notified === killOn) kill();
  });
  await listener.query(`listen ${COMMITTED_CHANNEL}`);
  const locker = await admin();
  await locker.query('begin');
  await locker.query('lock table session in share mode');
  return async () => {
    await locker.query('rollback');
    await listener.query(`unlisten ${COMMITTED_CHANNEL}`);
    await db.query(`drop trigger if exists ${NOTIFY_FUNCTION} on submission_event`);
    await db.query(`drop function if exists ${NOTIFY_FUNCTION}()`);
  };
}

async function storedReferences(tokens: string[]): Promise<Map<string, string[]>> {
  const { rows } = await (
    await admin()
  ).query<{ submission_token: string; reference: string }>(
    'select submission_token, reference from submission where submission_token = any($1::uuid[])',
    [tokens],
  );
  const byToken = new Map<string, string[]>();
  for (const row of rows)
    byToken.set(row.submission_token, [...(byToken.get(row.submission_token) ?? []), row.reference]);
  return byToken;
}

/** One round: a stream of submits from distinct sessions, SIGKILL at `moment`, restart, then check every form. */
async function killRound(moment: KillMoment): Promise<RoundReport> {
  const doomed = await startServer(databaseUrl);
  extraServers.push(doomed);
  const forms = await walkForms(doomed.base, FORMS_PER_ROUND);

  let killedAt = 0;
  const kill = () => {
    if (killedAt) return;
    killedAt = Date.now();
    doomed.proc.kill('SIGKILL');
  };
  const disarm = await armKill(moment, kill);
  const streamStartedAt = Date.now();
  const queue = [...forms];
  const sent: Sent[] = [];
  // random: a few milliseconds after a random send of the stream has gone out, wherever each request then is.
  const killAtSend = moment === 'random' ? Math.floor(Math.random() * (FORMS_PER_ROUND - SENDERS)) : -1;
  let sends = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let form = queue.shift(); form && !killedAt; form = queue.shift()) {
        if (sends++ === killAtSend) setTimeout(kill, Math.floor(Math.random() * 15));
        sent.push(await sendOnce(doomed.base, form));
      }
    }),
  );
  if (!killedAt) kill(); // the stream ended first: kill now, still a crash with nothing in flight
  const exit = await doomed.exited;
  await disarm();
  expect(exit.signal).toBe('SIGKILL');

  // Before the restart: every answer was a confirmation, or no answer at all (the process died).
  const unexpected = sent.filter((s) => s.status !== 0 && !CONFIRMATION.test(s.location));
  expect(unexpected.map((s) => `${s.status} ${s.location}`)).toEqual([]);
  const shown = new Map(
    sent
      .filter((s) => s.status === 303)
      .map((s) => [s.form.submissionToken, CONFIRMATION.exec(s.location)![1]!]),
  );
  const stored = await storedReferences(forms.map((f) => f.submissionToken));

  const restartAt = Date.now();
  const restarted = await startServer(databaseUrl);
  extraServers.push(restarted);
  const restartedReadyInMs = Date.now() - restartAt;

  // After the restart every citizen presses Send again (or for the first time), with the same form.
  const again = await Promise.all(forms.map((form) => sendOnce(restarted.base, form)));
  const after = await storedReferences(forms.map((f) => f.submissionToken));
  let committedButNotShown = 0;
  let rolledBackThenSentAgain = 0;
  for (const [i, form] of forms.entries()) {
    const token = form.submissionToken;
    const answer = again[i]!;
    expect({ token, status: answer.status }).toEqual({ token, status: 303 });
    const reference = CONFIRMATION.exec(answer.location)?.[1];
    // Exactly one row for the form, and it is the one the citizen is shown (now and, if any, before the kill).
    expect({ token, rows: after.get(token) }).toEqual({ token, rows: [reference] });
    if (shown.has(token)) expect({ token, reference }).toEqual({ token, reference: shown.get(token) });
    if (stored.has(token)) expect({ token, rows: stored.get(token) }).toEqual({ token, rows: [reference] });
    const wasSent = sent.some((s) => s.form === form);
    if (wasSent && !shown.has(token) && stored.has(token)) committedButNotShown++;
    if (wasSent && !shown.has(token) && !stored.has(token)) rolledBackThenSentAgain++;
  }
  // The citizen's own session shows the confirmation on the restarted process.
  const first = forms[0]!;
  const confirmation = await fetch(`${restarted.base}${again[0]!.location}`, {
    headers: { ...FORWARDED, cookie: first.cookie },
    redirect: 'manual',
  });
  expect(confirmation.status).toBe(200);
  await confirmation.arrayBuffer();

  // The restarted process serves everyone else too: a short load, with the usual invariants.
  const load = startLoad(restarted.base, {
    concurrency: 4,
    maxDurationMs: 1500,
    targets: await citizenTargets(restarted.base),
  });
  loads.push(load);
  const samples = await load.done;
  checkInvariants(`6 (SIGKILL ${moment})`, [...samples, ...again.map(asSample)], {
    server: restarted,
    cluster,
  });
  await restarted.stop(5000);

  return {
    killedAfterMs: killedAt - streamStartedAt,
    sentBeforeKill: sent.length,
    shownBeforeKill: shown.size,
    noAnswerBeforeKill: sent.filter((s) => s.status === 0).length,
    committedButNotShown,
    rolledBackThenSentAgain,
    storedBeforeRestart: stored.size,
    restartedReadyInMs,
  };
}

const asSample = (s: Sent): Sample => ({
  target: 'send',
  startedAt: 0,
  endedAt: 0,
  status: s.status,
  retryAfter: s.retryAfter,
  error: s.error,
});

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
  it.each<KillMoment>(['before-commit', 'after-commit', 'random'])(
    '6 (§5 F9): SIGKILL %s under a stream of submits: after a restart every reference shown exists once, none without its event',
    async (moment) => {
      const rounds: RoundReport[] = [];
      for (let round = 0; round < KILL_ROUNDS; round++) rounds.push(await killRound(moment));

      const checker = await admin();
      // Not one submission, from any scenario, without exactly one `submitted` event (written in its transaction).
      const { rows: withoutEvent } = await checker.query<{ reference: string; events: number }>(
        `select s.reference, (select count(*)::int from submission_event e
            where e.submission_id = s.id and e.type = 'submitted') as events
         from submission s
         where (select count(*) from submission_event e where e.submission_id = s.id and e.type = 'submitted') <> 1`,
      );
      expect(withoutEvent).toEqual([]);
      // The rollups were written in the same transactions: they count exactly the stored submissions.
      const { rows: counts } = await checker.query<{ stored: number; received: number; open: number }>(
        `select (select count(*)::int from submission) as stored,
                (select coalesce(sum(received), 0)::int from performance_day) as received,
                (select coalesce(sum(open_cases), 0)::int from open_case_day) as open`,
      );
      expect(counts[0]!.received).toBe(counts[0]!.stored);
      expect(counts[0]!.open).toBe(counts[0]!.stored);
      const total = (key: keyof RoundReport) => rounds.reduce((n, r) => n + (r[key] as number), 0);
      if (moment === 'before-commit') {
        // Killed while a transaction was inside its insert: that one was never stored, and sent again it was.
        expect(total('rolledBackThenSentAgain')).toBeGreaterThan(0);
      }
      if (moment === 'after-commit') {
        // Killed after its commit, before the reference was shown: it survives, and Send again shows it.
        expect(total('committedButNotShown')).toBeGreaterThan(0);
      }
      report[`6 SIGKILL ${moment} (${KILL_ROUNDS} rounds of ${FORMS_PER_ROUND} citizens)`] = {
        rounds,
        storedSubmissionsInDatabase: counts[0]!.stored,
      };
    },
    60_000,
  );
});
