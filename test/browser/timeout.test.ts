import { createStaffUser } from '../helpers/staff';
import type { Tab } from './helpers/browser';
import { checkPage } from './helpers/checks';
import { tabToButton } from './helpers/keyboard';
import { signInThroughPages } from './helpers/staff';
import { useBrowserSuite } from './helpers/suite';

// The session-timeout warning (WCAG 2.2.1) as a person meets it: the page's clock is Playwright's fake clock,
// fast-forwarded to the moment the warning is due. The dialog takes focus, reads out its heading and countdown,
// and one key press gives more time without leaving the page or losing what was typed. At the deadline the
// page goes to the timed-out page. The portal runs with SESSION_IDLE_MINUTES at its default, 60: the warning
// comes after 54 minutes (59 minutes' budget, less 5), the deadline at 59.

const suite = useBrowserSuite('timeout');
const FIRST = '/services/register-a-vehicle/vehicle-identification-number';

const dialogOpen = (tab: Tab) =>
  tab.page.evaluate(
    () => (document.getElementById('timeout-warning') as HTMLDialogElement | null)?.open ?? false,
  );
const focusInDialog = (tab: Tab) =>
  tab.page.evaluate(() => !!document.activeElement?.closest('dialog#timeout-warning'));

async function citizenOnFirstPage(): Promise<Tab> {
  const tab = await suite.tab();
  await tab.page.clock.install();
  await tab.goto('/services/register-a-vehicle/start');
  expect(tab.path).toBe(FIRST);
  return tab;
}

