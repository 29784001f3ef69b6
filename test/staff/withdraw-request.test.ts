import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { defaultCalendar } from '../../src/metrics/processing-time';
import { changeCase, recordCitizenReply } from '../../src/staff/case-repository';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, type Agent, sendPath } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, type TestStaffUser, caseAction } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// Withdrawing a request for information (src/staff/case-repository.ts changeCase, 'withdraw-request'): back to
// review in one transaction with the clock resumed, the rollup, the event, the audit row and the citizen's email.

// Monday 30 November 2026, 10:00 in London. Tests move it forward by setting `now`.
let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const VEHICLE_AGENCIES = [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id];
const CITIZEN_EMAIL = 'sarah.philips@example.com';

let t: TestApp;
let owner: TestStaffUser;
let other: TestStaffUser;
let manager: TestStaffUser;

const send = (): Promise<string> => sendPath(t.app, 'register-a-vehicle', vehiclePaths[0]!);

/** The confirmation page, then its Withdraw button (with the version the page showed). */
async function withdraw(agent: Agent, reference: string) {
  const page = await agent.get(`/staff/submissions/${reference}/withdraw-request`);
  const $ = parseHtml(page.text);
  const version = $('form[action$="/withdraw-request"] input[name="version"]').attr('value');
  if (page.status !== 200 || !version) return { page, res: undefined };
  const res = await agent
    .post(`/staff/submissions/${reference}/withdraw-request`)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), version });
  return { page, res };
}

const act = caseAction;

/** A case assigned to `owner`, with a request for information sent on Monday 30 November. */
async function awaitingCase(): Promise<string> {
  now = new Date('2026-11-30T10:00:00Z');
  const reference = await send();
  const agent = await signIn(t, owner, { clock });
  expect((await act(agent, reference, 'assign', { assignee: 'me' })).status).toBe(303);
  expect(
    (await act(agent, reference, 'request-information', { message: 'Send the V5C, please.' })).status,
  ).toBe(303);
  return reference;
}

const submission = (reference: string) => t.db('submission').where({ reference }).first();
const awaitingRollup = async () => {
  const [row] = await t
    .db('open_case_day')
    .where({ service_slug: 'register-a-vehicle' })
    .sum({ n: 'awaiting_citizen' });
  return Number(row?.n ?? 0);
};
const outbox = (submissionId: number) =>
  t.db('notification_outbox').where({ submission_id: submissionId }).orderBy('created_at').select('*');
const audit = (submissionId: number) =>
  t.db('audit_event').where({ submission_id: submissionId }).orderBy('id').select('*');
const problem = (html: string) =>
  parseHtml(html)('#case-problem .govuk-notification-banner__content').text().trim();

beforeAll(async () => {
  t = await appWith({}, { clock });
  [owner, other, manager] = await Promise.all([
    createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES, displayName: 'Casey Owner' }),
    createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES, displayName: 'Olu Other' }),
    createStaffUser(t.db, { role: 'manager', agencies: VEHICLE_AGENCIES, displayName: 'Mina Manager' }),
  ]);
});
afterAll(() => t.close());
afterEach(() => {
  now = new Date('2026-11-30T10:00:00Z');
});

