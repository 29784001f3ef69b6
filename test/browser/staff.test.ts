import crypto from 'node:crypto';
import { createCalendar, loadBankHolidays } from '../../src/calendar/working-days';
import { syncServices } from '../../src/catalogue/service-repository';
import { applyRetention } from '../../src/retention/retention';
import { changeCase } from '../../src/staff/case-repository';
import { submitApplication } from '../../src/submissions/submit';
import { appWith } from '../helpers/app';
import { createEmbeddedDb, whileConnectionHeld } from '../helpers/db';
import { FIXED_NOW, fixedClock, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { createStaffUser, totpCodeFor, type TestStaffUser } from '../helpers/staff';
import pothole from '../fixtures/journeys/report-a-pothole';
import vehicle from '../fixtures/journeys/register-a-vehicle';
import { expectAriaSnapshot } from './helpers/aria-snapshot';
import { Tab } from './helpers/browser';
import { checkPage } from './helpers/checks';
import { unseenExpectations } from './helpers/autocomplete';
import { serve } from './helpers/server';
import { signInThroughPages } from './helpers/staff';
import { useBrowserSuite } from './helpers/suite';

// The back office, for each role (caseworker, manager, administrator), signed in through the real pages:
// sign-in and its errors, authenticator set-up, recovery codes, the queue (filtered, paginated), a case
// (notes, messages, decisions, errors), the audit and team pages, staff accounts, and the 403 page.

const suite = useBrowserSuite('staff');
const AGENCIES = ['local-council', 'vehicle-licensing-agency'];
const DAY = 24 * 60 * 60 * 1000;

let caseworker: TestStaffUser;
let manager: TestStaffUser;
let admin: TestStaffUser;
let toDisable: TestStaffUser;
let toReset: TestStaffUser;
let toLock: TestStaffUser;
let newcomer: TestStaffUser;
let forgotten: TestStaffUser;

/** One application sent through the citizen routes, as a citizen would; returns its reference as in URLs. */
async function sendThroughTheRoutes(slug: string, path: (typeof pothole)[number]): Promise<string> {
  const agent = await walkToCheckAnswers(suite.portal.t.app, slug, path);
  const sent = await sendApplication(agent, slug);
  const reference = /\/confirmation\/([A-Z0-9]{10})$/.exec(String(sent.headers.location))?.[1];
  if (!reference) throw new Error(`sending ${slug} answered ${sent.status} ${sent.headers.location}`);
  return reference;
}

/** Real applications (through the citizen routes), then enough copies for a second page of the queue. */
async function fillTheQueue() {
  const { t } = suite.portal;
  const calendar = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));
  for (const [slug, path] of [
    ['report-a-pothole', pothole[0]!],
    ['register-a-vehicle', vehicle[0]!],
  ] as const) {
    const agent = await walkToCheckAnswers(t.app, slug, path);
    const sent = await sendApplication(agent, slug);
    if (sent.status !== 303) throw new Error(`sending ${slug} answered ${sent.status}`);
  }
  const service = t.registry.find('report-a-pothole')!;
  const { answers } = await t.db('submission').where({ service_slug: service.slug }).first('answers');
  // 28 more reports, received over the last few weeks: older ones are overdue (5 working day target).
  for (let i = 0; i < 28; i++) {
    await submitApplication(t.db, service, answers, crypto.randomUUID(), {
      now: new Date(FIXED_NOW.getTime() - (28 - i) * DAY),
      calendar,
    });
  }
}

beforeAll(async () => {
  const { db } = suite.portal.t;
  [caseworker, manager, admin, toDisable, toReset, toLock, newcomer, forgotten] = await Promise.all([
    createStaffUser(db, {
      role: 'caseworker',
      agencies: AGENCIES,
      enrolled: false,
      displayName: 'Casey Worker',
    }),
    createStaffUser(db, { role: 'manager', agencies: AGENCIES, displayName: 'Morgan Manager' }),
    createStaffUser(db, { role: 'admin', displayName: 'Ada Admin' }),
    createStaffUser(db, { role: 'caseworker', agencies: AGENCIES, displayName: 'Dana Leaving' }),
    createStaffUser(db, { role: 'caseworker', agencies: AGENCIES, displayName: 'Remy Newphone' }),
    createStaffUser(db, { role: 'caseworker', agencies: AGENCIES, displayName: 'Lou Forgetful' }),
    createStaffUser(db, {
      role: 'caseworker',
      agencies: AGENCIES,
      displayName: 'Nico Newcomer',
      temporaryPassword: true,
    }),
    createStaffUser(db, { role: 'caseworker', agencies: AGENCIES, displayName: 'Pat Nopassword' }),
  ]);
  await fillTheQueue();
});

