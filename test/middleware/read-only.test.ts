import knex from 'knex';
import request from 'supertest';
import type { Db } from '../../src/db';
import { READ_ONLY_RETRY_AFTER_SECONDS, type ReadOnlyMode } from '../../src/middleware/read-only';
import { loadConfig } from '../../src/config';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { csrfTokenIn, fixedClock, summaryRows, walkToCheckAnswers } from '../helpers/journey';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// docs/security.md#rel9 and #f8: in read-only mode pages are read as usual, every form post answers a 503 "try
// later" page, the citizen's answers stay in the session, and sending works once writes are possible again.
// test/faults/read-only.test.ts makes a whole PostgreSQL server read-only under the built server.

const SLUG = 'register-a-vehicle';
const SERVICE = `/services/${SLUG}`;
const READ_ONLY_HEADING = 'Sorry, you cannot send or change anything at the moment';
const submissionCount = async (db: Db) => Number((await db('submission').count({ n: '*' }))[0]!.n);
const heading = (html: string) => parseHtml(html)('h1').text().trim();

/** A citizen at check your answers: the session cookie, and the form's CSRF and submission tokens. */
async function citizenAtCheckAnswers(app: TestApp['app']) {
  const agent = await walkToCheckAnswers(app, SLUG, vehiclePaths[0]!);
  const page = await agent.get(`${SERVICE}/check-answers`).expect(200);
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  const submissionToken = parseHtml(page.text)('input[name="submissionToken"]').attr('value')!;
  return { agent, cookie, csrf: csrfTokenIn(page.text), submissionToken };
}

/** Once writes work again: the answers are as they were (the change was refused), and sending stores one submission. */
async function expectAnswersKeptAndSentOnce(
  citizen: Awaited<ReturnType<typeof citizenAtCheckAnswers>>,
  db: Db,
  before: number,
) {
  const again = await citizen.agent.get(`${SERVICE}/check-answers`).expect(200);
  expect(summaryRows(again.text).Make).toBe('Volkswagen');
  const sent = await citizen.agent
    .post(`${SERVICE}/check-answers`)
    .type('form')
    .send({ _csrf: citizen.csrf, submissionToken: citizen.submissionToken });
  expect(sent.status).toBe(303);
  expect(await submissionCount(db)).toBe(before + 1);
}

it('READ_ONLY is off unless set, and must be true or false', () => {
  expect(loadConfig({ NODE_ENV: 'test' }).readOnly).toBe(false);
  expect(loadConfig({ NODE_ENV: 'test', READ_ONLY: 'true' }).readOnly).toBe(true);
  expect(() => loadConfig({ NODE_ENV: 'test', READ_ONLY: 'maybe' })).toThrow(/READ_ONLY/);
});

