import request from 'supertest';
import type { Db } from '../../src/db';
import {
  BACKPRESSURE_RETRY_AFTER_SECONDS,
  createBackpressure,
  eventLoopDelaySource,
  type Backpressure,
  type DelaySource,
} from '../../src/middleware/backpressure';
import { loadConfig } from '../../src/config';
import { appWith, productionEnv, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';

// docs/security.md#rel6: past a cap on requests in flight, or while the event loop lags, a fast 503 with Retry-After;
// the health checks always answer. No wall-clock assertion: the delay source is injected.

const stubDelay = (ms: { value: number }): DelaySource => ({ currentMs: () => ms.value, stop: () => {} });

describe('deciding when to shed load', () => {
  it('sheds while the event loop lags beyond the threshold, and stops when it catches up', () => {
    const lag = { value: 0 };
    const bp = createBackpressure({ maxInFlight: 0, maxEventLoopDelayMs: 200 }, { delay: stubDelay(lag) });
    expect(bp.overloaded()).toBeUndefined();
    lag.value = 200;
    expect(bp.overloaded()).toBeUndefined();
    lag.value = 201;
    expect(bp.overloaded()).toBe('event-loop');
    lag.value = 15;
    expect(bp.overloaded()).toBeUndefined();
  });

  it('ignores the event loop when its limit is 0 (off)', () => {
    const bp = createBackpressure(
      { maxInFlight: 0, maxEventLoopDelayMs: 0 },
      { delay: stubDelay({ value: 1e6 }) },
    );
    expect(bp.overloaded()).toBeUndefined();
  });

  it('sheds at the in-flight cap and admits again as requests finish', () => {
    const bp = createBackpressure(
      { maxInFlight: 2, maxEventLoopDelayMs: 0 },
      { delay: stubDelay({ value: 0 }) },
    );
    const finishes: (() => void)[] = [];
    const admit = () => {
      let admitted = false;
      const res = {
        once: (_event: string, fn: () => void) => finishes.push(fn),
        status: () => res,
        set: () => res,
        render: () => undefined,
      };
      bp.middleware({} as never, res as never, () => (admitted = true));
      return admitted;
    };
    expect(admit()).toBe(true);
    expect(admit()).toBe(true);
    expect(bp.inFlight()).toBe(2);
    expect(bp.overloaded()).toBe('in-flight');
    expect(admit()).toBe(false);
    expect(bp.inFlight()).toBe(2);
    finishes.shift()!();
    expect(bp.inFlight()).toBe(1);
    expect(admit()).toBe(true);
  });

  it('names the in-flight cap first when both limits are passed', () => {
    const lag = { value: 0 };
    const bp = createBackpressure({ maxInFlight: 1, maxEventLoopDelayMs: 50 }, { delay: stubDelay(lag) });
    bp.middleware({} as never, { once: () => undefined } as never, () => undefined);
    lag.value = 500;
    expect(bp.overloaded()).toBe('in-flight');
  });

  it('measures the event loop with perf_hooks: a finite, non-negative delay, and stops cleanly', async () => {
    const source = eventLoopDelaySource(20);
    await new Promise((r) => setTimeout(r, 60));
    const ms = source.currentMs();
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(0);
    source.stop();
  });

  it('is on by default outside tests (generous limits) and only capped by in-flight requests in tests', () => {
    expect(loadConfig(productionEnv).backpressure).toEqual({
      maxInFlight: 200,
      maxEventLoopDelayMs: 1000,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).backpressure).toEqual({
      maxInFlight: 200,
      maxEventLoopDelayMs: 0,
    });
    expect(
      loadConfig({ NODE_ENV: 'test', MAX_IN_FLIGHT_REQUESTS: '0', MAX_EVENT_LOOP_DELAY_MS: '250' })
        .backpressure,
    ).toEqual({ maxInFlight: 0, maxEventLoopDelayMs: 250 });
    expect(() => loadConfig({ NODE_ENV: 'test', MAX_IN_FLIGHT_REQUESTS: 'lots' })).toThrow(
      /MAX_IN_FLIGHT_REQUESTS/,
    );
  });
});

describe('an app with an in-flight cap of 1', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ MAX_IN_FLIGHT_REQUESTS: '1' }, { acquireTimeoutMs: 10_000 });
  });
  afterAll(() => t.close());

  /** Hold every database connection, so a request that needs the database stays in flight until released. */
  async function holdAllConnections(db: Db, count: number) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held = 0;
    const holders = Array.from({ length: count }, () =>
      db.transaction(async (trx) => {
        await trx.raw('select 1');
        held += 1;
        await released;
      }),
    );
    while (held < count) await new Promise((r) => setTimeout(r, 10));
    return async () => {
      release();
      await Promise.all(holders);
    };
  }

  it('answers a fast 503 with Retry-After past the cap, keeps the health checks up, and admits again after', async () => {
    const backpressure = t.app.locals.backpressure as Backpressure;
    const citizen = request.agent(t.app);
    await citizen.get('/services/register-a-vehicle/start').expect(302); // a session, read from the database
    const release = await holdAllConnections(t.db, process.env.DATABASE_URL ? 5 : 1);
    let slow: Promise<request.Response> | undefined;
    try {
      // Loading this citizen's session waits for a connection: one request in flight.
      slow = citizen.get('/services/register-a-vehicle/start').then((r) => r);
      while (backpressure.inFlight() < 1) await new Promise((r) => setTimeout(r, 10));

      const shed = await request(t.app).get('/');
      expect(shed.status).toBe(503);
      expect(shed.headers['retry-after']).toBe(String(BACKPRESSURE_RETRY_AFTER_SECONDS));
      expect(parseHtml(shed.text)('h1').text().trim()).toBe('Sorry, the service is unavailable');
      expect(shed.headers['content-security-policy']).toContain("'nonce-");
      const post = await request(t.app)
        .post('/services/register-a-vehicle/check-answers')
        .type('form')
        .send({});
      expect(post.status).toBe(503);

      await request(t.app).get('/health/live').expect(200, { status: 'ok' });
      expect(backpressure.inFlight()).toBe(1);
    } finally {
      await release();
    }
    expect((await slow!).status).toBe(302);
    expect(backpressure.inFlight()).toBe(0);
    await request(t.app).get('/').expect(200);
  });
});
