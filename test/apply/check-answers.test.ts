import crypto from 'node:crypto';
import request from 'supertest';
import type { Db } from '../../src/db';
import { appWith, type TestApp } from '../helpers/app';
import {
  csrfTokenIn,
  expectStatus,
  fixedClock,
  postForm,
  sendApplication,
  summaryRows,
  walkToCheckAnswers,
  type Agent,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import taxPaths from '../fixtures/journeys/file-a-self-assessment-tax-return';
import potholePaths from '../fixtures/journeys/report-a-pothole';

const SLUG = 'register-a-vehicle';
const SERVICE = `/services/${SLUG}`;
const individualKeeper = vehiclePaths[0]!;

async function submissionTokenOf(agent: Agent) {
  const page = await agent.get(`${SERVICE}/check-answers`).expect(200);
  const $ = parseHtml(page.text);
  return { csrf: csrfTokenIn(page.text), token: $('input[name="submissionToken"]').attr('value')! };
}

const submissionCount = async (db: Db) => Number((await db('submission').count({ n: '*' }))[0]!.n);

describe('check your answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('cannot be reached before every page that applies is answered', async () => {
    const res = await request.agent(t.app).get(`${SERVICE}/check-answers`).expect(302);
    expect(res.headers.location).toBe(`${SERVICE}/vehicle-identification-number`);
  });

  it('has a Change link per answer whose hidden text names the row, and shows skipped optional answers as Not provided', async () => {
    const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', potholePaths[1]!);
    const page = await agent.get('/services/report-a-pothole/check-answers').expect(200);
    const $ = parseHtml(page.text);
    const hidden = $('.govuk-summary-list__actions a .govuk-visually-hidden')
      .map((_i, e) => $(e).text().trim())
      .get();
    expect(hidden.length).toBeGreaterThan(3);
    expect(new Set(hidden).size).toBe(hidden.length);
    expect(Object.values(summaryRows(page.text))).toContain('Not provided');
    expect($('button').text().trim()).not.toBe('Continue');
  });

  it('keeps the capitals of acronyms and proper nouns in the hidden text of Change links', async () => {
    const agent = await walkToCheckAnswers(t.app, 'file-a-self-assessment-tax-return', taxPaths[0]!);
    const page = await agent.get('/services/file-a-self-assessment-tax-return/check-answers').expect(200);
    const $ = parseHtml(page.text);
    const hidden = $('.govuk-summary-list__actions a')
      .map((_i, e) => $(e).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(hidden).toEqual(
      expect.arrayContaining([
        'Change National Insurance number (Your details)',
        'Change Scottish taxpayer (Your details)',
        'Change UK tax taken off pay (Your income)',
        'Change tax year (Your details)',
      ]),
    );
  });

  it('returns to check your answers after changing an answer', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const changeHref = parseHtml((await agent.get(`${SERVICE}/check-answers`)).text)(
      `.govuk-summary-list__actions a[href^="${SERVICE}/make-and-model"]`,
    )
      .first()
      .attr('href')!;
    expect(changeHref).toBe(`${SERVICE}/make-and-model?change=true`);
    const form = await agent.get(changeHref).expect(200);
    expect(parseHtml(form.text)('.govuk-back-link').attr('href')).toBe(`${SERVICE}/check-answers`);
    const res = await agent
      .post(changeHref)
      .type('form')
      .send({ make: 'Skoda', model: 'Octavia', _csrf: csrfTokenIn(form.text) })
      .expect(302);
    expect(res.headers.location).toBe(`${SERVICE}/check-answers`);
    const rows = summaryRows((await agent.get(`${SERVICE}/check-answers`)).text);
    expect(rows.Make).toBe('Skoda');
  });

  it('asks the new branch’s questions after a change switches branch, then drops the answers left behind', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const before = summaryRows((await agent.get(`${SERVICE}/check-answers`)).text);
    expect(before["Keeper's full name"]).toBe('Sarah Philips');

    const change = await expectStatus(
      await postForm(agent, `${SERVICE}/keeper-type?change=true`, { keeperType: 'company' }),
      302,
    );
    expect(change.headers.location).toBe(`${SERVICE}/company-details?change=true`);

    const done = await postForm(agent, `${SERVICE}/company-details?change=true`, {
      companyName: 'Example Fleet Ltd',
      companyNumber: '07654321',
    });
    expect(expectStatus(done, 302).headers.location).toBe(`${SERVICE}/check-answers`);
    const after = summaryRows((await agent.get(`${SERVICE}/check-answers`)).text);
    expect(after["Keeper's full name"]).toBeUndefined();
    expect(Object.values(after)).toContain('Example Fleet Ltd');

    const sent = await sendApplication(agent, SLUG);
    const reference = sent.headers.location!.split('/').pop();
    const stored = await t.db('submission').where({ reference }).first();
    expect(stored.answers.keeperName).toBeUndefined();
    expect(stored.answers.companyName).toBe('Example Fleet Ltd');
  });

  it('shows the estimated tax bill for a Self Assessment, labelled as an estimate', async () => {
    const worked = taxPaths.find((p) => p.name.includes('worked example'))!;
    const agent = await walkToCheckAnswers(t.app, 'file-a-self-assessment-tax-return', worked);
    const page = await agent.get('/services/file-a-self-assessment-tax-return/check-answers').expect(200);
    expect(page.text).toContain('Your estimated tax bill');
    expect(summaryRows(page.text)['You owe']).toBe('£7,131.80');
    expect(parseHtml(page.text)('.govuk-warning-text').text()).toMatch(/estimate/i);
    const sent = await sendApplication(agent, 'file-a-self-assessment-tax-return');
    const stored = await t
      .db('submission')
      .where({ reference: sent.headers.location!.split('/').pop() })
      .first();
    expect(stored.calculation.title).toBe('Your estimated tax bill');
  });
});

