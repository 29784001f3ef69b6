import path from 'node:path';
import { EICAR } from '../uploads/fixtures';
import { createDb } from '../../src/db';
import { changeCase } from '../../src/staff/case-repository';
import { FEEDBACK_LIMIT } from '../../src/apply/feedback';
import { SIGN_IN_LIMITS } from '../../src/apply/your-applications';
import { createRateLimit } from '../../src/middleware/rate-limit';
import { appWith } from '../helpers/app';
import {
  FIXED_NOW,
  FIXTURE_FILES,
  fixedClock,
  sendApplication,
  walkToCheckAnswers,
  withEmail,
} from '../helpers/journey';
import { signedSessionCookie } from '../helpers/session-cookie';
import { createStatusLinkSigner } from '../../src/notifications/status-link';
import { createStaffUser } from '../helpers/staff';
import vehicle from '../fixtures/journeys/register-a-vehicle';
import pothole from '../fixtures/journeys/report-a-pothole';
import { expectAriaSnapshot } from './helpers/aria-snapshot';
import { Tab } from './helpers/browser';
import { checkPage } from './helpers/checks';
import { unseenExpectations } from './helpers/autocomplete';
import { serve } from './helpers/server';
import { useBrowserSuite } from './helpers/suite';

// The citizen pages around the forms: the catalogue and search, the statements, feedback, the status check
// (with a message from staff and the reply form), and every error page that can be reached.

const suite = useBrowserSuite('citizen');
const VEHICLE = 'register-a-vehicle';

/** Send an application through the real routes (supertest), as a citizen would; returns its reference. */
async function sendAnApplication(slug: string, path: (typeof vehicle)[number]): Promise<string> {
  const agent = await walkToCheckAnswers(suite.portal.t.app, slug, path);
  const sent = await sendApplication(agent, slug);
  const reference = /\/confirmation\/([A-Z0-9]{10})$/.exec(String(sent.headers.location))?.[1];
  if (!reference) throw new Error(`sending answered ${sent.status} ${sent.headers.location}`);
  return reference;
}

/**
 * A new person (browser context) who has sent an application to the vehicle service: its survey is offered to them
 * (one answer per sent application, src/apply/feedback.ts). The application is sent through the real routes, and
 * the browser is given that session's cookie.
 */
async function personWhoSentAnApplication({ js = true } = {}) {
  const { t } = suite.portal;
  const reference = await sendAnApplication(VEHICLE, vehicle[0]!);
  const sessions: { sid: string; sess: unknown }[] = await t.db('session').select('sid', 'sess');
  const sid = sessions.find((row) => JSON.stringify(row.sess).includes(reference))?.sid;
  if (!sid) throw new Error('no session holds the application just sent');
  const context = await suite.context({ js });
  const [name, value] = signedSessionCookie(t.config, sid as Parameters<typeof signedSessionCookie>[1]).split(
    '=',
  ) as [string, string];
  await context.addCookies([{ name, value, url: suite.portal.baseUrl }]);
  return context;
}

/** A member of staff acting on a case through the case repository (the staff UI has its own suite). */
async function staffAction(reference: string, change: Parameters<typeof changeCase>[2]) {
  const { db } = suite.portal.t;
  const staff = await createStaffUser(db, { role: 'caseworker', agencies: ['vehicle-licensing-agency'] });
  const row = await db('submission').where({ reference }).first('id', 'version');
  const outcome = await changeCase(
    db,
    { submissionId: row.id, expectedVersion: row.version },
    change,
    { id: staff.id, role: staff.role },
    FIXED_NOW,
  );
  if (!outcome.ok) throw new Error(outcome.message);
}

describe('the catalogue and search', () => {
  it('home page, search with results, with none, and the empty search page', async () => {
    const tab = await suite.tab();
    await tab.goto('/');
    await checkPage(tab, 'blank');
    await expectAriaSnapshot(tab.page, 'catalogue');

    // Searching through the form (a GET form: it works without JavaScript too).
    await tab.page.getByLabel('Search for a service').fill('vehicle');
    await tab.submit('Search');
    expect(tab.path).toBe('/search?q=vehicle');
    await checkPage(tab, 'results');

    await tab.goto('/search?q=zzzz');
    await checkPage(tab, 'no results');
    await tab.goto('/search');
    await checkPage(tab, 'blank');
  });

  it('the search page with JavaScript off', async () => {
    const tab = await suite.tab({ js: false });
    await tab.goto('/search?q=tax');
    await checkPage(tab, 'results');
  });
});

describe('pages linked from every footer', () => {
  it.each(['/accessibility-statement', '/cookies', '/privacy'])('%s', async (path) => {
    const tab = await suite.tab();
    await tab.goto(path);
    await checkPage(tab, 'content');
  });
});

