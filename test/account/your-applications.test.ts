import crypto from 'node:crypto';
import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { applyRetention } from '../../src/retention/retention';
import { formatReference, parseReference } from '../../src/submissions/reference';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, postForm, sendPath, withEmail, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { newestEmail, signInByEmail } from '../helpers/mail';
import { caseAction, createStaffUser, signIn as staffSignIn, type TestStaffUser } from '../helpers/staff';
import vehicle from '../fixtures/journeys/register-a-vehicle';

// "Your applications" (src/apply/your-applications.ts, src/sign-in): signing in by emailed link, the list of what
// was sent and saved with the address, and the limits of a signed-in session, through the routes on a real
// database with an injected clock. Every citizen has their own address, so the per-address limits never meet.

const SLUG = 'register-a-vehicle';
const path = vehicle[0]!;
let now = new Date('2026-12-01T10:00:00Z');
const clock = () => now;
const MINUTE = 60_000;

let t: TestApp;
let caseworker: TestStaffUser;
beforeAll(async () => {
  t = await appWith({}, { clock });
  caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: [AGENCIES.vehicleLicensing.id] });
});
afterAll(async () => t.close());
let n = 0;
let EMAIL = '';
beforeEach(() => {
  now = new Date(Date.parse('2026-12-01T10:00:00Z') + ++n * 60 * MINUTE);
  EMAIL = `sarah.philips.${n}@example.com`;
});

const sessionCookieOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith('portal.sid='));

async function askForLink(agent: Agent, email: string) {
  return postForm(agent, '/your-applications/sign-in', { email });
}

const latestSignInEmail = (to: string) => newestEmail(t, 'sign-in', to, '/your-applications/sign-in');

/** A citizen signs in with a new browser: asks for a link, follows it, presses "Sign in". */
const signedInAs = (email: string): Promise<Agent> => signInByEmail(t, request.agent(t.app), email);

/** A citizen answers the first pages of a vehicle registration and saves them for later with `email`. */
async function saveDraft(email: string): Promise<string> {
  const agent = request.agent(t.app);
  await agent.get(`/services/${SLUG}/start`).expect(302);
  for (const step of path.steps.slice(0, 3)) {
    expect((await postForm(agent, `/services/${SLUG}/${step.page}`, step.body)).status).toBe(302);
  }
  expect((await postForm(agent, `/services/${SLUG}/save`, { email })).status).toBe(303);
  const draft = await t.db('draft').where({ email }).orderBy('saved_at', 'desc').first('id');
  return draft.id;
}

/** A reference as pages show it: 'ABCD-EFGH-J'. */
const shown = (reference: string) => formatReference(parseReference(reference)!);

const listOf = async (agent: Agent) => parseHtml((await agent.get('/your-applications').expect(200)).text);

