import { storeUpload } from '../../src/uploads/upload-repository';
import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import express from 'express';
import { appRoutes } from '../../src/app-routes';
import { createStaffRouter, undeclaredStaffRoutes, type DeclaredRoute } from '../../src/staff/access';
import { caseOwnershipRefusal, changeCase } from '../../src/staff/case-repository';
import { appWith, type TestApp } from '../helpers/app';
import { tableContents } from '../helpers/db';
import { csrfTokenIn, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, type TestStaffUser } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import potholePaths from '../fixtures/journeys/report-a-pothole';
import type { JourneyPath } from '../fixtures/journeys/types';

// Monday 30 November 2026, 10:00 in London. Tests move it forward by setting `now`.
let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const VEHICLE_AGENCIES = [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id];

async function send(t: TestApp, slug: string, path: JourneyPath): Promise<string> {
  const agent = await walkToCheckAnswers(t.app, slug, path);
  const sent = await sendApplication(agent, slug);
  return sent.headers.location!.split('/').pop()!;
}

/** A CSRF token for this agent's session, from any page with a form. */
async function tokenFor(agent: Agent, page = '/check-status'): Promise<string> {
  return csrfTokenIn((await agent.get(page).expect(200)).text);
}

async function act(agent: Agent, reference: string, action: string, fields: Record<string, string> = {}) {
  const page = await agent.get(`/staff/submissions/${reference}`).expect(200);
  const $ = parseHtml(page.text);
  const version = $('input[name="version"]').first().attr('value')!;
  return agent
    .post(`/staff/submissions/${reference}/${action}`)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), version, ...fields });
}

/** A citizen who has found their application on the status check (reference and email): their agent. */
async function citizenWith(
  t: TestApp,
  reference: string,
  proof = 'sarah.philips@example.com',
): Promise<Agent> {
  const citizen = request.agent(t.app);
  const form = await citizen.get('/check-status');
  await citizen
    .post('/check-status')
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), reference, proof })
    .expect(303)
    .expect('Location', '/check-status/your-application');
  return citizen;
}

const statusOf = async (t: TestApp, reference: string) =>
  (await t.db('submission').where({ reference }).first('status')).status as string;
const auditActions = async (t: TestApp, reference: string) =>
  t
    .db('audit_event as a')
    .join('submission as s', 's.id', 'a.submission_id')
    .where('s.reference', reference)
    .orderBy('a.id')
    .pluck('a.action');
const errorSummary = (html: string) =>
  parseHtml(html)('.govuk-error-summary__list a')
    .map((_i, a) => parseHtml(html)(a).text().trim())
    .get();

/** The "Important" banner a case page shows when an action was not applied, with its role. */
const problemBanner = (html: string) => {
  const $ = parseHtml(html);
  const banner = $('#case-problem');
  expect(banner.attr('role')).toBe('alert');
  return banner.find('.govuk-notification-banner__content').text().trim();
};