describe('page not found', () => {
  it.each([
    ['an unknown address', '/no-such-page'],
    ['an unknown service', '/services/no-such-service'],
    ['an unknown question page', `/services/${VEHICLE}/no-such-page`],
    ['a confirmation page of another session', `/services/${VEHICLE}/confirmation/ABCDEFGHJK`],
  ])('%s', async (_name, path) => {
    const tab = await suite.tab();
    const response = await tab.goto(path);
    expect(response.status()).toBe(404);
    await checkPage(tab, '404');
  });
});

describe('feedback', () => {
  const url = `/services/${VEHICLE}/feedback`;

  it('blank, errors, filled in, thank you, then already answered', async () => {
    const tab = await suite.tab({ context: await personWhoSentAnApplication() });
    await tab.goto(url);
    await checkPage(tab, 'blank');
    await tab.submit('Send feedback');
    expect((await tab.document?.status()) ?? 0).toBe(422);
    await checkPage(tab, 'errors (nothing chosen)');

    await tab.goto(url);
    await tab.fill({ rating: '4', comment: 'Clear questions.' });
    await checkPage(tab, 'filled');
    await tab.submit('Send feedback');
    expect(tab.path).toBe(`${url}/thank-you`);
    await checkPage(tab, 'thank you');

    // One answer per application: the survey is not offered again.
    await tab.goto(url);
    expect(await tab.page.locator('h1').innerText()).toBe(
      'You have already given feedback on your application',
    );
    await checkPage(tab, 'already answered');
  });

  it('to someone who has sent no application: when they can give feedback', async () => {
    const tab = await suite.tab();
    await tab.goto(url);
    expect(await tab.page.locator('h1').innerText()).toBe(
      'You can give feedback after you send an application',
    );
    await checkPage(tab, 'no application sent');
  });

  it('too much feedback from one connection: 429, the answers kept', async () => {
    const { t } = suite.portal;
    const counter = createRateLimit(t.db, {
      keyPrefix: 'feedback-ip',
      points: FEEDBACK_LIMIT.points,
      durationSeconds: FEEDBACK_LIMIT.durationSeconds,
    });
    const tab = await suite.tab({ context: await personWhoSentAnApplication() });
    await tab.goto(url);
    // The browser's address as the app sees it, however the loopback address is written.
    const addresses = ['127.0.0.1', '::ffff:127.0.0.1', '::1'];
    for (const address of addresses)
      for (let i = 0; i < FEEDBACK_LIMIT.points; i++) await counter.consume(address);
    try {
      await tab.fill({ rating: '2', comment: 'Too many questions.' });
      await tab.submit('Send feedback');
      expect(tab.document?.status()).toBe(429);
      await checkPage(tab, 'too much feedback');
    } finally {
      for (const address of addresses) await counter.clear(address);
    }
  });

  it('with JavaScript off: errors in the title and the error summary', async () => {
    const tab = await suite.tab({ context: await personWhoSentAnApplication({ js: false }) });
    await tab.goto(url);
    await checkPage(tab, 'blank');
    await tab.submit('Send feedback');
    expect(await tab.page.title()).toMatch(/^Error: /);
    await checkPage(tab, 'errors (nothing chosen)');
  });
});

