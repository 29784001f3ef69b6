import { shippedServices } from '../helpers/app';
import { FIXED_NOW, sendApplication, walkToCheckAnswers, withEmail } from '../helpers/journey';
import { newestEmail } from '../helpers/mail';
import { createStaffUser, totpCodeFor, type TestStaffUser } from '../helpers/staff';
import pothole from '../fixtures/journeys/report-a-pothole';
import selfAssessment from '../fixtures/journeys/file-a-self-assessment-tax-return';
import vehicle from '../fixtures/journeys/register-a-vehicle';
import blueBadge from '../fixtures/journeys/apply-for-a-blue-badge';
import fishing from '../fixtures/journeys/apply-for-a-rod-fishing-licence';
import vote from '../fixtures/journeys/register-to-vote';
import type { Page } from 'playwright-core';
import { formatReference } from '../../src/submissions/reference';
import type { JourneyPath } from '../fixtures/journeys/types';
import type { Tab } from './helpers/browser';
import { checkPage, focusDocumentStart } from './helpers/checks';
import { activate, answerByKeyboard, focused, tabTo, typeInField } from './helpers/keyboard';
import { useBrowserSuite } from './helpers/suite';

// Whole journeys with the keyboard alone (Tab, arrows, Space, Enter and typing: no clicks, no filling
// fields directly), with JavaScript on and off: from / (browsing the topics or searching) to the confirmation,
// then the status check with the reference the page gave. A caseworker and a citizen with JavaScript off:
// sign in with password and code, next case, a request for more information, the citizen's reply, approval,
// the decision on the status page. And paste allowed in the staff password and code fields (WCAG 3.3.8: no
// cognitive test, password managers work).

const suite = useBrowserSuite('keyboard');
const services = shippedServices();

/** What the summary list on the page says, key → value (the status page, the case page). */
const summaryOf = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll('main .govuk-summary-list__row')).map((row) => [
        (row.querySelector('.govuk-summary-list__key')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        (row.querySelector('.govuk-summary-list__value')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ]),
    ),
  );

