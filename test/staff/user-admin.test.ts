import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, totpCodeFor } from '../helpers/staff';
import { hashRecoveryCodes } from '../../src/staff/recovery-codes';
import {
  countSessionsOf,
  findStaffUserByEmail,
  findStaffUserById,
  replaceRecoveryCodes,
} from '../../src/staff/staff-user-repository';

const START = new Date('2026-11-30T09:00:10Z');
let now = START;
const clock = () => now;

let t: TestApp;
beforeAll(async () => {
  t = await appWith({}, { clock });
});
afterAll(async () => t.close());
beforeEach(() => {
  now = START;
});

const errorSummary = (html: string): string[] => {
  const $ = parseHtml(html);
  return $('.govuk-error-summary__list a')
    .map((_i, a) => $(a).text().trim())
    .get();
};
const title = (html: string) => parseHtml(html)('title').text().trim();
const h1 = (html: string) => parseHtml(html)('h1').first().text().trim();

async function post(agent: Agent, url: string, body: Record<string, string | string[]>, formPage = url) {
  const page = await agent.get(formPage);
  return agent
    .post(url)
    .type('form')
    .send({ ...body, _csrf: csrfTokenIn(page.text) });
}

const newAdmin = () => createStaffUser(t.db, { role: 'admin', displayName: 'Ada Admin' });
const signedInAdmin = async () => {
  const admin = await newAdmin();
  return { admin, agent: await signIn(t, admin, { clock }) };
};
const auditRows = (action: string, actorId: number) =>
  t.db('audit_event').where({ action, actor_id: actorId });

describe('who may manage staff accounts', () => {
  it('sends anonymous visitors to sign in', async () => {
    for (const path of ['/staff/users', '/staff/users/new', '/staff/users/1/reset-authenticator']) {
      const res = await request(t.app).get(path);
      expect([path, res.status, res.headers.location]).toEqual([path, 302, '/staff/sign-in']);
    }
  });

  it('refuses caseworkers and managers with the 403 page, and audits the denial', async () => {
    for (const role of ['caseworker', 'manager'] as const) {
      const user = await createStaffUser(t.db, { role, agencies: ['tax-authority'] });
      const agent = await signIn(t, user, { clock });
      const res = await agent.get('/staff/users');
      expect(res.status).toBe(403);
      expect(h1(res.text)).toBe('You do not have access to this page');
      const [row] = await auditRows('access-denied', user.id);
      expect(row).toMatchObject({ actor_role: role, details: { method: 'GET', route: '/staff/users' } });

      const forms = await agent.get('/staff');
      const denied = await agent
        .post(`/staff/users/${user.id}/disable`)
        .type('form')
        .send({ _csrf: csrfTokenIn(forms.text) });
      expect(denied.status).toBe(403);
      expect((await findStaffUserById(t.db, user.id))?.disabledAt).toBeNull();
    }
  });
});

describe('the list of staff accounts', () => {
  it('shows each account’s name, email, role, agencies, authenticator and status', async () => {
    const { agent } = await signedInAdmin();
    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: ['tax-authority', 'vehicle-licensing-agency'],
      enrolled: false,
      displayName: 'Casey Worker',
    });
    const res = await agent.get('/staff/users').expect(200);
    expect(title(res.text)).toMatch(/^Staff accounts – /);
    const $ = parseHtml(res.text);
    const row = $(`tr[data-user-id="${caseworker.id}"]`);
    const cells = row
      .find('th, td')
      .map((_i, c) =>
        $(c).find('li').length
          ? $(c)
              .find('li')
              .map((_j, li) => $(li).text().trim())
              .get()
              .join(', ')
          : $(c).text().replace(/\s+/g, ' ').trim(),
      )
      .get();
    expect(cells.slice(0, 6)).toEqual([
      'Casey Worker',
      caseworker.email,
      'Caseworker',
      'HM Revenue and Customs, Driver and Vehicle Licensing Agency',
      'Not set up',
      'Active',
    ]);
    expect(row.find(`a[href="/staff/users/${caseworker.id}/disable"]`).length).toBe(1);
  });
});