describe('a citizen with answers in progress', () => {
  it('is warned five minutes before the answers are deleted, in a modal dialog that takes focus and is read out', async () => {
    const tab = await citizenOnFirstPage();
    expect(await dialogOpen(tab)).toBe(false);
    await tab.page.clock.fastForward('53:50');
    expect(await dialogOpen(tab)).toBe(false);
    await tab.page.clock.fastForward('00:15');
    expect(await dialogOpen(tab)).toBe(true);
    expect(await focusInDialog(tab)).toBe(true);
    expect(await tab.page.locator('dialog#timeout-warning').ariaSnapshot()).toBe(
      [
        '- dialog "Do you need more time?":',
        '  - heading "Do you need more time?" [level=2]',
        '  - paragraph: For your security, we will delete your answers in 5 minutes.',
        '  - button "Continue with your application"',
        '  - paragraph:',
        '    - link "Save your answers and come back later":',
        '      - /url: /services/register-a-vehicle/save',
      ].join('\n'),
    );
    const { description } = await tab.page.evaluate(() => {
      const d = document.getElementById('timeout-warning')!;
      return { description: document.getElementById(d.getAttribute('aria-describedby')!)!.textContent };
    });
    expect(description).toBe('For your security, we will delete your answers in 5 minutes.');
    await checkPage(tab, 'timeout warning open', {
      skip: { 'skip-link': 'a modal dialog is open: the page behind it is inert until it closes' },
    });
  });

  it('hears the time left each minute, not each second', async () => {
    const tab = await citizenOnFirstPage();
    await tab.page.clock.fastForward('54:01');
    const live = tab.page.locator('#timeout-warning [aria-live="polite"]');
    expect(await live.textContent()).toBe('');
    await tab.page.clock.fastForward('00:30');
    expect(await live.textContent()).toBe('');
    await tab.page.clock.fastForward('00:31');
    expect(await live.textContent()).toBe('For your security, we will delete your answers in 4 minutes.');
    await tab.page.clock.fastForward('03:30'); // 28 seconds left
    expect(await live.textContent()).toBe('For your security, we will delete your answers in 28 seconds.');
  });

  it('presses Enter for more time: the dialog closes, the page stays and what was typed is kept', async () => {
    const tab = await citizenOnFirstPage();
    await tab.page.locator('[name="vin"]').pressSequentially('WVWZZZ1JZXW000001');
    await tab.page.clock.fastForward('54:10');
    expect(await dialogOpen(tab)).toBe(true);
    const extended = tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/session/extend');
    await tab.page.keyboard.press('Enter');
    expect((await extended).status()).toBe(204);
    await tab.page.waitForFunction(
      () => !(document.getElementById('timeout-warning') as HTMLDialogElement).open,
    );
    expect(tab.path).toBe(FIRST);
    expect(await tab.page.locator('[name="vin"]').inputValue()).toBe('WVWZZZ1JZXW000001');
    // The clock starts again: no new warning until another 54 minutes have passed.
    await tab.page.clock.fastForward('50:00');
    expect(await dialogOpen(tab)).toBe(false);
    await tab.page.clock.fastForward('04:30');
    expect(await dialogOpen(tab)).toBe(true);
  });

  it('presses Escape for more time, as the button', async () => {
    const tab = await citizenOnFirstPage();
    await tab.page.clock.fastForward('54:10');
    const extended = tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/session/extend');
    await tab.page.keyboard.press('Escape');
    expect((await extended).status()).toBe(204);
    expect(await dialogOpen(tab)).toBe(false);
    expect(tab.path).toBe(FIRST);
  });

  it('who does nothing is taken to the timed-out page, and the answers are gone', async () => {
    const tab = await citizenOnFirstPage();
    await tab.fill({ vin: 'WVWZZZ1JZXW000001' });
    await tab.submit('Continue');
    await tab.page.clock.install();
    await tab.goto(FIRST);
    await tab.page.clock.fastForward('54:10');
    expect(await dialogOpen(tab)).toBe(true);
    // On the server the session is about to expire as well (the page's clock is fake; the database's is not).
    await suite.portal.t.db('session').update({ expired: new Date(Date.now() + 20_000) });
    await tab.navigating(() => tab.page.clock.fastForward('05:00'));
    expect(tab.path).toMatch(/^\/session\/timed-out\?service=register-a-vehicle&returnTo=/);
    expect(await tab.page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'For your security, we deleted your answers',
    );
    await checkPage(tab, 'timed out');
    await tab.navigating(() => tab.page.getByRole('button', { name: 'Start again' }).click());
    expect(tab.path).toBe('/services/register-a-vehicle');
    await tab.goto(FIRST);
    expect(await tab.page.locator('[name="vin"]').inputValue()).toBe('');
  });

  it('with JavaScript off, is told on the start page how long answers are kept', async () => {
    const tab = await suite.tab({ js: false });
    await tab.goto('/services/register-a-vehicle');
    expect(await tab.page.locator('main').textContent()).toContain(
      'For your security, we delete your answers if you do not do anything on the service for 60 minutes.',
    );
  });
});

describe('a member of staff', () => {
  it('is warned before the 30-minute idle sign-out and stays signed in by keyboard', async () => {
    const { db } = suite.portal.t;
    const user = await createStaffUser(db, { role: 'caseworker', agencies: ['local-council'] });
    const tab = await suite.tab();
    await tab.page.clock.install();
    await signInThroughPages(tab, db, user);
    expect(tab.path).toBe('/staff');
    await tab.page.clock.fastForward('25:05');
    expect(await dialogOpen(tab)).toBe(true);
    expect(await focusInDialog(tab)).toBe(true);
    expect(await tab.page.locator('#timeout-warning-heading').textContent()).toBe(
      'You will be signed out soon',
    );
    await checkPage(tab, 'timeout warning open', {
      skip: { 'skip-link': 'a modal dialog is open: the page behind it is inert until it closes' },
    });
    // The checks walked the page with Tab: inside a modal dialog, Tab only ever reaches the dialog's button.
    await tabToButton(tab.page, 'Stay signed in');
    const extended = tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/session/extend');
    await tab.page.keyboard.press('Enter');
    expect((await extended).status()).toBe(204);
    expect(await dialogOpen(tab)).toBe(false);
    expect(tab.path).toBe('/staff');
  });
});