describe('with READ_ONLY set', () => {
  let writable: TestApp;
  let readOnly: TestApp;
  beforeAll(async () => {
    writable = await appWith({}, { clock: fixedClock });
    // The same database and session secret: a citizen moves from the normal app to the read-only one and back.
    readOnly = await appWith({ READ_ONLY: 'true' }, { clock: fixedClock, db: writable.db });
  });
  afterAll(() => writable.close());

  it('serves pages as usual', async () => {
    for (const path of ['/', `${SERVICE}`, '/check-status', '/staff/sign-in', '/performance']) {
      const res = await request(readOnly.app).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  it('answers every form post with the 503 read-only page, keeps the answers, and sends them once writes are back', async () => {
    const citizen = await citizenAtCheckAnswers(writable.app);
    const before = await submissionCount(writable.db);

    const page = await request(readOnly.app).get(`${SERVICE}/check-answers`).set('Cookie', citizen.cookie);
    expect(page.status).toBe(200);
    expect(summaryRows(page.text).Make).toBe('Volkswagen');

    const send = await request(readOnly.app)
      .post(`${SERVICE}/check-answers`)
      .set('Cookie', citizen.cookie)
      .type('form')
      .send({ _csrf: citizen.csrf, submissionToken: citizen.submissionToken });
    expect(send.status).toBe(503);
    expect(send.headers['retry-after']).toBe(String(READ_ONLY_RETRY_AFTER_SECONDS));
    expect(heading(send.text)).toBe(READ_ONLY_HEADING);

    const answer = await request(readOnly.app)
      .post(`${SERVICE}/make-and-model?change=true`)
      .set('Cookie', citizen.cookie)
      .type('form')
      .send({ make: 'Skoda', model: 'Octavia', _csrf: citizen.csrf });
    expect(answer.status).toBe(503);
    expect(heading(answer.text)).toBe(READ_ONLY_HEADING);

    const staffSignIn = await request(readOnly.app)
      .post('/staff/sign-in')
      .type('form')
      .send({ email: 'someone@example.gov.uk', password: 'x' });
    expect(staffSignIn.status).toBe(503);
    expect(await submissionCount(writable.db)).toBe(before);

    // Back to normal.
    await expectAnswersKeptAndSentOnce(citizen, writable.db, before);
  });
});

describe('when the database itself turns read-only (SQLSTATE 25006)', () => {
  let t: TestApp;
  let admin: ReturnType<typeof knex> | undefined;
  let databaseName: string;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    if (process.env.DATABASE_URL) {
      admin = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
      databaseName = ((await t.db.raw('select current_database() as name')) as { rows: { name: string }[] })
        .rows[0]!.name;
    }
  });
  afterAll(async () => {
    await admin?.destroy();
    await t.close();
  });

  /**
   * Like a failover to a standby: every new transaction is read-only. The embedded database has one connection,
   * whose session default is switched; on a server, the database's default is, and its connections are ended
   * so the pool opens new ones (the first use of each dead one is flushed here, not by the test's requests).
   */
  async function setReadOnly(on: boolean) {
    if (!admin) {
      await t.db.raw(`set default_transaction_read_only = ${on ? 'on' : 'off'}`);
      return;
    }
    await admin.raw(`alter database ?? set default_transaction_read_only = ${on ? 'on' : 'off'}`, [
      databaseName,
    ]);
    await admin.raw('select pg_terminate_backend(pid) from pg_stat_activity where datname = ?', [
      databaseName,
    ]);
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 10; i++) await t.db.raw('select 1').catch(() => undefined);
  }

  it('serves pages, refuses sends with the 503 read-only page, keeps the answers, and sends once when writable again', async () => {
    const mode = t.app.locals.readOnly as ReadOnlyMode;
    const citizen = await citizenAtCheckAnswers(t.app);
    const before = await submissionCount(t.db);
    await setReadOnly(true);
    try {
      await request(t.app).get('/').expect(200);
      const page = await citizen.agent.get(`${SERVICE}/check-answers`).expect(200);
      expect(summaryRows(page.text).Make).toBe('Volkswagen');

      const send = () =>
        citizen.agent
          .post(`${SERVICE}/check-answers`)
          .type('form')
          .send({ _csrf: citizen.csrf, submissionToken: citizen.submissionToken });
      const refused = await send();
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe(String(READ_ONLY_RETRY_AFTER_SECONDS));
      expect(heading(refused.text)).toBe(READ_ONLY_HEADING);
      expect(mode.suspected()).toBe(true);
      // Now refused before it starts (the database is asked whether it takes writes, and says no).
      expect((await send()).status).toBe(503);
      const answer = await citizen.agent
        .post(`${SERVICE}/make-and-model?change=true`)
        .type('form')
        .send({ make: 'Skoda', model: 'Octavia', _csrf: citizen.csrf });
      expect(answer.status).toBe(503);
      await request(t.app).get('/health/live').expect(200);
    } finally {
      await setReadOnly(false);
    }
    expect(await submissionCount(t.db)).toBe(before);
    await expectAnswersKeptAndSentOnce(citizen, t.db, before);
    expect(mode.suspected()).toBe(false);
  });
});