const textOf = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The answer that proves ownership on the status check: the first of the applicant's own email or phone given. */
function proofGiven(journey: JourneyPath, questions: readonly string[]): string {
  for (const question of questions) {
    for (const step of journey.steps) {
      const value = step.body[question];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  throw new Error(`${journey.name} never answers ${questions.join(' or ')}`);
}

/** On the status form: type the reference and the email or phone number, then press Check status. */
async function checkStatusByKeyboard(tab: Tab, reference: string, proof: string) {
  expect(tab.path).toBe('/check-status');
  await typeInField(tab.page, 'reference', reference);
  await typeInField(tab.page, 'proof', proof);
  await activate(tab, 'Check status');
  expect(tab.path).toBe('/check-status/your-application');
}

/** Full checks the first time a state is met in this file (per JavaScript on or off), the light one after. */
const checked = new Set<string>();
async function checkState(tab: Tab, state: string) {
  const key = `${state}|${tab.js}`;
  await checkPage(tab, state, { light: checked.has(key) });
  checked.add(key);
  // The checks Tab through the page; a person carrying on starts again from the top.
  await focusDocumentStart(tab.page);
}

type Run = Readonly<{
  slug: string;
  title: string;
  journey: JourneyPath;
  query: string;
  how: 'browsing the topics' | 'searching';
}>;

const JOURNEYS = [
  // Conditional reveals (fuel type "other"), a date, radios, an address.
  { slug: 'register-a-vehicle', journey: vehicle[2]!, query: 'vehicle' },
  // Checkboxes (two income sources), money amounts, the tax calculation on check answers.
  { slug: 'file-a-self-assessment-tax-return', journey: selfAssessment[1]!, query: 'tax return' },
  // The other four services, so every service's journey is completed by keyboard alone, both ways round.
  { slug: 'apply-for-a-blue-badge', journey: blueBadge[0]!, query: 'blue badge' },
  { slug: 'apply-for-a-rod-fishing-licence', journey: fishing[0]!, query: 'fishing' },
  { slug: 'register-to-vote', journey: vote[0]!, query: 'vote' },
  { slug: 'report-a-pothole', journey: pothole[0]!, query: 'pothole' },
] as const;

/**
 * With JavaScript on, every other service is found by browsing (the vehicle first) and the rest by search; with
 * it off, the other way round: each service is found both ways, and each way is used with JavaScript on and off.
 */
const runsFor = (js: boolean): Run[] =>
  JOURNEYS.map((j, i) => ({
    ...j,
    title: services.find(j.slug)!.title,
    how: (i % 2 === 0) === js ? 'browsing the topics' : 'searching',
  }));

/** From the catalogue at /, reach the service's start page by keyboard: a topic's link, or the search form. */
async function findService(tab: Tab, run: Run) {
  const { page } = tab;
  await tab.goto('/');
  if (run.how === 'searching') {
    await typeInField(page, 'q', run.query);
    await tab.navigating(() => page.keyboard.press('Enter'));
    expect(tab.path).toBe(`/search?${new URLSearchParams({ q: run.query })}`);
    expect(await textOf(page, 'main [role="status"]')).toMatch(/^\d+ results? for/);
  }
  await tabTo(page, `the link "${run.title}"`, (f) => f.tag === 'a' && f.text === run.title);
  // Where the link sits: under a topic's heading in the catalogue, in the result list after a search.
  const listHeading = await page.evaluate(() => {
    const heading = document.activeElement?.closest('main ul')?.previousElementSibling;
    return heading?.tagName === 'H2' ? { text: (heading.textContent ?? '').trim(), id: heading.id } : null;
  });
  if (run.how === 'searching') expect(listHeading).toEqual({ text: 'Services that match', id: '' });
  else expect(listHeading?.id).toMatch(/^[a-z-]+$/); // a topic's heading, which has an id to link to
  await tab.navigating(() => page.keyboard.press('Enter'));
  expect(tab.path).toBe(`/services/${run.slug}`);
}

// First in the file: its application must be the oldest case in the queue when the caseworker takes the next one
// (the journeys below send more reports to the same council).
describe('a caseworker and a citizen, keyboard only, JavaScript off', () => {
  const REQUEST = 'Send us a photo of the pothole, with something next to it to show its size.';
  // Two lines (Enter in the text area): the status and case pages show them as two lines, in valid HTML.
  const REPLY = 'Photo sent by email to roads@example.gov.uk.\nThe pothole is about 40 cm across.';
  // With an email address: an application without one cannot be asked for more information.
  const journey = pothole[0]!;
  let caseworker: TestStaffUser;
  let reference: string;

  beforeAll(async () => {
    const { t } = suite.portal;
    caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: ['local-council'],
      displayName: 'Kim Keys',
    });
    const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', journey);
    const sent = await sendApplication(agent, 'report-a-pothole');
    const compact = /\/confirmation\/([A-Z0-9]{10})$/.exec(String(sent.headers.location))?.[1];
    if (!compact) throw new Error(`sending answered ${sent.status} ${sent.headers.location}`);
    // As the citizen's confirmation page showed it.
    reference = formatReference(compact);
  });

  /** The citizen, from /, checks the status with the reference and the email address they gave. */
  async function citizenChecksStatus(citizen: Tab) {
    await citizen.goto('/');
    await activate(citizen, 'Check the status of an application you have sent');
    await checkStatusByKeyboard(citizen, reference, proofGiven(journey, ['contactEmail', 'contactPhone']));
    expect((await summaryOf(citizen.page))['Reference number']).toBe(reference);
  }

  it('the caseworker signs in with password and code, takes the next case and asks for more information; the citizen replies on the status page; the caseworker sees the reply and approves; the citizen sees the decision', async () => {
    const staff = await suite.tab({ js: false });
    const citizen = await suite.tab({ js: false });
    const { page } = staff;

    // Sign in: email and password, then the code from the authenticator.
    await staff.goto('/staff/sign-in');
    await typeInField(page, 'email', caseworker.email);
    await typeInField(page, 'password', caseworker.password);
    await activate(staff, 'Sign in');
    expect(staff.path).toBe('/staff/sign-in/code');
    await typeInField(page, 'code', await totpCodeFor(caseworker.totpSecret!, FIXED_NOW));
    await activate(staff, 'Continue');
    expect(staff.path).toBe('/staff');

    // The next case is the citizen's; ask them for more information.
    await activate(staff, 'Take the next case');
    const casePath = `/staff/submissions/${reference.replace(/-/g, '')}`;
    expect(staff.path).toBe(casePath);
    expect(await summaryOf(page)).toMatchObject({ Status: 'Being reviewed', 'Assigned to': 'Kim Keys' });
    await typeInField(page, 'message', REQUEST);
    await activate(staff, 'Send request');
    expect(staff.path).toBe(`${casePath}?done=request-information`);
    expect(await textOf(page, '.govuk-notification-banner')).toContain(
      'Your request for more information has been sent to the citizen',
    );
    expect(await summaryOf(page)).toMatchObject({ Status: 'Awaiting citizen' });
    expect(await page.getByText(REQUEST, { exact: true }).count()).toBe(1);
    await checkState(staff, 'information requested by keyboard');

    // The citizen sees the request on the status page and replies.
    await citizenChecksStatus(citizen);
    expect(await summaryOf(citizen.page)).toMatchObject({ Status: 'Waiting for information from you' });
    expect(await citizen.page.getByText(REQUEST, { exact: true }).count()).toBe(1);
    await checkState(citizen, 'waiting for a reply, reached by keyboard');
    await typeInField(citizen.page, 'reply', REPLY);
    await activate(citizen, 'Send reply');
    expect(citizen.path).toBe('/check-status/your-application?sent=true');
    expect(await textOf(citizen.page, '.govuk-notification-banner')).toContain('Your reply has been sent');
    expect(await summaryOf(citizen.page)).toMatchObject({ Status: 'Being reviewed' });
    await checkState(citizen, 'reply sent by keyboard');

    // The caseworker goes back to the cases, opens this one from the queue, reads the reply and approves.
    await activate(staff, 'Back to cases');
    expect(staff.path).toBe('/staff');
    await activate(staff, reference);
    expect(staff.path).toBe(casePath);
    expect(await summaryOf(page)).toMatchObject({ Status: 'Being reviewed' });
    const fromCitizen = page
      .locator('main li')
      .filter({ has: page.getByText('From the citizen', { exact: true }) });
    expect(await fromCitizen.count()).toBe(1);
    expect(await fromCitizen.getByText(REPLY.replace('\n', ' '), { exact: true }).count()).toBe(1);
    expect(await fromCitizen.locator('p br').count()).toBe(1);
    await checkState(staff, "the citizen's reply shown");
    await activate(staff, 'Approve application');
    expect(staff.path).toBe(`${casePath}?done=approve`);
    expect(await textOf(page, '.govuk-notification-banner')).toContain('The application has been approved');
    expect(await summaryOf(page)).toMatchObject({ Status: 'Approved' });
    await checkState(staff, 'approved by keyboard');

    // The citizen comes back later and sees the decision.
    await citizenChecksStatus(citizen);
    expect(await summaryOf(citizen.page)).toMatchObject({ Status: 'Approved' });
    expect(await textOf(citizen.page, 'main ol')).toMatch(/: Application approved$/);
    expect(await citizen.page.locator('textarea[name="reply"]').count()).toBe(0);
    await checkState(citizen, 'approved, seen by the citizen');
  });
});