describe('signing in by emailed link', () => {
  it('asks for an email address, and says what is wrong with one that is not', async () => {
    const agent = request.agent(t.app);
    const form = parseHtml((await agent.get('/your-applications/sign-in').expect(200)).text);
    expect(form('h1').text()).toBe('Sign in to see your applications');
    expect(form('a[href="/check-status"]').text()).toBe('check the status of an application');
    for (const [email, message] of [
      ['', 'Enter your email address'],
      ['sarah at example', 'Enter an email address in the correct format, like name@example.com'],
    ] as const) {
      const res = await askForLink(agent, email);
      expect(res.status).toBe(422);
      expect(parseHtml(res.text)('.govuk-error-summary a[href="#email"]').text()).toBe(message);
    }
  });

  it('sends anyone visiting the list to sign in first', async () => {
    const res = await request(t.app).get('/your-applications').expect(303);
    expect(res.headers.location).toBe('/your-applications/sign-in');
  });

  it('emails a link that works once, for 30 minutes, keeping only its hash; the button, not the link, uses it', async () => {
    const agent = request.agent(t.app);
    const asked = await askForLink(agent, EMAIL.toUpperCase());
    expect(asked.headers.location).toBe('/your-applications/check-email');
    const sent = parseHtml((await agent.get('/your-applications/check-email').expect(200)).text);
    expect(sent('main').text()).toContain(`We have sent a link to sign in to ${EMAIL}`);
    expect(sent('main').text()).toContain('The link works once, for 30 minutes.');

    const { message, link } = await latestSignInEmail(EMAIL);
    expect(message.subject).toBe('Sign in to see your applications');
    expect(message.text).toContain('The link works once, for 30 minutes.');
    const token = link.split('/').pop()!;
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    const stored = await t.db('citizen_sign_in_link').where({ email: EMAIL }).select('*');
    expect(stored.map((r) => r.token_hash)).toEqual([hash]);
    const everything = JSON.stringify([stored, await t.db('notification_outbox').select('*')]);
    expect(everything).not.toContain(token);

    // Opening the link (as a mail scanner would) uses nothing: it shows a button.
    const browser = request.agent(t.app);
    const before = sessionCookieOf(await browser.get(link).expect(200));
    expect(before).toBeDefined();
    const page = await browser.get(link).expect(200);
    expect(parseHtml(page.text)('main').text()).toContain(`You are signing in with ${EMAIL}`);
    expect(parseHtml(page.text)('form').attr('action')).toBe(link);
    const signedIn = await browser
      .post(link)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(303);
    expect(signedIn.headers.location).toBe('/your-applications');
    // A new session id at sign-in.
    const after = sessionCookieOf(signedIn);
    expect(after?.split(';')[0]).toMatch(/^portal\.sid=.+/);
    expect(after?.split(';')[0]).not.toBe(before?.split(';')[0]);
    expect((await listOf(browser))('main').text()).toContain(`Signed in with ${EMAIL}`);

    // Once only: another browser with the same link is told it has been used.
    const other = request.agent(t.app);
    const used = await other.get(link).expect(410);
    expect(parseHtml(used.text)('h1').text()).toBe('This link has already been used');
    const otherPage = await request.agent(t.app).get('/your-applications/sign-in');
    const reused = await other
      .post(link)
      .type('form')
      .send({ _csrf: csrfTokenIn(otherPage.text) });
    expect([403, 410]).toContain(reused.status);
    await other.get('/your-applications').expect(303);
  });

  it('says a link has expired after 30 minutes, and offers a new one', async () => {
    const agent = request.agent(t.app);
    await askForLink(agent, EMAIL);
    const { link } = await latestSignInEmail(EMAIL);
    const page = await agent.get(link).expect(200);
    now = new Date(now.getTime() + 30 * MINUTE);
    const expired = await agent.get(link).expect(410);
    expect(parseHtml(expired.text)('h1').text()).toBe('This link has expired');
    expect(parseHtml(expired.text)('a[href="/your-applications/sign-in"]').text()).toBe(
      'Get a new link to sign in',
    );
    await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(410);
    await agent.get('/your-applications').expect(303);
  });

  it('says a link that is not ours does not work, without looking up anything that is not a token', async () => {
    for (const bad of ['A'.repeat(43), 'short', '%00', 'A'.repeat(44), "'; drop table draft; --"]) {
      const res = await request(t.app).get(`/your-applications/sign-in/${encodeURIComponent(bad)}`);
      expect(res.status).toBe(404);
      expect(parseHtml(res.text)('h1').text()).toBe('This link does not work');
    }
  });

  it('sends at most 5 links an hour to one address, with the same page each time', async () => {
    const agent = request.agent(t.app);
    for (let i = 0; i < 7; i++) {
      expect((await askForLink(agent, EMAIL)).headers.location).toBe('/your-applications/check-email');
    }
    const sent = await t
      .db('notification_outbox')
      .where({ template: 'sign-in', recipient: EMAIL })
      .pluck('id');
    expect(sent).toHaveLength(5);
  });
});

