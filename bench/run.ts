/* eslint-disable no-console -- a command-line report */
// npm run bench: drive the production build over 127.0.0.1 and compare every scenario with a bare Express 5
// "hello" server measured the same way in the same run (absolute numbers are noisy on a shared machine;
// ratios hold). Options: --embedded (PGlite instead of PostgreSQL), --quick (a few seconds per scenario, for
// CI), --duration=N seconds, --connections=N, --skip-history (no 10k/1M performance-page runs).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import knex from 'knex';
import { createDb } from '../src/db';
import { AGENCIES } from '../src/definitions/agencies';
import { hashPassword } from '../src/staff/passwords';
import { createSecretBox, totpSecretContext } from '../src/crypto/secret-box';
import { enrolMfa, insertStaffUser } from '../src/staff/staff-user-repository';
import { newTotpSecret, totpCodeAt } from '../src/staff/totp';
import vehiclePaths from '../test/fixtures/journeys/register-a-vehicle';
import { startPgBouncer } from '../test/faults/pgbouncer';
import { freePort } from '../test/faults/server';

const root = path.resolve(__dirname, '..');
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const quick = args.has('quick');
const embedded = args.has('embedded');
const DURATION = Number(args.get('duration') ?? (quick ? 2 : 10));
const WARMUP = quick ? 1 : 3;
const CONNECTIONS = Number(args.get('connections') ?? 50);
const SESSIONS = 50;
const SECRET = 'bench-session-secret-of-more-than-thirty-two-chars';
const MFA_KEY = 'bench-mfa-encryption-key-of-more-than-thirty-two-chars';

type Result = {
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ratio?: number;
  /** The server's largest sampled RSS while this scenario ran, in MB (not for the ceiling). */
  rssMb?: number;
  note?: string;
};

// The portal's RSS, sampled every 200 ms while it runs; each measurement notes the largest seen during it.
let scenarioRss = 0;

// ---------- processes ----------
async function waitForReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return Date.now() - started;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function startProcess(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [script], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[server] ${d}`));
  return child;
}

function rssOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

// ---------- HTTP helpers for preparing sessions ----------
const headersBase = (i: number) => ({
  // The production build sits behind TLS termination: Secure cookies need the forwarded protocol, and each
  // simulated citizen comes from their own address (rate limits are per client).
  'x-forwarded-proto': 'https',
  'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.1`,
});

type Session = { cookie: string; csrf: string; i: number };

function cookieFrom(res: Response, previous = ''): string {
  const set = res.headers.getSetCookie();
  if (set.length === 0) return previous;
  return set.map((c) => c.split(';')[0]).join('; ');
}
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * fetch resolves as soon as the headers arrive, but express-session holds back the last byte of a response
 * until the session is saved. A redirect read only up to its headers lets the next request race that save
 * (and find the session as it was before, or not at all), so every response is read to its end first.
 */
async function settled(res: Response): Promise<Response> {
  await res.arrayBuffer();
  return res;
}

async function citizenSession(
  base: string,
  i: number,
  startPath: string,
  formPath: string,
): Promise<Session> {
  const start = await settled(
    await fetch(`${base}${startPath}`, { headers: headersBase(i), redirect: 'manual' }),
  );
  let cookie = cookieFrom(start);
  const form = await fetch(`${base}${formPath}`, {
    headers: { ...headersBase(i), cookie },
    redirect: 'manual',
  });
  cookie = cookieFrom(form, cookie);
  return { cookie, csrf: csrfIn(await form.text()), i };
}

const formBody = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
  return p.toString();
};