describe.each([
  ['on', true],
  ['off', false],
])('keyboard only, JavaScript %s', (_label, js) => {
  it.each(runsFor(js))(
    'finds $title from / by $how, applies, and checks the status with the reference it was given',
    async (run) => {
      const service = services.find(run.slug)!;
      const tab = await suite.tab({ js });
      await findService(tab, run);
      await activate(tab, 'Start now');

      for (const [i, step] of run.journey.steps.entries()) {
        expect(tab.path).toBe(`/services/${run.slug}/${step.page}`);
        if (i === 0) {
          // A mistake first: Continue with nothing entered, then the error summary (focused, with JS).
          await activate(tab, 'Continue');
          expect(await tab.page.title()).toMatch(/^Error: /);
          if (js)
            expect(
              await tab.page.evaluate(() => !!document.activeElement?.closest('.govuk-error-summary')),
            ).toBe(true);
        }
        await answerByKeyboard(tab, step);
      }

      expect(tab.path).toBe(`/services/${run.slug}/check-answers`);
      await activate(tab, service.declaration.submitLabel);
      const sent = new RegExp(`^/services/${run.slug}/confirmation/([A-Z0-9]{10})$`).exec(tab.path);
      expect(sent).not.toBeNull();
      expect(await textOf(tab.page, 'h1')).toBe('Application sent');

      // The reference as the page shows it, read and typed back as a person would.
      const reference = await textOf(tab.page, '.govuk-panel__body strong');
      expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);
      expect(reference.replace(/-/g, '')).toBe(sent![1]);

      await activate(tab, 'Check the status of your application');
      await checkStatusByKeyboard(tab, reference, proofGiven(run.journey, service.statusCheckQuestions));
      expect(await textOf(tab.page, 'main .govuk-caption-l')).toBe(run.title);
      expect(await summaryOf(tab.page)).toMatchObject({ 'Reference number': reference, Status: 'Received' });
      expect(await textOf(tab.page, 'main ol')).toMatch(/: Application received$/);
      await checkState(tab, 'received, found by keyboard');
    },
  );
});