describe('checking the status of an application', () => {
  let awaitingReply: string;
  let rejected: string;

  beforeAll(async () => {
    awaitingReply = await sendAnApplication(VEHICLE, vehicle[0]!);
    await staffAction(awaitingReply, {
      kind: 'request-information',
      message: 'Send us a photo of the vehicle identification number plate.',
    });
    rejected = await sendAnApplication(VEHICLE, vehicle[1]!);
    await staffAction(rejected, {
      kind: 'reject',
      reason: 'The vehicle identification number does not match.',
    });
  });

  const checkStatusOf = async (tab: Tab, reference: string, proof: string) => {
    await tab.goto('/check-status');
    await tab.fill({ reference, proof });
    await tab.submit('Check status');
  };

  it('the form: blank, errors, not found', async () => {
    const tab = await suite.tab();
    await tab.goto('/check-status');
    await checkPage(tab, 'blank');
    await tab.submit('Check status');
    await checkPage(tab, 'errors (nothing entered)');
    await tab.fill({ reference: 'ABCD-EFGH-JK', proof: 'nobody@example.com' });
    await checkPage(tab, 'filled, after errors', {
      expectErrors: true,
      skip: { 'error-summary': 'filled in after the errors: focus has moved on' },
    });
    await tab.submit('Check status');
    await checkPage(tab, 'errors (no application found)');
  });

  it('I have lost my reference: the link, blank, errors, sent', async () => {
    const tab = await suite.tab();
    await tab.goto('/check-status');
    await tab.navigating(() =>
      tab.page.getByRole('link', { name: 'I have lost my reference number' }).click(),
    );
    expect(tab.path).toBe('/check-status/lost-reference');
    await checkPage(tab, 'lost reference: blank');
    await tab.submit('Send reference numbers');
    await checkPage(tab, 'errors (lost reference, nothing entered)');
    await tab.fill({ email: 'not an email address' });
    await tab.submit('Send reference numbers');
    expect(await tab.page.getByText('Enter an email address in the correct format').count()).toBeGreaterThan(
      0,
    );
    await checkPage(tab, 'errors (lost reference, not an email address)');
    await tab.fill({ email: vehicle[0]!.steps.at(-1)!.body.contactEmail as string });
    await tab.submit('Send reference numbers');
    expect(tab.path).toBe('/check-status/lost-reference/sent');
    expect(await tab.page.getByRole('heading', { name: 'Check your email' }).count()).toBe(1);
    await checkPage(tab, 'lost reference: sent');
  });

  it('the link in the email asking for more information opens the application; a broken or expired link says what to do', async () => {
    const tab = await suite.tab();
    const formatted = `${awaitingReply.slice(0, 4)}-${awaitingReply.slice(4, 8)}-${awaitingReply.slice(8)}`;
    await tab.goto('/dev/mailbox');
    await tab.navigating(() =>
      tab.page.getByRole('link', { name: `More information needed: reference ${formatted}` }).click(),
    );
    const text = await tab.page.locator('pre').innerText();
    const link = /http:\/\/localhost:3000(\/check-status\/link\/\S+)/.exec(text)![1]!;
    await tab.goto(link);
    expect(tab.path).toBe('/check-status/your-application');
    expect(
      await tab.page.getByText('Send us a photo of the vehicle identification number plate.').count(),
    ).toBe(1);

    const broken = await suite.tab();
    expect((await broken.goto(link.slice(0, -3))).status()).toBe(404);
    expect(await broken.page.getByRole('heading', { level: 1 }).innerText()).toBe('This link does not work');
    await checkPage(broken, 'emailed link that does not work');

    // A link we signed 60 days ago, for the address the emails go to.
    const email = vehicle[0]!.steps.at(-1)!.body.contactEmail as string;
    const old = createStatusLinkSigner(suite.portal.t.config.session.secret, 28).sign(
      awaitingReply,
      email,
      new Date(FIXED_NOW.getTime() - 60 * 24 * 60 * 60 * 1000),
    );
    expect((await broken.goto(`/check-status/link/${old}`)).status()).toBe(410);
    expect(await broken.page.getByRole('heading', { level: 1 }).innerText()).toBe('This link has expired');
    await checkPage(broken, 'emailed link expired');
    await broken.navigating(() =>
      broken.page.getByRole('link', { name: 'Check the status of your application' }).click(),
    );
    expect(await broken.page.getByLabel('Reference number').inputValue()).toBe(formatted);
  });

  it('an application waiting for a reply: the message from staff, the reply form, its errors, reply sent', async () => {
    const tab = await suite.tab();
    await checkStatusOf(tab, awaitingReply, vehicle[0]!.steps.at(-1)!.body.contactEmail as string);
    expect(tab.path).toBe('/check-status/your-application');
    expect(
      await tab.page.getByText('Send us a photo of the vehicle identification number plate.').count(),
    ).toBe(1);
    await checkPage(tab, 'waiting for a reply');
    await expectAriaSnapshot(tab.page, 'status');

    await tab.submit('Send reply');
    await checkPage(tab, 'errors (empty reply)');
    // A file with the reply: a virus is refused with the reply kept, then a real photo goes with it.
    await tab.fill({ reply: 'Here is the photo of the plate.' });
    await tab.page
      .locator('#replyFile')
      .setInputFiles({ name: 'plate.jpg', mimeType: 'image/jpeg', buffer: EICAR });
    await tab.submit('Send reply');
    expect(await tab.page.locator('.govuk-error-summary__list').innerText()).toBe(
      'The selected file contains a virus',
    );
    expect(await tab.page.locator('#reply').inputValue()).toBe('Here is the photo of the plate.');
    await checkPage(tab, 'errors (the file sent with the reply has a virus)');
    await tab.page.locator('#replyFile').setInputFiles(path.join(FIXTURE_FILES, 'photo.jpg'));
    await tab.submit('Send reply');
    expect(tab.path).toBe('/check-status/your-application?sent=true');
    expect(await tab.page.getByText('File sent: photo.jpg').count()).toBe(1);
    await checkPage(tab, 'reply sent');
  });

  it('a rejected application shows the reason', async () => {
    const tab = await suite.tab();
    await checkStatusOf(tab, rejected, vehicle[1]!.steps.at(-1)!.body.contactEmail as string);
    expect(await tab.page.getByRole('heading', { name: 'Why your application was rejected' }).count()).toBe(
      1,
    );
    await checkPage(tab, 'rejected');
  });

  it('with JavaScript off: errors, then the application', async () => {
    const tab = await suite.tab({ js: false });
    await tab.goto('/check-status');
    await tab.submit('Check status');
    expect(await tab.page.title()).toMatch(/^Error: /);
    await checkPage(tab, 'errors (nothing entered)');
    await checkStatusOf(tab, rejected, vehicle[1]!.steps.at(-1)!.body.contactEmail as string);
    await checkPage(tab, 'rejected');
  });

  it('too many wrong attempts', async () => {
    const tab = await suite.tab();
    const reference = await sendAnApplication('report-a-pothole', pothole[0]!);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await checkStatusOf(tab, reference, 'ZZ1 1ZZ');
      expect(tab.document?.status()).toBe(422);
    }
    await checkStatusOf(tab, reference, 'ZZ1 1ZZ');
    expect(tab.document?.status()).toBe(429);
    await checkPage(tab, 'too many attempts');
  });
});

