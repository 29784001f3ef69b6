import crypto from 'node:crypto';
import request from 'supertest';
import { applyRetention } from '../../src/retention/retention';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, postForm, sendApplication, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { newestEmail } from '../helpers/mail';
import vehicle from '../fixtures/journeys/register-a-vehicle';

// Save and come back later (src/apply/save-and-return.ts, src/drafts), through the routes on a real database, with
// an injected clock. The journey: a vehicle registration, saved on its fifth page (engine size) with nothing typed.

const SLUG = 'register-a-vehicle';
const steps = vehicle[0]!.steps;
let now = new Date('2026-12-01T10:00:00Z');
const clock = () => now;
const DAY = 24 * 60 * 60 * 1000;

let t: TestApp;
beforeAll(async () => {
  t = await appWith({}, { clock });
});
afterAll(async () => t.close());
// Each test starts a minute after the last, so "the newest email" is never a tie.
// Each test has its own address (an address may be sent 5 links an hour).
let minutes = 0;
let EMAIL = '';
beforeEach(() => {
  now = new Date(Date.parse('2026-12-01T10:00:00Z') + ++minutes * 60_000);
  EMAIL = `sarah.philips.${minutes}@example.com`;
});

/** A new citizen answers the first `pages` pages, then presses "Save and come back later" on the next one. */
async function answerThenSave(pages: number, agent: Agent = request.agent(t.app)) {
  await agent.get(`/services/${SLUG}/start`).expect(302);
  for (const step of steps.slice(0, pages)) {
    expect((await postForm(agent, `/services/${SLUG}/${step.page}`, step.body)).status).toBe(302);
  }
  const page = `/services/${SLUG}/${steps[pages]!.page}`;
  const saving = await postForm(agent, page, { saveForLater: 'yes' });
  expect(saving.status).toBe(303);
  expect(saving.headers.location).toBe(`/services/${SLUG}/save`);
  return agent;
}

async function saveWith(agent: Agent, email: string) {
  return postForm(agent, `/services/${SLUG}/save`, { email });
}

/** The newest "continue your application" email to an address, rendered as the worker would send it. */
const latestEmail = (to: string) => newestEmail(t, 'draft-saved', to, '/continue');