describe('the list of applications and saved answers', () => {
  it('lists what was sent and saved with the address, newest first, and nothing of another citizen', async () => {
    const other = `other.citizen.${n}@example.com`;
    const mine = shown(await sendPath(t.app, SLUG, withEmail(path, EMAIL)));
    now = new Date(now.getTime() + MINUTE);
    const mineLater = shown(await sendPath(t.app, SLUG, withEmail(path, EMAIL)));
    const theirs = shown(await sendPath(t.app, SLUG, withEmail(path, other)));
    const myDraft = await saveDraft(EMAIL);
    const theirDraft = await saveDraft(other);

    const agent = await signedInAs(EMAIL);
    const page = await listOf(agent);
    const cards = page('.govuk-summary-card')
      .toArray()
      .map((c) => page(c).text());
    const text = page('main').text();
    expect(cards.filter((c) => c.includes('Register a vehicle')).length).toBe(3);
    expect(text.indexOf(mineLater)).toBeLessThan(text.indexOf(mine));
    expect(text).toContain(mine);
    expect(text).not.toContain(theirs);
    expect(page(`a[href="/your-applications/application/${mine}"]`).text()).toContain('View application');
    expect(page(`form[action="/your-applications/drafts/${myDraft}/continue"]`)).toHaveLength(1);
    expect(page(`form[action="/your-applications/drafts/${theirDraft}/continue"]`)).toHaveLength(0);
    expect(text).toContain('Received');

    // Someone else's application or draft, from the URL: not found, and nothing changes.
    await agent.get(`/your-applications/application/${theirs}`).expect(404);
    await agent.get(`/check-status/your-application`).expect(303);
    const csrf = csrfTokenIn((await agent.get('/your-applications').expect(200)).text);
    await agent
      .post(`/your-applications/drafts/${theirDraft}/continue`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(404);
    await agent.get(`/your-applications/drafts/${theirDraft}/delete`).expect(404);
    await agent
      .post(`/your-applications/drafts/${theirDraft}/delete`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(404);
    expect(await t.db('draft').where({ id: theirDraft }).first('id')).toEqual({ id: theirDraft });
    for (const bad of ['not-a-uuid', '00000000-0000-0000-0000-000000000000', 'NOTAREF', '%27']) {
      await agent.get(`/your-applications/drafts/${bad}/delete`).expect(404);
      await agent.get(`/your-applications/application/${bad}`).expect(404);
    }

    // The other citizen sees theirs, not mine.
    const theirPage = (await listOf(await signedInAs(other)))('main').text();
    expect(theirPage).toContain(theirs);
    expect(theirPage).not.toContain(mine);
  });

  it('says so when nothing was sent or saved with the address', async () => {
    const page = await listOf(await signedInAs(EMAIL));
    expect(page('main').text()).toContain('You have not sent any applications with this email address.');
    expect(page('main').text()).toContain('You have no saved answers.');
  });

  it('shows an open request with the latest message from us, and takes the reply from there', async () => {
    const sent = await sendPath(t.app, SLUG, withEmail(path, EMAIL));
    const reference = shown(sent);
    const staff = await staffSignIn(t, caseworker, { clock });
    const asked = await caseAction(staff, sent, 'request-information', {
      message: 'Send us a photo of the V5C logbook, both sides.',
    });
    expect(asked.status).toBe(303);

    const agent = await signedInAs(EMAIL);
    const page = await listOf(agent);
    const card = page('.govuk-summary-card').filter((_i, c) => page(c).text().includes(reference));
    expect(card.find('.govuk-tag').text().trim()).toBe('Waiting for information from you');
    expect(card.text()).toContain('Send us a photo of the V5C logbook, both sides.');
    const reply = card.find(`a[href="/your-applications/application/${reference}"]`);
    expect(reply.text()).toContain('Reply to our request');

    const opened = await agent.get(`/your-applications/application/${reference}`).expect(303);
    expect(opened.headers.location).toBe('/check-status/your-application');
    const status = await agent.get('/check-status/your-application').expect(200);
    const $ = parseHtml(status.text);
    expect($('.govuk-back-link').attr('href')).toBe('/your-applications');
    expect($('textarea[name="reply"]')).toHaveLength(1);
    await agent
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(status.text), reply: 'Sent by post today.' })
      .expect(303);
    const after = await listOf(agent);
    const card2 = after('.govuk-summary-card').filter((_i, c) => after(c).text().includes(reference));
    expect(card2.find('.govuk-tag').text().trim()).toBe('Being reviewed');
  });

  it('continues saved answers in this browser, and deletes them only after asking', async () => {
    const draft = await saveDraft(EMAIL);
    const agent = await signedInAs(EMAIL);
    const list = await agent.get('/your-applications').expect(200);
    const continued = await agent
      .post(`/your-applications/drafts/${draft}/continue`)
      .type('form')
      .send({ _csrf: csrfTokenIn(list.text) })
      .expect(303);
    expect(continued.headers.location).toBe(`/services/${SLUG}/continue`);
    const restored = parseHtml((await agent.get(continued.headers.location!).expect(200)).text);
    expect(restored('h1').text()).toBe('Continue your application');
    expect(restored('.govuk-button').attr('href')).toBe(`/services/${SLUG}/${path.steps[3]!.page}`);

    const confirm = await agent.get(`/your-applications/drafts/${draft}/delete`).expect(200);
    expect(parseHtml(confirm.text)('h1').text()).toBe('Are you sure you want to delete your saved answers?');
    expect(await t.db('draft').where({ id: draft }).first('id')).toEqual({ id: draft });
    const deleted = await agent
      .post(`/your-applications/drafts/${draft}/delete`)
      .type('form')
      .send({ _csrf: csrfTokenIn(confirm.text) })
      .expect(303);
    expect(deleted.headers.location).toBe('/your-applications');
    expect(await t.db('draft').where({ id: draft }).first('id')).toBeUndefined();
    const page = await listOf(agent);
    expect(page('.govuk-notification-banner--success').text()).toContain(
      'Your saved answers have been deleted',
    );
    expect(page('main').text()).toContain('You have no saved answers.');
    // The banner is said once.
    expect((await listOf(agent))('.govuk-notification-banner')).toHaveLength(0);
  });
});

