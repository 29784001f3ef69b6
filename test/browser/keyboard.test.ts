import { shippedServices } from '../helpers/app';
import { FIXED_NOW, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { createStaffUser, totpCodeFor, type TestStaffUser } from '../helpers/staff';
import pothole from '../fixtures/journeys/report-a-pothole';
import selfAssessment from '../fixtures/journeys/file-a-self-assessment-tax-return';
import vehicle from '../fixtures/journeys/register-a-vehicle';
import type { JourneyPath } from '../fixtures/journeys/types';
import { checkPage } from './helpers/checks';
import { activate, answerByKeyboard, focused, tabTo } from './helpers/keyboard';
import { useBrowserSuite } from './helpers/suite';

// Whole journeys with the keyboard alone (Tab, arrows, Space, Enter and typing: no clicks, no filling
// fields directly), with JavaScript on and off; a member of staff deciding a case by keyboard; and paste
// allowed in the staff password and code fields (WCAG 3.3.8: no cognitive test, password managers work).

const suite = useBrowserSuite('keyboard');
const services = shippedServices();

const JOURNEYS: readonly (readonly [string, JourneyPath])[] = [
  // Conditional reveals (fuel type "other"), a date, radios, an address.
  ['register-a-vehicle', vehicle[2]!],
  // Checkboxes (two income sources), money amounts, the tax calculation on check answers.
  ['file-a-self-assessment-tax-return', selfAssessment[1]!],
];

describe.each([true, false])('keyboard only, JavaScript %s', (js) => {
  it.each(JOURNEYS)('%s, from the start page to the confirmation', async (slug, journey) => {
    const service = services.find(slug)!;
    const tab = await suite.tab({ js });
    await tab.goto(`/services/${slug}`);
    await activate(tab, 'Start now');

    for (const [i, step] of journey.steps.entries()) {
      expect(tab.path).toBe(`/services/${slug}/${step.page}`);
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

    expect(tab.path).toBe(`/services/${slug}/check-answers`);
    await activate(tab, service.declaration.submitLabel);
    expect(tab.path).toMatch(new RegExp(`^/services/${slug}/confirmation/[A-Z0-9]{10}$`));
    expect((await tab.page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(
      'Application sent',
    );
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

describe('staff, keyboard only', () => {
  let caseworker: TestStaffUser;

  beforeAll(async () => {
    const { t } = suite.portal;
    caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: ['local-council'],
      displayName: 'Kim Keys',
    });
    const agent = await walkToCheckAnswers(t.app, 'report-a-pothole', pothole[1]!);
    expect((await sendApplication(agent, 'report-a-pothole')).status).toBe(303);
  });

  it('signs in, takes the next case and approves it', async () => {
    const tab = await suite.tab();
    const { page } = tab;
    await tab.goto('/staff/sign-in');
    await tabTo(page, 'the email field', (f) => f.name === 'email');
    await page.keyboard.type(caseworker.email);
    await tabTo(page, 'the password field', (f) => f.name === 'password');
    await page.keyboard.type(caseworker.password);
    await activate(tab, 'Sign in');

    expect(tab.path).toBe('/staff/sign-in/code');
    await tabTo(page, 'the code field', (f) => f.name === 'code');
    await page.keyboard.type(await totpCodeFor(caseworker.totpSecret!, FIXED_NOW));
    await activate(tab, 'Continue');

    expect(tab.path).toBe('/staff');
    await activate(tab, 'Take the next case');
    expect(tab.path).toMatch(/^\/staff\/submissions\/[A-Z0-9]{10}$/);
    await activate(tab, 'Approve application');
    expect(await page.getByText('The application has been approved').count()).toBe(1);
    await checkPage(tab, 'approved by keyboard');
  });
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
