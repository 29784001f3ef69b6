import { firstQuestionPath, startCitizenSession } from './http';
import { startLoad, summarise, waitUntil, type Sample, type Target } from './load';
import { checkInvariants, RECOVERY_LIMIT_MS, servesNormallyAgain } from './invariants';
import { startProxy } from './proxy';
import { startServer } from './server';
import { useFileCluster } from './file-cluster';

// docs/security.md#f4, a slow then black-holed network (REL5's bounded waits): the production build reaches its
// private PostgreSQL cluster through a TCP proxy (proxy.ts) that first adds latency, then black-holes for 10 s
// (accepts connections, forwards nothing: no error, no reset, just silence), then resets every connection and
// heals. Requests answer 200 or the 503 page with Retry-After within the app's bounded waits rather than hanging,
// readiness goes 503 during the black hole and 200 again after the heal, no 500s, and the process stays up.

const ACQUIRE_TIMEOUT_MS = 2_000;
const STATEMENT_TIMEOUT_MS = 3_000;
const LATENCY_MS = 500; // round trip, split between the two directions
const SLOW_MS = 4_000;
const BLACK_HOLE_MS = 10_000;
/**
 * The app's bounded waits: a free connection within DB_ACQUIRE_TIMEOUT_MS, a query answered within the statement
 * timeout (plus pg's client-side margin of 1 s when the network drops everything), and 2 s for the rest. Shorter
 * than the black hole, so a request that waited for the network to come back would break it.
 */
const ANSWER_BOUND_MS = ACQUIRE_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1_000 + 2_000;

const file = useFileCluster();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = (samples: Sample[], from: number, to: number) =>
  samples.filter((s) => s.startedAt >= from && s.startedAt < to);

describe('F4: a slow, then black-holed, then reset network between the app and PostgreSQL', () => {
  it('answers within bounded waits with 200 or 503 + Retry-After, flips readiness and recovers, no 500s', async () => {
    const { cluster, loads } = file;
    const proxy = await startProxy(cluster.port);
    file.atEnd(() => proxy.close());
    const server = file.started(
      await startServer(`postgres://postgres@127.0.0.1:${proxy.port}/portal`, {
        DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      }),
    );
    const sessions = await Promise.all([1, 2, 3].map(() => startCitizenSession(server.base)));
    const targets: Target[] = [
      ...sessions.map((s) => ({ name: 'question page', path: firstQuestionPath(), cookie: s.cookie })),
      { name: 'home', path: '/' },
      { name: 'check status', path: '/check-status' },
    ];
    const total = SLOW_MS + BLACK_HOLE_MS + RECOVERY_LIMIT_MS + 10_000;
    const load = startLoad(server.base, { concurrency: 6, maxDurationMs: total, targets });
    const probes = startLoad(server.base, {
      concurrency: 1,
      maxDurationMs: total,
      targets: [
        { name: 'ready', path: '/health/ready' },
        { name: 'live', path: '/health/live' },
      ],
      pauseMs: 50,
    });
    loads.push(load, probes);
    await sleep(1_000);

    const slowAt = Date.now();
    proxy.setLatency(LATENCY_MS / 2);
    await sleep(SLOW_MS);

    const blackHoleAt = Date.now();
    proxy.setBlackHole(true);
    const readyDownMs = await waitUntil(
      'readiness 503 during the black hole',
      () =>
        probes.samples.some((s) => s.target === 'ready' && s.startedAt >= blackHoleAt && s.status === 503),
      BLACK_HOLE_MS,
    );
    await sleep(Math.max(0, blackHoleAt + BLACK_HOLE_MS - Date.now()));

    const healedAt = Date.now();
    const reset = proxy.resetAll();
    proxy.setBlackHole(false);
    proxy.setLatency(0);
    const readyUpMs = await waitUntil(
      'readiness 200 after the heal',
      () => probes.samples.some((s) => s.target === 'ready' && s.startedAt >= healedAt && s.status === 200),
      RECOVERY_LIMIT_MS,
    );
    const recoveredMs = await servesNormallyAgain(load, healedAt);
    const samples = await load.stop();
    const probeSamples = await probes.stop();

    checkInvariants('F4 network', [...samples, ...probeSamples], { server, cluster });
    const longest = (list: Sample[]) => Math.max(0, ...list.map((s) => s.endedAt - s.startedAt));
    const report = {
      slow: summarise(within(samples, slowAt, blackHoleAt)).byStatus,
      blackHole: summarise(within(samples, blackHoleAt, healedAt)).byStatus,
      afterHeal: summarise(within(samples, healedAt, Infinity)).byStatus,
      longestPageMs: longest(samples),
      longestProbeMs: {
        ready: longest(probeSamples.filter((s) => s.target === 'ready')),
        live: longest(probeSamples.filter((s) => s.target === 'live')),
      },
      connectionsReset: reset,
      readyDownAfterMs: readyDownMs,
      readyUpAfterMs: readyUpMs,
      servesNormallyAfterMs: recoveredMs,
    };
    process.stdout.write(`\nF4 network, measured: ${JSON.stringify(report)}\n`);

    // No request outlived the app's own bounded waits (nothing hung until the heal or the client's timeout).
    expect(report.longestPageMs).toBeLessThan(ANSWER_BOUND_MS);
    // The black hole was seen: pages answered 503 (with Retry-After, checked above), never 500.
    expect(within(samples, blackHoleAt, healedAt).some((s) => s.status === 503)).toBe(true);
    expect(probeSamples.filter((s) => s.target === 'live').every((s) => s.status === 200)).toBe(true);
    expect(server.alive()).toBe(true);
  });
});
