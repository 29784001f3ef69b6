import type { Client } from 'pg';
import * as cheerio from 'cheerio';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import { createCluster, type Cluster } from './cluster';
import { cookieFrom, formBody, hiddenInput, request, SERVICE } from './http';
import { startServer, type ServerProcess } from './server';

// Scale-out (issue 7): two instances of the production build on different ports share one PostgreSQL, as they
// would behind a load balancer with no sticky sessions. Sessions, CSRF secrets and rate-limit counters live in the
// database, so a citizen can move between instances at every request. Runs with `npm run test:faults`.

const path = vehiclePaths[0]!;
const CONFIRMATION = /^\/services\/register-a-vehicle\/confirmation\/([A-Z0-9]+)$/;

let cluster: Cluster;
let databaseUrl: string;
let a: ServerProcess;
let b: ServerProcess;
let admin: Client;

beforeAll(async () => {
  cluster = await createCluster();
  admin = await cluster.connect();
  await admin.query('create database portal');
  databaseUrl = cluster.url('portal');
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(5000), b?.stop(5000)]);
  await admin?.end().catch(() => undefined);
  await cluster?.destroy();
}, 30_000);

const textOf = (html: string) => cheerio.load(html)('main').text().replace(/\s+/g, ' ');

describe('two app instances on one PostgreSQL (scale-out)', () => {
  it('start together on an empty database (three at once), migrate it once between them, and all become ready', async () => {
    // Three at once makes the race for knex's own tables and lock likely (a rolling deploy on a new database).
    const third = startServer(databaseUrl);
    [a, b] = await Promise.all([startServer(databaseUrl), startServer(databaseUrl)]);
    await (await third).stop(5000);
    expect(a.port).not.toBe(b.port);
    const db = await cluster.connect('portal');
    try {
      const { rows } = await db.query<{ name: string; n: number }>(
        'select name, count(*)::int as n from knex_migration group by name having count(*) <> 1',
      );
      expect(rows).toEqual([]);
      const { rows: applied } = await db.query<{ n: number }>(
        'select count(*)::int as n from knex_migration',
      );
      expect(applied[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  }, 60_000);

  it('continue a citizen’s journey started on A on B: session, CSRF token from A’s page, answers, sending', async () => {
    // On A: start, and read the CSRF token from A's first question page.
    const start = await request(a.base, `${SERVICE}/start`);
    let cookie = cookieFrom(start.res);
    const firstPage = await request(a.base, `${SERVICE}/${path.steps[0]!.page}`, { cookie });
    cookie = cookieFrom(firstPage.res, cookie);
    const csrfFromA = hiddenInput(firstPage.text, '_csrf');
    expect(firstPage.res.status).toBe(200);
    expect(csrfFromA).not.toBe('');

    // Half the pages answered on A, the rest on B, every POST with the token from A's page.
    const half = Math.ceil(path.steps.length / 2);
    for (const [i, step] of path.steps.entries()) {
      const instance = i < half ? a : b;
      const { res } = await request(instance.base, `${SERVICE}/${step.page}`, {
        method: 'POST',
        cookie,
        body: formBody({ ...step.body, _csrf: csrfFromA }),
      });
      expect({ page: step.page, on: instance === a ? 'A' : 'B', status: res.status }).toEqual({
        page: step.page,
        on: instance === a ? 'A' : 'B',
        status: 302,
      });
      cookie = cookieFrom(res, cookie);
    }

    // B's check answers shows every answer, including those given on A.
    const check = await request(b.base, `${SERVICE}/check-answers`, { cookie });
    expect(check.res.status).toBe(200);
    const shown = textOf(check.text);
    for (const value of Object.values(path.expectSummary)) expect(shown).toContain(value);

    // Sent on B, with A's CSRF token; the confirmation is then shown by A to the same session.
    const sent = await request(b.base, `${SERVICE}/check-answers`, {
      method: 'POST',
      cookie,
      body: formBody({ _csrf: csrfFromA, submissionToken: hiddenInput(check.text, 'submissionToken') }),
    });
    expect(sent.res.status).toBe(303);
    const location = sent.res.headers.get('location') ?? '';
    const reference = CONFIRMATION.exec(location)?.[1];
    expect(reference).toBeDefined();
    cookie = cookieFrom(sent.res, cookie);
    const confirmation = await request(a.base, location, { cookie });
    expect(confirmation.res.status).toBe(200);
    expect(confirmation.text).toMatch(/<title>Application sent/);

    const db = await cluster.connect('portal');
    try {
      const { rows } = await db.query('select reference from submission where reference = $1', [reference]);
      expect(rows).toHaveLength(1);
    } finally {
      await db.end();
    }
  }, 60_000);

  it('accepts a CSRF token on B only for the session it was issued to on A', async () => {
    const mine = await request(a.base, `${SERVICE}/start`);
    const myCookie = cookieFrom(mine.res);
    const theirs = await request(a.base, '/check-status');
    const theirToken = hiddenInput(theirs.text, '_csrf');
    expect(theirToken).not.toBe('');
    const { res } = await request(b.base, `${SERVICE}/${path.steps[0]!.page}`, {
      method: 'POST',
      cookie: myCookie,
      body: formBody({ ...path.steps[0]!.body, _csrf: theirToken }),
    });
    expect(res.status).toBe(403);
  }, 30_000);

  it('counts status-check attempts for one reference across both instances until the limit page appears', async () => {
    // A real application, so the last, correct attempt shows the limit holds even for the right answer.
    const db = await cluster.connect('portal');
    const { rows } = await db.query<{ reference: string; email: string }>(
      'select reference, status_check_email as email from submission order by id limit 1',
    );
    await db.end();
    const { reference, email } = rows[0]!;

    const form = await request(a.base, '/check-status');
    const cookie = cookieFrom(form.res);
    const csrf = hiddenInput(form.text, '_csrf');
    const attempt = (instance: ServerProcess, proof: string) =>
      request(instance.base, '/check-status', {
        method: 'POST',
        cookie,
        body: formBody({ _csrf: csrf, reference, proof }),
      });

    // 5 wrong guesses (the per-reference limit), alternating between the instances: each is counted.
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      const instance = i % 2 === 0 ? a : b;
      const { res } = await attempt(instance, `wrong${i}@example.com`);
      statuses.push(`${instance === a ? 'A' : 'B'} ${res.status}`);
    }
    expect(statuses).toEqual(['A 422', 'B 422', 'A 422', 'B 422', 'A 422']);

    // The 6th, on B, with the right email: refused, because A's attempts count on B too.
    const limited = await attempt(b, email);
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(textOf(limited.text)).toContain('You have tried too many times');
    // And on A as well.
    expect((await attempt(a, email)).res.status).toBe(429);
  }, 30_000);
});