/** Walk the whole Register a vehicle journey over HTTP and return its reference. */
async function completeJourney(base: string, i: number): Promise<string> {
  const path0 = vehiclePaths[0]!;
  const s = await citizenSession(
    base,
    i,
    '/services/register-a-vehicle/start',
    `/services/register-a-vehicle/${path0.steps[0]!.page}`,
  );
  const h = { ...headersBase(i), cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' };
  for (const step of path0.steps) {
    const res = await settled(
      await fetch(`${base}/services/register-a-vehicle/${step.page}`, {
        method: 'POST',
        headers: h,
        body: formBody({ ...step.body, _csrf: s.csrf }),
        redirect: 'manual',
      }),
    );
    if (res.status !== 302) throw new Error(`journey step ${step.page} answered ${res.status}`);
  }
  const check = await (
    await fetch(`${base}/services/register-a-vehicle/check-answers`, { headers: h })
  ).text();
  const token = /name="submissionToken" value="([^"]+)"/.exec(check)?.[1] ?? '';
  const sent = await settled(
    await fetch(`${base}/services/register-a-vehicle/check-answers`, {
      method: 'POST',
      headers: h,
      body: formBody({ _csrf: s.csrf, submissionToken: token }),
      redirect: 'manual',
    }),
  );
  return (sent.headers.get('location') ?? '').split('/').pop() ?? '';
}

/** autocannon passes raw response headers, names in the case the server sent them. */
function header(headers: Record<string, string | string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key ? headers[key] : undefined;
  return Array.isArray(value) ? value[0] : value;
}

// ---------- measuring ----------
type Req = autocannon.Request;

async function measure(
  base: string,
  scenario: string,
  requests: Req[],
  expected: (status: number) => boolean,
  options: { warmup?: boolean; duration?: number; connections?: number } = {},
): Promise<Result & { completed: number; raw: autocannon.Result }> {
  let unexpected = 0;
  let completed = 0;
  const unexpectedStatuses = new Map<number, number>();
  const withChecks = requests.map((r, index) => ({
    ...r,
    onResponse: (
      status: number,
      body: string,
      context: Record<string, unknown>,
      headers: Record<string, string>,
    ) => {
      if (!expected(status)) {
        unexpected++;
        unexpectedStatuses.set(status, (unexpectedStatuses.get(status) ?? 0) + 1);
      }
      if (index === requests.length - 1) completed++;
      (
        r.onResponse as
          ((s: number, b: string, c: Record<string, unknown>, h: Record<string, string>) => void) | undefined
      )?.(status, body, context, headers);
    },
  }));
  const run = (duration: number) =>
    autocannon({
      url: base,
      connections: options.connections ?? CONNECTIONS,
      duration,
      requests: withChecks as Req[],
      timeout: 30,
    });
  if (options.warmup !== false) await run(WARMUP);
  unexpected = 0;
  completed = 0;
  scenarioRss = 0;
  unexpectedStatuses.clear();
  const raw = await run(options.duration ?? DURATION);
  if (unexpectedStatuses.size > 0)
    console.error(
      `${scenario}: unexpected statuses ${JSON.stringify(Object.fromEntries(unexpectedStatuses))}`,
    );
  return {
    ...(scenarioRss ? { rssMb: Math.round(scenarioRss / 1024 / 1024) } : {}),
    scenario,
    rps: raw.requests.average,
    p50: raw.latency.p50,
    p99: raw.latency.p99,
    errors: raw.errors + raw.timeouts + unexpected,
    completed,
    raw,
  };
}

/** One GET per request, each connection cycling through the prepared sessions. */
function rotating(pathFor: (s: Session) => string, sessions: Session[], extra: Partial<Req> = {}): Req[] {
  let next = 0;
  return [
    {
      method: 'GET',
      ...extra,
      setupRequest: (req: Req) => {
        const s = sessions[next++ % sessions.length]!;
        return {
          ...req,
          path: pathFor(s),
          headers: { ...headersBase(s.i), ...(s.cookie ? { cookie: s.cookie } : {}), ...(req.headers ?? {}) },
        };
      },
    } as Req,
  ];
}