describe('saving the answers to come back later', () => {
  it('offers "Save and come back later" on question pages, check answers, and in the timeout warning', async () => {
    const agent = request.agent(t.app);
    await agent.get(`/services/${SLUG}/start`).expect(302);
    const page = parseHtml((await agent.get(`/services/${SLUG}/${steps[0]!.page}`).expect(200)).text);
    expect(page('button[name="saveForLater"][value="yes"]').text().trim()).toBe('Save and come back later');
    expect(page(`#timeout-warning a[href="/services/${SLUG}/save"]`)).toHaveLength(1);
  });

  it('asks for an email address, and says what is wrong with one that is not', async () => {
    const agent = await answerThenSave(4);
    const draftsBefore = await t.db('draft').pluck('id');
    const form = parseHtml((await agent.get(`/services/${SLUG}/save`).expect(200)).text);
    expect(form('h1').text()).toBe('Save your answers and come back later');
    expect(form('main').text()).toContain('We will keep your answers until 29 December 2026');
    for (const [email, message] of [
      ['', 'Enter your email address'],
      ['not an address', 'Enter an email address in the correct format, like name@example.com'],
    ] as const) {
      const res = await saveWith(agent, email);
      expect(res.status).toBe(422);
      expect(parseHtml(res.text)('.govuk-error-summary a[href="#email"]').text()).toBe(message);
    }
    // Nothing was saved.
    expect(await t.db('draft').pluck('id')).toEqual(draftsBefore);
  });

  it('keeps the draft on the server, emails a link, and says when the link and the answers expire', async () => {
    const agent = await answerThenSave(4);
    const saved = await saveWith(agent, EMAIL.toUpperCase());
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/services/${SLUG}/saved`);
    const page = parseHtml((await agent.get(`/services/${SLUG}/saved`).expect(200)).text);
    expect(page('h1').text()).toBe('Your answers have been saved');
    expect(page('main').text()).toContain(EMAIL);
    expect(page('main').text()).toContain('The link works once, until 8 December 2026');
    expect(page('main').text()).toContain('We will keep your answers until 29 December 2026');

    const { row, message, link } = await latestEmail(EMAIL);
    expect(message.subject).toBe('Continue your application: Register a vehicle');
    expect(link).toBeDefined();
    const draft = await t.db('draft').where({ id: row.draft_id }).first();
    expect(draft).toMatchObject({ service_slug: SLUG, email: EMAIL });
    const state = typeof draft.state === 'string' ? JSON.parse(draft.state) : draft.state;
    expect(state.completed).toEqual(steps.slice(0, 4).map((s) => s.page));
    expect(state.answers).toMatchObject({ vin: 'WVWZZZ1JZXW000001', make: 'Volkswagen' });
    // The token is in the email only: the database has its hash, and the outbox a sealed copy.
    const token = link.split('/').pop()!;
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    expect(await t.db('draft_link').where({ draft_id: draft.id }).pluck('token_hash')).toEqual([hash]);
    const everything = JSON.stringify([
      await t.db('draft').select('*'),
      await t.db('draft_link').select('*'),
      await t.db('notification_outbox').select('*'),
    ]);
    expect(everything).not.toContain(token);
  });

  it('continues on another device: the answers come back under a new session id, at the first page not answered', async () => {
    const first = await answerThenSave(4);
    expect((await saveWith(first, EMAIL)).status).toBe(303);
    const { link } = await latestEmail(EMAIL);

    now = new Date(now.getTime() + 3 * DAY);
    const other = request.agent(t.app);
    await other.get('/').expect(200);
    const followed = await other.get(link).expect(303);
    expect(followed.headers.location).toBe(`/services/${SLUG}/continue`);
    expect(String(followed.headers['set-cookie'])).toContain('portal.sid');
    const welcome = parseHtml((await other.get(`/services/${SLUG}/continue`).expect(200)).text);
    expect(welcome('main').text()).toContain('We have got back the answers you saved on 1 December 2026');
    expect(welcome('.govuk-warning-text')).toHaveLength(0);
    expect(welcome('a.govuk-button').attr('href')).toBe(`/services/${SLUG}/${steps[4]!.page}`);

    // The earlier answers are there: going back shows them filled in.
    const make = parseHtml((await other.get(`/services/${SLUG}/make-and-model`).expect(200)).text);
    expect(make('input[name="make"]').val()).toBe('Volkswagen');
  });

  it('keeps the valid answers of the page the citizen was on when they saved', async () => {
    const agent = request.agent(t.app);
    await agent.get(`/services/${SLUG}/start`).expect(302);
    const saving = await postForm(agent, `/services/${SLUG}/${steps[0]!.page}`, {
      ...steps[0]!.body,
      saveForLater: 'yes',
    });
    expect(saving.headers.location).toBe(`/services/${SLUG}/save`);
    expect((await saveWith(agent, EMAIL)).status).toBe(303);
    const { row } = await latestEmail(EMAIL);
    const draft = await t.db('draft').where({ id: row.draft_id }).first();
    const state = typeof draft.state === 'string' ? JSON.parse(draft.state) : draft.state;
    expect(state.answers).toEqual({ vin: 'WVWZZZ1JZXW000001' });
  });

  it('lets a link work once: the second time says so and offers a new one', async () => {
    expect((await saveWith(await answerThenSave(2), EMAIL)).status).toBe(303);
    const { link } = await latestEmail(EMAIL);
    await request(t.app).get(link).expect(303);
    const again = await request(t.app).get(link).expect(410);
    expect(parseHtml(again.text)('h1').text().trim()).toBe('This link has already been used');
    expect(parseHtml(again.text)('a[href="/continue"]')).toHaveLength(1);
  });

  it('gives two clicks at the same moment the answers once', async () => {
    expect((await saveWith(await answerThenSave(2), EMAIL)).status).toBe(303);
    const { link } = await latestEmail(EMAIL);
    const answers = await Promise.all([1, 2, 3].map(() => request(t.app).get(link)));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410, 410]);
  });

  it('stops a link after 7 days; a new one can be asked for, and the old one then does not work', async () => {
    expect((await saveWith(await answerThenSave(2), EMAIL)).status).toBe(303);
    const { link: old } = await latestEmail(EMAIL);
    now = new Date(now.getTime() + 8 * DAY);
    const expired = await request(t.app).get(old).expect(410);
    expect(parseHtml(expired.text)('h1').text().trim()).toBe('This link has expired');

    const citizen = request.agent(t.app);
    const form = await citizen.get('/continue').expect(200);
    await citizen
      .post('/continue')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), email: EMAIL })
      .expect(303)
      .expect('Location', '/continue/sent');
    const { link, message } = await latestEmail(EMAIL);
    expect(link).not.toBe(old);
    expect(message.text).toContain('The link works once, until 16 December 2026');
    await request(t.app).get(link).expect(303);
  });

  it('answers "Get a new link" the same way for an address with no saved answers, and sends nothing', async () => {
    const before = await t.db('notification_outbox').count({ n: '*' }).first();
    const citizen = request.agent(t.app);
    const form = await citizen.get('/continue').expect(200);
    await citizen
      .post('/continue')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), email: 'nobody@example.com' })
      .expect(303)
      .expect('Location', '/continue/sent');
    expect(await t.db('notification_outbox').count({ n: '*' }).first()).toEqual(before);
    const sent = await citizen.get('/continue/sent').expect(200);
    expect(parseHtml(sent.text)('h1').text()).toBe('Check your email');
  });

  it('refuses made-up links without looking anything up', async () => {
    for (const link of ['/continue/x', `/continue/${'A'.repeat(43)}`, `/continue/${'A'.repeat(44)}`]) {
      const res = await request(t.app).get(link).expect(404);
      expect(parseHtml(res.text)('h1').text().trim()).toBe('This link does not work');
    }
  });

  it('saves over the same draft when the citizen saves again, and deletes it when the application is sent', async () => {
    const agent = await answerThenSave(4);
    expect((await saveWith(agent, EMAIL)).status).toBe(303);
    const { row } = await latestEmail(EMAIL);
    // Carry on to check answers and save again from there (the link on check answers).
    for (const step of steps.slice(4)) {
      expect((await postForm(agent, `/services/${SLUG}/${step.page}`, step.body)).status).toBe(302);
    }
    const checkAnswers = parseHtml((await agent.get(`/services/${SLUG}/check-answers`).expect(200)).text);
    expect(checkAnswers(`main .govuk-button-group a[href="/services/${SLUG}/save"]`).text()).toBe(
      'Save and come back later',
    );
    expect((await saveWith(agent, EMAIL)).status).toBe(303);
    expect(await t.db('draft').where({ id: row.draft_id }).count({ n: '*' }).first()).toEqual({ n: 1 });
    const { row: second } = await latestEmail(EMAIL);
    expect(second.draft_id).toBe(row.draft_id);
    // Only the newest link works.
    expect(await t.db('draft_link').where({ draft_id: row.draft_id }).count({ n: '*' }).first()).toEqual({
      n: 1,
    });

    expect((await sendApplication(agent, SLUG)).status).toBe(303);
    expect(await t.db('draft').where({ id: row.draft_id }).first()).toBeUndefined();
    expect(await t.db('notification_outbox').where({ draft_id: row.draft_id }).first()).toBeUndefined();
  });

  it('deletes drafts once they expire, with their links and emails (retention)', async () => {
    expect((await saveWith(await answerThenSave(2), 'expiring@example.com')).status).toBe(303);
    const { row, link } = await latestEmail('expiring@example.com');
    now = new Date(now.getTime() + 28 * DAY + 1000);
    expect((await request(t.app).get(link)).status).toBe(410);
    const result = await applyRetention(t.db, { now, retentionMonths: 24 });
    expect(result.expiredDrafts).toBeGreaterThanOrEqual(1);
    expect(await t.db('draft').where({ id: row.draft_id }).first()).toBeUndefined();
    expect(await t.db('draft_link').where({ draft_id: row.draft_id }).first()).toBeUndefined();
    expect(await t.db('notification_outbox').where({ id: row.id }).first()).toBeUndefined();
  });

  it('limits how many links one address can be sent in an hour', async () => {
    const agent = await answerThenSave(2);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await saveWith(agent, 'limited@example.com')).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    expect(
      await t.db('notification_outbox').where({ recipient: 'limited@example.com' }).count({ n: '*' }).first(),
    ).toEqual({ n: 5 });
  });
});