describe('sending an application', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('sent twice (a double click or a refresh) creates one submission and shows the same reference', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const { csrf, token } = await submissionTokenOf(agent);
    const before = await submissionCount(t.db);
    const first = await agent
      .post(`${SERVICE}/check-answers`)
      .type('form')
      .send({ _csrf: csrf, submissionToken: token })
      .expect(303);
    const second = await agent
      .post(`${SERVICE}/check-answers`)
      .type('form')
      .send({ _csrf: csrf, submissionToken: token })
      .expect(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await submissionCount(t.db)).toBe(before + 1);
    await agent.get(second.headers.location!).expect(200);
  });

  it('sent again after going back from the confirmation page goes to the same confirmation', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const { csrf, token } = await submissionTokenOf(agent);
    const first = await agent
      .post(`${SERVICE}/check-answers`)
      .type('form')
      .send({ _csrf: csrf, submissionToken: token })
      .expect(303);
    const before = await submissionCount(t.db);
    // The browser's Back shows the old page again; its form still holds the old token.
    const again = await agent
      .post(`${SERVICE}/check-answers`)
      .type('form')
      .send({ _csrf: csrf, submissionToken: token })
      .expect(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await submissionCount(t.db)).toBe(before);
  });

  it('sent 20 times in parallel creates exactly one submission, and every response names it', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const { csrf, token } = await submissionTokenOf(agent);
    const before = await submissionCount(t.db);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        agent.post(`${SERVICE}/check-answers`).type('form').send({ _csrf: csrf, submissionToken: token }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(303));
    expect(new Set(responses.map((r) => r.headers.location)).size).toBe(1);
    expect(await submissionCount(t.db)).toBe(before + 1);
    expect(await t.db('submission').where({ submission_token: token }).count({ n: '*' })).toEqual([{ n: 1 }]);
    await agent.get(responses[0]!.headers.location!).expect(200);
  });

  it('refuses a form whose token was not issued for these answers, sending the person back to check them', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const { csrf } = await submissionTokenOf(agent);
    const before = await submissionCount(t.db);
    for (const submissionToken of [crypto.randomUUID(), 'not-a-uuid', '']) {
      const res = await agent
        .post(`${SERVICE}/check-answers`)
        .type('form')
        .send({ _csrf: csrf, submissionToken });
      expect([302, 303]).toContain(res.status);
      expect(res.headers.location).toBe(`${SERVICE}/check-answers`);
    }
    expect(await submissionCount(t.db)).toBe(before);
  });

  it('issues a new token when an answer changes, so a form shown before the change cannot send the old answers', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const old = await submissionTokenOf(agent);
    await expectStatus(
      await postForm(agent, `${SERVICE}/make-and-model?change=true`, { make: 'Seat', model: 'Leon' }),
      302,
    );
    const fresh = await submissionTokenOf(agent);
    expect(fresh.token).not.toBe(old.token);
    const stale = await agent
      .post(`${SERVICE}/check-answers`)
      .type('form')
      .send({ _csrf: fresh.csrf, submissionToken: old.token });
    expect(stale.headers.location).toBe(`${SERVICE}/check-answers`);
  });
});

describe('sending when the database cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock, acquireTimeoutMs: 800 });
  });
  afterAll(() => t.close());

  /** Hold every database connection in an open transaction, as a hung or overloaded database would. */
  async function holdAllConnections(db: Db, count: number) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const holders = Array.from({ length: count }, () =>
      db.transaction(async (trx) => {
        await trx.raw('select 1');
        await released;
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    return async () => {
      release();
      await Promise.all(holders);
    };
  }

  it('shows the 503 page with Retry-After, keeps the answers, and sends them once the database is back', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const { csrf, token } = await submissionTokenOf(agent);
    const before = await submissionCount(t.db);

    const releaseAll = await holdAllConnections(t.db, process.env.DATABASE_URL ? 5 : 1);
    const failed = await agent
      .post(`${SERVICE}/check-answers`)
      .type('form')
      .send({ _csrf: csrf, submissionToken: token });
    await releaseAll();
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBeDefined();
    expect(parseHtml(failed.text)('h1').text().trim()).toBe('Sorry, the service is unavailable');

    const page = await agent.get(`${SERVICE}/check-answers`).expect(200);
    expect(summaryRows(page.text).Make).toBe('Volkswagen');
    expect(await submissionCount(t.db)).toBe(before);
    const sent = await sendApplication(agent, SLUG);
    expect(sent.status).toBe(303);
    expect(await submissionCount(t.db)).toBe(before + 1);
  });
});