describe('error pages', () => {
  it('403: the form expired (the session went, so the CSRF token no longer matches)', async () => {
    const tab = await suite.tab({ context: await personWhoSentAnApplication() });
    await tab.goto(`/services/${VEHICLE}/feedback`);
    await tab.page.context().clearCookies();
    await tab.fill({ rating: '5' });
    await tab.submit('Send feedback');
    expect(tab.document?.status()).toBe(403);
    await checkPage(tab, 'form expired');
  });

  it('413: too much sent (a very long answer, and too many fields)', async () => {
    const tab = await suite.tab({ context: await personWhoSentAnApplication() });
    await tab.goto(`/services/${VEHICLE}/feedback`);
    await tab.fill({ rating: '5', comment: 'x'.repeat(110 * 1024) });
    await tab.submit('Send feedback');
    expect(tab.document?.status()).toBe(413);
    await checkPage(tab, 'too long');

    await tab.goto(`/services/${VEHICLE}/feedback`);
    await tab.page.evaluate(() => {
      const form = document.querySelector('main form')!;
      for (let i = 0; i < 300; i++) {
        const input = document.createElement('input');
        Object.assign(input, { type: 'hidden', name: `extra${i}`, value: '1' });
        form.append(input);
      }
    });
    await tab.submit('Send feedback');
    expect(tab.document?.status()).toBe(413);
    await checkPage(tab, 'too many fields');
  });

  it('415: a form in a character set the service cannot read', async () => {
    const tab = await suite.tab({ context: await personWhoSentAnApplication() });
    const url = `/services/${VEHICLE}/feedback`;
    await tab.goto(url);
    await tab.page.route(suite.portal.url(url), (route) =>
      route.request().method() === 'POST'
        ? route.continue({
            headers: {
              ...route.request().headers(),
              'content-type': 'application/x-www-form-urlencoded; charset=utf-7',
            },
          })
        : route.continue(),
    );
    await tab.fill({ rating: '5' });
    await tab.submit('Send feedback');
    expect(tab.document?.status()).toBe(415);
    await checkPage(tab, 'could not read what was sent');
  });

  it('500: something broke (the session table is missing)', async () => {
    const tab = await suite.tab();
    await tab.goto('/check-status'); // a page with a form starts a session
    const { db } = suite.portal.t;
    await db.schema.renameTable('session', 'session_moved');
    try {
      const response = await tab.goto('/check-status');
      expect(response.status()).toBe(500);
      await checkPage(tab, 'server error');
    } finally {
      await db.schema.renameTable('session_moved', 'session');
    }
  });

  it('503: the database cannot be reached', async () => {
    // Nothing listens on port 1: every connection is refused at once.
    const down = createDb({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:1/portal',
      poolMax: 2,
      acquireTimeoutMs: 1000,
      statementTimeoutMs: 1000,
    });
    const portal = await serve(await appWith({}, { db: down, clock: fixedClock }));
    try {
      const context = await suite.context();
      const [name, value] = signedSessionCookie(portal.t.config).split('=') as [string, string];
      await context.addCookies([{ name, value, url: portal.baseUrl }]);
      const tab = await Tab.open(context, portal.baseUrl, { js: true });
      const response = await tab.goto('/check-status');
      expect(response.status()).toBe(503);
      await checkPage(tab, 'service unavailable');
    } finally {
      await portal.close();
      await down.destroy();
    }
  });
});

describe('going back after sending', () => {
  it('the browser’s Back from the confirmation says the application was already sent', async () => {
    const tab = await suite.tab({ js: true });
    await tab.goto('/services/report-a-pothole/start');
    for (const step of pothole[0]!.steps) {
      await tab.fill(step.body);
      await tab.submit('Continue');
    }
    await tab.submit(suite.portal.t.registry.find('report-a-pothole')!.declaration.submitLabel);
    expect(tab.path).toMatch(/^\/services\/report-a-pothole\/confirmation\//);
    await tab.navigating(() => tab.page.goBack());
    expect(tab.path).toBe('/services/report-a-pothole/check-answers');
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'You have already sent this application',
    );
    await checkPage(tab, 'already sent');
  });
});

