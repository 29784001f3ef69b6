import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, fixedClock, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import potholePaths from '../fixtures/journeys/report-a-pothole';

// A pothole reported as an immediate danger is flagged when sent: first in the queue and in "Take the next
// case", and its confirmation repeats the emergency advice.

const SLUG = 'report-a-pothole';
const dangerous = potholePaths.find((p) => p.steps.some((s) => s.body.immediateDanger === 'yes'))!;
const notDangerous = potholePaths.find((p) => p.steps.some((s) => s.body.immediateDanger === 'no'))!;

describe('urgent applications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  async function report(path: typeof dangerous) {
    const agent = await walkToCheckAnswers(t.app, SLUG, path);
    const sent = await sendApplication(agent, SLUG);
    return {
      agent,
      confirmation: sent.headers.location!,
      reference: sent.headers.location!.split('/').pop()!,
    };
  }

  it('repeats the emergency advice on the confirmation of a dangerous pothole, and only then', async () => {
    const urgent = await report(dangerous);
    const page = await urgent.agent.get(urgent.confirmation).expect(200);
    expect(parseHtml(page.text)('.govuk-warning-text').text()).toContain('emergency highways number');
    expect(page.text).toContain('call 999');

    const ordinary = await report(notDangerous);
    const calm = await ordinary.agent.get(ordinary.confirmation).expect(200);
    expect(parseHtml(calm.text)('.govuk-warning-text').length).toBe(0);
  });

  it('lists a dangerous pothole first in the queue with its flag, and gives it first to "Take the next case"', async () => {
    const older = await report(notDangerous);
    const urgent = await report(dangerous);
    // The ordinary report was sent first, so by age it would come first.
    await t
      .db('submission')
      .where({ reference: older.reference })
      .update({ submitted_at: new Date('2026-11-20T09:00:00Z') });

    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.localCouncil.id],
    });
    const staff = await signIn(t, caseworker, { clock: fixedClock });
    const queue = await staff.get('/staff?status=open').expect(200);
    const $ = parseHtml(queue.text);
    const rows = $('tbody tr')
      .map((_i, tr) => ({
        reference: $(tr).find('th a').text().replace(/-/g, ''),
        flag: $(tr).find('.govuk-tag').text().trim(),
      }))
      .get();
    const urgentAt = rows.findIndex((r) => r.reference === urgent.reference);
    const olderAt = rows.findIndex((r) => r.reference === older.reference);
    expect(rows[urgentAt]!.flag).toBe('Immediate danger');
    expect(rows[olderAt]!.flag).toBe('');
    expect(urgentAt).toBeLessThan(olderAt);
    // Every flagged case comes before every unflagged one.
    const flags = rows.map((r) => r.flag !== '');
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));

    const next = await staff
      .post('/staff/next-case')
      .type('form')
      .send({ _csrf: csrfTokenIn(queue.text) })
      .expect(303);
    const taken = next.headers.location!.split('/').pop()!;
    expect(rows.find((r) => r.reference === taken)?.flag).toBe('Immediate danger');
  });
});