describe('adding a staff account', () => {
  it('explains what is missing, with a 422 and the error summary', async () => {
    const { agent } = await signedInAdmin();
    const res = await post(agent, '/staff/users/new', {});
    expect(res.status).toBe(422);
    expect(title(res.text)).toMatch(/^Error: Add a staff account – /);
    expect(errorSummary(res.text)).toEqual([
      'Enter their full name',
      'Enter their email address',
      'Select a role',
    ]);

    const res2 = await post(agent, '/staff/users/new', {
      displayName: 'Pat',
      email: 'not an email',
      role: 'caseworker',
    });
    expect(errorSummary(res2.text)).toEqual([
      'Enter an email address in the correct format, like name@example.gov.uk',
      'Select the agencies whose applications they can see',
    ]);
    const res3 = await post(agent, '/staff/users/new', {
      displayName: 'Pat',
      email: 'pat@example.gov.uk',
      role: 'boss',
    });
    expect(errorSummary(res3.text)).toEqual(['Select a role']);
  });

  it('creates the account, shows the temporary password once, and the person sets up MFA at first sign-in', async () => {
    const { admin, agent } = await signedInAdmin();
    const page = await agent.get('/staff/users/new').expect(200);
    const $ = parseHtml(page.text);
    expect(
      $('input[name="agencies"]')
        .map((_i, i) => $(i).attr('value'))
        .get(),
    ).toEqual(expect.arrayContaining(['tax-authority', 'vehicle-licensing-agency']));
    expect(
      $('input[name="role"]')
        .map((_i, i) => $(i).attr('value'))
        .get(),
    ).toEqual(['caseworker', 'manager', 'admin']);

    const res = await post(agent, '/staff/users/new', {
      displayName: 'Robin New',
      email: 'Robin.New@Example.gov.uk',
      role: 'caseworker',
      agencies: ['tax-authority', 'not-an-agency'],
    });
    // Shown once, in the answer to the POST itself: the password is in no session row (issue 13, defect 8).
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(h1(res.text)).toBe('Staff account added');
    const temporaryPassword = parseHtml(res.text)('#temporary-password').text().trim();
    expect(temporaryPassword).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const sessionRows = JSON.stringify(await t.db('session').select('sess'));
    expect(sessionRows).toContain(`"userId":${admin.id}`); // the administrator's session is there…
    expect(sessionRows).not.toContain(temporaryPassword); // …without the password
    expect(sessionRows).not.toContain(temporaryPassword.replace(/-/g, ''));

    const stored = await findStaffUserByEmail(t.db, 'robin.new@example.gov.uk');
    expect(stored).toMatchObject({
      email: 'robin.new@example.gov.uk',
      displayName: 'Robin New',
      role: 'caseworker',
      agencies: ['tax-authority'],
      totpSecretEncrypted: null,
      disabledAt: null,
    });
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await t.db('staff_user').where('id', stored!.id).first()).password_must_change).toBe(true);
    const [audit] = await auditRows('user-created', admin.id);
    expect(audit.details).toEqual({
      staffUserId: stored!.id,
      role: 'caseworker',
      agencies: ['tax-authority'],
    });
    expect(JSON.stringify(audit)).not.toContain('robin');

    const newcomer = request.agent(t.app);
    const signInPage = await newcomer.get('/staff/sign-in');
    const first = await newcomer
      .post('/staff/sign-in')
      .type('form')
      .send({
        email: 'robin.new@example.gov.uk',
        password: temporaryPassword,
        _csrf: csrfTokenIn(signInPage.text),
      });
    expect(first.headers.location).toBe('/staff/set-up-authenticator');

    const duplicate = await post(agent, '/staff/users/new', {
      displayName: 'Robin Again',
      email: 'ROBIN.NEW@example.gov.uk',
      role: 'admin',
    });
    expect(duplicate.status).toBe(422);
    expect(errorSummary(duplicate.text)).toEqual([
      'There is already a staff account with this email address',
    ]);
  });
});

