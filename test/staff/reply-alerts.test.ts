import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { disableStaffUser } from '../../src/staff/staff-user-repository';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, type TestStaffUser, caseAction } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// "Email me when a citizen replies on a case assigned to me" (/staff/account/notifications, src/staff/account.ts):
// off by default; when on, the citizen's reply (case-repository.ts recordCitizenReply) writes one 'citizen-replied'
// message to that member of staff in the reply's transaction, with no personal data and not the reply.

let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const VEHICLE_AGENCIES = [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id];
const CITIZEN_EMAIL = 'sarah.philips@example.com';
const REPLY = 'The V5C is in the post. My phone is 07700 900123.';

let t: TestApp;
beforeAll(async () => {
  t = await appWith({}, { clock });
});
afterAll(() => t.close());
afterEach(() => {
  now = new Date('2026-11-30T10:00:00Z');
});

const caseworker = (name: string) =>
  createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES, displayName: name });

async function setAlerts(agent: Agent, answer: string | undefined) {
  const page = await agent.get('/staff/account/notifications').expect(200);
  return agent
    .post('/staff/account/notifications')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), ...(answer === undefined ? {} : { citizenReplies: answer }) });
}

const act = caseAction;

/** A case with a request for information from `by` (a manager may then hand it to someone else or nobody). */
async function awaitingCase(by: TestStaffUser): Promise<{ reference: string; id: number; staff: Agent }> {
  const journey = await walkToCheckAnswers(t.app, 'register-a-vehicle', vehiclePaths[0]!);
  const reference = (await sendApplication(journey, 'register-a-vehicle')).headers
    .location!.split('/')
    .pop()!;
  const staff = await signIn(t, by, { clock });
  expect((await act(staff, reference, 'request-information', { message: 'Send the V5C.' })).status).toBe(303);
  const { id } = await t.db('submission').where({ reference }).first('id');
  return { reference, id, staff };
}

async function citizenReplies(reference: string) {
  const citizen = request.agent(t.app);
  const form = await citizen.get('/check-status');
  await citizen
    .post('/check-status')
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), reference, proof: CITIZEN_EMAIL })
    .expect(303);
  const page = await citizen.get('/check-status/your-application').expect(200);
  await citizen
    .post('/check-status/your-application/reply')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), reply: REPLY })
    .expect(303);
}

const alertsFor = (submissionId: number) =>
  t.db('notification_outbox').where({ submission_id: submissionId, template: 'citizen-replied' }).select('*');

describe('the email alerts setting', () => {
  it('is linked from the header for caseworkers and managers, off by default, and not offered to administrators', async () => {
    const user = await caseworker('Ada Alerts');
    const agent = await signIn(t, user, { clock });
    const home = parseHtml((await agent.get('/staff').expect(200)).text);
    expect(home('a[href="/staff/account/notifications"]').text()).toBe('Email alerts');
    const page = parseHtml((await agent.get('/staff/account/notifications').expect(200)).text);
    expect(page('h1').text()).toBe('Email alerts');
    expect(page('legend').text().trim()).toBe(
      'Do you want an email when a citizen replies on a case assigned to you?',
    );
    expect(page('input[name="citizenReplies"]:checked').val()).toBe('no');

    const admin = await createStaffUser(t.db, { role: 'admin' });
    const adminAgent = await signIn(t, admin, { clock });
    const users = parseHtml((await adminAgent.get('/staff/users').expect(200)).text);
    expect(users('a[href="/staff/account/notifications"]').length).toBe(0);
    await adminAgent.get('/staff/account/notifications').expect(403);
  });

  it('saves yes and no, each change audited, and asks again when neither is chosen', async () => {
    const user = await caseworker('Sol Saver');
    const agent = await signIn(t, user, { clock });
    const yes = await setAlerts(agent, 'yes');
    expect(yes.status).toBe(303);
    expect(yes.headers.location).toBe('/staff/account/notifications?saved=yes');
    const saved = parseHtml((await agent.get(yes.headers.location!).expect(200)).text);
    expect(saved('.govuk-notification-banner--success').text()).toContain(
      'Your email alerts have been saved',
    );
    expect(saved('input[name="citizenReplies"]:checked').val()).toBe('yes');
    expect((await t.db('staff_user').where({ id: user.id }).first()).alert_on_citizen_reply).toBe(true);

    expect((await setAlerts(agent, 'no')).status).toBe(303);
    expect((await t.db('staff_user').where({ id: user.id }).first()).alert_on_citizen_reply).toBe(false);
    const audit = await t
      .db('audit_event')
      .where({ action: 'email-alerts-changed', actor_id: user.id })
      .orderBy('id')
      .select('actor_role', 'details');
    expect(audit).toEqual([
      { actor_role: 'caseworker', details: { citizenReplies: true } },
      { actor_role: 'caseworker', details: { citizenReplies: false } },
    ]);

    for (const answer of [undefined, '', 'maybe']) {
      const res = await setAlerts(agent, answer);
      expect(res.status).toBe(422);
      const $ = parseHtml(res.text);
      expect($('.govuk-error-summary__list a').text()).toBe(
        'Select yes if you want an email when a citizen replies on a case assigned to you',
      );
      expect($('.govuk-error-summary__list a').attr('href')).toBe('#citizenReplies');
      expect($('#citizenReplies').length).toBe(1);
    }
    expect(
      await t.db('audit_event').where({ action: 'email-alerts-changed', actor_id: user.id }),
    ).toHaveLength(2);
  });
});