describe('signing in', () => {
  it('sign-in page, its errors, the code page, its errors, the recovery code page, its errors', async () => {
    const tab = await suite.tab();
    await tab.goto('/staff/sign-in');
    await checkPage(tab, 'blank');
    await tab.submit('Sign in');
    await checkPage(tab, 'errors (nothing entered)');
    await tab.fill({ email: manager.email, password: 'not-the-password' });
    await tab.submit('Sign in');
    await checkPage(tab, 'errors (wrong details)');

    await tab.fill({ email: manager.email, password: manager.password });
    await tab.submit('Sign in');
    expect(tab.path).toBe('/staff/sign-in/code');
    await checkPage(tab, 'blank');
    await tab.submit('Continue');
    await checkPage(tab, 'errors (no code)');
    await tab.fill({ code: '12345' });
    await tab.submit('Continue');
    await checkPage(tab, 'errors (code too short)');

    await tab.navigating(() => tab.page.getByRole('link', { name: 'Use a recovery code instead' }).click());
    expect(tab.path).toBe('/staff/sign-in/recovery-code');
    await checkPage(tab, 'blank');
    await tab.submit('Continue');
    await checkPage(tab, 'errors (no code)');
    await tab.fill({ recoveryCode: 'not a code' });
    await tab.submit('Continue');
    await checkPage(tab, 'errors (not in the format)');
  });

  it('with JavaScript off: errors in the title and the error summary', async () => {
    const tab = await suite.tab({ js: false });
    await tab.goto('/staff/sign-in');
    await checkPage(tab, 'blank');
    await tab.submit('Sign in');
    expect(await tab.page.title()).toMatch(/^Error: /);
    await checkPage(tab, 'errors (nothing entered)');
  });

  it('too many wrong passwords lock the account for a while', async () => {
    const tab = await suite.tab();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await tab.goto('/staff/sign-in');
      await tab.fill({ email: toLock.email, password: `wrong-${attempt}` });
      await tab.submit('Sign in');
      expect(tab.document?.status()).toBe(422);
    }
    await tab.goto('/staff/sign-in');
    await tab.fill({ email: toLock.email, password: toLock.password });
    await tab.submit('Sign in');
    expect(tab.document?.status()).toBe(429);
    await checkPage(tab, 'locked');
  });

  it('signed out, and signed out by the service', async () => {
    const tab = await suite.tab();
    await tab.goto('/staff/signed-out?reason=idle');
    await checkPage(tab, 'signed out for inactivity');
  });
});

describe('a temporary password', () => {
  it('must be replaced after the code, before anything else (with errors)', async () => {
    const tab = await suite.tab();
    await signInThroughPages(tab, suite.portal.t.db, newcomer);
    expect(tab.path).toBe('/staff/new-password');
    await checkPage(tab, 'blank');
    await tab.goto('/staff');
    expect(tab.path).toBe('/staff/new-password');
    await tab.submit('Save password and continue');
    await checkPage(tab, 'errors (nothing entered)');
    await tab.fill({ newPassword: 'password1', confirmPassword: 'password1' });
    await tab.submit('Save password and continue');
    await checkPage(tab, 'errors (a common password)');
    await tab.fill({
      newPassword: 'a long and private phrase',
      confirmPassword: 'a long and private phrase',
    });
    await tab.submit('Save password and continue');
    expect(tab.path).toBe('/staff');
  });
});

