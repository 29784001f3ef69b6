import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, type TestApp } from '../helpers/app';
import { FIXED_NOW, csrfTokenIn, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// Issue 13, defect 1: ending a member of staff's sessions must hold whatever requests of theirs are in flight.
// Each round signs a caseworker in, starts several of their requests at once (pages and notes, with their
// cookie), and meanwhile ends the session in one of three ways; once everything has settled, the old cookie must
// open nothing and write nothing. Before the fix, a request that had loaded the session before it was ended saved
// it again at its end (an upsert), which brought the deleted row back, and the guard never looked at the account.

const AGENCY_IDS = [AGENCIES.vehicleLicensing.id, AGENCIES.taxAuthority.id];
const ROUNDS = 30; // 10 of each way of ending the session
const IN_FLIGHT = 6;

const sessionCookieIn = (res: { headers: Record<string, unknown> }): string => {
  const cookie = ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) =>
    c.startsWith('portal.sid='),
  );
  if (!cookie) throw new Error('no session cookie set');
  return cookie.split(';')[0]!;
};

// A clock that moves on a millisecond each time it is read, from the day the fixtures assume: every staff request
// then changes its session (the idle clock restarts), as it does in real use, so every request saves it.
let tick = FIXED_NOW.getTime();
const clock = () => new Date((tick += 1));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ending a staff session while its requests are in flight', () => {
  let t: TestApp;
  let reference: string;
  let admin: Agent;
  let adminToken: string;

  beforeAll(async () => {
    t = await appWith({}, { clock });
    const citizen = await walkToCheckAnswers(t.app, 'register-a-vehicle', vehiclePaths[0]!);
    reference = (await sendApplication(citizen, 'register-a-vehicle')).headers.location!.split('/').pop()!;
    admin = await signIn(t, await createStaffUser(t.db, { role: 'admin' }), { clock });
    adminToken = csrfTokenIn((await admin.get('/staff/users').expect(200)).text);
  }, 120_000);
  afterAll(() => t.close());

  const notes = async () =>
    Number(
      (
        await t
          .db('submission_note')
          .join('submission', 'submission.id', 'submission_note.submission_id')
          .where('submission.reference', reference)
          .count({ n: '*' })
      )[0]!.n,
    );
  const version = async () =>
    String((await t.db('submission').where({ reference }).first('version')).version);

  const ways = ['sign out everywhere', 'disable', 'sign out in another tab'] as const;

  it(`refuses the old cookie afterwards, for pages and for notes, in ${ROUNDS} rounds`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const way = ways[round % ways.length]!;
      const caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: AGENCY_IDS });
      const agent = await signIn(t, caseworker, { clock });
      const casePage = await agent.get(`/staff/submissions/${reference}`).expect(200);
      const cookie = sessionCookieIn(casePage);
      const token = csrfTokenIn(casePage.text);
      expect(parseHtml(casePage.text)('h1').length).toBe(1);

      const inFlight = Array.from({ length: IN_FLIGHT }, async (_v, k) => {
        await pause(k * 4); // spread over the time the ending takes
        return k % 2 === 0
          ? request(t.app)
              .get(k % 4 === 0 ? '/staff' : `/staff/submissions/${reference}`)
              .set('Cookie', cookie)
          : request(t.app)
              .post(`/staff/submissions/${reference}/notes`)
              .set('Cookie', cookie)
              .type('form')
              .send({ _csrf: token, version: await version(), note: `in flight ${round}.${k}` });
      });
      const ending = (async () => {
        await pause(round % 5); // land at a slightly different point of the requests in each round
        if (way === 'sign out in another tab') {
          return request(t.app)
            .post('/staff/sign-out')
            .set('Cookie', cookie)
            .type('form')
            .send({ _csrf: token });
        }
        const action = way === 'disable' ? 'disable' : 'sign-out';
        return admin.post(`/staff/users/${caseworker.id}/${action}`).type('form').send({ _csrf: adminToken });
      })();
      const [ended] = await Promise.all([ending, ...inFlight]);
      expect(ended.status).toBe(302);

      const before = await notes();
      const page = await request(t.app).get('/staff').set('Cookie', cookie);
      const write = await request(t.app)
        .post(`/staff/submissions/${reference}/notes`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: token, version: await version(), note: `after the end ${round}` });
      const sessionsLeft = Number(
        (
          await t
            .db('session')
            .whereRaw("(sess::jsonb -> 'staff' ->> 'userId') = ?", [String(caseworker.id)])
            .count({ n: '*' })
        )[0]!.n,
      );
      const outcome = {
        page: `${page.status} ${page.headers.location ?? ''}`,
        noteWritten: (await notes()) > before,
        writeStatus: write.status === 302 ? `302 ${write.headers.location}` : String(write.status),
        sessionsLeft,
      };
      const refused =
        outcome.page === '302 /staff/sign-in' &&
        !outcome.noteWritten &&
        (write.status === 403 || write.headers.location === '/staff/sign-in') &&
        sessionsLeft === 0;
      outcomes.push(`round ${round} (${way}): ${refused ? 'refused' : JSON.stringify(outcome)}`);
    }
    expect(outcomes.filter((o) => !o.endsWith(': refused'))).toEqual([]);
    expect(outcomes).toHaveLength(ROUNDS);
  }, 600_000);
});
