import { appWith, type TestApp } from '../helpers/app';
import {
  csrfTokenIn,
  fixedClock,
  sendApplication,
  summaryRows,
  walkToCheckAnswers,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import potholePaths from '../fixtures/journeys/report-a-pothole';

// docs/security.md#r1: new applications per client (IP address) are limited, in the shared database, so one address
// cannot flood a service's queue. The limit is generous by default (100 in 10 minutes: many people can share an
// address); here it is 2. Sending the same form again is not a new application and is never refused.

const SLUG = 'report-a-pothole';
const path = potholePaths[0]!;
const submissions = async (t: TestApp) => Number((await t.db('submission').count({ n: '*' }))[0]!.n);

let t: TestApp;
beforeAll(async () => {
  t = await appWith({ SUBMIT_LIMIT_PER_CLIENT: '2' }, { clock: fixedClock });
});
afterAll(() => t.close());

it('refuses a third new application from one address in 10 minutes with a 429 page, keeping the answers', async () => {
  const first = await walkToCheckAnswers(t.app, SLUG, path);
  const form = await first.get(`/services/${SLUG}/check-answers`).expect(200);
  const fields = {
    _csrf: csrfTokenIn(form.text),
    submissionToken: parseHtml(form.text)('input[name="submissionToken"]').attr('value')!,
  };
  const sendFirst = () => first.post(`/services/${SLUG}/check-answers`).type('form').send(fields);
  const sent = await sendFirst();
  expect(sent.status).toBe(303);
  expect((await sendApplication(await walkToCheckAnswers(t.app, SLUG, path), SLUG)).status).toBe(303);
  expect(await submissions(t)).toBe(2);

  const third = await walkToCheckAnswers(t.app, SLUG, path);
  const refused = await sendApplication(third, SLUG);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
  const $ = parseHtml(refused.text);
  expect($('h1').text()).toBe('Sorry, too many applications have been sent from your connection');
  expect($('main').text()).toContain('you cannot send another application for 10 minutes');
  expect($('main a[href="/services/report-a-pothole/check-answers"]').text()).toBe(
    'Go back to check your answers',
  );
  expect(await submissions(t)).toBe(2);

  // Nothing is lost: the answers are still there to send later.
  const kept = await third.get(`/services/${SLUG}/check-answers`).expect(200);
  expect(Object.keys(summaryRows(kept.text)).length).toBeGreaterThan(0);

  // Sending the first form again (a refresh, the back button) is the same application: its confirmation.
  const again = await sendFirst();
  expect(again.status).toBe(303);
  expect(again.headers.location).toBe(sent.headers.location);
  expect(await submissions(t)).toBe(2);
});

it('counts each address on its own', async () => {
  const other = await walkToCheckAnswers(t.app, SLUG, path);
  other.set('X-Forwarded-For', '198.51.100.7');
  // Without a trusted proxy hop, the forwarded address is ignored: the same client as above, still refused.
  expect((await sendApplication(other, SLUG)).status).toBe(429);
  const proxied = await appWith(
    { SUBMIT_LIMIT_PER_CLIENT: '1', TRUST_PROXY_HOPS: '1' },
    { clock: fixedClock },
  );
  try {
    for (const address of ['198.51.100.1', '198.51.100.2']) {
      const agent = await walkToCheckAnswers(proxied.app, SLUG, path);
      agent.set('X-Forwarded-For', address);
      expect((await sendApplication(agent, SLUG)).status).toBe(303);
    }
    const again = await walkToCheckAnswers(proxied.app, SLUG, path);
    again.set('X-Forwarded-For', '198.51.100.1');
    expect((await sendApplication(again, SLUG)).status).toBe(429);
  } finally {
    await proxied.close();
  }
});