describe('caseworker', () => {
  let tab: Tab;

  it('first sign-in: sets up the authenticator (with errors), then sees the recovery codes once', async () => {
    tab = await suite.tab();
    await tab.goto('/staff/sign-in');
    await tab.fill({ email: caseworker.email, password: caseworker.password });
    await tab.submit('Sign in');
    expect(tab.path).toBe('/staff/set-up-authenticator');
    await checkPage(tab, 'blank');
    await tab.submit('Continue');
    await checkPage(tab, 'errors (no code)');

    const secret = ((await tab.page.locator('#secret-key').textContent()) ?? '').replace(/\s+/g, '');
    await tab.fill({ code: await totpCodeFor(secret, FIXED_NOW) });
    await tab.submit('Continue');
    // The codes come in the answer to the code itself: they are never kept in the session.
    expect(tab.path).toBe('/staff/set-up-authenticator');
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe('Save your recovery codes');
    await checkPage(tab, 'recovery codes shown once');
    await tab.navigating(() =>
      tab.page.getByRole('button', { name: 'I have saved my recovery codes' }).click(),
    );
    expect(tab.path).toBe('/staff');
  });

  it('the queue: as it opens, filtered, second page', async () => {
    await tab.goto('/staff');
    await checkPage(tab, 'open cases');
    await expectAriaSnapshot(tab.page, 'staff-queue');

    await tab.fill({ service: 'report-a-pothole', status: 'all', assignee: 'unassigned', overdue: 'yes' });
    await tab.submit('Search and filter');
    expect(tab.path).toMatch(
      /^\/staff\?q=&service=report-a-pothole&status=all&assignee=unassigned&overdue=yes/,
    );
    await checkPage(tab, 'filtered');

    await tab.goto('/staff');
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Next' }).first().click());
    expect(tab.path).toBe('/staff?page=2');
    await checkPage(tab, 'page 2');

    // The download link: a CSV, not a page.
    const csv = await tab.page.request.get(suite.portal.url('/staff/cases.csv'));
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
  });

  it('a case: taken from the queue, a note (with errors), a request to the citizen (with errors)', async () => {
    await tab.goto('/staff');
    await tab.submit('Take the next case');
    expect(tab.path).toMatch(/^\/staff\/submissions\/[A-Z0-9]{10}$/);
    await checkPage(tab, 'assigned to me');
    await expectAriaSnapshot(tab.page, 'staff-case');

    await tab.submit('Add note');
    await checkPage(tab, 'errors (empty note)');
    await tab.fill({ note: 'Checked the location on the map.' });
    await tab.submit('Add note');
    await checkPage(tab, 'note added');

    await tab.submit('Send request');
    await checkPage(tab, 'errors (empty request)');
    await tab.fill({ message: 'Which side of the road is the pothole on?' });
    await tab.submit('Send request');
    await checkPage(tab, 'waiting for the citizen, with a message');
  });

  it('withdrawing the request: are you sure, then the case back in review', async () => {
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Withdraw the request' }).click());
    expect(tab.path).toMatch(/^\/staff\/submissions\/[A-Z0-9]{10}\/withdraw-request$/);
    await checkPage(tab, 'are you sure');
    await tab.submit('Withdraw the request');
    expect(tab.path).toMatch(/^\/staff\/submissions\/[A-Z0-9]{10}\?done=withdraw-request$/);
    expect(
      await tab.page.getByText('Request for more information withdrawn by Casey Worker').isVisible(),
    ).toBe(true);
    await checkPage(tab, 'request withdrawn');
  });

  it('decisions: reject (with errors), approve', async () => {
    await tab.goto('/staff');
    await tab.submit('Take the next case');
    await tab.submit('Reject application');
    await checkPage(tab, 'errors (no reason)');
    await tab.fill({ reason: 'This road is maintained by the highways agency.' });
    await tab.submit('Reject application');
    await checkPage(tab, 'rejected');

    // Handed back, then approved from the unassigned case: approving assigns it to the decider first.
    await tab.goto('/staff');
    await tab.submit('Take the next case');
    await tab.submit('Unassign me');
    await checkPage(tab, 'unassigned');
    await tab.submit('Approve application');
    await checkPage(tab, 'approved');
    // A decided case offers no assignment ("Assign to me" would tell the citizen it is being reviewed again).
    expect(await tab.page.locator('#case-actions button').count()).toBe(0);
  });

  it('a case someone else has: the page says who, offers only a note, and an action from an older view is refused (403)', async () => {
    const reference = await sendThroughTheRoutes('report-a-pothole', pothole[0]!);
    await tab.goto(`/staff/submissions/${reference}`);
    // While the caseworker reads it, the manager takes it.
    const { db } = suite.portal.t;
    const row = await db('submission').where({ reference }).first('id', 'version');
    const taken = await changeCase(
      db,
      { submissionId: row.id, expectedVersion: row.version },
      { kind: 'assign', to: manager.id },
      { id: manager.id, role: 'manager' },
      FIXED_NOW,
    );
    expect(taken.ok).toBe(true);
    await tab.submit('Approve application');
    expect(tab.document?.status()).toBe(403);
    expect(await tab.page.locator('#case-problem').innerText()).toContain(
      'Only the person the case is assigned to, or a manager, can approve it',
    );
    await checkPage(tab, 'refused: assigned to someone else');

    await tab.goto(`/staff/submissions/${reference}`);
    expect(await tab.page.locator('#assign').innerText()).toContain(
      'This case is assigned to Morgan Manager.',
    );
    expect(await tab.page.locator('#case-actions button').count()).toBe(0);
    await checkPage(tab, 'assigned to someone else');
  });

  it('403 on pages for other roles, and 404 for a case that does not exist', async () => {
    for (const path of ['/staff/users', '/staff/team']) {
      const response = await tab.goto(path);
      expect(response.status()).toBe(403);
      await checkPage(tab, 'forbidden');
    }
    const response = await tab.goto('/staff/submissions/ABCDEFGHJK');
    expect(response.status()).toBe(404);
    await checkPage(tab, 'not found');
  });
});

