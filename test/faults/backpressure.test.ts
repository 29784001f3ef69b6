import { firstQuestionPath, startCitizenSession } from './http';
import { percentile, startLoad, type Sample, type Target } from './load';
import { checkInvariants } from './invariants';
import { startServer } from './server';
import { useFileCluster } from './file-cluster';

// docs/security.md#rel6, the CPU-burn load test of backpressure: the production build with a low cap on requests in
// flight (MAX_IN_FLIGHT_REQUESTS = 20) and an event-loop delay threshold, under a loopback load of 100 concurrent
// clients, far more than two cores can render. The excess is shed with fast 503s and Retry-After instead of
// queueing, the admitted pages still answer 200, /health/live answers 200 throughout, and nothing is a 500.
// Only relations are asserted (503s answered faster than admitted pages, some shed, some admitted), never a
// wall-clock limit: another suite may share the machine.

const MAX_IN_FLIGHT = 20;
const MAX_EVENT_LOOP_DELAY_MS = 200;
const CONCURRENCY = 100;
const LOAD_MS = 8_000;

const file = useFileCluster();

const durations = (samples: Sample[]) => samples.map((s) => s.endedAt - s.startedAt);

describe('REL6: backpressure under a CPU-burn load', () => {
  it('sheds the excess with fast 503s and Retry-After, still serves admitted pages, keeps /health/live up, no 500s', async () => {
    const { cluster, loads } = file;
    const server = file.started(
      await startServer(cluster.url('portal'), {
        MAX_IN_FLIGHT_REQUESTS: String(MAX_IN_FLIGHT),
        MAX_EVENT_LOOP_DELAY_MS: String(MAX_EVENT_LOOP_DELAY_MS),
      }),
    );
    const sessions = await Promise.all([1, 2, 3, 4].map(() => startCitizenSession(server.base)));
    const targets: Target[] = [
      ...sessions.map((s) => ({ name: 'question page', path: firstQuestionPath(), cookie: s.cookie })),
      { name: 'home', path: '/' },
      { name: 'start page', path: '/services/register-a-vehicle' },
      { name: 'check status', path: '/check-status' },
      { name: 'performance', path: '/performance' },
    ];

    const load = startLoad(server.base, { concurrency: CONCURRENCY, maxDurationMs: LOAD_MS, targets });
    const live = startLoad(server.base, {
      concurrency: 1,
      maxDurationMs: LOAD_MS,
      targets: [{ name: 'live', path: '/health/live' }],
      pauseMs: 100,
    });
    loads.push(load, live);
    const samples = await load.done;
    const liveSamples = await live.done;

    checkInvariants('REL6 backpressure', [...samples, ...liveSamples], { server, cluster });
    const admitted = samples.filter((s) => s.status === 200);
    const shed = samples.filter((s) => s.status === 503);
    const other = samples.filter((s) => s.status !== 200 && s.status !== 503);
    const output = server.output();
    const report = {
      requests: samples.length,
      admitted: admitted.length,
      shed: shed.length,
      other: other.length,
      admittedMs: { p50: percentile(durations(admitted), 50), p99: percentile(durations(admitted), 99) },
      shedMs: { p50: percentile(durations(shed), 50), p99: percentile(durations(shed), 99) },
      liveMs: { p50: percentile(durations(liveSamples), 50), max: Math.max(...durations(liveSamples)) },
      liveProbes: liveSamples.length,
      // The tail of the server's log: which signal shed the requests.
      shedReasonsLogged: {
        inFlight: (output.match(/"reason":"in-flight"/g) ?? []).length,
        eventLoop: (output.match(/"reason":"event-loop"/g) ?? []).length,
      },
    };
    process.stdout.write(`\nREL6 backpressure, measured: ${JSON.stringify(report)}\n`);

    expect(other.map((s) => `${s.target} ${s.status}`)).toEqual([]);
    // Far above capacity: some requests were shed, and the admitted ones were still served.
    expect(shed.length).toBeGreaterThan(0);
    expect(admitted.length).toBeGreaterThan(0);
    for (const s of shed) expect(s.retryAfter).toMatch(/^\d+$/);
    // Shedding is the fast path: a 503 is answered before the page a request would have queued for.
    expect(report.shedMs.p50).toBeLessThan(report.admittedMs.p50);
    // Liveness is never shed.
    expect(liveSamples.length).toBeGreaterThan(0);
    expect(liveSamples.every((s) => s.status === 200)).toBe(true);
    // Once the burst ends, nothing is left in flight and the next page is admitted.
    const after = await fetch(`${server.base}/`, {
      headers: { 'x-forwarded-proto': 'https' },
      signal: AbortSignal.timeout(15_000),
    });
    await after.arrayBuffer();
    expect(after.status).toBe(200);
    expect(server.alive()).toBe(true);
  });
});
