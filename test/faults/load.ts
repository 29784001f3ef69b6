import { FORWARDED } from './http';

// A bounded load client: `concurrency` loops of fetch() over 127.0.0.1, each cycling through the targets, that
// record every response (status, Retry-After, timing) and stop by themselves at the deadline or on stop().

export type Target = { name: string; path: string; cookie?: string };

/** One request. status 0: no HTTP answer (refused, reset or timed out; see `error`). */
export type Sample = {
  target: string;
  startedAt: number;
  endedAt: number;
  status: number;
  retryAfter: string | null;
  error?: string;
};

export type LoadOptions = {
  concurrency: number;
  /** Hard upper bound on how long the loops run. */
  maxDurationMs: number;
  targets: Target[];
  /** Pause after each request (probes use it to poll at a fixed rhythm). */
  pauseMs?: number;
  requestTimeoutMs?: number;
};

export type Load = {
  readonly samples: Sample[];
  /** Requests sent and not yet answered. */
  inFlight(): { target: string; startedAt: number; id: number }[];
  /** Resolves with the samples of requests with these ids, once each has an answer. */
  outcomeOf(ids: number[]): Promise<Sample[]>;
  stop(): Promise<Sample[]>;
  readonly done: Promise<Sample[]>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startLoad(base: string, options: LoadOptions): Load {
  const { concurrency, maxDurationMs, targets, pauseMs = 0, requestTimeoutMs = 20_000 } = options;
  if (!base.startsWith('http://127.0.0.1:'))
    throw new Error(`the load client only talks to 127.0.0.1, not ${base}`);
  const samples: Sample[] = [];
  const pending = new Map<number, { target: string; startedAt: number; id: number }>();
  const byId = new Map<number, Sample>();
  const waiters: (() => void)[] = [];
  const deadline = Date.now() + maxDurationMs;
  let stopped = false;
  let nextId = 0;

  const record = (id: number, sample: Sample) => {
    pending.delete(id);
    samples.push(sample);
    byId.set(id, sample);
    for (const wake of waiters.splice(0)) wake();
  };

  async function worker(index: number) {
    for (let i = index; !stopped && Date.now() < deadline; i++) {
      const target = targets[i % targets.length]!;
      const id = nextId++;
      const startedAt = Date.now();
      pending.set(id, { target: target.name, startedAt, id });
      try {
        const res = await fetch(`${base}${target.path}`, {
          headers: { ...FORWARDED, ...(target.cookie ? { cookie: target.cookie } : {}) },
          redirect: 'manual',
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        await res.arrayBuffer();
        record(id, {
          target: target.name,
          startedAt,
          endedAt: Date.now(),
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        record(id, {
          target: target.name,
          startedAt,
          endedAt: Date.now(),
          status: 0,
          retryAfter: null,
          error: cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)),
        });
        // A refused or reset connection answers at once: back off a little rather than spin.
        await sleep(50);
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  }

  const done = Promise.all(Array.from({ length: concurrency }, (_v, i) => worker(i))).then(() => samples);
  return {
    samples,
    inFlight: () => [...pending.values()],
    async outcomeOf(ids) {
      while (!ids.every((id) => byId.has(id))) await new Promise<void>((r) => waiters.push(r));
      return ids.map((id) => byId.get(id)!);
    },
    stop() {
      stopped = true;
      return done;
    },
    done,
  };
}

/** Poll `predicate` every 25 ms; the milliseconds it took, or an error naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, predicate: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
  return Date.now() - started;
}

export type Summary = {
  total: number;
  byStatus: Record<string, number>;
  unavailable: number;
  maxUnavailableMs: number;
  networkErrors: number;
};

export function summarise(samples: Sample[]): Summary {
  const byStatus: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === 0 ? `error:${s.error}` : String(s.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const unavailable = samples.filter((s) => s.status === 503);
  return {
    total: samples.length,
    byStatus,
    unavailable: unavailable.length,
    maxUnavailableMs: Math.max(0, ...unavailable.map((s) => s.endedAt - s.startedAt)),
    networkErrors: samples.filter((s) => s.status === 0).length,
  };
}

/** The nearest-rank percentile (0 < p ≤ 100) of some timings; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