describe('a signed-in session', () => {
  it('ends on "Sign out", under a new session id, taking the opened application with it', async () => {
    const reference = shown(await sendPath(t.app, SLUG, withEmail(path, EMAIL)));
    const agent = await signedInAs(EMAIL);
    await agent.get(`/your-applications/application/${reference}`).expect(303);
    await agent.get('/check-status/your-application').expect(200);
    const list = await agent.get('/your-applications').expect(200);
    const out = await agent
      .post('/your-applications/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenIn(list.text) })
      .expect(303);
    expect(out.headers.location).toBe('/your-applications/sign-in');
    expect(sessionCookieOf(out)).toBeDefined();
    const page = parseHtml((await agent.get('/your-applications/sign-in').expect(200)).text);
    expect(page('.govuk-notification-banner--success').text()).toContain('You have signed out');
    await agent.get('/your-applications').expect(303);
    await agent.get('/check-status/your-application').expect(303);
  });

  it('ends after 30 minutes without a request, and says why', async () => {
    const agent = await signedInAs(EMAIL);
    now = new Date(now.getTime() + 29 * MINUTE);
    await agent.get('/your-applications').expect(200);
    // Activity counts: 29 minutes after the last request is still signed in.
    now = new Date(now.getTime() + 29 * MINUTE);
    await agent.get('/your-applications').expect(200);
    now = new Date(now.getTime() + 31 * MINUTE);
    const res = await agent.get('/your-applications').expect(303);
    expect(res.headers.location).toBe('/your-applications/sign-in');
    const page = parseHtml((await agent.get('/your-applications/sign-in').expect(200)).text);
    expect(page('.govuk-notification-banner').text()).toContain(
      'You have been signed out because you had not done anything for 30 minutes',
    );
    await agent.get('/your-applications').expect(303);
  });

  it('lets retention delete expired sign-in links with their emails', async () => {
    const agent = request.agent(t.app);
    await askForLink(agent, EMAIL);
    const { row } = await latestSignInEmail(EMAIL);
    now = new Date(now.getTime() + 31 * MINUTE);
    const result = await applyRetention(t.db, { now, retentionMonths: 24 });
    expect(result.expiredSignInLinks).toBeGreaterThanOrEqual(1);
    expect(await t.db('citizen_sign_in_link').where({ email: EMAIL }).first()).toBeUndefined();
    expect(await t.db('notification_outbox').where({ id: row.id }).first()).toBeUndefined();
  });
});