describe('the staff queue and cases', () => {
  let t: TestApp;
  let caseworker: TestStaffUser;
  let otherCaseworker: TestStaffUser;
  let manager: TestStaffUser;
  let councilCaseworker: TestStaffUser;
  let vehicleRef: string;
  let potholeRef: string;

  beforeAll(async () => {
    t = await appWith({}, { clock });
    caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: VEHICLE_AGENCIES,
      displayName: 'Casey Worker',
    });
    otherCaseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: VEHICLE_AGENCIES,
      displayName: 'Olu Other',
    });
    councilCaseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.localCouncil.id],
    });
    manager = await createStaffUser(t.db, {
      role: 'manager',
      agencies: Object.values(AGENCIES).map((a) => a.id),
      displayName: 'Mina Manager',
    });
    vehicleRef = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    potholeRef = await send(t, 'report-a-pothole', potholePaths[0]!);
  });
  afterAll(() => t.close());

  it('shows each caseworker only the cases of their agencies, oldest first, with time left in working days', async () => {
    const agent = await signIn(t, caseworker, { clock });
    const res = await agent.get('/staff').expect(200);
    const $ = parseHtml(res.text);
    const refs = $('tbody th a')
      .map((_i, a) => $(a).text())
      .get();
    expect(refs).toContain(`${vehicleRef.slice(0, 4)}-${vehicleRef.slice(4, 8)}-${vehicleRef.slice(8)}`);
    expect(refs.some((r) => r.replace(/-/g, '') === potholeRef)).toBe(false);
    // Sent on Monday 30 November with a 10 working day target: due Monday 14 December, 10 working days left.
    expect($('tbody tr').first().text()).toContain('10 working days left');
    await agent.get(`/staff/submissions/${potholeRef}`).expect(404);
    await agent.get('/staff/submissions/NOT-A-REF').expect(404);
  });

  it('marks a case overdue once its due date has passed, and filters to overdue cases', async () => {
    const saved = now;
    now = new Date('2026-12-16T10:00:00Z'); // two working days after the due date
    try {
      const agent = await signIn(t, manager, { clock });
      const overdue = await agent.get('/staff?overdue=yes').expect(200);
      const $ = parseHtml(overdue.text);
      expect($('tbody').text()).toContain('Overdue');
      expect($('tbody').text()).toContain('2 working days overdue');
    } finally {
      now = saved;
    }
  });

  it('gives "Take the next case" the oldest unassigned case, and two people pressing at once get different cases', async () => {
    const extra = await send(t, 'register-a-vehicle', vehiclePaths[1]!);
    const a = await signIn(t, caseworker, { clock });
    const b = await signIn(t, otherCaseworker, { clock });
    const [tokenA, tokenB] = await Promise.all([tokenFor(a), tokenFor(b)]);
    const [ra, rb] = await Promise.all([
      a.post('/staff/next-case').type('form').send({ _csrf: tokenA }),
      b.post('/staff/next-case').type('form').send({ _csrf: tokenB }),
    ]);
    const got = [ra.headers.location, rb.headers.location].sort();
    expect(got).toEqual([`/staff/submissions/${extra}`, `/staff/submissions/${vehicleRef}`].sort());
    const rows = await t
      .db('submission')
      .whereIn('reference', [vehicleRef, extra])
      .select('assigned_to', 'status');
    expect(new Set(rows.map((r) => r.assigned_to))).toEqual(new Set([caseworker.id, otherCaseworker.id]));
    expect(rows.every((r) => r.status === 'in-review')).toBe(true);

    const none = await a.post('/staff/next-case').type('form').send({ _csrf: tokenA });
    expect(none.headers.location).toBe('/staff?none=left');
    expect((await a.get('/staff?none=left')).text).toContain(
      'There are no unassigned cases waiting in your services.',
    );
  });

  it('filters the queue to my cases and to unassigned cases', async () => {
    const agent = await signIn(t, manager, { clock });
    const unassigned = parseHtml((await agent.get('/staff?assignee=unassigned&status=all').expect(200)).text);
    expect(
      unassigned('tbody th a')
        .map((_i, a) => unassigned(a).text().replace(/-/g, ''))
        .get(),
    ).toEqual([potholeRef]);
    const mine = parseHtml((await agent.get('/staff?assignee=me').expect(200)).text);
    expect(mine('tbody tr').length).toBe(0);
  });

  it('lets a manager reassign a case, and refuses to unassign someone else’s case for a caseworker', async () => {
    const m = await signIn(t, manager, { clock });
    const res = await act(m, potholeRef, 'assign', { assignee: String(councilCaseworker.id) });
    expect(res.status).toBe(303);
    expect((await t.db('submission').where({ reference: potholeRef }).first()).assigned_to).toBe(
      councilCaseworker.id,
    );

    const vehicleAssignee = (await t.db('submission').where({ reference: vehicleRef }).first()).assigned_to;
    const notOwner = vehicleAssignee === caseworker.id ? otherCaseworker : caseworker;
    const c = await signIn(t, notOwner, { clock });
    const refused = await act(c, vehicleRef, 'assign', { assignee: 'nobody' });
    expect(refused.status).toBe(403);
  });

  afterEach(() => {
    now = new Date('2026-11-30T10:00:00Z');
  });

  it('moves a case through request information, the citizen’s reply (with the clock paused) and approval', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const staff = await signIn(t, manager, { clock });
    await act(staff, reference, 'assign', { assignee: String(manager.id) });
    const asked = await act(staff, reference, 'request-information', {
      message: 'Send a photo of the VIN plate, please.',
    });
    expect(asked.status).toBe(303);
    expect(await statusOf(t, reference)).toBe('awaiting-citizen');
    const paused = parseHtml((await staff.get(`/staff/submissions/${reference}`)).text);
    expect(paused('main').text()).toContain('Paused while waiting for the citizen');

    // The citizen finds the request on the status page, three working days later, and replies.
    now = new Date('2026-12-03T10:00:00Z');
    const citizen = await citizenWith(t, reference);
    const page = await citizen.get('/check-status/your-application').expect(200);
    expect(page.text).toContain('Send a photo of the VIN plate, please.');
    expect(parseHtml(page.text)('#reply').length).toBe(1);
    const replied = await citizen
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), reply: 'Photo sent by post today.' })
      .expect(303);
    expect(replied.headers.location).toBe('/check-status/your-application?sent=true');
    const after = await t.db('submission').where({ reference }).first();
    expect(after.status).toBe('in-review');
    expect(after.paused_working_days).toBe(3);
    // Due 14 December, pushed back by the 3 working days spent waiting.
    expect(after.due_date).toBe('2026-12-17');
    expect(Number(after.paused_seconds)).toBe(3 * 24 * 3600);

    // Three days on, the member of staff signs in again (sessions end after 30 idle minutes).
    const later = await signIn(t, manager, { clock });
    const caseView = await later.get(`/staff/submissions/${reference}`).expect(200);
    expect(caseView.text).toContain('Photo sent by post today.');
    expect((await act(later, reference, 'approve')).status).toBe(303);
    expect(await statusOf(t, reference)).toBe('approved');

    const decided = await citizen.get('/check-status/your-application').expect(200);
    expect(parseHtml(decided.text)('.govuk-summary-list').text()).toContain('Approved');
    expect(await auditActions(t, reference)).toEqual([
      'assign',
      'request-information',
      'citizen-replied',
      'approve',
    ]);
  });

  it('shows the citizen the reason for a rejection', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const staff = await signIn(t, manager, { clock });
    const empty = await act(staff, reference, 'reject', { reason: '' });
    expect(empty.status).toBe(422);
    expect(errorSummary(empty.text)).toEqual(['Enter the reason for rejecting the application']);
    await act(staff, reference, 'reject', { reason: 'The VIN does not match the vehicle.' }).then((r) =>
      expect(r.status).toBe(303),
    );
    const citizen = await citizenWith(t, reference, 'SARAH.PHILIPS@example.com');
    const page = await citizen.get('/check-status/your-application');
    expect(page.text).toContain('Why your application was rejected');
    expect(page.text).toContain('The VIN does not match the vehicle.');
  });

  it('shows free text from staff and citizens as text, never markup, on the case page and the status page', async () => {
    // docs/security.md#bad-input-catalogue, "stored, then shown inert": markup, an event handler, a javascript: link and a template,
    // over two lines (the pages turn line breaks into <br>), in every free text a person types about a case.
    const hostile = (who: string) =>
      `${who} line one\n"><img src=x onerror=alert(1)><script>alert(1)</script><a href="javascript:alert(1)">x</a>{{7*7}}`;
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const staff = await signIn(t, manager, { clock });
    await act(staff, reference, 'notes', { note: hostile('Note') }).then((r) => expect(r.status).toBe(303));
    await act(staff, reference, 'request-information', { message: hostile('Request') }).then((r) =>
      expect(r.status).toBe(303),
    );
    const citizen = await citizenWith(t, reference);
    const asked = await citizen.get('/check-status/your-application').expect(200);
    await citizen
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(asked.text), reply: hostile('Reply') })
      .expect(303);
    await act(staff, reference, 'reject', { reason: hostile('Reason') }).then((r) =>
      expect(r.status).toBe(303),
    );

    const casePage = (await staff.get(`/staff/submissions/${reference}`).expect(200)).text;
    const statusPage = (await citizen.get('/check-status/your-application').expect(200)).text;
    for (const [page, texts] of [
      [casePage, ['Note', 'Request', 'Reply', 'Reason']],
      [statusPage, ['Request', 'Reason']],
    ] as const) {
      const $ = parseHtml(page);
      expect($('img[src="x"], [onerror], a[href^="javascript:"]').length).toBe(0);
      expect($('script:not([src])').length).toBe(1); // govuk-frontend's js-enabled line, with its nonce
      const main = $('main').text();
      for (const who of texts) {
        expect(main).toContain(`${who} line one`);
        expect(main).toContain('"><img src=x onerror=alert(1)><script>alert(1)</script>');
        expect(main).toContain('<a href="javascript:alert(1)">x</a>{{7*7}}');
      }
    }
  });

  it('refuses an illegal transition with a clear message and changes nothing', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const staff = await signIn(t, manager, { clock });
    await act(staff, reference, 'approve').then((r) => expect(r.status).toBe(303));
    const again = await act(staff, reference, 'reject', { reason: 'Too late' });
    expect(again.status).toBe(422);
    // Not a field to correct: an "Important" banner that takes focus, and no error summary.
    expect(problemBanner(again.text)).toBe('This application has already been decided');
    expect(errorSummary(again.text)).toEqual([]);
    expect(await statusOf(t, reference)).toBe('approved');
    // The approval assigned the case to the manager first (nobody had it); the refused rejection wrote nothing.
    expect(await auditActions(t, reference)).toEqual(['assign', 'approve']);
  });

  it('lets exactly one of two decisions made on the same view win; the other is told the case has changed and keeps what they typed', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const first = await signIn(t, manager, { clock });
    const second = await signIn(t, manager, { clock });
    const page = await second.get(`/staff/submissions/${reference}`).expect(200);
    const version = parseHtml(page.text)('input[name="version"]').first().attr('value')!;
    await act(first, reference, 'approve').then((r) => expect(r.status).toBe(303));
    const lost = await second
      .post(`/staff/submissions/${reference}/reject`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), version, reason: 'Carefully written reason' });
    expect(lost.status).toBe(409);
    expect(problemBanner(lost.text)).toBe(
      'This case has changed since you opened it. Check the latest details below, then try again.',
    );
    expect(lost.text).toContain('Carefully written reason');
    expect(await statusOf(t, reference)).toBe('approved');
  });

  it('lets exactly one of two simultaneous decisions through', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const [a, b] = [await signIn(t, manager, { clock }), await signIn(t, manager, { clock })];
    const [pa, pb] = await Promise.all([
      a.get(`/staff/submissions/${reference}`),
      b.get(`/staff/submissions/${reference}`),
    ]);
    const versionOf = (html: string) => parseHtml(html)('input[name="version"]').first().attr('value')!;
    const [ra, rb] = await Promise.all([
      a
        .post(`/staff/submissions/${reference}/approve`)
        .type('form')
        .send({ _csrf: csrfTokenIn(pa.text), version: versionOf(pa.text) }),
      b
        .post(`/staff/submissions/${reference}/reject`)
        .type('form')
        .send({ _csrf: csrfTokenIn(pb.text), version: versionOf(pb.text), reason: 'No' }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([303, 409]);
    const decisions = (await auditActions(t, reference)).filter((x) => x === 'approve' || x === 'reject');
    expect(decisions).toHaveLength(1);
  });

  it('writes one audit row per action saying who, in which role, what, from which status to which, and the request id', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const staff = await signIn(t, manager, { clock });
    await act(staff, reference, 'assign', { assignee: String(manager.id) }).then((r) =>
      expect(r.status).toBe(303),
    );
    const page = await staff.get(`/staff/submissions/${reference}`).expect(200);
    const version = parseHtml(page.text)('input[name="version"]').first().attr('value')!;
    const before = Number((await t.db('audit_event').max({ last: 'id' }).first())!.last);
    const sentAfter = Date.now();
    const approved = await staff
      .post(`/staff/submissions/${reference}/approve`)
      .set('X-Request-Id', 'audit-trail-request-1')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), version })
      .expect(303);
    const { id: submissionId } = await t.db('submission').where({ reference }).first('id');
    const rows = await t.db('audit_event').where('id', '>', before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: manager.id,
      actor_role: 'manager',
      action: 'approve',
      submission_id: submissionId,
      from_status: 'in-review',
      to_status: 'approved',
      // The server's id for the request, never the client's (test/security/request-ids.test.ts).
      request_id: approved.headers['x-request-id'],
    });
    // When: the database's own clock (UTC), not the app's, so no instance's clock can rewrite history.
    expect(rows[0].occurred_at).toBeInstanceOf(Date);
    expect(rows[0].occurred_at.getTime()).toBeGreaterThanOrEqual(sentAfter - 1000);
  });

  it('writes no audit row when the change rolls back', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const row = await t.db('submission').where({ reference }).first('id', 'version');
    const before = await t.db('audit_event').count({ n: '*' });
    // A note by a staff id that does not exist breaks a foreign key inside the transaction.
    await expect(
      changeCase(
        t.db,
        { submissionId: row.id, expectedVersion: row.version },
        { kind: 'note', body: 'x' },
        { id: 99_999_999, role: 'caseworker' },
        now,
      ),
    ).rejects.toThrow();
    expect(await t.db('audit_event').count({ n: '*' })).toEqual(before);
    expect(await t.db('submission_note').where({ submission_id: row.id }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });

  it('keeps the audit log append-only: the database refuses to change or delete a row', async () => {
    await expect(t.db('audit_event').update({ action: 'tampered' })).rejects.toThrow(/append-only/);
    await expect(t.db('audit_event').del()).rejects.toThrow(/append-only/);
  });

  it('adds internal notes that the citizen never sees', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const staff = await signIn(t, manager, { clock });
    await act(staff, reference, 'notes', { note: 'Called the DVLA office <b>today</b>' }).then((r) =>
      expect(r.status).toBe(303),
    );
    const view = await staff.get(`/staff/submissions/${reference}`).expect(200);
    expect(view.text).toContain('Called the DVLA office &lt;b&gt;today&lt;/b&gt;');
    const citizen = await citizenWith(t, reference);
    expect((await citizen.get('/check-status/your-application')).text).not.toContain(
      'Called the DVLA office',
    );
  });

  it('renders answers through the snapshot the citizen saw, whatever the service looks like now', async () => {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const row = await t.db('submission').where({ reference }).first('definition_snapshot');
    const snapshot = row.definition_snapshot;
    snapshot.pages[0].questions[0].summaryLabel = 'VIN as it was asked in version 1';
    await t
      .db('submission')
      .where({ reference })
      .update({ definition_snapshot: JSON.stringify(snapshot) });
    const staff = await signIn(t, manager, { clock });
    const view = await staff.get(`/staff/submissions/${reference}`).expect(200);
    expect(view.text).toContain('VIN as it was asked in version 1');
    expect(view.text).toContain('WVWZZZ1JZXW000001');
  });

  it('shows a manager the audit history and the team workload, but not a caseworker', async () => {
    const m = await signIn(t, manager, { clock });
    const audit = await m.get(`/staff/submissions/${vehicleRef}/audit`).expect(200);
    const $ = parseHtml(audit.text);
    expect($('tbody tr').length).toBeGreaterThan(0);
    // Actions read as words, never as the codes stored in the database.
    const actions = $('tbody tr td:nth-child(4)')
      .map((_i, td) => $(td).text().trim())
      .get();
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).not.toMatch(/^[a-z]+(-[a-z]+)+$|^[a-z]+$/);
    const team = await m.get('/staff/team').expect(200);
    expect(team.text).toContain('Casey Worker');
    const c = await signIn(t, caseworker, { clock });
    await c.get(`/staff/submissions/${vehicleRef}/audit`).expect(403);
    await c.get('/staff/team').expect(403);
  });
});