describe('withdrawing a request for information', () => {
  it('is offered on the case while a request waits, with an "Are you sure" page that changes nothing', async () => {
    const reference = await awaitingCase();
    const agent = await signIn(t, owner, { clock });
    const casePage = parseHtml((await agent.get(`/staff/submissions/${reference}`).expect(200)).text);
    expect(casePage('#withdraw-request').attr('href')).toBe(
      `/staff/submissions/${reference}/withdraw-request`,
    );

    const before = await submission(reference);
    const confirm = await agent.get(`/staff/submissions/${reference}/withdraw-request`).expect(200);
    const $ = parseHtml(confirm.text);
    expect($('h1').text()).toBe('Are you sure you want to withdraw the request for more information?');
    expect($('main').text()).toContain('Send the V5C, please.');
    const form = $('main form');
    expect(form.attr('method')).toBe('post');
    expect(form.attr('action')).toBe(`/staff/submissions/${reference}/withdraw-request`);
    expect(form.find('button').text().trim()).toBe('Withdraw the request');
    expect(form.find('a').text()).toBe('Cancel');
    expect(form.find('a').attr('href')).toBe(`/staff/submissions/${reference}`);
    expect(await submission(reference)).toEqual(before);
  });

  it('puts the case back in review, resumes the clock as a reply would, and writes the event, the audit row and the citizen’s email in one go', async () => {
    const reference = await awaitingCase();
    const awaitingBefore = await awaitingRollup();
    // Three working days later (Thursday 3 December), the caseworker no longer needs the V5C.
    now = new Date('2026-12-03T10:00:00Z');
    const agent = await signIn(t, owner, { clock });
    const { res } = await withdraw(agent, reference);
    expect(res?.status).toBe(303);
    expect(res?.headers.location).toBe(`/staff/submissions/${reference}?done=withdraw-request`);

    const after = await submission(reference);
    expect(after.status).toBe('in-review');
    expect(after.awaiting_since).toBeNull();
    expect(after.paused_working_days).toBe(3);
    expect(Number(after.paused_seconds)).toBe(3 * 24 * 3600);
    // Due 14 December (10 working days from 30 November), pushed back by the 3 working days waited.
    expect(after.due_date).toBe('2026-12-17');
    expect(after.assigned_to).toBe(owner.id);
    expect(await awaitingRollup()).toBe(awaitingBefore - 1);

    const events = await t
      .db('submission_event')
      .where({ submission_id: after.id })
      .orderBy('id')
      .pluck('type');
    expect(events.at(-1)).toBe('request-withdrawn');
    const rows = await audit(after.id);
    expect(rows.at(-1)).toMatchObject({
      action: 'request-withdrawn',
      actor_id: owner.id,
      actor_role: 'caseworker',
      from_status: 'awaiting-citizen',
      to_status: 'in-review',
      details: { pausedWorkingDays: 3 },
    });
    const mail = await outbox(after.id);
    expect(mail.map((m) => [m.template, m.recipient])).toEqual([
      ['application-sent', CITIZEN_EMAIL],
      ['information-requested', CITIZEN_EMAIL],
      ['request-withdrawn', CITIZEN_EMAIL],
    ]);
    expect(mail[2].data).toMatchObject({
      reference,
      withdrawnOn: '2026-12-03',
      serviceSlug: 'register-a-vehicle',
    });

    const page = parseHtml((await agent.get(`/staff/submissions/${reference}?done=withdraw-request`)).text);
    expect(page('.govuk-notification-banner--success').text()).toContain(
      'The request for more information has been withdrawn',
    );
    expect(page('main').text()).toContain('Request for more information withdrawn by Casey Owner');
    expect(page('#withdraw-request').length).toBe(0);
  });

  it('takes the reply form off the citizen’s status page and shows the withdrawal in its history', async () => {
    const reference = await awaitingCase();
    const citizen = request.agent(t.app);
    const form = await citizen.get('/check-status');
    await citizen
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference, proof: CITIZEN_EMAIL })
      .expect(303);
    const waiting = await citizen.get('/check-status/your-application').expect(200);
    expect(parseHtml(waiting.text)('#reply').length).toBe(1);

    expect((await withdraw(await signIn(t, owner, { clock }), reference)).res?.status).toBe(303);
    const page = parseHtml((await citizen.get('/check-status/your-application').expect(200)).text);
    expect(page('#reply').length).toBe(0);
    expect(page('.govuk-summary-list').text()).toContain('Being reviewed');
    expect(page('ol').text()).toContain('We no longer needed the information we asked for');

    // A reply from the page opened before the withdrawal: not taken, and the citizen is told plainly.
    const late = await citizen
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(waiting.text), reply: 'Here is my V5C.' });
    expect(late.status).toBe(409);
    const $ = parseHtml(late.text);
    expect($('#reply-problem').attr('role')).toBe('alert');
    expect($('#reply-problem').text()).toContain('We no longer need the information we asked for');
    expect($('main').text()).toContain('Here is my V5C.');
    const row = await submission(reference);
    expect(
      await t.db('submission_message').where({ submission_id: row.id, direction: 'from-citizen' }),
    ).toEqual([]);
  });

  it('is refused to a caseworker the case is not assigned to: 403 saying why, nothing changed, the attempt audited', async () => {
    const reference = await awaitingCase();
    const before = await submission(reference);
    const agent = await signIn(t, other, { clock });
    expect(
      parseHtml((await agent.get(`/staff/submissions/${reference}`)).text)('#withdraw-request').length,
    ).toBe(0);
    const confirm = await agent.get(`/staff/submissions/${reference}/withdraw-request`);
    expect(confirm.status).toBe(403);
    const reason =
      'Only the person the case is assigned to, or a manager, can withdraw the request for information';
    expect(problem(confirm.text)).toBe(reason);

    const page = await agent.get(`/staff/submissions/${reference}`);
    const refused = await agent
      .post(`/staff/submissions/${reference}/withdraw-request`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), version: String(before.version) });
    expect(refused.status).toBe(403);
    expect(problem(refused.text)).toBe(reason);
    expect(await submission(reference)).toEqual(before);
    expect((await audit(before.id)).at(-1)).toMatchObject({
      action: 'case-action-refused',
      actor_id: other.id,
      details: { attempted: 'withdraw-request', assignedTo: owner.id },
    });
    expect((await outbox(before.id)).map((m) => m.template)).not.toContain('request-withdrawn');
  });

  it('is allowed to a manager on someone else’s case, which stays assigned to them', async () => {
    const reference = await awaitingCase();
    const { res } = await withdraw(await signIn(t, manager, { clock }), reference);
    expect(res?.status).toBe(303);
    const after = await submission(reference);
    expect(after.status).toBe('in-review');
    expect(after.assigned_to).toBe(owner.id);
  });

  it('is refused when no request is waiting, saying so, with nothing changed', async () => {
    now = new Date('2026-11-30T10:00:00Z');
    const reference = await send();
    const agent = await signIn(t, owner, { clock });
    expect((await act(agent, reference, 'assign', { assignee: 'me' })).status).toBe(303);
    const confirm = await agent.get(`/staff/submissions/${reference}/withdraw-request`).expect(200);
    expect(problem(confirm.text)).toBe(
      'There is no request for information waiting for a reply on this case',
    );
    expect(parseHtml(confirm.text)('form[action$="/withdraw-request"]').length).toBe(0);

    const before = await submission(reference);
    const refused = await act(agent, reference, 'withdraw-request');
    expect(refused.status).toBe(422);
    expect(problem(refused.text)).toBe(
      'There is no request for information to withdraw: the citizen may have replied already',
    );
    expect(await submission(reference)).toEqual(before);
    expect((await outbox(before.id)).map((m) => m.template)).toEqual(['application-sent']);
  });

  it('tells the caseworker the citizen replied first when the reply wins, and keeps the reply', async () => {
    const reference = await awaitingCase();
    const agent = await signIn(t, owner, { clock });
    const confirm = await agent.get(`/staff/submissions/${reference}/withdraw-request`).expect(200);
    const version = parseHtml(confirm.text)('input[name="version"]').attr('value')!;
    // Minutes later, before the caseworker presses the button (a staff session ends after 30 idle minutes).
    now = new Date('2026-11-30T10:10:00Z');
    expect((await recordCitizenReply(t.db, reference, 'Sent it today.', now, defaultCalendar())).ok).toBe(
      true,
    );
    const lost = await agent
      .post(`/staff/submissions/${reference}/withdraw-request`)
      .type('form')
      .send({ _csrf: csrfTokenIn(confirm.text), version });
    expect(lost.status).toBe(422);
    expect(problem(lost.text)).toBe(
      'There is no request for information to withdraw: the citizen may have replied already',
    );
    expect(parseHtml(lost.text)('main').text()).toContain('Sent it today.');
    const row = await submission(reference);
    expect(row.status).toBe('in-review');
    expect(await t.db('submission_event').where({ submission_id: row.id }).pluck('type')).not.toContain(
      'request-withdrawn',
    );
  });

  it('leaves one consistent outcome when the citizen replies while the caseworker withdraws', async () => {
    for (let round = 0; round < 4; round++) {
      const reference = await awaitingCase();
      const before = await submission(reference);
      const awaitingBefore = await awaitingRollup();
      now = new Date('2026-12-02T10:00:00Z');
      const [withdrawn, replied] = await Promise.all([
        changeCase(
          t.db,
          { submissionId: before.id, expectedVersion: before.version },
          { kind: 'withdraw-request' },
          { id: owner.id, role: 'caseworker' },
          now,
        ),
        recordCitizenReply(t.db, reference, 'My reply.', now, defaultCalendar()),
      ]);
      // Exactly one wins; the loser is told why.
      expect([withdrawn.ok, replied.ok].filter(Boolean)).toHaveLength(1);
      if (!withdrawn.ok) expect(withdrawn.message).toMatch(/no request for information to withdraw/);
      if (!replied.ok) expect(replied.message).toMatch(/We no longer need the information we asked for/);
      const after = await submission(reference);
      expect(after.status).toBe('in-review');
      expect(after.version).toBe(before.version + 1);
      expect(after.paused_working_days).toBe(2);
      expect(after.due_date).toBe('2026-12-16');
      expect(await awaitingRollup()).toBe(awaitingBefore - 1);
      const events = await t.db('submission_event').where({ submission_id: before.id }).pluck('type');
      expect(events.filter((e) => e === 'request-withdrawn' || e === 'information-provided')).toHaveLength(1);
      const messages = await t
        .db('submission_message')
        .where({ submission_id: before.id, direction: 'from-citizen' });
      expect(messages).toHaveLength(replied.ok ? 1 : 0);
      const mail = (await outbox(before.id)).map((m) => m.template);
      expect(mail.filter((m) => m === 'request-withdrawn')).toHaveLength(withdrawn.ok ? 1 : 0);
    }
  });
});