/** The link in the newest email of `template` to `address`, rendered as the worker sends it. */
const linkInNewestEmail = async (template: string, address: string, pathPrefix: string) =>
  (await newestEmail(suite.portal.t, template, address, pathPrefix)).link;

describe.each([
  ['on', true],
  ['off', false],
])('save and come back later, then your applications, keyboard only, JavaScript %s', (_label, js) => {
  it('starts a tax return, saves it without the P60 figures, finishes it from the emailed link in a new browser, and finds it under your applications', async () => {
    const slug = 'file-a-self-assessment-tax-return';
    const address = `taxpayer.${js ? 'js' : 'nojs'}@example.com`;
    const journey = withEmail(selfAssessment[0]!, address);
    const service = services.find(slug)!;
    const saveAt = journey.steps.findIndex((s) => s.page === 'employment-income');

    const tab = await suite.tab({ js });
    await tab.goto(`/services/${slug}`);
    await activate(tab, 'Start now');
    for (const step of journey.steps.slice(0, saveAt)) await answerByKeyboard(tab, step);
    expect(tab.path).toBe(`/services/${slug}/employment-income`);
    await activate(tab, 'Save and come back later');
    expect(tab.path).toBe(`/services/${slug}/save`);
    await typeInField(tab.page, 'email', address);
    await activate(tab, 'Save and send link');
    expect(tab.path).toBe(`/services/${slug}/saved`);
    await checkState(tab, 'saved, by keyboard');

    // Another device: the link from the email, in a browser that has never seen the portal.
    const link = await linkInNewestEmail('draft-saved', address, '/continue');
    const elsewhere = await suite.tab({ js });
    await elsewhere.goto(link);
    expect(elsewhere.path).toBe(`/services/${slug}/continue`);
    await checkState(elsewhere, 'answers back, by keyboard');
    await activate(elsewhere, 'Continue');
    for (const step of journey.steps.slice(saveAt)) {
      expect(elsewhere.path).toBe(`/services/${slug}/${step.page}`);
      await answerByKeyboard(elsewhere, step);
    }
    expect(elsewhere.path).toBe(`/services/${slug}/check-answers`);
    await activate(elsewhere, service.declaration.submitLabel);
    expect(await textOf(elsewhere.page, 'h1')).toBe('Application sent');
    const reference = await textOf(elsewhere.page, '.govuk-panel__body strong');

    // Your applications: sign in by emailed link, by keyboard.
    await elsewhere.goto('/your-applications');
    expect(elsewhere.path).toBe('/your-applications/sign-in');
    await typeInField(elsewhere.page, 'email', address);
    await activate(elsewhere, 'Send me a link');
    expect(elsewhere.path).toBe('/your-applications/check-email');
    await elsewhere.goto(await linkInNewestEmail('sign-in', address, '/your-applications/sign-in'));
    await activate(elsewhere, 'Sign in');
    expect(elsewhere.path).toBe('/your-applications');
    const card = elsewhere.page.locator('.govuk-summary-card').filter({ hasText: reference });
    expect(await card.locator('.govuk-summary-card__title').innerText()).toBe(service.title);
    expect(await card.locator('.govuk-tag').innerText()).toBe('Received');
    // Sending the application deleted the saved answers.
    expect(await textOf(elsewhere.page, 'main')).toContain('You have no saved answers.');
    await checkState(elsewhere, 'your applications, by keyboard');
    await activate(elsewhere, `View application with reference ${reference} (${service.title})`);
    expect(await summaryOf(elsewhere.page)).toMatchObject({
      'Reference number': reference,
      Status: 'Received',
    });
  });
});

