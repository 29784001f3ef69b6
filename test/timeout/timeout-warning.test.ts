import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, expectStatus, postForm } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import { answersTimeoutWarning, staffTimeoutWarning } from '../../src/timeout/timeout-warning';

// WCAG 2.2.1: pages warn before a session times out and one action extends it. The dialog itself is driven in
// a real browser (test/browser/timeout.test.ts); these tests cover what the server sends and does.

const SERVICE = '/services/register-a-vehicle';
const FIRST = `${SERVICE}/vehicle-identification-number`;
const firstStep = vehiclePaths[0]!.steps[0]!;

const START = new Date('2026-11-29T09:00:00Z').getTime();
let now = START;
const minutes = (n: number) => n * 60 * 1000;
const clock = () => new Date(now);

let t: TestApp;
beforeAll(async () => {
  t = await appWith({ SESSION_IDLE_MINUTES: '45' }, { clock });
});
afterAll(() => t.close());
beforeEach(() => {
  now = START;
});

const dialogOf = (html: string) => parseHtml(html)('dialog#timeout-warning');

async function startedJourney() {
  const agent = request.agent(t.app);
  await agent.get(`${SERVICE}/start`).expect(302);
  return agent;
}

describe("a citizen's answers", () => {
  it('are not warned about on the catalogue or a start page, where there are no answers to lose', async () => {
    const agent = request.agent(t.app);
    expect(dialogOf((await agent.get('/').expect(200)).text).length).toBe(0);
    expect(dialogOf((await agent.get(SERVICE).expect(200)).text).length).toBe(0);
  });

  it('are kept for a stated time, which the start page says before anyone starts', async () => {
    const res = await request(t.app).get(SERVICE).expect(200);
    expect(parseHtml(res.text)('main').text()).toContain(
      'For your security, we delete your answers if you do not do anything on the service for 45 minutes.',
    );
  });

  it('get a warning dialog on every question page once the journey has started, due a minute early and five minutes before', async () => {
    const agent = await startedJourney();
    const dialog = dialogOf((await agent.get(FIRST).expect(200)).text);
    expect(dialog.length).toBe(1);
    // 45 idle minutes, less the minute the store may lag: time out after 44 minutes, warn 5 minutes before.
    expect(dialog.attr('data-time-out-after')).toBe(String(44 * 60));
    expect(dialog.attr('data-warn-after')).toBe(String(39 * 60));
    expect(dialog.attr('data-extend-url')).toBe('/session/extend');
    expect(dialog.attr('data-timed-out-url')).toBe(
      `/session/timed-out?service=register-a-vehicle&returnTo=${encodeURIComponent(FIRST)}`,
    );
    expect(dialog.attr('aria-labelledby')).toBe('timeout-warning-heading');
    expect(dialog.find('#timeout-warning-heading').text()).toBe('Do you need more time?');
    expect(dialog.find('#timeout-warning-text').text()).toBe(
      'For your security, we will delete your answers in 5 minutes.',
    );
    expect(dialog.find('[aria-live="polite"]').length).toBe(1);
    expect(dialog.find('form').attr('action')).toBe('/session/extend');
    expect(dialog.find('input[name="returnTo"]').val()).toBe(FIRST);
    expect(dialog.find('button').text().trim()).toBe('Continue with your application');
  });

  it('get the warning on a page re-shown with errors too, returning to the page by its address', async () => {
    const agent = await startedJourney();
    const res = expectStatus(await postForm(agent, FIRST, { vin: '' }), 422);
    expect(dialogOf(res.text).find('input[name="returnTo"]').val()).toBe(`${SERVICE}/check-answers`);
  });

  it('are kept when the person asks for more time: 204 for the dialog, a redirect back without JavaScript', async () => {
    const agent = await startedJourney();
    const page = await agent.get(FIRST).expect(200);
    const _csrf = csrfTokenIn(page.text);
    await agent
      .post('/session/extend')
      .set('x-requested-with', 'timeout-warning')
      .type('form')
      .send({ _csrf, returnTo: FIRST })
      .expect(204);
    const plain = await agent
      .post('/session/extend')
      .type('form')
      .send({ _csrf, returnTo: FIRST })
      .expect(303);
    expect(plain.headers.location).toBe(FIRST);
  });

  it.each([
    'https://evil.example',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '/a\r\nSet-Cookie: x=1',
  ])('never follow a returnTo that leaves the site (%j)', async (returnTo) => {
    const agent = await startedJourney();
    const _csrf = csrfTokenIn((await agent.get(FIRST)).text);
    const res = await agent.post('/session/extend').type('form').send({ _csrf, returnTo }).expect(303);
    expect(res.headers.location).toBe('/');
  });

  it('cannot be extended without the CSRF token', async () => {
    const agent = await startedJourney();
    await agent.get(FIRST).expect(200);
    await agent
      .post('/session/extend')
      .set('x-requested-with', 'timeout-warning')
      .type('form')
      .send({})
      .expect(403);
  });

  it('are deleted at the timed-out address once the session is about to expire, with a way to start again', async () => {
    const agent = await startedJourney();
    expectStatus(await postForm(agent, FIRST, firstStep.body), 302);
    // The session row is due to expire in 30 seconds: the time is up.
    await t.db('session').update({ expired: new Date(Date.now() + 30_000) });
    const res = await agent
      .get(`/session/timed-out?service=register-a-vehicle&returnTo=${encodeURIComponent(FIRST)}`)
      .expect(200);
    const $ = parseHtml(res.text);
    expect($('head > title').text()).toBe(
      'For your security, we deleted your answers – Government services – GOV.UK',
    );
    expect($('h1').text()).toBe('For your security, we deleted your answers');
    expect($('main').text()).toContain('You did not do anything for 45 minutes');
    expect($('main a.govuk-button').attr('href')).toBe(SERVICE);
    // The answers are gone: the first page is blank again.
    const again = await agent.get(FIRST).expect(200);
    expect(parseHtml(again.text)('input[name="vin"]').val()).toBe('');
  });

  it('are kept when the session was used since (in another tab): the timed-out address sends the person back', async () => {
    const agent = await startedJourney();
    expectStatus(await postForm(agent, FIRST, firstStep.body), 302);
    const res = await agent
      .get(`/session/timed-out?service=register-a-vehicle&returnTo=${encodeURIComponent(FIRST)}`)
      .expect(303);
    expect(res.headers.location).toBe(FIRST);
    expect(parseHtml((await agent.get(FIRST).expect(200)).text)('input[name="vin"]').val()).not.toBe('');
  });

  it('time out to the catalogue when the service named is unknown', async () => {
    const res = await request(t.app)
      .get('/session/timed-out?service=no-such-service&returnTo=//evil.example')
      .expect(200);
    expect(parseHtml(res.text)('main a.govuk-button').attr('href')).toBe('/');
  });
});