describe('manager', () => {
  let tab: Tab;

  beforeAll(async () => {
    tab = await suite.tab();
    await signInThroughPages(tab, suite.portal.t.db, manager);
  });

  it('the queue with the team filter, a case with reassignment, its audit history, the team page', async () => {
    await tab.goto('/staff');
    await checkPage(tab, 'open cases');
    await tab.fill({ assignee: String(caseworker.id), status: 'all' });
    await tab.submit('Search and filter');
    await checkPage(tab, 'filtered by a member of the team');

    await tab.navigating(() => tab.page.locator('table a').first().click());
    expect(tab.path).toMatch(/^\/staff\/submissions\/[A-Z0-9]{10}$/);
    await checkPage(tab, 'with the reassign form');
    await tab.fill({ assignee: String(manager.id) });
    await tab.submit('Save assignment');
    await checkPage(tab, 'reassigned');

    await tab.navigating(() =>
      tab.page.getByRole('link', { name: 'View the audit history of this case' }).click(),
    );
    expect(tab.path).toMatch(/\/audit$/);
    await checkPage(tab, 'audit history');

    await tab.goto('/staff/team');
    await checkPage(tab, 'team workload');
  });

  describe('a case past the retention period', () => {
    let reference: string;
    /** The case page as it was before the retention job ran, with its note form. */
    let openedBefore: Tab;

    it('its page says the answers were deleted under the retention policy, with no note form', async () => {
      reference = await sendThroughTheRoutes('report-a-pothole', pothole[1]!);
      // Every service now asks for an email; an application sent before that has none on record.
      await suite.portal.t.db('submission').where({ reference }).update({ contact_email: null });
      await tab.goto(`/staff/submissions/${reference}`);
      // No email address given: the page says so and offers no request for more information.
      expect(await tab.page.locator('#no-email').isVisible()).toBe(true);
      await checkPage(tab, 'no email address');
      await tab.submit('Approve application');
      expect(tab.path).toBe(`/staff/submissions/${reference}?done=approve`);
      openedBefore = await suite.tab({ context: tab.page.context() });
      await openedBefore.goto(`/staff/submissions/${reference}`);

      // Decided three years ago, then the retention job runs today (24 months): only this case is that old.
      const { db } = suite.portal.t;
      await db('submission')
        .where({ reference })
        .update({ decided_at: new Date(FIXED_NOW.getTime() - 3 * 365 * DAY) });
      const retention = await applyRetention(db, { now: FIXED_NOW, retentionMonths: 24 });
      expect(retention.applications).toBe(1);

      await tab.goto(`/staff/submissions/${reference}`);
      const deleted =
        'The answers to this application were deleted on 29 November 2026 under the retention policy.';
      expect(await tab.page.getByText(deleted).isVisible()).toBe(true);
      expect(await tab.page.getByRole('main').ariaSnapshot()).toContain(deleted);
      expect(await tab.page.getByText('High Street').count()).toBe(0);
      expect(await tab.page.getByRole('textbox', { name: 'Add an internal note' }).count()).toBe(0);
      await checkPage(tab, 'answers deleted under the retention policy');
      await expectAriaSnapshot(tab.page, 'staff-case-anonymised');
    });

    it('a note sent from the page opened before the retention job ran is refused, and kept on the page', async () => {
      await openedBefore.fill({ note: 'Repaired on 2 December.' });
      await openedBefore.submit('Add note');
      expect(openedBefore.document?.status()).toBe(422);
      // Not a field to correct: an "Important" banner, announced and focused as the page loads, and what they
      // wrote shown back rather than lost.
      const banner = openedBefore.page.locator('#case-problem');
      expect(await banner.getAttribute('role')).toBe('alert');
      expect(await banner.locator('.govuk-notification-banner__content').innerText()).toBe(
        'This application can no longer be changed: its details were deleted under the retention policy',
      );
      expect(await openedBefore.page.evaluate(() => document.activeElement?.id)).toBe('case-problem');
      expect(await openedBefore.page.getByText('Repaired on 2 December.').isVisible()).toBe(true);
      await checkPage(openedBefore, 'a note refused: details deleted under the retention policy');
    });
  });

  it('email alerts, from the header: as it opens, with an error, saved', async () => {
    await tab.goto('/staff');
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Email alerts' }).click());
    expect(tab.path).toBe('/staff/account/notifications');
    await checkPage(tab, 'blank');
    // The page always has an answer chosen; a form sent with none (crafted) gets the GOV.UK error.
    await tab.page.evaluate(() =>
      document.querySelectorAll<HTMLInputElement>('input[name="citizenReplies"]').forEach((r) => {
        r.checked = false;
      }),
    );
    await tab.submit('Save');
    await checkPage(tab, 'errors (nothing chosen)');
    await tab.fill({ citizenReplies: 'yes' });
    await tab.submit('Save');
    expect(tab.path).toBe('/staff/account/notifications?saved=yes');
    await checkPage(tab, 'saved');
  });

  it('changing their own password (with errors), from the header', async () => {
    await tab.goto('/staff');
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Change your password' }).click());
    expect(tab.path).toBe('/staff/account/password');
    await checkPage(tab, 'blank');
    await tab.submit('Change password');
    await checkPage(tab, 'errors (nothing entered)');
    const phrase = 'another long private phrase';
    await tab.fill({ currentPassword: 'not-my-password', newPassword: phrase, confirmPassword: phrase });
    await tab.submit('Change password');
    await checkPage(tab, 'errors (wrong current password)');
    await tab.fill({ currentPassword: manager.password, newPassword: phrase, confirmPassword: phrase });
    await tab.submit('Change password');
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Your password has been changed',
    );
    await checkPage(tab, 'password changed');
  });

  it('signing out', async () => {
    await tab.goto('/staff');
    await tab.submit('Sign out');
    expect(tab.path).toBe('/staff/signed-out');
    await checkPage(tab, 'signed out');
  });
});

