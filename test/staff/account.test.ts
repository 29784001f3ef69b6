import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, type TestStaffUser } from '../helpers/staff';
import { countSessionsOf } from '../../src/staff/staff-user-repository';

// Issue 13, defect 3: the password lifecycle of a member of staff. A temporary password (one an administrator saw)
// must be replaced straight after the code step, before any other page; anyone can change their own password
// with their current one. Either way the new one follows the password rules, every other session ends, and the
// change is audited.

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
const h1 = (html: string) => parseHtml(html)('h1').first().text().trim();
const auditRows = (action: string, actorId: number) =>
  t.db('audit_event').where({ action, actor_id: actorId }).orderBy('id');

async function post(agent: Agent, url: string, body: Record<string, string>, formPage = url) {
  const page = await agent.get(formPage);
  return agent
    .post(url)
    .type('form')
    .send({ ...body, _csrf: csrfTokenIn(page.text) });
}

/** Signs in with the password and a code, stopping wherever the code step sends the person. */
async function signInTo(user: TestStaffUser): Promise<{ agent: Agent; location: string }> {
  const agent = await signIn(t, user, { clock });
  const res = await agent.get('/staff/sign-in');
  return { agent, location: res.headers.location ?? '' };
}

const NEW_PASSWORD = 'correct horse battery staple 42';