function rotatingPost(
  pathFor: (s: Session) => string,
  sessions: Session[],
  body: (s: Session) => Record<string, string>,
): Req[] {
  let next = 0;
  return [
    {
      method: 'POST',
      setupRequest: (req: Req) => {
        const s = sessions[next++ % sessions.length]!;
        return {
          ...req,
          path: pathFor(s),
          headers: {
            ...headersBase(s.i),
            cookie: s.cookie,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: formBody({ ...body(s), _csrf: s.csrf }),
        };
      },
    } as Req,
  ];
}

/**
 * Status checks, one session per connection, each following its cookie: a granted check renews the session id (the old
 * one is gone). Measured without a warm-up, whose last checks would renew ids the bench never hears of.
 */
function statusChecks(sessions: Session[], references: string[]): Req[] {
  let next = 0;
  type Ctx = { session?: Session };
  return [
    {
      method: 'POST',
      path: '/check-status',
      setupRequest: (req: Req, ctx: Ctx) => {
        // Each connection keeps one session for its life: two connections sending the same session at once would
        // race its renewal, and the loser's cookie would name a session that no longer exists (a 403).
        const s = (ctx.session ??= sessions[next++ % sessions.length]!);
        return {
          ...req,
          headers: {
            ...headersBase(s.i),
            cookie: s.cookie,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: formBody({
            reference: references[s.i % references.length]!,
            proof: 'sarah.philips@example.com',
            _csrf: s.csrf,
          }),
        };
      },
      onResponse: (_status: number, _b: string, ctx: Ctx, h: Record<string, string | string[]>) => {
        const set = header(h, 'set-cookie');
        if (set && ctx.session) ctx.session.cookie = set.split(';')[0]!;
      },
    } as unknown as Req,
  ];
}

/** A complete Register a vehicle journey per connection loop: start, every page, check answers, send, confirmation. */
function journeyRequests(references: string[], firstClient = 0): Req[] {
  const steps = vehiclePaths[0]!.steps;
  const SERVICE = '/services/register-a-vehicle';
  let counter = 0;
  type Ctx = { cookie?: string; csrf?: string; token?: string; i?: number };
  const headers = (ctx: Ctx, form = false) => ({
    ...headersBase(ctx.i ?? 0),
    ...(ctx.cookie ? { cookie: ctx.cookie } : {}),
    ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
  });
  const reqs: Req[] = [
    {
      method: 'GET',
      path: `${SERVICE}/start`,
      setupRequest: (req: Req, ctx: Ctx) => {
        ctx.i = (firstClient + counter++) % 60_000;
        return { ...req, headers: headers(ctx) };
      },
      onResponse: (_s: number, _b: string, ctx: Ctx, h: Record<string, string | string[]>) => {
        const first = header(h, 'set-cookie');
        if (first) ctx.cookie = first.split(';')[0];
      },
    } as unknown as Req,
    {
      method: 'GET',
      path: `${SERVICE}/${steps[0]!.page}`,
      setupRequest: (req: Req, ctx: Ctx) => ({ ...req, headers: headers(ctx) }),
      onResponse: (_s: number, body: string, ctx: Ctx) => {
        ctx.csrf = csrfIn(body);
      },
    } as unknown as Req,
    ...steps.map(
      (step) =>
        ({
          method: 'POST',
          path: `${SERVICE}/${step.page}`,
          setupRequest: (req: Req, ctx: Ctx) => ({
            ...req,
            headers: headers(ctx, true),
            body: formBody({ ...step.body, _csrf: ctx.csrf ?? '' }),
          }),
        }) as unknown as Req,
    ),
    {
      method: 'GET',
      path: `${SERVICE}/check-answers`,
      setupRequest: (req: Req, ctx: Ctx) => ({ ...req, headers: headers(ctx) }),
      onResponse: (_s: number, body: string, ctx: Ctx) => {
        ctx.token = /name="submissionToken" value="([^"]+)"/.exec(body)?.[1];
      },
    } as unknown as Req,
    {
      method: 'POST',
      path: `${SERVICE}/check-answers`,
      setupRequest: (req: Req, ctx: Ctx) => ({
        ...req,
        headers: headers(ctx, true),
        body: formBody({ _csrf: ctx.csrf ?? '', submissionToken: ctx.token ?? '' }),
      }),
      onResponse: (status: number, _b: string, _ctx: Ctx, h: Record<string, string>) => {
        const location = header(h, 'location');
        if (status === 303 && location) references.push(location.split('/').pop()!);
      },
    } as unknown as Req,
  ];
  return reqs;
}