describe('a staff page whose queries take too long', () => {
  it('503: the taking-too-long page, while the staff connection is held by a heavy query', async () => {
    // A portal whose staff pages use their own embedded database (as DB_STAFF_POOL_MAX gives them their own pool
    // on PostgreSQL), whose one connection a transaction holds: every staff query waits out the acquire timeout.
    const staffDb = await createEmbeddedDb({ acquireTimeoutMs: 300 });
    const portal = await serve(await appWith({}, { staffDb, clock: fixedClock }));
    try {
      await syncServices(staffDb, portal.t.registry.services);
      const user = await createStaffUser(staffDb, {
        role: 'caseworker',
        agencies: ['vehicle-licensing-agency'],
      });
      const slow = await Tab.open(await suite.context(), portal.baseUrl, { js: true });
      await signInThroughPages(slow, staffDb, user);
      await whileConnectionHeld(staffDb, async () => {
        const response = await slow.goto('/staff');
        expect(response.status()).toBe(503);
        expect(await slow.page.getByRole('heading', { level: 1 }).innerText()).toBe(
          'Sorry, this page is taking too long to load',
        );
        await checkPage(slow, 'staff page taking too long');
      });
      expect((await slow.goto('/staff')).status()).toBe(200);
    } finally {
      await portal.close();
      await staffDb.destroy();
    }
  });
});

