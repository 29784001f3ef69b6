import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { renderSettingsFor } from '../../src/notifications';
import { render } from '../../src/notifications/outbox';
import { createStatusLinkSigner } from '../../src/notifications/status-link';
import { checkCharacter } from '../../src/submissions/reference';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { fixtureFor } from '../helpers/journey-fixtures';
import { createStaffUser, signIn } from '../helpers/staff';
import type { JourneyPath } from '../fixtures/journeys/types';

const sessionCookieOf = (res: { headers: Record<string, unknown> }): string =>
  ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? [])[0]?.split(';')[0] ?? '';

// The signed link in a request for more information (src/notifications/status-link.ts): it opens that
// application's status page, for 28 days, for whoever holds the email, and nothing else.

const SECRET = 'a test secret of at least thirty-two characters';
const WRITTEN = new Date('2026-11-30T10:00:00Z');
const REF = `ABCDEFGHJ${checkCharacter('ABCDEFGHJ')}`;
const OTHER_REF = `ABCDEFGHK${checkCharacter('ABCDEFGHK')}`;

describe('the signed link, as a token', () => {
  const signer = createStatusLinkSigner(SECRET, 28);
  const token = signer.sign(REF, 'Sam.Taylor@example.com', WRITTEN);

  it('is read back with its reference and an expiry 28 days after the message was written', () => {
    const claim = signer.read(token)!;
    expect(claim.reference).toBe(REF);
    expect(claim.expiresAt.toISOString()).toBe('2026-12-28T10:00:00.000Z');
    expect(signer.matches(claim, 'sam.taylor@example.com')).toBe(true);
  });

  it('is the same for the same message, so a retry sends the same email', () => {
    expect(signer.sign(REF, 'sam.taylor@example.com', WRITTEN)).toBe(token);
  });

  it('does not match another address, another secret, or any change to the reference or expiry', () => {
    const claim = signer.read(token)!;
    expect(signer.matches(claim, 'someone.else@example.com')).toBe(false);
    const other = createStatusLinkSigner('another secret of at least thirty-two characters', 28);
    expect(other.matches(claim, 'sam.taylor@example.com')).toBe(false);
    const [, expires, mac] = token.split('.');
    const anotherReference = signer.read(`${OTHER_REF}.${expires}.${mac}`)!;
    expect(signer.matches(anotherReference, 'sam.taylor@example.com')).toBe(false);
    const later = signer.read(`${REF}.${(parseInt(expires!, 36) + 86400).toString(36)}.${mac}`)!;
    expect(signer.matches(later, 'sam.taylor@example.com')).toBe(false);
  });

  it('reads nothing from malformed tokens', () => {
    for (const bad of [
      '',
      REF,
      `${REF}..`,
      'ABCDEFGHJA.1.xyz',
      `${token}.extra`,
      token.slice(0, -1),
      `${token.slice(0, -1)}=`,
      `${REF.toLowerCase()}.1.x`,
      'x'.repeat(500),
      `${REF}.1'or'1.abc`,
    ]) {
      expect(signer.read(bad)).toBeUndefined();
    }
  });
});

describe('following the link', () => {
  let now = new Date('2026-11-30T10:00:00Z');
  const clock = () => now;
  let t: TestApp;
  const references: string[] = [];
  const links: string[] = [];

  beforeAll(async () => {
    t = await appWith({}, { clock });
    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
    });
    const staff = await signIn(t, caseworker, { clock });
    const [path] = fixtureFor('register-a-vehicle') as [JourneyPath];
    for (const question of ['Which colour is the car?', 'When did you buy it?']) {
      const agent = await walkToCheckAnswers(t.app, 'register-a-vehicle', path);
      const sent = await sendApplication(agent, 'register-a-vehicle');
      const reference = sent.headers.location!.split('/').pop()!;
      const page = await staff.get(`/staff/submissions/${reference}`).expect(200);
      await staff
        .post(`/staff/submissions/${reference}/request-information`)
        .type('form')
        .send({
          _csrf: csrfTokenIn(page.text),
          version: parseHtml(page.text)('input[name="version"]').first().attr('value'),
          message: question,
        })
        .expect(303);
      const row = await t
        .db('notification_outbox as o')
        .join('submission as s', 's.id', 'o.submission_id')
        .where({ 's.reference': reference, 'o.template': 'information-requested' })
        .first('o.*');
      const text = render({ ...row, createdAt: row.created_at }, renderSettingsFor(t.config)).text;
      references.push(reference);
      links.push(/http:\/\/localhost:3000(\/check-status\/link\/\S+)/.exec(text)![1]!);
    }
  });
  afterAll(async () => t.close());

  it('opens that application’s status page under a new session id, with the reply form', async () => {
    const citizen = request.agent(t.app);
    const before = sessionCookieOf(await citizen.get('/check-status').expect(200));
    const opened = await citizen
      .get(links[0]!)
      .expect(303)
      .expect('Location', '/check-status/your-application');
    const after = sessionCookieOf(opened);
    expect(before).not.toBe('');
    expect(after).not.toBe('');
    expect(after).not.toBe(before);
    const page = parseHtml((await citizen.get('/check-status/your-application').expect(200)).text);
    expect(page('main').text()).toContain('Which colour is the car?');
    expect(page('main').text()).not.toContain('When did you buy it?');
    expect(page('textarea[name="reply"]')).toHaveLength(1);
  });

  it('opens only its own application: the other link shows the other one', async () => {
    const citizen = request.agent(t.app);
    await citizen.get(links[1]!).expect(303);
    const text = parseHtml((await citizen.get('/check-status/your-application').expect(200)).text)(
      'main',
    ).text();
    expect(text).toContain('When did you buy it?');
    expect(text).not.toContain('Which colour is the car?');
  });

  it('refuses a link that was changed, with a page that points to the status check and grants nothing', async () => {
    const citizen = request.agent(t.app);
    const [reference, expires, mac] = links[0]!.split('/').pop()!.split('.');
    const tampered = [
      `/check-status/link/${reference}.${expires}.${mac!.slice(0, -2)}AA`,
      `/check-status/link/${references[1]}.${expires}.${mac}`,
      `/check-status/link/${reference}.${(parseInt(expires!, 36) + 1).toString(36)}.${mac}`,
    ];
    for (const link of tampered) {
      const res = await citizen.get(link).expect(404);
      const page = parseHtml(res.text);
      expect(page('h1').text().trim()).toBe('This link does not work');
      expect(page('a[href="/check-status"]')).toHaveLength(1);
    }
    await citizen.get('/check-status/your-application').expect(303).expect('Location', '/check-status');
  });

  it('says the link has expired after 28 days, and offers the status check with the reference filled in', async () => {
    now = new Date('2026-12-28T10:00:01Z');
    try {
      const citizen = request.agent(t.app);
      const res = await citizen.get(links[0]!).expect(410);
      const page = parseHtml(res.text);
      expect(page('h1').text().trim()).toBe('This link has expired');
      const formatted = `${references[0]!.slice(0, 4)}-${references[0]!.slice(4, 8)}-${references[0]!.slice(8)}`;
      expect(page(`a[href="/check-status?reference=${formatted}"]`)).toHaveLength(1);
      await citizen.get('/check-status/your-application').expect(303);
    } finally {
      now = new Date('2026-11-30T10:00:00Z');
    }
  });

  it('stops working once the application has no email address (anonymised)', async () => {
    await t.db('submission').where({ reference: references[1] }).update({ contact_email: null });
    await request(t.app).get(links[1]!).expect(404);
  });
});