describe('a temporary password must be replaced at first sign-in', () => {
  it('sends the person to choose a password after the code, and every other staff page there until they do', async () => {
    const user = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: ['tax-authority'],
      temporaryPassword: true,
    });
    const { agent, location } = await signInTo(user);
    expect(location).toBe('/staff/new-password');
    const page = await agent.get('/staff/new-password').expect(200);
    expect(h1(page.text)).toBe('Choose your own password');
    // No navigation to pages they cannot open yet, but a way to sign out.
    expect(parseHtml(page.text)('.govuk-service-navigation__list').length).toBe(0);
    expect(parseHtml(page.text)('form[action="/staff/sign-out"]').length).toBe(1);

    const routes = t.app.locals.staffRoutes as readonly { method: string; path: string; allowed: unknown }[];
    const token = csrfTokenIn(page.text);
    for (const route of routes.filter((r) => Array.isArray(r.allowed))) {
      const path = route.path.replace(/:[a-zA-Z]+/g, '1');
      const res =
        route.method === 'get'
          ? await agent.get(path)
          : await agent.post(path).type('form').send({ _csrf: token });
      expect([route.method, path, res.status, res.headers.location]).toEqual([
        route.method,
        path,
        302,
        '/staff/new-password',
      ]);
    }
    // The code and sign-in steps are behind them.
    expect((await agent.get('/staff/sign-in/code')).headers.location).toBe('/staff/new-password');
  });

  it('checks the new password against the rules, the confirmation and the temporary password', async () => {
    const user = await createStaffUser(t.db, {
      role: 'manager',
      agencies: ['tax-authority'],
      temporaryPassword: true,
    });
    const { agent } = await signInTo(user);
    const cases: [Record<string, string>, string[]][] = [
      [{ newPassword: '', confirmPassword: '' }, ['Enter a new password']],
      [{ newPassword: 'short', confirmPassword: 'short' }, ['Password must be 8 characters or more']],
      [
        { newPassword: 'password123', confirmPassword: 'password123' },
        ['Password is too easy to guess because lots of people use it. Choose a different password'],
      ],
      [
        { newPassword: user.email, confirmPassword: user.email },
        ['Password must not be the same as your email address'],
      ],
      [
        { newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` },
        ['The passwords do not match. Enter the same new password twice'],
      ],
      [
        { newPassword: user.password, confirmPassword: user.password },
        ['Your new password must be different from the temporary password'],
      ],
    ];
    for (const [body, errors] of cases) {
      const res = await post(agent, '/staff/new-password', body);
      expect([body.newPassword, res.status, errorSummary(res.text)]).toEqual([body.newPassword, 422, errors]);
    }
    expect((await t.db('staff_user').where('id', user.id).first()).password_must_change).toBe(true);
    expect(await auditRows('password-changed', user.id)).toHaveLength(0);
  });

  it('takes them to their start page with a new session id, ends their other sessions and audits it', async () => {
    const user = await createStaffUser(t.db, { role: 'admin', temporaryPassword: true });
    const { agent } = await signInTo(user);
    const other = await signInTo(user);
    expect(await countSessionsOf(t.db, user.id)).toBe(2);
    const before = await agent.get('/staff/new-password').expect(200);
    const res = await agent
      .post('/staff/new-password')
      .type('form')
      .send({ newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, _csrf: csrfTokenIn(before.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff/users');
    expect(res.headers['set-cookie']?.toString()).toMatch(/portal\.sid=/);
    await agent.get('/staff/users').expect(200);
    expect((await other.agent.get('/staff/new-password')).headers.location).toBe('/staff/sign-in');
    expect(await countSessionsOf(t.db, user.id)).toBe(1);
    const row = await t.db('staff_user').where('id', user.id).first();
    expect(row.password_must_change).toBe(false);
    expect(row.password_changed_at).toEqual(now);
    const [audit] = await auditRows('password-changed', user.id);
    expect(audit).toMatchObject({ actor_role: 'admin', details: { reason: 'temporary-replaced' } });
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);

    // The temporary password no longer works; the new one does, with no further change asked for.
    const old = request.agent(t.app);
    const page = await old.get('/staff/sign-in');
    const refused = await old
      .post('/staff/sign-in')
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfTokenIn(page.text) });
    expect(refused.status).toBe(422);
    now = new Date(START.getTime() + 60_000);
    const again = await signInTo({ ...user, password: NEW_PASSWORD });
    expect(again.location).toBe('/staff/users');
  });

  it('is not offered to anyone else', async () => {
    expect((await request(t.app).get('/staff/new-password')).headers.location).toBe('/staff/sign-in');
    const user = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const { agent, location } = await signInTo(user);
    expect(location).toBe('/staff');
    expect((await agent.get('/staff/new-password')).headers.location).toBe('/staff');
  });
});

describe('changing your own password', () => {
  it('is offered to every role from the header', async () => {
    for (const role of ['caseworker', 'manager', 'admin'] as const) {
      const user = await createStaffUser(t.db, { role, agencies: role === 'admin' ? [] : ['tax-authority'] });
      const { agent, location } = await signInTo(user);
      const home = await agent.get(location).expect(200);
      expect(parseHtml(home.text)('a[href="/staff/account/password"]').text()).toContain(
        'Change your password',
      );
      const page = await agent.get('/staff/account/password').expect(200);
      expect(h1(page.text)).toBe('Change your password');
      const $ = parseHtml(page.text);
      expect($('#currentPassword').attr('autocomplete')).toBe('current-password');
      expect($('#newPassword').attr('autocomplete')).toBe('new-password');
    }
  });

  it('asks for the current password and checks the new one against the rules', async () => {
    const user = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const { agent } = await signInTo(user);
    const url = '/staff/account/password';
    const cases: [Record<string, string>, string[]][] = [
      [
        { currentPassword: '', newPassword: '', confirmPassword: '' },
        ['Enter your current password', 'Enter a new password'],
      ],
      [
        { currentPassword: user.password, newPassword: 'qwertyuiop', confirmPassword: 'qwertyuiop' },
        ['Password is too easy to guess because lots of people use it. Choose a different password'],
      ],
      [
        { currentPassword: user.password, newPassword: 'x'.repeat(129), confirmPassword: 'x'.repeat(129) },
        ['Password must be 128 characters or fewer'],
      ],
      [
        { currentPassword: user.password, newPassword: user.password, confirmPassword: user.password },
        ['Your new password must be different from your current one'],
      ],
      [
        { currentPassword: user.password, newPassword: NEW_PASSWORD, confirmPassword: 'something else' },
        ['The passwords do not match. Enter the same new password twice'],
      ],
      [
        { currentPassword: 'not my password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        ['Your current password is not correct'],
      ],
    ];
    for (const [body, errors] of cases) {
      const res = await post(agent, url, body);
      expect([res.status, errorSummary(res.text)]).toEqual([422, errors]);
    }
    const [failed] = await auditRows('reauthentication-failed', user.id);
    expect(failed.details).toEqual({ purpose: 'password-change' });
    expect(await auditRows('password-changed', user.id)).toHaveLength(0);
  });

  it('changes it, keeps this session under a new id, ends the others and audits it', async () => {
    const user = await createStaffUser(t.db, { role: 'manager', agencies: ['tax-authority'] });
    const { agent } = await signInTo(user);
    const elsewhere = await signInTo(user);
    const res = await post(agent, '/staff/account/password', {
      currentPassword: user.password,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(h1(res.text)).toBe('Your password has been changed');
    expect(res.headers['set-cookie']?.toString()).toMatch(/portal\.sid=/);
    await agent.get('/staff').expect(200);
    expect((await elsewhere.agent.get('/staff')).headers.location).toBe('/staff/sign-in');
    expect(await countSessionsOf(t.db, user.id)).toBe(1);
    const [audit] = await auditRows('password-changed', user.id);
    expect(audit.details).toEqual({ reason: 'changed-by-self' });
    now = new Date(START.getTime() + 60_000);
    expect((await signInTo({ ...user, password: NEW_PASSWORD })).location).toBe('/staff');
  });

  it('ends the session after 5 wrong current passwords', async () => {
    const user = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const { agent } = await signInTo(user);
    const body = { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
    for (let i = 0; i < 5; i++) {
      const res = await post(agent, '/staff/account/password', { ...body, currentPassword: `wrong ${i}` });
      expect(res.status).toBe(422);
    }
    const locked = await post(agent, '/staff/account/password', { ...body, currentPassword: user.password });
    expect(locked.status).toBe(429);
    expect(await countSessionsOf(t.db, user.id)).toBe(0);
    expect(await auditRows('password-changed', user.id)).toHaveLength(0);
    expect(await auditRows('reauthentication-locked', user.id)).toHaveLength(1);
  });
});
