import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, fixedClock, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import potholePaths from '../fixtures/journeys/report-a-pothole';
import { formatReference } from '../../src/submissions/reference';

// Issue 7, access control (docs/security.md#z3): staff only ever reach the cases of their agencies' services (404 for
// any other, by every route, with nothing changed), and a citizen only ever sees an application after proving
// it is theirs with its second factor (the postcode or email given in it).

const VEHICLE_AGENCIES = [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id];
const VEHICLE_EMAIL = 'sarah.philips@example.com';

async function send(t: TestApp, slug: string, path: (typeof vehiclePaths)[number]): Promise<string> {
  const agent = await walkToCheckAnswers(t.app, slug, path);
  return (await sendApplication(agent, slug)).headers.location!.split('/').pop()!;
}

/** Everything about a case that a staff action could change. */
async function caseState(t: TestApp, reference: string) {
  const row = await t.db('submission').where({ reference }).first('id', 'status', 'version', 'assigned_to');
  const count = async (table: string) =>
    Number((await t.db(table).where({ submission_id: row.id }).count({ n: '*' }))[0]!.n);
  return {
    ...row,
    events: await count('submission_event'),
    notes: await count('submission_note'),
    messages: await count('submission_message'),
    audit: Number(
      (
        await t
          .db('audit_event')
          .where({ submission_id: row.id })
          .whereNot({ action: 'access-denied' })
          .count({ n: '*' })
      )[0]!.n,
    ),
  };
}

describe('staff see only their agencies’ cases', () => {
  let t: TestApp;
  let vehicleRef: string;
  let potholeRef: string;
  let vehicleCaseworker: Agent;
  let vehicleManager: Agent;
  let vehicleCaseworkerId: number;

  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    vehicleRef = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
    potholeRef = await send(t, 'report-a-pothole', potholePaths[0]!);
    const caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: VEHICLE_AGENCIES });
    vehicleCaseworkerId = caseworker.id;
    vehicleCaseworker = await signIn(t, caseworker, { clock: fixedClock });
    vehicleManager = await signIn(
      t,
      await createStaffUser(t.db, { role: 'manager', agencies: VEHICLE_AGENCIES }),
      { clock: fixedClock },
    );
  });
  afterAll(() => t.close());

  it.each(['caseworker', 'manager'])(
    'answers 404 to a %s for every page and action of another agency’s case, and changes nothing',
    async (role) => {
      const agent = role === 'caseworker' ? vehicleCaseworker : vehicleManager;
      // A real token and version from one of their own cases, so only the scope can refuse the request.
      const own = await agent.get(`/staff/submissions/${vehicleRef}`).expect(200);
      const _csrf = csrfTokenIn(own.text);
      const version = parseHtml(own.text)('input[name="version"]').first().attr('value')!;
      const before = await caseState(t, potholeRef);

      const pages = [`/staff/submissions/${potholeRef}`, `/staff/submissions/${potholeRef}/audit`];
      for (const url of pages) {
        const res = await agent.get(url);
        // The audit page is for managers only; a caseworker is refused before the case is even looked up.
        expect({ url, status: res.status }).toEqual({
          url,
          status: role === 'caseworker' && url.endsWith('/audit') ? 403 : 404,
        });
      }
      const actions: [string, Record<string, string>][] = [
        ['assign', { assignee: String(vehicleCaseworkerId) }],
        ['notes', { note: 'a note on a case I may not see' }],
        ['request-information', { message: 'Please send us a photo' }],
        ['approve', {}],
        ['reject', { reason: 'Not ours to decide' }],
      ];
      for (const [action, fields] of actions) {
        const res = await agent
          .post(`/staff/submissions/${potholeRef}/${action}`)
          .type('form')
          .send({ _csrf, version, ...fields });
        expect({ action, status: res.status }).toEqual({ action, status: 404 });
      }
      expect(await caseState(t, potholeRef)).toEqual(before);

      // Nor does the case appear in their queue or CSV, even when they filter for its service.
      const queue = await agent.get('/staff?service=report-a-pothole&status=all').expect((r) => {
        if (r.status >= 500) throw new Error(`queue answered ${r.status}`);
      });
      expect(queue.text).not.toContain(formatReference(potholeRef));
      const csv = await agent.get('/staff/cases.csv?service=report-a-pothole&status=all');
      expect(csv.text).not.toContain(potholeRef);
      expect(csv.text).not.toContain(formatReference(potholeRef));
    },
  );
});

describe('a citizen sees an application only with its second factor', () => {
  let t: TestApp;
  let reference: string;

  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    reference = await send(t, 'register-a-vehicle', vehiclePaths[0]!);
  });
  afterAll(() => t.close());

  it('sends a browser that has not proved it back to the status check, for the page and for a reply', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/check-status').expect(200);
    const shown = await agent.get('/check-status/your-application').expect(303);
    expect(shown.headers.location).toBe('/check-status');
    const reply = await agent
      .post('/check-status/your-application/reply')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reply: 'let me in' })
      .expect(303);
    expect(reply.headers.location).toBe('/check-status');
    expect(await t.db('submission_message').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('never shows the application for its reference alone, nor with another application’s proof', async () => {
    const other = await send(t, 'report-a-pothole', potholePaths[0]!);
    const agent = request.agent(t.app);
    const attempts = [
      [formatReference(reference), ''], // no second factor
      [formatReference(reference), 'kim.nguyen@example.com'], // the pothole report's email
      [formatReference(reference), 'RG1 1AA'], // the pothole report's postcode
      [formatReference(other), VEHICLE_EMAIL], // the vehicle's email against the pothole report
    ];
    for (const [ref, proof] of attempts) {
      const page = await agent.get('/check-status').expect(200);
      const res = await agent
        .post('/check-status')
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text), reference: ref, proof });
      expect({ ref, proof, status: res.status }).toEqual({ ref, proof, status: 422 });
      expect((await agent.get('/check-status/your-application')).status).toBe(303);
    }
    // With its own proof it is shown, and only that one application.
    const page = await agent.get('/check-status').expect(200);
    await agent
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), reference: formatReference(reference), proof: VEHICLE_EMAIL })
      .expect(303);
    const mine = await agent.get('/check-status/your-application').expect(200);
    expect(mine.text).toContain(formatReference(reference));
    expect(mine.text).not.toContain(formatReference(other));
  });

  it('shows a confirmation page only to the session that sent it', async () => {
    await request(t.app).get(`/services/register-a-vehicle/confirmation/${reference}`).expect(404);
  });
});
