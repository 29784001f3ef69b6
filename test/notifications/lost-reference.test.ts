import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { fixtureFor } from '../helpers/journey-fixtures';
import { renderSettingsFor, workerFor } from '../../src/notifications';
import { render } from '../../src/notifications/outbox';
import { createLogger } from '../../src/middleware/logging';
import type { JourneyPath } from '../fixtures/journeys/types';

// "I have lost my reference" (src/apply/lost-reference.ts) and the email counters on /metrics.

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
let now = new Date('2026-11-30T10:00:00Z');
const clock = () => now;
const [kimsPothole, samsPothole] = fixtureFor('report-a-pothole') as [JourneyPath, JourneyPath];
const SAME_PAGE =
  'If we have applications sent with that email address, we have sent their reference numbers to it.';

let t: TestApp;
const references: string[] = [];

async function send(path: JourneyPath) {
  const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', path);
  const sent = await sendApplication(agent, 'report-a-pothole');
  expect(sent.status).toBe(303);
  return sent.headers.location!.split('/').pop()!;
}

async function ask(email: string) {
  const agent = request.agent(t.app);
  const form = await agent.get('/check-status/lost-reference').expect(200);
  return agent
    .post('/check-status/lost-reference')
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), email });
}

const lostReferenceRows = () =>
  t.db('notification_outbox').where('template', 'lost-reference').orderBy('created_at').select('*');

beforeAll(async () => {
  t = await appWith({ METRICS_TOKEN: TOKEN }, { clock });
  references.push(await send(kimsPothole));
  now = new Date('2026-12-01T10:00:00Z');
  references.push(await send(kimsPothole));
  await send(samsPothole);
});
afterAll(() => t.close());

describe('I have lost my reference', () => {
  it('is linked from the status check', async () => {
    const page = await request(t.app).get('/check-status').expect(200);
    expect(parseHtml(page.text)('a[href="/check-status/lost-reference"]').text()).toBe(
      'I have lost my reference number',
    );
  });

  it('writes one email listing the applications sent with the address, newest first, whatever its case', async () => {
    const res = await ask('KIM.Nguyen@Example.com');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/check-status/lost-reference/sent');
    const rows = await lostReferenceRows();
    expect(rows).toHaveLength(1);
    const data = typeof rows[0].data === 'string' ? JSON.parse(rows[0].data) : rows[0].data;
    expect(rows[0].recipient).toBe('KIM.Nguyen@example.com');
    expect(data.applications.map((a: { reference: string }) => a.reference)).toEqual(
      [...references].reverse(),
    );
    expect(data.applications[0]).toMatchObject({ serviceTitle: 'Report a pothole', sentOn: '2026-12-01' });
    expect(data.more).toBe(false);

    const message = render({ ...rows[0], createdAt: rows[0].created_at }, renderSettingsFor(t.config));
    expect(message.subject).toBe('Your application reference numbers');
    const first = references[1]!;
    expect(message.text).toContain(`  ${first.slice(0, 4)}-${first.slice(4, 8)}-${first.slice(8)}\n`);
    expect(message.text).toContain('Report a pothole, sent on 1 December 2026');
    expect(message.text).toContain('http://localhost:3000/check-status');
    expect(message.text).not.toContain('kim.nguyen');

    const sent = await request(t.app).get(res.headers.location!).expect(200);
    expect(parseHtml(sent.text)('h1').text()).toBe('Check your email');
    expect(sent.text).toContain(SAME_PAGE);
  });

  it('answers the same for an address with no applications, and writes nothing', async () => {
    const before = (await lostReferenceRows()).length;
    const res = await ask('nobody@example.com');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/check-status/lost-reference/sent');
    expect(await lostReferenceRows()).toHaveLength(before);
  });

  it('asks for an email address in the correct format, and writes nothing', async () => {
    const before = (await lostReferenceRows()).length;
    const blank = await ask('   ');
    expect(blank.status).toBe(422);
    const $ = parseHtml(blank.text);
    expect($('.govuk-error-summary a[href="#email"]').text()).toBe('Enter your email address');
    expect($('title').text()).toMatch(/^Error: /);
    const wrong = await ask('kim.nguyen@example');
    expect(wrong.status).toBe(422);
    expect(parseHtml(wrong.text)('#email-error').text()).toContain(
      'Enter an email address in the correct format, like name@example.com',
    );
    expect(parseHtml(wrong.text)('#email').attr('value')).toBe('kim.nguyen@example');
    expect(await lostReferenceRows()).toHaveLength(before);
  });

  it('counts emails sent and given up on per template on /metrics, never addresses', async () => {
    await workerFor(t.config, t.db, createLogger(t.config))!.runOnce(); // the mailbox: all sent
    expect((await ask('sam.okafor@example.com')).status).toBe(303);
    // A mail server that refuses the connection, and one attempt allowed: the message is given up on.
    const failing = await appWith({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_MAX_ATTEMPTS: '1' }, { db: t.db });
    const worker = workerFor(failing.config, t.db, createLogger(failing.config))!;
    await worker.runOnce();
    await worker.stop();

    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.text).toContain('# TYPE portal_notifications_sent_total counter');
    expect(res.text).toContain('portal_notifications_sent_total{template="lost-reference"} 1');
    expect(res.text).toContain('portal_notifications_sent_total{template="application-sent"} 3');
    expect(res.text).toContain('portal_notifications_failed_total{template="lost-reference"} 1');
    expect(res.text).toContain('portal_notifications_failed_total{template="decision"} 0');
    expect(res.text).not.toMatch(/@example/);
  });

  it('sends at most 3 emails an hour to one address: beyond, the same page and nothing sent', async () => {
    const before = (await lostReferenceRows()).length;
    expect((await ask('kim.nguyen@example.com')).status).toBe(303);
    expect((await ask('kim.nguyen@example.com')).status).toBe(303);
    const refused = await ask('Kim.Nguyen@example.com');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/check-status/lost-reference/sent');
    expect(await lostReferenceRows()).toHaveLength(before + 2);
  });

  it('answers 429 after 10 requests an hour from one client address', async () => {
    // 6 so far in this file; 4 more are allowed.
    for (let i = 0; i < 4; i++) expect((await ask(`someone${i}@example.com`)).status).toBe(303);
    const refused = await ask('someone.else@example.com');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(parseHtml(refused.text)('h1').text()).toBe('You have asked too many times');
  });
});