describe('who may act on a case: a caseworker only on cases unassigned or their own, a manager on any', () => {
  let t: TestApp;
  let alex: TestStaffUser; // caseworker A
  let blake: TestStaffUser; // caseworker B
  let manager: TestStaffUser;
  let asAlex: Agent;
  let asBlake: Agent;
  let asManager: Agent;

  beforeAll(async () => {
    t = await appWith({}, { clock });
    alex = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: VEHICLE_AGENCIES,
      displayName: 'Alex A',
    });
    blake = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: VEHICLE_AGENCIES,
      displayName: 'Blake B',
    });
    manager = await createStaffUser(t.db, {
      role: 'manager',
      agencies: VEHICLE_AGENCIES,
      displayName: 'Mo M',
    });
    asAlex = await signIn(t, alex, { clock });
    asBlake = await signIn(t, blake, { clock });
    asManager = await signIn(t, manager, { clock });
  });
  afterAll(() => t.close());

  const caseRow = (reference: string) =>
    t.db('submission').where({ reference }).first('id', 'status', 'assigned_to', 'version');
  const eventTypes = async (reference: string) =>
    t
      .db('submission_event')
      .where({ submission_id: (await caseRow(reference)).id })
      .orderBy('id')
      .pluck('type');
  /** Every table but the audit log, and the audit log's rows, so "nothing changed but the refusal" can be said. */
  const everything = async () => {
    const all = JSON.parse(await tableContents(t.db)) as Record<string, unknown[]>;
    const { audit_event: audit, ...rest } = all;
    return { rest, audit: audit! };
  };
  const buttons = (html: string) =>
    parseHtml(html)('#case-actions button')
      .map((_i, b) => parseHtml(html)(b).text().trim())
      .get();
  /** A new vehicle case assigned to `owner` (by themselves), or left unassigned. */
  async function caseOf(owner?: { agent: Agent; user: TestStaffUser }): Promise<string> {
    const reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    if (owner) {
      const fields = owner.user.role === 'manager' ? { assignee: String(owner.user.id) } : { assignee: 'me' };
      expect((await act(owner.agent, reference, 'assign', fields)).status).toBe(303);
    }
    return reference;
  }

  it('refuses caseworker B taking, unassigning, asking about, approving or rejecting caseworker A’s case: a 403 page saying why, nothing changed, each refusal audited', async () => {
    const reference = await caseOf({ agent: asAlex, user: alex });
    const page = await asBlake.get(`/staff/submissions/${reference}`).expect(200);
    // Nothing B would be refused is offered, and the page says who has the case.
    expect(buttons(page.text)).toEqual([]);
    expect(parseHtml(page.text)('#assign').text()).toContain('This case is assigned to Alex A');

    const attempts: [string, Record<string, string>, string, string][] = [
      [
        'assign',
        { assignee: 'me' },
        'assign',
        'Only a manager can take a case that is assigned to someone else',
      ],
      ['assign', { assignee: 'nobody' }, 'unassign', 'Only a manager can unassign a case from someone else'],
      [
        'request-information',
        { message: 'Send a photo of the VIN plate' },
        'request-information',
        'Only the person the case is assigned to, or a manager, can ask the citizen for more information',
      ],
      ['approve', {}, 'approve', 'Only the person the case is assigned to, or a manager, can approve it'],
      [
        'reject',
        { reason: 'A reason B typed carefully' },
        'reject',
        'Only the person the case is assigned to, or a manager, can reject it',
      ],
    ];
    for (const [action, fields, attempted, message] of attempts) {
      const before = await everything();
      // The version B sends is the current one: only ownership can refuse the request.
      const { version } = await caseRow(reference);
      const res = await asBlake
        .post(`/staff/submissions/${reference}/${action}`)
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text), version: String(version), ...fields });
      expect({ attempted, status: res.status }).toEqual({ attempted, status: 403 });
      expect(problemBanner(res.text)).toBe(message);
      expect(parseHtml(res.text)('h1').text().trim()).toMatch(/^Case /);
      if (fields.reason) expect(res.text).toContain('A reason B typed carefully');
      const after = await everything();
      expect(after.rest).toEqual(before.rest);
      expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
      expect(after.audit.slice(before.audit.length)).toEqual([
        expect.objectContaining({
          action: 'case-action-refused',
          actor_id: blake.id,
          actor_role: 'caseworker',
          submission_id: (await caseRow(reference)).id,
          details: { attempted, assignedTo: alex.id },
        }),
      ]);
    }
    expect(await caseRow(reference)).toMatchObject({ status: 'in-review', assigned_to: alex.id });
  });

  it('lets caseworker A act on their own case, and a manager act on anyone’s', async () => {
    const asked = await caseOf({ agent: asAlex, user: alex });
    expect(buttons((await asAlex.get(`/staff/submissions/${asked}`)).text)).toEqual([
      'Unassign me',
      'Send request',
      'Approve application',
      'Reject application',
    ]);
    expect((await act(asAlex, asked, 'request-information', { message: 'Send a photo' })).status).toBe(303);
    expect(await caseRow(asked)).toMatchObject({ status: 'awaiting-citizen', assigned_to: alex.id });

    // The manager sees every action on A's case, decides it, and it stays A's.
    const decided = await caseOf({ agent: asAlex, user: alex });
    expect(buttons((await asManager.get(`/staff/submissions/${decided}`)).text)).toEqual([
      'Save assignment',
      'Send request',
      'Approve application',
      'Reject application',
    ]);
    expect((await act(asManager, decided, 'reject', { reason: 'Not eligible' })).status).toBe(303);
    expect(await caseRow(decided)).toMatchObject({ status: 'rejected', assigned_to: alex.id });

    // A manager may take a case from A, and then A is the one refused.
    const taken = await caseOf({ agent: asAlex, user: alex });
    expect((await act(asManager, taken, 'assign', { assignee: String(manager.id) })).status).toBe(303);
    expect((await caseRow(taken)).assigned_to).toBe(manager.id);
    expect((await act(asAlex, taken, 'approve')).status).toBe(403);
    // Anyone who can see a case may add a note: it changes nothing about the case.
    expect((await act(asBlake, taken, 'notes', { note: 'Called the keeper' })).status).toBe(303);
  });

  it.each(['approve', 'reject', 'request-information'])(
    'assigns an unassigned case to whoever acts on it (%s), in the same transaction, its history showing the assignment before the action',
    async (action) => {
      const reference = await caseOf();
      const page = await asBlake.get(`/staff/submissions/${reference}`).expect(200);
      expect(parseHtml(page.text)('#case-actions').text()).toContain(
        'Asking for more information or deciding assigns the case to you.',
      );
      const fields = { reject: { reason: 'Not eligible' }, 'request-information': { message: 'A photo' } };
      const res = await act(asBlake, reference, action, fields[action as keyof typeof fields] ?? {});
      expect(res.status).toBe(303);
      const status = { approve: 'approved', reject: 'rejected', 'request-information': 'awaiting-citizen' }[
        action
      ];
      expect(await caseRow(reference)).toMatchObject({ status, assigned_to: blake.id });
      const event = {
        approve: 'approved',
        reject: 'rejected',
        'request-information': 'information-requested',
      }[action];
      expect(await eventTypes(reference)).toEqual(['submitted', 'assigned', event]);
      expect(await auditActions(t, reference)).toEqual(['assign', action]);
      // Once B has it, A is the one refused.
      if (action === 'request-information')
        expect((await act(asAlex, reference, 'assign', { assignee: 'me' })).status).toBe(403);
    },
  );

  it('does not offer "Assign to me" or reassignment on a decided case, and refuses both without changing anything', async () => {
    const reference = await caseOf();
    expect((await act(asAlex, reference, 'approve')).status).toBe(303);
    // As a case decided before this rule could be: approved, with nobody assigned.
    await t.db('submission').where({ reference }).update({ assigned_to: null });
    for (const [agent, fields] of [
      [asBlake, { assignee: 'me' }],
      [asManager, { assignee: String(manager.id) }],
      [asManager, { assignee: 'nobody' }],
    ] as const) {
      const page = await agent.get(`/staff/submissions/${reference}`).expect(200);
      expect(buttons(page.text)).toEqual([]);
      expect(parseHtml(page.text)('#case-actions').text()).toContain('This application has been decided.');
      const before = await tableContents(t.db);
      const res = await act(agent, reference, 'assign', fields);
      expect(res.status).toBe(422);
      expect(problemBanner(res.text)).toBe(
        'This application has been decided, so who it is assigned to can no longer change',
      );
      expect(await tableContents(t.db)).toEqual(before);
    }
    // The citizen's history stays "approved" last, never "being reviewed" after it.
    expect(await eventTypes(reference)).toEqual(['submitted', 'assigned', 'approved']);
  });

  it('holds under concurrency: caseworkers A and B pressing "Assign to me" and "Approve" on one case at once leave it decided only by its owner', async () => {
    for (let round = 0; round < 5; round += 1) {
      const reference = await caseOf();
      const [pa, pb] = await Promise.all([
        asAlex.get(`/staff/submissions/${reference}`),
        asBlake.get(`/staff/submissions/${reference}`),
      ]);
      const version = String((await caseRow(reference)).version);
      const post = (agent: Agent, html: string, action: string, fields: Record<string, string>) =>
        agent
          .post(`/staff/submissions/${reference}/${action}`)
          .type('form')
          .send({ _csrf: csrfTokenIn(html), version, ...fields });
      const [ra, rb] = await Promise.all([
        post(asAlex, pa.text, 'assign', { assignee: 'me' }),
        round % 2 === 0
          ? post(asBlake, pb.text, 'approve', {})
          : post(asBlake, pb.text, 'reject', { reason: 'No' }),
      ]);
      // Exactly one succeeds; the other finds the case taken (refused, 403) or changed (409).
      expect([ra.status, rb.status].filter((s) => s === 303)).toHaveLength(1);
      expect([ra.status, rb.status].every((s) => [303, 403, 409].includes(s))).toBe(true);
      const row = await caseRow(reference);
      const decisions = await t
        .db('audit_event')
        .where({ submission_id: row.id })
        .whereIn('action', ['approve', 'reject'])
        .pluck('actor_id');
      if (rb.status === 303) {
        expect(row.assigned_to).toBe(blake.id);
        expect(decisions).toEqual([blake.id]);
      } else {
        expect(row).toMatchObject({ assigned_to: alex.id, status: 'in-review' });
        expect(decisions).toEqual([]);
      }
    }
  });

  it('states the rule as a function the transaction applies: managers anything, others only unassigned or their own cases', () => {
    const caseworker = { id: 1, role: 'caseworker' };
    expect(caseOwnershipRefusal(caseworker, null, { kind: 'approve' })).toBeUndefined();
    expect(caseOwnershipRefusal(caseworker, 1, { kind: 'reject', reason: 'x' })).toBeUndefined();
    expect(caseOwnershipRefusal(caseworker, 2, { kind: 'approve' })).toMatch(/Only the person/);
    expect(caseOwnershipRefusal(caseworker, 2, { kind: 'note', body: 'x' })).toBeUndefined();
    expect(caseOwnershipRefusal(caseworker, null, { kind: 'assign', to: 3 })).toMatch(/someone else/);
    expect(caseOwnershipRefusal(caseworker, 1, { kind: 'assign', to: null })).toBeUndefined();
    expect(caseOwnershipRefusal({ id: 9, role: 'manager' }, 2, { kind: 'assign', to: 3 })).toBeUndefined();
  });
});