it('after the skip link, a form with errors still gives the error summary focus (no #main-content carried over)', async () => {
  const tab = await suite.tab();
  await tab.goto('/services/report-a-pothole/start');
  await tabTo(tab.page, 'the skip link', (f) => f.text === 'Skip to main content');
  await tab.page.keyboard.press('Enter');
  expect(new URL(tab.page.url()).hash).toBe('#main-content');
  await activate(tab, 'Continue');
  expect(new URL(tab.page.url()).hash).toBe('');
  expect(await tab.page.evaluate(() => !!document.activeElement?.closest('.govuk-error-summary'))).toBe(true);
  await answerByKeyboard(tab, pothole[0]!.steps[0]!);
  expect(new URL(tab.page.url()).hash).toBe('');
});

describe('paste is allowed in the staff password and code fields', () => {
  let user: TestStaffUser;

  beforeAll(async () => {
    user = await createStaffUser(suite.portal.t.db, { role: 'caseworker', agencies: ['local-council'] });
  });

  /** Tab to the field, check nothing cancels a paste there, then paste from the real clipboard (Ctrl+V). */
  async function pasteInto(tab: Awaited<ReturnType<typeof suite.tab>>, name: string, text: string) {
    const { page } = tab;
    const f = await tabTo(page, `the ${name} field`, (x) => x.name === name);
    const field = await page.evaluate((n: string) => {
      const el = document.querySelector<HTMLInputElement>(`[name="${n}"]`)!;
      const data = new DataTransfer();
      data.setData('text/plain', 'probe');
      const notCancelled = el.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
      return {
        notCancelled,
        onpaste: el.hasAttribute('onpaste') || el.onpaste !== null,
        autocomplete: el.getAttribute('autocomplete'),
      };
    }, name);
    expect({ name, ...field }).toEqual({
      name,
      notCancelled: true,
      onpaste: false,
      autocomplete: name === 'password' ? 'current-password' : 'one-time-code',
    });
    expect(f.value).toBe('');
    await page.evaluate((t: string) => navigator.clipboard.writeText(t), text);
    await page.keyboard.press('ControlOrMeta+V');
    expect((await focused(page))?.value).toBe(text);
  }

  it('signs in with the password and the code pasted', async () => {
    const context = await suite.context();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.portal.baseUrl });
    const tab = await suite.tab({ context });
    await tab.goto('/staff/sign-in');
    await tabTo(tab.page, 'the email field', (f) => f.name === 'email');
    await tab.page.keyboard.type(user.email);
    await pasteInto(tab, 'password', user.password);
    await activate(tab, 'Sign in');
    expect(tab.path).toBe('/staff/sign-in/code');
    await pasteInto(tab, 'code', await totpCodeFor(user.totpSecret!, FIXED_NOW));
    await activate(tab, 'Continue');
    expect(tab.path).toBe('/staff');
  });
});