describe('the per-client limit on sending', () => {
  it('429: too many applications from one connection, with the answers kept', async () => {
    // A portal that allows one new application per client in 10 minutes: the first is sent through the
    // routes, the second by the browser, from the same address.
    const portal = await serve(await appWith({ SUBMIT_LIMIT_PER_CLIENT: '1' }, { clock: fixedClock }));
    try {
      const first = await walkToCheckAnswers(portal.t.app, 'report-a-pothole', pothole[0]!);
      expect((await sendApplication(first, 'report-a-pothole')).status).toBe(303);
      const tab = await Tab.open(await suite.context(), portal.baseUrl, { js: true });
      await tab.goto('/services/report-a-pothole/start');
      for (const step of pothole[0]!.steps) {
        await tab.fill(step.body);
        await tab.submit('Continue');
      }
      expect(tab.path).toBe('/services/report-a-pothole/check-answers');
      await tab.submit(portal.t.registry.find('report-a-pothole')!.declaration.submitLabel);
      expect(tab.document?.status()).toBe(429);
      expect(tab.document?.headers()['retry-after']).toMatch(/^\d+$/);
      // As in views/errors/too-many-applications.njk.
      const heading = 'Sorry, too many applications have been sent from your connection';
      expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe(heading);
      expect(await tab.page.title()).toBe(`${heading} – Government services – GOV.UK`);
      expect(await tab.page.getByText('you cannot send another application for 10 minutes').count()).toBe(1);
      await checkPage(tab, 'too many applications');

      await tab.navigating(() =>
        tab.page.getByRole('link', { name: 'Go back to check your answers' }).click(),
      );
      expect(tab.path).toBe('/services/report-a-pothole/check-answers');
      // The answers were kept: check answers shows each of them again.
      const summary = await tab.page.locator('main').innerText();
      for (const value of Object.values(pothole[0]!.expectSummary)) expect(summary).toContain(value);
      await checkPage(tab, 'after too many applications', { light: true });
    } finally {
      await portal.close();
    }
  });
});

describe('save and come back later', () => {
  /** The emails to an address listed in the development mailbox (their addresses there). */
  const emailsTo = async (tab: Tab, address: string): Promise<string[]> => {
    await tab.goto('/dev/mailbox');
    return tab.page
      .getByRole('listitem')
      .filter({ hasText: address })
      .getByRole('link', { name: 'Continue your application: Register a vehicle' })
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  };
  /**
   * The link in the one email to the address not among `seen` (the clock is fixed, so emails written in one test
   * share a time and the list's order cannot tell them apart).
   */
  const linkIn = async (tab: Tab, address: string, seen: readonly string[] = []) => {
    const [href, ...others] = (await emailsTo(tab, address)).filter((h) => !seen.includes(h));
    expect(others).toEqual([]);
    await tab.goto(href!);
    const text = await tab.page.locator('pre').innerText();
    return /http:\/\/localhost:3000(\/continue\/[A-Za-z0-9_-]{43})/.exec(text)![1]!;
  };

  for (const js of [true, false]) {
    it(`saves on a question page, then continues in another browser from the emailed link${js ? '' : ' (JavaScript off)'}`, async () => {
      const address = `saver.${js ? 'js' : 'nojs'}@example.com`;
      const tab = await suite.tab({ js });
      await tab.goto(`/services/${VEHICLE}/start`);
      await tab.fill(vehicle[0]!.steps[0]!.body);
      await tab.submit('Continue');
      await tab.submit('Save and come back later');
      expect(tab.path).toBe(`/services/${VEHICLE}/save`);
      await checkPage(tab, 'save: blank');
      await tab.submit('Save and send link');
      await checkPage(tab, 'save: errors (no email address)', { expectErrors: true });
      await tab.fill({ email: address });
      await tab.submit('Save and send link');
      expect(tab.path).toBe(`/services/${VEHICLE}/saved`);
      await checkPage(tab, 'saved');

      const link = await linkIn(tab, address);
      const elsewhere = await suite.tab({ js });
      await elsewhere.goto(link);
      expect(elsewhere.path).toBe(`/services/${VEHICLE}/continue`);
      await checkPage(elsewhere, 'continue: answers back');
      await elsewhere.navigating(() => elsewhere.page.getByRole('button', { name: 'Continue' }).click());
      expect(elsewhere.path).toBe(`/services/${VEHICLE}/make-and-model`);
      await elsewhere.goto(`/services/${VEHICLE}/vehicle-identification-number`);
      expect(await elsewhere.page.locator('[name="vin"]').inputValue()).toBe(
        vehicle[0]!.steps[0]!.body.vin as string,
      );

      // The same link again: it works once.
      const again = await suite.tab({ js });
      expect((await again.goto(link)).status()).toBe(410);
      await checkPage(again, 'link already used');
    });
  }

  it('says what to do with a link that does not work or has expired, and sends a new one', async () => {
    const { db } = suite.portal.t;
    const tab = await suite.tab();
    expect((await tab.goto(`/continue/${'A'.repeat(43)}`)).status()).toBe(404);
    await checkPage(tab, 'link does not work');

    await tab.goto(`/services/${VEHICLE}/start`);
    await tab.fill(vehicle[0]!.steps[0]!.body);
    await tab.submit('Continue');
    await tab.goto(`/services/${VEHICLE}/save`);
    await tab.fill({ email: 'expiring.saver@example.com' });
    await tab.submit('Save and send link');
    const link = await linkIn(tab, 'expiring.saver@example.com');
    const before = await emailsTo(tab, 'expiring.saver@example.com');
    await db('draft_link')
      .whereIn('draft_id', db('draft').where({ email: 'expiring.saver@example.com' }).select('id'))
      .update({ expires_at: new Date('2026-01-01T00:00:00Z') });
    expect((await tab.goto(link)).status()).toBe(410);
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe('This link has expired');
    await checkPage(tab, 'link expired');

    await tab.navigating(() => tab.page.getByRole('link', { name: 'Get a new link' }).click());
    expect(tab.path).toBe('/continue');
    await checkPage(tab, 'get a new link: blank');
    await tab.submit('Send a new link');
    await checkPage(tab, 'get a new link: errors', { expectErrors: true });
    await tab.fill({ email: 'expiring.saver@example.com' });
    await tab.submit('Send a new link');
    expect(tab.path).toBe('/continue/sent');
    await checkPage(tab, 'get a new link: sent');

    // The service changed since the answers were saved: the first page must be answered again.
    const fresh = await linkIn(tab, 'expiring.saver@example.com', before);
    await db('draft')
      .where({ email: 'expiring.saver@example.com' })
      .update({ service_version: 0, pages: JSON.stringify([]) });
    const other = await suite.tab();
    await other.goto(fresh);
    expect(await other.page.getByText('You need to answer these questions again').count()).toBe(1);
    await checkPage(other, 'continue: the form changed');
  });

  it('checked the autocomplete tokens of the save page and the new-link page', () => {
    expect(unseenExpectations('/services').filter((e) => e.includes('\\/save$'))).toEqual([]);
    expect(unseenExpectations('/continue')).toEqual([]);
  });
});