describe('staff sessions', () => {
  it('warn before the 30-minute idle sign-out, and "Stay signed in" restarts the idle clock', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    const page = await agent.get('/staff/users').expect(200);
    const dialog = dialogOf(page.text);
    expect(dialog.attr('data-time-out-after')).toBe(String(30 * 60));
    expect(dialog.attr('data-warn-after')).toBe(String(25 * 60));
    expect(dialog.attr('data-extend-url')).toBe('/staff/session/extend');
    expect(dialog.attr('data-timed-out-url')).toBe('/staff/users');
    expect(dialog.find('#timeout-warning-heading').text()).toBe('You will be signed out soon');
    expect(dialog.find('button').text().trim()).toBe('Stay signed in');

    now += minutes(26);
    await agent
      .post('/staff/session/extend')
      .set('x-requested-with', 'timeout-warning')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), returnTo: '/staff/users' })
      .expect(204);
    now += minutes(26); // 52 minutes since the page, 26 since "Stay signed in"
    await agent.get('/staff/users').expect(200);
  });

  it('are signed out at the reload the dialog makes when nobody stays', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    await agent.get('/staff/users').expect(200);
    now += minutes(30) + 10_000;
    const res = await agent.get('/staff/users').expect(302);
    expect(res.headers.location).toBe('/staff/signed-out?reason=idle');
  });

  it('near the 8-hour limit, only inform: the dialog has no extend address and its button just closes it', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    for (let i = 0; i < 15; i++) {
      now += minutes(29);
      await agent.get('/staff/users').expect(200);
    }
    now += minutes(29); // 7 h 44 min since sign-in: 16 minutes of the lifetime left, less than 30 idle
    const dialog = dialogOf((await agent.get('/staff/users').expect(200)).text);
    expect(dialog.attr('data-time-out-after')).toBe(String(16 * 60));
    expect(dialog.attr('data-extend-url')).toBeUndefined();
    expect(dialog.find('form').attr('method')).toBe('dialog');
    expect(dialog.find('#timeout-warning-text').text()).toContain(
      'You can stay signed in for up to 8 hours.',
    );
  });

  it('are never ended by a GET of the timed-out address, which any site can link to', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    await agent.get('/staff/users').expect(200);
    await agent.get('/session/timed-out').expect(200);
    await agent.get(`/session/timed-out?service=register-a-vehicle&returnTo=${encodeURIComponent(FIRST)}`);
    await agent.get('/staff/users').expect(200);
    // Even when the session row is about to expire, and the same browser has answers in progress: only the
    // answers go.
    await agent.get(`${SERVICE}/start`).expect(302);
    expectStatus(await postForm(agent, FIRST, firstStep.body), 302);
    await t.db('session').update({ expired: new Date(Date.now() + 30_000) });
    await agent
      .get(`/session/timed-out?service=register-a-vehicle&returnTo=${encodeURIComponent(FIRST)}`)
      .expect(200);
    await agent.get('/staff/users').expect(200);
    expect(parseHtml((await agent.get(FIRST).expect(200)).text)('input[name="vin"]').val()).toBe('');
  });

  it('are not warned about on the sign-in pages, before anyone has signed in', async () => {
    expect(dialogOf((await request(t.app).get('/staff/sign-in').expect(200)).text).length).toBe(0);
  });
});