// ---------- the run ----------
async function main() {
  const startedAt = Date.now();
  if (!fs.existsSync(path.join(root, 'dist/src/server.js')))
    throw new Error('Run `npm run build` first (npm run bench does).');
  const results: Result[] = [];
  const notes: string[] = [];
  // Production servers need a virus scanner for uploads: a real clamd, as in the tests (test/clamd/clamd.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a shared CommonJS helper
  const { startClamd } = require('../test/clamd/clamd.js') as {
    startClamd: () => Promise<{ stop: () => Promise<void> } | undefined>;
  };
  const clamd = await startClamd();
  // On an error the process exits at once: clamd is still told to stop (its SIGTERM is sent synchronously).
  process.once('exit', () => void clamd?.stop());

  // The ceiling: bare Express 5, no middleware, res.send('hello').
  const ceilingPort = 3400 + Math.floor(Math.random() * 500);
  const ceiling = startProcess(path.join(__dirname, 'ceiling-server.js'), {
    ...process.env,
    PORT: String(ceilingPort),
  });
  await waitForReady(`http://127.0.0.1:${ceilingPort}/`, ceiling);
  const ceilingResult = await measure(
    `http://127.0.0.1:${ceilingPort}`,
    'ceiling: bare Express 5 hello',
    [{ method: 'GET', path: '/' }],
    (s) => s === 200,
  );
  await stop(ceiling);
  results.push(ceilingResult);
  const ratio = (r: Result): Result => ({ ...r, ratio: r.rps / ceilingResult.rps });

  // A fresh database for the portal.
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `portal_bench_${process.pid}`;
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  if (embedded) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  } else {
    const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`drop database if exists ${dbName} with (force)`);
    await admin.raw(`create database ${dbName}`);
    await admin.destroy();
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }

  const port = 4000 + Math.floor(Math.random() * 500);
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: SECRET,
    MFA_ENCRYPTION_KEY: MFA_KEY,
    TRUST_PROXY_HOPS: '1',
    SEED_DEMO_DATA: 'false',
    ...(embedded
      ? // Production refuses the embedded database, so the embedded run uses the test environment (same
        // compiled code, templates cached, logs quiet); everything else about the build is identical.
        { NODE_ENV: 'test', DATA_DIR: path.join(dataDir!, 'pglite'), DATABASE_URL: '' }
      : { NODE_ENV: 'production', DATABASE_URL: databaseUrl, BASE_URL: base }),
  };

  const serverScript = path.join(root, 'dist/src/server.js');
  let server = startProcess(serverScript, env);
  const readyFresh = await waitForReady(`${base}/health/ready`, server);
  await stop(server);
  server = startProcess(serverScript, env);
  const readyWarm = await waitForReady(`${base}/health/ready`, server);
  notes.push(
    `Ready after start: ${readyFresh} ms on a fresh database (migrations included), ${readyWarm} ms on an existing one.`,
  );
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      const { rss } = rssOf(server.pid!);
      peakRss = Math.max(peakRss, rss);
      scenarioRss = Math.max(scenarioRss, rss);
    } catch {
      /* exited */
    }
  }, 200);

  try {
    // Citizen sessions: each has started Register a vehicle and holds a CSRF token.
    const firstPage = `/services/register-a-vehicle/${vehiclePaths[0]!.steps[0]!.page}`;
    const sessions = await Promise.all(
      Array.from({ length: SESSIONS }, (_v, i) =>
        citizenSession(base, i, '/services/register-a-vehicle/start', firstPage),
      ),
    );
    const anonymous = Array.from({ length: SESSIONS }, (_v, i) => ({ cookie: '', csrf: '', i }));

    results.push(
      ratio(
        await measure(
          base,
          'catalogue (GET /)',
          rotating(() => '/', anonymous),
          (s) => s === 200,
        ),
      ),
    );
    results.push(
      ratio(
        await measure(
          base,
          'search (GET /search?q=vehicle)',
          rotating(() => '/search?q=vehicle', anonymous),
          (s) => s === 200,
        ),
      ),
    );
    results.push(
      ratio(
        await measure(
          base,
          'start page',
          rotating(() => '/services/register-a-vehicle', anonymous),
          (s) => s === 200,
        ),
      ),
    );
    results.push(
      ratio(
        await measure(
          base,
          'question page GET (with session)',
          rotating(() => firstPage, sessions),
          (s) => s === 200,
        ),
      ),
    );
    results.push(
      ratio(
        await measure(
          base,
          'valid answer POST (302)',
          rotatingPost(
            () => firstPage,
            sessions,
            () => ({ vin: 'WVWZZZ1JZXW000001' }),
          ),
          (s) => s === 302,
        ),
      ),
    );
    results.push(
      ratio(
        await measure(
          base,
          'invalid answer POST (422)',
          rotatingPost(
            () => firstPage,
            sessions,
            () => ({ vin: '' }),
          ),
          (s) => s === 422,
        ),
      ),
    );

    // Complete journeys: every acknowledged reference must exist exactly once afterwards. A journey is about 14
    // requests, so each connection finishes only one or two in a 2-second quick run and the rate comes out in
    // steps of 25 a second; journeys run for at least 5 seconds.
    const journeySeconds = Math.max(DURATION, 5);
    const acknowledged: string[] = [];
    const journey = await measure(
      base,
      'complete Register a vehicle journeys',
      journeyRequests(acknowledged),
      (s) => s === 200 || s === 302 || s === 303,
      { warmup: false, duration: journeySeconds },
    );
    const perSecond = journey.completed / journeySeconds;
    const db = embedded
      ? undefined
      : createDb({
          kind: 'postgres',
          url: databaseUrl!,
          poolMax: 2,
          acquireTimeoutMs: 5000,
          statementTimeoutMs: 60000,
        });
    let integrity = 'not checked on the embedded database while the server holds it';
    if (db) {
      const stored = await db('submission').whereIn('reference', acknowledged).select('reference');
      const counts = new Map<string, number>();
      for (const r of stored) counts.set(r.reference, (counts.get(r.reference) ?? 0) + 1);
      const lost = acknowledged.filter((r) => !counts.has(r)).length;
      const duplicated = [...counts.values()].filter((n) => n > 1).length;
      integrity = `${acknowledged.length} acknowledged, ${lost} lost, ${duplicated} duplicated`;
      if (lost || duplicated) throw new Error(`submission integrity failed: ${integrity}`);
    }
    results.push({ ...ratio(journey), note: `${perSecond.toFixed(1)} submissions/s; ${integrity}` });

    // The same journeys on two instances through PgBouncer in transaction mode (docs/operations.md, "Scaling out").
    if (db && databaseUrl) {
      try {
        results.push(ratio(await pooledJourneys(databaseUrl, env, db, journeySeconds)));
      } catch (err) {
        notes.push(`Journeys through PgBouncer not measured: ${(err as Error).message.split('\n')[0]}`);
      }
    }

    // Status checks with real references, each from its own client.
    const refs =
      acknowledged.length >= SESSIONS
        ? acknowledged.slice(0, SESSIONS)
        : await Promise.all(anonymous.map((s) => completeJourney(base, 5000 + s.i)));
    const statusSessions = await Promise.all(
      anonymous.map((s) => citizenSession(base, 20_000 + s.i, '/check-status', '/check-status')),
    );
    results.push(
      ratio(
        await measure(
          base,
          'status check (POST, 303)',
          statusChecks(statusSessions, refs),
          (s) => s === 303,
          {
            warmup: false,
          },
        ),
      ),
    );

    // Staff queue: one signed-in caseworker per session.
    if (db) {
      try {
        const staffSessions = await signInStaff(base, db);
        results.push(
          ratio(
            await measure(
              base,
              'staff queue (GET /staff)',
              rotating(() => '/staff', staffSessions),
              (s) => s === 200,
            ),
          ),
        );
      } catch (err) {
        // Reported, not fatal: the other scenarios still stand.
        notes.push(`Staff queue not measured: ${(err as Error).message}`);
      }
      await db.destroy();
    } else {
      notes.push(
        'Staff queue: measured on PostgreSQL runs only (staff accounts are created directly in the database).',
      );
    }

    if (
      !args.has('skip-history') &&
      fs.existsSync(path.join(root, 'dist/src/cli/seed-history.js')) &&
      databaseUrl
    ) {
      for (const [label, total] of [
        ['10 thousand', 10_000],
        ['1 million', quick ? 20_000 : 1_000_000],
      ] as const) {
        const t0 = Date.now();
        await seedHistory(databaseUrl, total);
        notes.push(
          `seed:history to ${total.toLocaleString('en-GB')} submissions took ${((Date.now() - t0) / 1000).toFixed(0)} s.`,
        );
        results.push(
          ratio(
            await measure(
              base,
              `performance page at ${quick && total === 20_000 ? '20 thousand' : label} submissions`,
              rotating(() => '/performance/register-a-vehicle', anonymous),
              (s) => s === 200,
            ),
          ),
        );
      }
    } else {
      notes.push(
        'Performance-page scenarios skipped (no seed:history build, --skip-history, or embedded run).',
      );
    }
  } finally {
    clearInterval(sampler);
    try {
      peakRss = Math.max(peakRss, rssOf(server.pid!).peak);
    } catch {
      /* exited */
    }
    await stop(server);
    if (databaseUrl) {
      const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      await admin.raw(`drop database if exists ${dbName} with (force)`);
      await admin.destroy();
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  notes.push(`Peak server RSS under load: ${(peakRss / 1024 / 1024).toFixed(0)} MB.`);
  report(results, notes, Date.now() - startedAt);
  await clamd?.stop();
}

/**
 * Complete journeys on two instances of the build connected through a real PgBouncer in transaction mode (the
 * set-up in docs/operations.md ("PgBouncer in transaction mode"): the driver's startup timeouts ignored and set on the database instead), half the
 * connections on each. Every acknowledged reference must exist exactly once afterwards, as for one instance.
 */
async function pooledJourneys(
  databaseUrl: string,
  env: NodeJS.ProcessEnv,
  db: ReturnType<typeof createDb>,
  seconds: number,
): Promise<Result> {
  const url = new URL(databaseUrl);
  const dbName = url.pathname.slice(1);
  await db.raw(`alter database ?? set statement_timeout = '15s'`, [dbName]);
  await db.raw(`alter database ?? set idle_in_transaction_session_timeout = '15s'`, [dbName]);
  const POOL_SIZE = 10;
  const pooler = await startPgBouncer({
    serverHost: url.hostname,
    serverPort: Number(url.port || 5432),
    databases: [dbName],
    poolSize: POOL_SIZE,
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  });
  const instances: ChildProcess[] = [];
  try {
    const bases: string[] = [];
    for (let k = 0; k < 2; k++) {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const child = startProcess(path.join(root, 'dist/src/server.js'), {
        ...env,
        PORT: String(port),
        BASE_URL: base,
        DATABASE_URL: pooler.url(dbName),
      });
      instances.push(child);
      await waitForReady(`${base}/health/ready`, child);
      bases.push(base);
    }
    const acknowledged: string[] = [];
    const runs = await Promise.all(
      // Client addresses of their own (40000…, 50000…), away from the other scenarios' rate-limit counters.
      bases.map((base, k) =>
        measure(
          base,
          'journeys',
          journeyRequests(acknowledged, 40_000 + k * 10_000),
          (s) => s === 200 || s === 302 || s === 303,
          {
            warmup: false,
            duration: seconds,
            connections: Math.ceil(CONNECTIONS / 2),
          },
        ),
      ),
    );
    const stored = await db('submission').whereIn('reference', acknowledged).select('reference');
    const counts = new Map<string, number>();
    for (const r of stored) counts.set(r.reference, (counts.get(r.reference) ?? 0) + 1);
    const lost = acknowledged.filter((r) => !counts.has(r)).length;
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    const integrity = `${acknowledged.length} acknowledged, ${lost} lost, ${duplicated} duplicated`;
    if (lost || duplicated) throw new Error(`submission integrity failed through PgBouncer: ${integrity}`);
    const completed = runs.reduce((n, r) => n + r.completed, 0);
    return {
      scenario: 'complete journeys, two instances through PgBouncer (transaction mode)',
      rps: runs.reduce((n, r) => n + r.rps, 0),
      p50: Math.max(...runs.map((r) => r.p50)),
      p99: Math.max(...runs.map((r) => r.p99)),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      note: `${(completed / seconds).toFixed(1)} submissions/s; PgBouncer ${pooler.version}, ${POOL_SIZE} server connections; p50/p99 the slower instance's; ${integrity}`,
    };
  } finally {
    await Promise.all(instances.map((child) => stop(child)));
    await pooler.stop();
  }
}

async function signInStaff(base: string, db: ReturnType<typeof createDb>): Promise<Session[]> {
  const box = createSecretBox(MFA_KEY);
  const passwordHash = await hashPassword('bench-staff-password');
  const sessions: Session[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const secret = newTotpSecret();
    const id = await insertStaffUser(db, {
      email: `bench-${i}-${crypto.randomBytes(3).toString('hex')}@example.gov.uk`,
      displayName: `Bench caseworker ${i}`,
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id],
      passwordHash,
    });
    await enrolMfa(db, id, {
      totpSecretEncrypted: box.seal(secret, totpSecretContext(id)),
      step: null,
      enrolledAt: new Date(),
      recoveryCodeHashes: [],
    });
    const email = (await db('staff_user').where({ id }).first('email')).email as string;
    const h = { ...headersBase(30_000 + i), 'content-type': 'application/x-www-form-urlencoded' };
    const form = await fetch(`${base}/staff/sign-in`, { headers: headersBase(30_000 + i) });
    let cookie = cookieFrom(form);
    // The password step regenerates the session (a new id and a new CSRF token): the code page's token is
    // the one to send, and the redirect must be read to its end so the new session is saved before it is used.
    const pw = await settled(
      await fetch(`${base}/staff/sign-in`, {
        method: 'POST',
        headers: { ...h, cookie },
        body: formBody({ _csrf: csrfIn(await form.text()), email, password: 'bench-staff-password' }),
        redirect: 'manual',
      }),
    );
    cookie = cookieFrom(pw, cookie);
    const codePage = await fetch(`${base}/staff/sign-in/code`, {
      headers: { ...h, cookie },
      redirect: 'manual',
    });
    cookie = cookieFrom(codePage, cookie);
    if (codePage.status !== 200) throw new Error(`staff sign-in: the code page answered ${codePage.status}`);
    const code = await fetch(`${base}/staff/sign-in/code`, {
      method: 'POST',
      headers: { ...h, cookie },
      body: formBody({ _csrf: csrfIn(await codePage.text()), code: await totpCodeAt(secret, new Date()) }),
      redirect: 'manual',
    });
    const codeAnswer = await code.text(); // to its end: the signed-in session is saved by then
    cookie = cookieFrom(code, cookie);
    if (code.status !== 302 || code.headers.get('location') !== '/staff') {
      const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(codeAnswer)?.[1]?.trim();
      throw new Error(
        `staff sign-in failed: password step ${pw.status} ${pw.headers.get('location')}, code step ${code.status} (${h1})`,
      );
    }
    sessions.push({ cookie, csrf: '', i: 30_000 + i });
  }
  return sessions;
}