/**
 * The link in the one email to `address` with `subject`, among those not in `seen` (mailbox addresses), read as a
 * person reads their email: in the development mailbox. Returns the link's path and the mailbox entry.
 */
async function linkInMail(
  tab: Tab,
  address: string,
  subject: string,
  pattern: RegExp,
  seen: readonly string[] = [],
): Promise<{ link: string; entry: string }> {
  await tab.goto('/dev/mailbox');
  const hrefs = await tab.page
    .getByRole('listitem')
    .filter({ hasText: address })
    .getByRole('link', { name: subject })
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  const [entry, ...others] = hrefs.filter((h) => !seen.includes(h));
  expect(others).toEqual([]);
  await tab.goto(entry!);
  const text = await tab.page.locator('pre').innerText();
  return { link: pattern.exec(text)![1]!, entry: entry! };
}

const SIGN_IN_SUBJECT = 'Sign in to see your applications';
const SIGN_IN_LINK = /http:\/\/localhost:3000(\/your-applications\/sign-in\/[A-Za-z0-9_-]{43})/;

describe('your applications', () => {
  /** In a browser of its own, a citizen answers the vehicle service's first page and saves it with `address`. */
  async function saveFirstPage(address: string, { js = true } = {}) {
    const saver = await suite.tab({ js });
    await saver.goto(`/services/${VEHICLE}/start`);
    await saver.fill(vehicle[0]!.steps[0]!.body);
    await saver.submit('Continue');
    await saver.submit('Save and come back later');
    await saver.fill({ email: address });
    await saver.submit('Save and send link');
    expect(saver.path).toBe(`/services/${VEHICLE}/saved`);
  }

  /** Ask for a sign-in link on the page, read it in the mailbox, and sign in with it in a new browser. */
  async function signIn(address: string, { js = true } = {}) {
    const tab = await suite.tab({ js });
    await tab.goto('/your-applications/sign-in');
    await tab.fill({ email: address });
    await tab.submit('Send me a link');
    const { link } = await linkInMail(tab, address, SIGN_IN_SUBJECT, SIGN_IN_LINK);
    const browser = await suite.tab({ js });
    await browser.goto(link);
    await browser.submit('Sign in');
    expect(browser.path).toBe('/your-applications');
    return { browser, link };
  }

  it('signs in by emailed link, lists an open request and saved answers, replies, deletes, signs out', async () => {
    const address = 'listed.citizen@example.com';
    const reference = await sendAnApplication(VEHICLE, withEmail(vehicle[0]!, address));
    await staffAction(reference, {
      kind: 'request-information',
      message: 'Send us a photo of the V5C logbook, both sides.',
    });
    await saveFirstPage(address);

    const tab = await suite.tab();
    await tab.goto('/your-applications');
    expect(tab.path).toBe('/your-applications/sign-in');
    await checkPage(tab, 'your applications: sign in');
    await tab.submit('Send me a link');
    await checkPage(tab, 'your applications: sign in, errors', { expectErrors: true });
    await tab.fill({ email: address });
    await tab.submit('Send me a link');
    expect(tab.path).toBe('/your-applications/check-email');
    await checkPage(tab, 'your applications: check your email');

    const { link } = await linkInMail(tab, address, SIGN_IN_SUBJECT, SIGN_IN_LINK);
    const browser = await suite.tab();
    await browser.goto(link);
    await checkPage(browser, 'your applications: the sign-in button');
    await browser.submit('Sign in');
    expect(browser.path).toBe('/your-applications');
    const formatted = `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`;
    const card = browser.page.locator('.govuk-summary-card').filter({ hasText: formatted });
    expect(await card.locator('.govuk-tag').innerText()).toBe('Waiting for information from you');
    expect(await card.getByText('Send us a photo of the V5C logbook, both sides.').count()).toBe(1);
    await checkPage(browser, 'your applications: an open request and saved answers');
    await expectAriaSnapshot(browser.page, 'your-applications');

    // The reply, from the list.
    await browser.navigating(() => card.getByRole('link', { name: /Reply to our request/ }).click());
    expect(browser.path).toBe('/check-status/your-application');
    await checkPage(browser, 'status page opened from your applications');
    await browser.page.locator('#reply').fill('I have posted the logbook today.');
    await browser.submit('Send reply');
    await browser.navigating(() =>
      browser.page.getByRole('link', { name: 'Back to your applications' }).click(),
    );
    expect(await card.locator('.govuk-tag').innerText()).toBe('Being reviewed');

    // Deleting saved answers asks first.
    await browser.navigating(() => browser.page.getByRole('link', { name: /^Delete/ }).click());
    await checkPage(browser, 'your applications: delete saved answers?');
    await browser.submit('Delete saved answers');
    expect(browser.path).toBe('/your-applications');
    expect(await browser.page.getByText('Your saved answers have been deleted').count()).toBe(1);
    await checkPage(browser, 'your applications: saved answers deleted');

    await browser.submit('Sign out');
    expect(browser.path).toBe('/your-applications/sign-in');
    expect(await browser.page.getByText('You have signed out').count()).toBe(1);
    await checkPage(browser, 'your applications: signed out');

    // The link worked once.
    const again = await suite.tab();
    expect((await again.goto(link)).status()).toBe(410);
    await checkPage(again, 'sign-in link already used');
  });

  it('says what to do with a link that does not work or has expired, and signs out after 30 idle minutes', async () => {
    const { db } = suite.portal.t;
    const tab = await suite.tab();
    expect((await tab.goto(`/your-applications/sign-in/${'A'.repeat(43)}`)).status()).toBe(404);
    await checkPage(tab, 'sign-in link does not work');

    await tab.goto('/your-applications/sign-in');
    await tab.fill({ email: 'expiring.signin@example.com' });
    await tab.submit('Send me a link');
    const { link } = await linkInMail(tab, 'expiring.signin@example.com', SIGN_IN_SUBJECT, SIGN_IN_LINK);
    await db('citizen_sign_in_link')
      .where({ email: 'expiring.signin@example.com' })
      .update({ expires_at: new Date('2026-01-01T00:00:00Z') });
    expect((await tab.goto(link)).status()).toBe(410);
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe('This link has expired');
    await checkPage(tab, 'sign-in link expired');

    // Idle: the session's last activity moved back 31 minutes, as if the citizen had walked away.
    const { browser } = await signIn('idle.citizen@example.com');
    const rows: { sid: string; sess: unknown }[] = await db('session').select('sid', 'sess');
    for (const row of rows) {
      const sess = (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) as {
        citizen?: { email: string; lastSeen: number };
      };
      if (sess.citizen?.email !== 'idle.citizen@example.com') continue;
      sess.citizen.lastSeen -= 31 * 60_000;
      await db('session')
        .where({ sid: row.sid })
        .update({ sess: JSON.stringify(sess) });
    }
    await browser.goto('/your-applications');
    expect(browser.path).toBe('/your-applications/sign-in');
    expect(
      await browser.page
        .getByText('You have been signed out because you had not done anything for 30 minutes')
        .count(),
    ).toBe(1);
    await checkPage(browser, 'your applications: signed out after 30 idle minutes');
  });

  it('with JavaScript off: signs in, an empty list, then saved answers continued from the list', async () => {
    const address = 'nojs.citizen@example.com';
    const first = await signIn(address, { js: false });
    expect(await first.browser.page.getByText('You have not sent any applications').count()).toBe(1);
    await checkPage(first.browser, 'your applications: nothing sent or saved');

    await saveFirstPage(address, { js: false });

    await first.browser.goto('/your-applications');
    await first.browser.submit(/^Continue with Register a vehicle, saved on/);
    expect(first.browser.path).toBe(`/services/${VEHICLE}/continue`);
    await first.browser.submit('Continue');
    expect(first.browser.path).toBe(`/services/${VEHICLE}/make-and-model`);
  });

  it('too many links asked for from one connection: 429, nothing sent', async () => {
    const { t } = suite.portal;
    const counter = createRateLimit(t.db, {
      keyPrefix: 'sign-in-ip',
      points: SIGN_IN_LIMITS.perClient,
      durationSeconds: SIGN_IN_LIMITS.durationSeconds,
    });
    const tab = await suite.tab();
    await tab.goto('/your-applications/sign-in');
    const addresses = ['127.0.0.1', '::ffff:127.0.0.1', '::1'];
    for (const address of addresses)
      for (let i = 0; i < SIGN_IN_LIMITS.perClient; i++) await counter.consume(address);
    try {
      await tab.fill({ email: 'too.many.links@example.com' });
      await tab.submit('Send me a link');
      expect(tab.document?.status()).toBe(429);
      await checkPage(tab, 'too many sign-in links');
      expect(
        await t.db('citizen_sign_in_link').where({ email: 'too.many.links@example.com' }).first(),
      ).toBeUndefined();
    } finally {
      for (const address of addresses) await counter.clear(address);
    }
  });

  it('checked the autocomplete tokens of the sign-in page', () => {
    expect(unseenExpectations('/your-applications')).toEqual([]);
  });
});