describe('the deadlines', () => {
  const staff = {
    userId: 1,
    role: 'caseworker' as const,
    agencies: [],
    displayName: 'A',
    stage: 'signed-in' as const,
    generation: 0,
    signedInAt: START,
    lastActiveAt: START,
  };

  it('for staff, follow a session cookie that times out sooner than the 30-minute idle limit', () => {
    expect(staffTimeoutWarning(staff, START, '/staff', 20)).toMatchObject({
      kind: 'staff-idle',
      timeOutAfterSeconds: 19 * 60,
      warnAfterSeconds: 14 * 60,
      idleMinutes: 20,
    });
    expect(staffTimeoutWarning(staff, START, '/staff', 60)).toMatchObject({
      timeOutAfterSeconds: 30 * 60,
      idleMinutes: 30,
    });
  });

  it('warn half way through when less than ten minutes are left', () => {
    const at = START + minutes(8 * 60 - 6);
    expect(staffTimeoutWarning({ ...staff, lastActiveAt: at }, at, '/staff', 60)).toMatchObject({
      kind: 'staff-lifetime',
      timeOutAfterSeconds: 6 * 60,
      warnAfterSeconds: 3 * 60,
    });
  });

  it('for citizens, come from SESSION_IDLE_MINUTES', () => {
    expect(answersTimeoutWarning(t.config, 'register-a-vehicle', FIRST)).toMatchObject({
      kind: 'answers',
      timeOutAfterSeconds: 44 * 60,
      warnAfterSeconds: 39 * 60,
      idleMinutes: 45,
    });
  });
});