describe('the alert when a citizen replies', () => {
  it('goes once to the member of staff the case is assigned to, when they opted in: the reference, the service and a link, nothing the citizen wrote', async () => {
    const user = await caseworker('Opal Optin');
    const agent = await signIn(t, user, { clock });
    expect((await setAlerts(agent, 'yes')).status).toBe(303);
    const { reference, id } = await awaitingCase(user);
    await citizenReplies(reference);

    const rows = await alertsFor(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ recipient: user.email, status: 'pending' });
    expect(rows[0].data).toEqual({ reference, serviceTitle: 'Register a vehicle' });
    // The whole message as it would be sent.
    const mailbox = await request(t.app).get(`/dev/mailbox/${rows[0].id}`).expect(200);
    const text = parseHtml(mailbox.text)('main').text();
    expect(text).toContain(`/staff/submissions/${reference}`);
    expect(text).not.toContain('V5C is in the post');
    expect(text).not.toContain('07700');
    expect(text).not.toContain(CITIZEN_EMAIL);
    expect(text).not.toMatch(/Sarah|Philips/i);
    // The citizen's own emails still go to the citizen only.
    const all = await t
      .db('notification_outbox')
      .where({ submission_id: id })
      .select('template', 'recipient');
    expect(all.filter((r) => r.recipient === user.email)).toEqual([
      { template: 'citizen-replied', recipient: user.email },
    ]);
  });

  it('is not sent to someone who did not opt in (the default), or for a case nobody has', async () => {
    const user = await caseworker('Noel Nothanks');
    const { reference, id } = await awaitingCase(user);
    await citizenReplies(reference);
    expect(await alertsFor(id)).toEqual([]);

    // Opted in, but a manager handed the case back to nobody before the citizen replied.
    const keen = await caseworker('Kim Keen');
    expect((await setAlerts(await signIn(t, keen, { clock }), 'yes')).status).toBe(303);
    const manager = await createStaffUser(t.db, { role: 'manager', agencies: VEHICLE_AGENCIES });
    const unassigned = await awaitingCase(keen);
    const m = await signIn(t, manager, { clock });
    expect((await act(m, unassigned.reference, 'assign', { assignee: 'nobody' })).status).toBe(303);
    await citizenReplies(unassigned.reference);
    expect(await alertsFor(unassigned.id)).toEqual([]);
  });

  it('is not sent to someone whose account has been disabled', async () => {
    const user = await caseworker('Dee Disabled');
    expect((await setAlerts(await signIn(t, user, { clock }), 'yes')).status).toBe(303);
    const { reference, id } = await awaitingCase(user);
    await disableStaffUser(t.db, user.id, now);
    await citizenReplies(reference);
    expect(await alertsFor(id)).toEqual([]);
    expect((await t.db('submission').where({ id }).first('status')).status).toBe('in-review');
  });
});