/** The checks that do not apply to an email's HTML part: it is an email, not a page of the portal. */
const EMAIL_HTML_SKIPS = {
  title: 'an email: its title is its subject',
  headings: 'an email: its subject is the heading in the mail app, so its own headings start at h2',
  landmarks: 'an email: no header, main or footer landmarks',
  'skip-link': 'an email: no skip link',
  html: 'an email: inline styles are how email is styled; test/notifications/outbox.test.ts validates it without no-inline-style',
  console: 'the sandbox refuses the test tools’ own scripts and says so in the console (checked after)',
} as const;

describe('the development mailbox', () => {
  it('lists the emails and shows one, and its HTML part, with JavaScript on and off', async () => {
    const reference = await sendAnApplication(VEHICLE, vehicle[0]!);
    for (const js of [true, false]) {
      const tab = await suite.tab({ js });
      await tab.goto('/dev/mailbox');
      await checkPage(tab, 'emails');
      const subject = `Application received: reference ${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`;
      await tab.navigating(() => tab.page.getByRole('link', { name: subject }).click());
      expect(tab.path).toMatch(/^\/dev\/mailbox\/[0-9a-f-]{36}$/);
      const text = await tab.page.locator('pre').innerText();
      expect(text).toContain('Your reference number is');
      await checkPage(tab, 'email');

      // The HTML part, as a mail app would show it: not a portal page, but it must pass axe too. Its sandbox
      // policy stops scripts whatever the browser allows (timers included, which the checks with JavaScript on
      // need), so it is checked once, with JavaScript off: the same page either way.
      if (!js) {
        const emailPath = tab.path;
        await tab.navigating(() => tab.page.getByRole('link', { name: /View the HTML part/ }).click());
        expect(tab.path).toBe(`${emailPath}/html`);
        expect(await tab.page.getByText('Your reference number is').count()).toBeGreaterThan(0);
        await checkPage(tab, 'the email’s HTML part', { skip: EMAIL_HTML_SKIPS });
        // What the console says instead: the sandbox refused the test tools' own scripts, and nothing else.
        expect(tab.problems.filter((p) => !/Blocked script execution .* sandboxed/.test(p))).toEqual([]);
        await tab.goto(emailPath);
      }

      // The email's link: the status check with the reference filled in.
      const link = /http:\/\/localhost:3000(\/check-status\?reference=[A-Z0-9-]+)/.exec(text)![1]!;
      await tab.goto(link);
      expect(await tab.page.getByLabel('Reference number').inputValue()).toMatch(/^[A-Z0-9]{4}-/);
      await checkPage(tab, 'reference filled in from an email');
    }
  });

  it('says so when an email does not exist', async () => {
    const tab = await suite.tab();
    const response = await tab.goto('/dev/mailbox/00000000-0000-4000-8000-000000000000');
    expect(response.status()).toBe(404);
    await checkPage(tab, '404');
  });
});

describe('endpoints that are not pages', () => {
  it('health checks answer JSON', async () => {
    const tab = await suite.tab();
    for (const path of ['/health/live', '/health/ready']) {
      const response = await tab.page.request.get(suite.portal.url(path));
      expect(response.headers()['content-type']).toMatch(/^application\/json/);
    }
  });
});
