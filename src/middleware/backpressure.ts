import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { PageCache } from './page-cache';

// Backpressure (docs/security.md#rel6): when the process is saturated, a request that would only queue behind the
// others gets a fast 503 with Retry-After instead of a slow page for everyone. Two signals, each off at 0:
//  - requests in flight on this instance above MAX_IN_FLIGHT_REQUESTS;
//  - the event loop's mean delay over the last half second above MAX_EVENT_LOOP_DELAY_MS (perf_hooks).
// Mounted after the static assets, the health checks and /metrics, so /health/live, /health/ready and metrics
// scrapes always answer, and an overloaded instance stays in the load balancer instead of flapping out of it.

export const BACKPRESSURE_RETRY_AFTER_SECONDS = 5;
const SAMPLE_MS = 500;
const RESOLUTION_MS = 10;

export type Overload = 'in-flight' | 'event-loop';

/** Where the event-loop delay comes from: perf_hooks in the app, a stub in unit tests. */
export type DelaySource = Readonly<{ currentMs(): number; stop(): void }>;

/** The event loop's mean delay (ms) over the last sampling window, measured by perf_hooks. */
export function eventLoopDelaySource(sampleMs = SAMPLE_MS): DelaySource {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let current = 0;
  const timer = setInterval(() => {
    // Each sample includes the timer's own resolution; an empty window has a NaN mean.
    const mean = histogram.mean / 1e6 - RESOLUTION_MS;
    current = Number.isFinite(mean) ? Math.max(0, mean) : 0;
    histogram.reset();
  }, sampleMs);
  timer.unref();
  return {
    currentMs: () => current,
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

export type Backpressure = Readonly<{
  /** Requests admitted and not yet answered. */
  inFlight(): number;
  /** Whether a new request should be shed now, and why. */
  overloaded(): Overload | undefined;
  middleware: RequestHandler;
  stop(): void;
}>;

export function createBackpressure(
  limits: Config['backpressure'],
  options: { delay?: DelaySource; pages?: PageCache } = {},
): Backpressure {
  const delay =
    options.delay ??
    (limits.maxEventLoopDelayMs > 0 ? eventLoopDelaySource() : { currentMs: () => 0, stop() {} });
  let inFlight = 0;
  const overloaded = (): Overload | undefined => {
    if (limits.maxInFlight > 0 && inFlight >= limits.maxInFlight) return 'in-flight';
    if (limits.maxEventLoopDelayMs > 0 && delay.currentMs() > limits.maxEventLoopDelayMs) return 'event-loop';
    return undefined;
  };
  const middleware: RequestHandler = (req, res, next) => {
    const reason = overloaded();
    if (reason) {
      req.log?.warn({ event: 'overloaded', reason }, 'request shed: instance overloaded');
      res.status(503).set('Retry-After', String(BACKPRESSURE_RETRY_AFTER_SECONDS));
      // The page is the same for everyone: rendered once, not once per shed request.
      if (options.pages) options.pages.send(res, 'backpressure:unavailable', 'errors/unavailable');
      else res.render('errors/unavailable');
      return;
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    next();
  };
  return { inFlight: () => inFlight, overloaded, middleware, stop: () => delay.stop() };
}