function seedHistory(databaseUrl: string, total: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'dist/src/cli/seed-history.js'), '--submissions', String(total)],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          NODE_ENV: 'production',
          SESSION_SECRET: SECRET,
          MFA_ENCRYPTION_KEY: MFA_KEY,
          BASE_URL: 'http://127.0.0.1',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed:history exited ${code}`))));
  });
}

function report(results: Result[], notes: string[], elapsedMs: number) {
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const database = embedded ? 'embedded PGlite' : 'PostgreSQL (local server)';
  const lines = [
    `| Scenario | Requests/s | p50 (ms) | p99 (ms) | Errors | Ratio to ceiling | Peak RSS (MB) | Notes |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |`,
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.ratio === undefined ? '1.00' : r.ratio.toFixed(2)} | ${r.rssMb ?? ''} | ${r.note ?? ''} |`,
    ),
  ];
  const md = [
    `Benchmark ${new Date().toISOString().slice(0, 10)} on ${database}; ${machine}; ${CONNECTIONS} connections, ${DURATION} s per scenario after ${WARMUP} s of warm-up${quick ? ' (quick mode)' : ''}; run took ${(elapsedMs / 1000).toFixed(0)} s.`,
    '',
    ...lines,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  console.log(`\n${md}`);
  const dir = path.join(root, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const name = `${embedded ? 'embedded' : 'postgres'}${quick ? '-quick' : ''}`;
  fs.writeFileSync(path.join(dir, `${name}.md`), md);
  fs.writeFileSync(
    path.join(dir, `${name}.json`),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        database,
        machine,
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        quick,
        results,
        notes,
      },
      null,
      2,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