describe('the CSV export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock });
  });
  afterAll(() => t.close());

  it('exports the filtered queue with spreadsheet formulas neutralised', async () => {
    const path = structuredClone(vehiclePaths[0]!);
    const emailStep = path.steps.find((s) => s.page === 'contact-email')!;
    emailStep.body = { contactEmail: '=cmd@example.com' };
    await send(t, 'register-a-vehicle', path);
    const formulaName = await createStaffUser(t.db, {
      role: 'manager',
      agencies: VEHICLE_AGENCIES,
      displayName: '=HYPERLINK("http://evil.example","Click")',
    });
    const agent = await signIn(t, formulaName, { clock });
    await act(agent, (await t.db('submission').first('reference')).reference, 'assign', {
      assignee: String(formulaName.id),
    });
    const res = await agent.get('/staff/cases.csv?status=all').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-2026-11-30\.csv"$/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Reference,Service,Status,Received,Due,Time against target,Assigned to,Contact');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    expect(lines[1]).toContain("'=cmd@example.com");
    expect(lines[1]).not.toMatch(/,=|^=/);
  });
});

describe('deny by default: every staff route declares its roles, and the role-by-route matrix holds', () => {
  let t: TestApp;
  let reference: string;
  let target: TestStaffUser; // the account the admin routes act on (/staff/users/:id/...)
  const agents: Record<string, Agent> = {};
  const users: Record<string, TestStaffUser> = {};

  beforeAll(async () => {
    t = await appWith({}, { clock });
    reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    const all = Object.values(AGENCIES).map((a) => a.id);
    for (const role of ['caseworker', 'manager', 'admin'] as const) {
      users[role] = await createStaffUser(t.db, { role, agencies: role === 'admin' ? [] : all });
      agents[role] = await signIn(t, users[role]!, { clock });
    }
    target = await createStaffUser(t.db, { role: 'caseworker', agencies: all });
    agents.anonymous = request.agent(t.app);
  });
  afterAll(() => t.close());

  const declared = (): readonly DeclaredRoute[] => t.app.locals.staffRoutes as DeclaredRoute[];

  it('has no route under /staff that was not declared with its roles, and refuses to build an app with one', () => {
    expect(declared().length).toBeGreaterThan(10);
    expect(undeclaredStaffRoutes(appRoutes(t.app), declared())).toEqual([]);
    // A route added with a plain router, past the staff router’s role check, is found: createApp runs this check
    // and refuses to build the app.
    const app = express();
    const staff = createStaffRouter(t.db);
    staff.get('/staff/declared', ['admin'], (_req, res) => void res.send('ok'));
    app.use(staff.router);
    const sneaky = express.Router();
    sneaky.get('/staff/export-everything', (_req, res) => void res.send('everything'));
    sneaky.post('/staff/declared', (_req, res) => void res.send('posted'));
    app.use(sneaky);
    expect(undeclaredStaffRoutes(appRoutes(app), staff.declared)).toEqual([
      'get /staff/export-everything',
      'post /staff/declared',
    ]);
  });

  it('answers each route as its declaration says, for anonymous people and each role', async () => {
    const fill = (path: string) => path.replace(':reference', reference).replace(':id', String(target.id));
    const outcomes: string[] = [];
    for (const route of declared()) {
      // Not role routes: 'signing-in' and 'new-password' have their own tests (sign-in.test.ts, account.test.ts).
      if (!Array.isArray(route.allowed)) continue;
      for (const who of ['anonymous', 'caseworker', 'manager', 'admin'] as const) {
        const agent = agents[who]!;
        const url = fill(route.path);
        // The token first: supertest attaches cookies when the request is created.
        const token = route.method === 'post' ? await tokenFor(agent) : '';
        const res =
          route.method === 'get'
            ? await agent.get(url)
            : await agent.post(url).type('form').send({ _csrf: token });
        const expected =
          who === 'anonymous'
            ? 'sign-in'
            : (route.allowed as readonly string[]).includes(who)
              ? 'allowed'
              : 'forbidden';
        const actual =
          res.status === 302 && res.headers.location === '/staff/sign-in'
            ? 'sign-in'
            : res.status === 403 && res.text.includes('You do not have access to this page')
              ? 'forbidden'
              : res.status < 500 && res.status !== 403
                ? 'allowed'
                : `status ${res.status}`;
        outcomes.push(
          `${route.method} ${route.path} as ${who}: ${actual === expected ? 'ok' : `expected ${expected}, got ${actual}`}`,
        );
      }
    }
    expect(outcomes.filter((o) => !o.endsWith(': ok'))).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(40);
  });

  it('renders every staff page without errors for each role allowed to see it', async () => {
    // A file sent with the case, for its download route.
    const file = await storeUpload(t.db, {
      journeyKey: 'casework-test',
      questionId: 'evidence',
      name: 'evidence.pdf',
      kind: 'pdf',
      content: Buffer.from('%PDF-1.4\n%%EOF\n'),
      now: new Date(),
    });
    const submission = (await t.db('submission').where({ reference }).first('id')) as { id: number };
    await t.db('upload').where({ id: file.id }).update({ submission_id: submission.id });
    const fill = (path: string) =>
      path.replace(':reference', reference).replace(':id', String(target.id)).replace(':file', file.id);
    for (const route of declared().filter((r) => r.method === 'get' && Array.isArray(r.allowed))) {
      for (const role of route.allowed as readonly string[]) {
        const res = await agents[role]!.get(fill(route.path));
        expect({ route: route.path, role, status: res.status }).toEqual({
          route: route.path,
          role,
          status: 200,
        });
        if (res.status === 200 && /html/.test(res.headers['content-type'] ?? '')) {
          expect(parseHtml(res.text)('h1').length).toBe(1);
        }
      }
    }
  });

  it('records denied access in the audit log', async () => {
    const [{ last }] = (await t.db('audit_event').max({ last: 'id' })) as [{ last: number }];
    await agents.caseworker!.get('/staff/users').expect(403);
    const rows = await t
      .db('audit_event')
      .where('id', '>', last)
      .select('action', 'actor_id', 'actor_role', 'details');
    expect(rows).toEqual([
      {
        action: 'access-denied',
        actor_id: users.caseworker!.id,
        actor_role: 'caseworker',
        details: { method: 'GET', route: '/staff/users' },
      },
    ]);
  });
});