describe('administrator', () => {
  let tab: Tab;

  beforeAll(async () => {
    tab = await suite.tab();
    await signInThroughPages(tab, suite.portal.t.db, admin);
  });

  it('staff accounts: the list, adding an account (with errors), the account added', async () => {
    expect(tab.path).toBe('/staff/users');
    await checkPage(tab, 'staff accounts');

    await tab.navigating(() => tab.page.getByRole('button', { name: 'Add a staff account' }).click());
    expect(tab.path).toBe('/staff/users/new');
    await checkPage(tab, 'blank');
    await tab.submit('Add account');
    await checkPage(tab, 'errors (nothing entered)');
    await tab.fill({ displayName: 'Sam Starter', email: 'sam.starter@example.gov.uk', role: 'manager' });
    await tab.submit('Add account');
    await checkPage(tab, 'errors (no agencies)');
    await tab.fill({ agencies: ['local-council'] });
    await tab.submit('Add account');
    // Shown in the answer to the form itself: the password is never kept in the session.
    expect(tab.path).toBe('/staff/users/new');
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe('Staff account added');
    await checkPage(tab, 'temporary password shown once');
  });

  it('disabling an account: confirmation, done; and not their own', async () => {
    await tab.goto(`/staff/users/${toDisable.id}/disable`);
    await checkPage(tab, 'are you sure');
    await tab.submit('Disable account');
    expect(tab.path).toBe('/staff/users');
    await checkPage(tab, 'account disabled');

    const response = await tab.goto(`/staff/users/${admin.id}/disable`);
    expect(response.status()).toBe(403);
    await checkPage(tab, 'their own account');
  });

  it('signing someone out everywhere: confirmation, done; and not themselves', async () => {
    // Remy is signed in in another browser, so the page counts one device.
    const remysTab = await suite.tab();
    await signInThroughPages(remysTab, suite.portal.t.db, toReset);
    await tab.goto(`/staff/users/${toReset.id}/sign-out`);
    expect(await tab.page.getByText('They are signed in on 1 device or browser.').isVisible()).toBe(true);
    await checkPage(tab, 'are you sure');
    await tab.submit('Sign out everywhere');
    expect(tab.path).toBe('/staff/users');
    await checkPage(tab, 'signed out everywhere');
    await remysTab.goto('/staff');
    expect(remysTab.path).toBe('/staff/sign-in');

    const response = await tab.goto(`/staff/users/${admin.id}/sign-out`);
    expect(response.status()).toBe(403);
    await checkPage(tab, 'themselves');
  });

  it('resetting an authenticator: password to confirm (with errors), done; and not their own', async () => {
    await tab.goto(`/staff/users/${toReset.id}/reset-authenticator`);
    await checkPage(tab, 'blank');
    await tab.submit('Reset authenticator');
    await checkPage(tab, 'errors (no password)');
    await tab.fill({ password: 'not-my-password' });
    await tab.submit('Reset authenticator');
    await checkPage(tab, 'errors (wrong password)');
    await tab.fill({ password: admin.password });
    await tab.submit('Reset authenticator');
    expect(tab.path).toBe('/staff/users');
    await checkPage(tab, 'authenticator reset');

    const response = await tab.goto(`/staff/users/${admin.id}/reset-authenticator`);
    expect(response.status()).toBe(403);
    await checkPage(tab, 'their own authenticator');
  });

  it('re-enabling a disabled account: confirmation, done; and not their own', async () => {
    await tab.goto('/staff/users');
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Enable Dana Leaving’s account' }).click());
    expect(tab.path).toBe(`/staff/users/${toDisable.id}/enable`);
    await checkPage(tab, 'are you sure');
    await tab.submit('Enable account');
    expect(tab.path).toBe('/staff/users');
    await checkPage(tab, 'account enabled');

    const response = await tab.goto(`/staff/users/${admin.id}/enable`);
    expect(response.status()).toBe(403);
    await checkPage(tab, 'their own account');
  });

  it('unlocking a locked account: confirmation, done; and not their own', async () => {
    // Lou locked their account with wrong passwords (above).
    await tab.goto(`/staff/users/${toLock.id}/unlock`);
    await checkPage(tab, 'are you sure');
    await tab.submit('Unlock account');
    expect(tab.path).toBe('/staff/users');
    await checkPage(tab, 'account unlocked');
    const lou = await suite.tab();
    await signInThroughPages(lou, suite.portal.t.db, toLock);
    expect(lou.path).toBe('/staff');

    const response = await tab.goto(`/staff/users/${admin.id}/unlock`);
    expect(response.status()).toBe(403);
    await checkPage(tab, 'their own account');
  });

  it('resetting a password: password to confirm (with errors), the temporary password shown once; and not their own', async () => {
    await tab.goto(`/staff/users/${forgotten.id}/reset-password`);
    await checkPage(tab, 'blank');
    await tab.submit('Reset password');
    await checkPage(tab, 'errors (no password)');
    await tab.fill({ password: 'not-my-password' });
    await tab.submit('Reset password');
    await checkPage(tab, 'errors (wrong password)');
    await tab.fill({ password: admin.password });
    await tab.submit('Reset password');
    expect(tab.path).toBe(`/staff/users/${forgotten.id}/reset-password`);
    expect(await tab.page.getByRole('heading', { level: 1 }).innerText()).toBe('Password reset');
    await checkPage(tab, 'temporary password shown once');

    const response = await tab.goto(`/staff/users/${admin.id}/reset-password`);
    expect(response.status()).toBe(403);
    await checkPage(tab, 'their own password');
  });

  it('emails that could not be sent: the list, trying one again, then none left', async () => {
    const { db } = suite.portal.t;
    const submission = await db('submission').orderBy('id').first('id', 'reference');
    const id = crypto.randomUUID();
    await db('notification_outbox').insert({
      id,
      template: 'decision',
      submission_id: submission.id,
      recipient: 'kim.nguyen@example.com',
      data: JSON.stringify({ reference: submission.reference }),
      status: 'dead',
      attempts: 10,
      next_attempt_at: FIXED_NOW,
      last_error: 'EENVELOPE 550',
      created_at: FIXED_NOW,
    });
    await tab.goto('/staff/users');
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Emails not sent' }).click());
    expect(tab.path).toBe('/staff/messages');
    await checkPage(tab, 'emails that could not be sent');
    await tab.navigating(() =>
      tab.page
        .locator(`tr[data-message-id="${id}"]`)
        .getByRole('button', { name: /^Try again/ })
        .click(),
    );
    expect(tab.path).toBe('/staff/messages');
    expect(await tab.page.locator('.govuk-notification-banner').innerText()).toContain('will be sent again');
    await checkPage(tab, 'email tried again');
    await db('notification_outbox').where({ status: 'dead' }).update({ status: 'sent', sent_at: FIXED_NOW });
    await tab.goto('/staff/messages');
    expect(await tab.page.locator('#no-dead-messages').isVisible()).toBe(true);
    await checkPage(tab, 'none left', { light: true });
  });

  it('the service name in the header takes them to staff accounts, not to cases', async () => {
    await tab.goto('/staff/account/password');
    await tab.navigating(() => tab.page.locator('.govuk-service-navigation__service-name a').click());
    expect(tab.path).toBe('/staff/users');
  });

  it('403 on casework pages', async () => {
    const response = await tab.goto('/staff');
    expect(response.status()).toBe(403);
    await checkPage(tab, 'forbidden');
  });
});

it('every expected autocomplete token on staff pages was checked', () => {
  expect(unseenExpectations('/staff')).toEqual([]);
});