describe('disabling an account', () => {
  it('disables the account, ends its sessions and audits it', async () => {
    const { admin, agent } = await signedInAdmin();
    const caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const theirAgent = await signIn(t, caseworker, { clock });
    const theirOtherAgent = await signIn(t, caseworker, { clock });
    expect(await countSessionsOf(t.db, caseworker.id)).toBe(2);

    const confirm = await agent.get(`/staff/users/${caseworker.id}/disable`).expect(200);
    expect(h1(confirm.text)).toMatch(/^Are you sure you want to disable Test caseworker \d+’s account\?$/);
    const res = await post(
      agent,
      `/staff/users/${caseworker.id}/disable`,
      {},
      `/staff/users/${caseworker.id}/disable`,
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff/users');
    const list = await agent.get('/staff/users').expect(200);
    expect(parseHtml(list.text)('.govuk-notification-banner').text()).toMatch(/account is disabled/);

    expect((await findStaffUserById(t.db, caseworker.id))?.disabledAt).toEqual(now);
    expect(await countSessionsOf(t.db, caseworker.id)).toBe(0);
    for (const a of [theirAgent, theirOtherAgent]) {
      expect((await a.get('/staff')).headers.location).toBe('/staff/sign-in');
    }
    const [audit] = await auditRows('user-disabled', admin.id);
    expect(audit.details).toEqual({ staffUserId: caseworker.id, sessionsEnded: 2 });

    // And they cannot sign in again.
    const retry = request.agent(t.app);
    const page = await retry.get('/staff/sign-in');
    const attempt = await retry
      .post('/staff/sign-in')
      .type('form')
      .send({ email: caseworker.email, password: caseworker.password, _csrf: csrfTokenIn(page.text) });
    expect(attempt.status).toBe(422);
    expect(errorSummary(attempt.text)).toEqual(['Enter a correct email address and password']);
  });

  it('will not let an administrator disable their own account', async () => {
    const { admin, agent } = await signedInAdmin();
    const page = await agent.get(`/staff/users/${admin.id}/disable`);
    expect(page.status).toBe(403);
    expect(h1(page.text)).toBe('You cannot disable your own account');
    const res = await post(agent, `/staff/users/${admin.id}/disable`, {}, '/staff/users');
    expect(res.status).toBe(403);
    expect((await findStaffUserById(t.db, admin.id))?.disabledAt).toBeNull();
    await agent.get('/staff/users').expect(200);
  });

  it('answers 404 for an account that does not exist', async () => {
    const { agent } = await signedInAdmin();
    expect((await agent.get('/staff/users/999999/disable')).status).toBe(404);
    expect((await agent.get('/staff/users/abc/disable')).status).toBe(404);
    expect((await agent.get('/staff/users/0/reset-authenticator')).status).toBe(404);
  });
});

describe('signing someone out everywhere', () => {
  it('ends every session of theirs, keeps the account active, audits it, and they can sign in again', async () => {
    const { admin, agent } = await signedInAdmin();
    const caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const laptop = await signIn(t, caseworker, { clock });
    const phone = await signIn(t, caseworker, { clock });
    const someoneElse = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const untouched = await signIn(t, someoneElse, { clock });

    const list = await agent.get('/staff/users').expect(200);
    const row = parseHtml(list.text)(`tr[data-user-id="${caseworker.id}"]`);
    expect(row.find(`a[href="/staff/users/${caseworker.id}/sign-out"]`).text()).toMatch(
      /^Sign out everywhere: Test caseworker \d+$/,
    );
    const confirm = await agent.get(`/staff/users/${caseworker.id}/sign-out`).expect(200);
    expect(h1(confirm.text)).toMatch(/^Are you sure you want to sign Test caseworker \d+ out everywhere\?$/);
    expect(parseHtml(confirm.text)('main').text()).toContain('They are signed in on 2 devices or browsers.');

    const res = await post(agent, `/staff/users/${caseworker.id}/sign-out`, {});
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff/users');
    const after = await agent.get('/staff/users').expect(200);
    expect(parseHtml(after.text)('.govuk-notification-banner').text()).toMatch(
      /Test caseworker \d+ has been signed out everywhere \(2 sessions\)\. They can sign in again\./,
    );
    for (const a of [laptop, phone]) expect((await a.get('/staff')).headers.location).toBe('/staff/sign-in');
    await untouched.get('/staff').expect(200);
    await agent.get('/staff/users').expect(200); // the administrator stays signed in
    expect((await findStaffUserById(t.db, caseworker.id))?.disabledAt).toBeNull();
    const [audit] = await auditRows('user-signed-out', admin.id);
    expect(audit.details).toEqual({ staffUserId: caseworker.id, sessionsEnded: 2 });

    // Their account still works.
    const again = await signIn(t, caseworker, { clock });
    await again.get('/staff').expect(200);

    // Nobody signed in: the page and the notice say so.
    const idle = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const idlePage = await agent.get(`/staff/users/${idle.id}/sign-out`).expect(200);
    expect(parseHtml(idlePage.text)('main').text()).toContain(
      'They are not signed in anywhere at the moment.',
    );
    await post(agent, `/staff/users/${idle.id}/sign-out`, {});
    const notice = await agent.get('/staff/users').expect(200);
    expect(parseHtml(notice.text)('.govuk-notification-banner').text()).toMatch(/was not signed in anywhere/);
  });

  it('will not let an administrator sign themselves out from here, nor anyone but an administrator do it', async () => {
    const { admin, agent } = await signedInAdmin();
    const page = await agent.get(`/staff/users/${admin.id}/sign-out`);
    expect(page.status).toBe(403);
    expect(h1(page.text)).toBe('You cannot sign yourself out from here');
    const res = await post(agent, `/staff/users/${admin.id}/sign-out`, {}, '/staff/users');
    expect(res.status).toBe(403);
    await agent.get('/staff/users').expect(200);

    const manager = await createStaffUser(t.db, { role: 'manager', agencies: ['tax-authority'] });
    const managerAgent = await signIn(t, manager, { clock });
    expect((await managerAgent.get(`/staff/users/${admin.id}/sign-out`)).status).toBe(403);
    const refused = await post(managerAgent, `/staff/users/${admin.id}/sign-out`, {}, '/staff');
    expect(refused.status).toBe(403);
    await agent.get('/staff/users').expect(200);
    expect((await agent.get('/staff/users/999999/sign-out')).status).toBe(404);
  });
});

describe('resetting an authenticator', () => {
  it('requires the administrator’s own password, then clears the authenticator and recovery codes', async () => {
    const { admin, agent } = await signedInAdmin();
    const manager = await createStaffUser(t.db, { role: 'manager', agencies: ['tax-authority'] });
    await replaceRecoveryCodes(t.db, manager.id, await hashRecoveryCodes(['ABCDE23456']));
    const managerAgent = await signIn(t, manager, { clock });
    const url = `/staff/users/${manager.id}/reset-authenticator`;

    const page = await agent.get(url).expect(200);
    const $ = parseHtml(page.text);
    expect($('input#password').attr('autocomplete')).toBe('current-password');
    expect($('input#password').attr('type')).toBe('password');

    const missing = await post(agent, url, {});
    expect(missing.status).toBe(422);
    expect(title(missing.text)).toMatch(/^Error: Reset .*’s authenticator – /);
    expect(errorSummary(missing.text)).toEqual(['Enter your password']);

    const wrong = await post(agent, url, { password: manager.password });
    expect(wrong.status).toBe(422);
    expect(errorSummary(wrong.text)).toEqual(['The password is not correct']);
    expect(await auditRows('reauthentication-failed', admin.id)).toHaveLength(1);
    expect((await findStaffUserById(t.db, manager.id))?.totpSecretEncrypted).not.toBeNull();
    expect(await auditRows('mfa-reset', admin.id)).toHaveLength(0);

    const res = await post(agent, url, { password: admin.password });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff/users');
    const after = await findStaffUserById(t.db, manager.id);
    expect(after).toMatchObject({ totpSecretEncrypted: null, totpLastStep: null, mfaEnrolledAt: null });
    expect(await t.db('staff_recovery_code').where('staff_user_id', manager.id)).toHaveLength(0);
    expect(await countSessionsOf(t.db, manager.id)).toBe(0);
    expect((await managerAgent.get('/staff')).headers.location).toBe('/staff/sign-in');
    const [audit] = await auditRows('mfa-reset', admin.id);
    expect(audit.details).toEqual({ staffUserId: manager.id, sessionsEnded: 1 });

    // At the next sign-in they set up a new authenticator; the old secret no longer works.
    const again = request.agent(t.app);
    const signInPage = await again.get('/staff/sign-in');
    const first = await again
      .post('/staff/sign-in')
      .type('form')
      .send({ email: manager.email, password: manager.password, _csrf: csrfTokenIn(signInPage.text) });
    expect(first.headers.location).toBe('/staff/set-up-authenticator');
    const setUp = await again.get('/staff/set-up-authenticator').expect(200);
    const oldCode = await totpCodeFor(manager.totpSecret!, now);
    const refused = await again
      .post('/staff/set-up-authenticator')
      .type('form')
      .send({ code: oldCode, _csrf: csrfTokenIn(setUp.text) });
    expect(refused.status).toBe(422);
  });

  it('will not let an administrator reset their own authenticator', async () => {
    const { admin, agent } = await signedInAdmin();
    const url = `/staff/users/${admin.id}/reset-authenticator`;
    expect((await agent.get(url)).status).toBe(403);
    const res = await post(agent, url, { password: admin.password }, '/staff/users');
    expect(res.status).toBe(403);
    expect((await findStaffUserById(t.db, admin.id))?.totpSecretEncrypted).not.toBeNull();
  });

  it('locks re-authentication after 5 wrong passwords and ends the administrator’s session', async () => {
    const { admin, agent } = await signedInAdmin();
    const other = await createStaffUser(t.db, { role: 'admin' });
    const url = `/staff/users/${other.id}/reset-authenticator`;
    for (let i = 0; i < 5; i++) expect((await post(agent, url, { password: `wrong ${i}` })).status).toBe(422);
    const locked = await post(agent, url, { password: admin.password });
    expect(locked.status).toBe(429);
    expect(await countSessionsOf(t.db, admin.id)).toBe(0);
    expect((await agent.get('/staff/users')).headers.location).toBe('/staff/sign-in');
    expect((await findStaffUserById(t.db, other.id))?.totpSecretEncrypted).not.toBeNull();
  });
});

describe('resetting a password (issue 13, defect 3)', () => {
  const newPassword = 'a brand new passphrase 7';

  it('requires the administrator’s own password, shows a temporary password once, ends their sessions and audits it', async () => {
    const { admin, agent } = await signedInAdmin();
    const person = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const theirs = await signIn(t, person, { clock });
    const url = `/staff/users/${person.id}/reset-password`;
    const list = await agent.get('/staff/users').expect(200);
    expect(parseHtml(list.text)(`a[href="${url}"]`).length).toBe(1);
    const page = await agent.get(url).expect(200);
    expect(h1(page.text)).toMatch(/^Reset Test caseworker \d+’s password$/);

    const empty = await post(agent, url, { password: '' });
    expect([empty.status, errorSummary(empty.text)]).toEqual([422, ['Enter your password']]);
    const wrong = await post(agent, url, { password: 'not the admin password' });
    expect([wrong.status, errorSummary(wrong.text)]).toEqual([422, ['The password is not correct']]);
    const [failed] = await auditRows('reauthentication-failed', admin.id);
    expect(failed.details).toEqual({ purpose: 'password-reset' });
    await theirs.get('/staff').expect(200);

    const res = await post(agent, url, { password: admin.password });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(h1(res.text)).toBe('Password reset');
    const temporaryPassword = parseHtml(res.text)('#temporary-password').text().trim();
    expect(temporaryPassword).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    // Never in a session row (issue 13, defect 8).
    expect(JSON.stringify(await t.db('session').select('sess'))).not.toContain(temporaryPassword);

    expect((await theirs.get('/staff')).headers.location).toBe('/staff/sign-in');
    expect(await countSessionsOf(t.db, person.id)).toBe(0);
    const [audit] = await auditRows('password-reset', admin.id);
    expect(audit.details).toEqual({ staffUserId: person.id, sessionsEnded: 1 });
    expect(JSON.stringify(audit)).not.toContain(temporaryPassword);

    // The old password is refused; the temporary one must be replaced before anything else.
    const refused = request.agent(t.app);
    const form = await refused.get('/staff/sign-in');
    const old = await refused
      .post('/staff/sign-in')
      .type('form')
      .send({ email: person.email, password: person.password, _csrf: csrfTokenIn(form.text) });
    expect(old.status).toBe(422);
    now = new Date(START.getTime() + 60_000);
    const back = await signIn(t, { ...person, password: temporaryPassword }, { clock });
    expect((await back.get('/staff')).headers.location).toBe('/staff/new-password');
    const chosen = await post(back, '/staff/new-password', { newPassword, confirmPassword: newPassword });
    expect(chosen.headers.location).toBe('/staff');
    await back.get('/staff').expect(200);
  });

  it('will not let an administrator reset their own password here, nor anyone but an administrator', async () => {
    const { admin, agent } = await signedInAdmin();
    const url = `/staff/users/${admin.id}/reset-password`;
    const page = await agent.get(url);
    expect([page.status, h1(page.text)]).toEqual([403, 'You cannot reset your own password']);
    const res = await post(agent, url, { password: admin.password }, '/staff/users');
    expect(res.status).toBe(403);
    expect(await auditRows('password-reset', admin.id)).toHaveLength(0);
    const caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const theirs = await signIn(t, caseworker, { clock });
    expect((await theirs.get(`/staff/users/${admin.id}/reset-password`)).status).toBe(403);
  });
});

describe('unlocking an account (issue 13, defect 3)', () => {
  async function wrongPasswords(email: string, n: number) {
    const agent = request.agent(t.app);
    let last = 0;
    for (let i = 0; i < n; i++) {
      const page = await agent.get('/staff/sign-in');
      last = (
        await agent
          .post('/staff/sign-in')
          .type('form')
          .send({ email, password: `wrong ${i}`, _csrf: csrfTokenIn(page.text) })
      ).status;
    }
    return last;
  }

  it('clears the account’s sign-in counters so the person can try again at once, and audits it', async () => {
    const { admin, agent } = await signedInAdmin();
    const person = await createStaffUser(t.db, { role: 'manager', agencies: ['tax-authority'] });
    expect(await wrongPasswords(person.email, 5)).toBe(422);
    await expect(signIn(t, person, { clock })).rejects.toThrow(/429/);

    const url = `/staff/users/${person.id}/unlock`;
    const page = await agent.get(url).expect(200);
    expect(h1(page.text)).toMatch(/^Unlock Test manager \d+’s account$/);
    const res = await post(agent, url, {});
    expect(res.headers.location).toBe('/staff/users');
    const list = await agent.get('/staff/users').expect(200);
    expect(parseHtml(list.text)('.govuk-notification-banner').text()).toMatch(/account is unlocked/);
    const [audit] = await auditRows('user-unlocked', admin.id);
    expect(audit.details).toMatchObject({ staffUserId: person.id });
    expect(audit.details.countersCleared).toBeGreaterThan(0);

    const theirs = await signIn(t, person, { clock });
    await theirs.get('/staff').expect(200);
    // Only that account's counters went: the address's own count of failures is kept.
    expect(await t.db('rate_limit').where('key', 'like', 'staff-password-ip:%')).not.toHaveLength(0);
  }, 120_000);

  it('will not let an administrator unlock their own account', async () => {
    const { admin, agent } = await signedInAdmin();
    const url = `/staff/users/${admin.id}/unlock`;
    const page = await agent.get(url);
    expect([page.status, h1(page.text)]).toEqual([403, 'You cannot unlock your own account']);
    expect((await post(agent, url, {}, '/staff/users')).status).toBe(403);
    expect(await auditRows('user-unlocked', admin.id)).toHaveLength(0);
  });
});

describe('re-enabling a disabled account (issue 13, defect 3)', () => {
  it('enables it so the person can sign in again, audited; their old sessions stay ended', async () => {
    const { admin, agent } = await signedInAdmin();
    const person = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const before = await signIn(t, person, { clock });
    await post(agent, `/staff/users/${person.id}/disable`, {});
    const list = await agent.get('/staff/users').expect(200);
    const url = `/staff/users/${person.id}/enable`;
    expect(parseHtml(list.text)(`a[href="${url}"]`).length).toBe(1);
    const page = await agent.get(url).expect(200);
    expect(h1(page.text)).toMatch(/^Enable Test caseworker \d+’s account$/);
    const res = await post(agent, url, {});
    expect(res.headers.location).toBe('/staff/users');
    expect((await findStaffUserById(t.db, person.id))?.disabledAt).toBeNull();
    const [audit] = await auditRows('user-enabled', admin.id);
    expect(audit.details).toEqual({ staffUserId: person.id });

    expect((await before.get('/staff')).headers.location).toBe('/staff/sign-in');
    now = new Date(START.getTime() + 60_000);
    await (await signIn(t, person, { clock })).get('/staff').expect(200);

    // Enabling an enabled account changes nothing and is not audited again.
    const again = await agent.get(url).expect(200);
    expect(h1(again.text)).toMatch(/account is already enabled$/);
    await post(agent, url, {});
    expect(await auditRows('user-enabled', admin.id)).toHaveLength(1);
  });

  it('will not let an administrator enable their own account', async () => {
    const { admin, agent } = await signedInAdmin();
    const url = `/staff/users/${admin.id}/enable`;
    const page = await agent.get(url);
    expect([page.status, h1(page.text)]).toEqual([403, 'You cannot enable your own account']);
    expect((await post(agent, url, {}, '/staff/users')).status).toBe(403);
  });
});

describe('administrators and case data', () => {
  it('takes each role from the header to a page it may open; administrators never see cases', async () => {
    const homes = { caseworker: '/staff', manager: '/staff', admin: '/staff/users' } as const;
    for (const role of ['caseworker', 'manager', 'admin'] as const) {
      const user = await createStaffUser(t.db, { role, agencies: role === 'admin' ? [] : ['tax-authority'] });
      const agent = await signIn(t, user, { clock });
      const page = await agent.get('/staff/account/password').expect(200);
      const href = parseHtml(page.text)('.govuk-service-navigation__service-name a').attr('href');
      expect([role, href]).toEqual([role, homes[role]]);
      await agent.get(href!).expect(200);
    }
    // An administrator manages accounts and gets the 403 page for the case list, a case and the CSV.
    const { agent } = await signedInAdmin();
    for (const url of ['/staff', '/staff/submissions/ABC123', '/staff/cases.csv']) {
      expect([url, (await agent.get(url)).status]).toEqual([url, 403]);
    }
  });
});
