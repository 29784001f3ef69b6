import request from 'supertest';
import { appWith, productionEnv, type TestApp } from '../helpers/app';
import { csrfTokenIn, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn, totpCodeFor } from '../helpers/staff';
import { loadConfig } from '../../src/config';
import { STAFF_ROLES, type DeclaredRoute } from '../../src/staff/access';
import { createSecretBox, totpSecretContext } from '../../src/crypto/secret-box';
import { hashRecoveryCodes } from '../../src/staff/recovery-codes';
import {
  countSessionsOf,
  disableStaffUser,
  findStaffUserByEmail,
  replaceRecoveryCodes,
} from '../../src/staff/staff-user-repository';
import { timeStepAt } from '../../src/staff/totp';
import { DEMO_STAFF, seedDemoStaff } from '../../src/seed/demo-staff';

const START = new Date('2026-11-30T09:00:10Z');
let now = START;
const clock = () => now;
const minutes = (n: number) => n * 60 * 1000;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

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

/** The session id inside a Set-Cookie header, or undefined when the response set no session cookie. */
function sessionIdIn(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  for (const cookie of cookies) {
    const m = /^portal\.sid=([^;]+)/.exec(cookie);
    if (m) return /^s:([^.]+)\./.exec(decodeURIComponent(m[1]!))?.[1];
  }
  return undefined;
}
const rawSessionCookie = (res: { headers: Record<string, unknown> }): string => {
  const cookie = ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) =>
    c.startsWith('portal.sid='),
  );
  if (!cookie) throw new Error('no session cookie set');
  return cookie.split(';')[0]!;
};

async function submitPassword(agent: Agent, email: string, password: string) {
  const page = await agent.get('/staff/sign-in').expect(200);
  return agent
    .post('/staff/sign-in')
    .type('form')
    .send({ email, password, _csrf: csrfTokenIn(page.text) });
}

async function submitCode(agent: Agent, code: string, url = '/staff/sign-in/code', field = 'code') {
  const page = await agent.get(url).expect(200);
  return agent
    .post(url)
    .type('form')
    .send({ [field]: code, _csrf: csrfTokenIn(page.text) });
}

async function passwordOnly(user: { email: string; password: string }): Promise<Agent> {
  const agent = request.agent(t.app);
  const res = await submitPassword(agent, user.email, user.password);
  expect(res.status).toBe(302);
  return agent;
}

const auditRows = (action: string, actorId?: number) =>
  t.db('audit_event').where({ action, ...(actorId === undefined ? {} : { actor_id: actorId }) });

describe('signing in with a password and an authenticator code', () => {
  it('signs a caseworker in, to the case list, and an administrator to staff accounts', async () => {
    const caseworker = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const agent = await passwordOnly(caseworker);
    const res = await submitCode(agent, await totpCodeFor(caseworker.totpSecret!, now));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff');

    const admin = await createStaffUser(t.db, { role: 'admin' });
    const adminAgent = await passwordOnly(admin);
    const adminRes = await submitCode(adminAgent, await totpCodeFor(admin.totpSecret!, now));
    expect(adminRes.headers.location).toBe('/staff/users');
    await adminAgent.get('/staff/users').expect(200);

    const [row] = await auditRows('sign-in', admin.id);
    expect(row).toMatchObject({ actor_role: 'admin', details: { method: 'authenticator' } });
  });

  it('sends the password step to the code page, or to set-up when there is no authenticator yet', async () => {
    const enrolled = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const res = await submitPassword(request.agent(t.app), enrolled.email, enrolled.password);
    expect(res.headers.location).toBe('/staff/sign-in/code');

    const fresh = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: ['tax-authority'],
      enrolled: false,
    });
    const agent = request.agent(t.app);
    const res2 = await submitPassword(agent, fresh.email, fresh.password);
    expect(res2.headers.location).toBe('/staff/set-up-authenticator');
    // A person with no authenticator cannot reach the code or recovery pages, and vice versa.
    expect((await agent.get('/staff/sign-in/code')).headers.location).toBe('/staff/set-up-authenticator');
    expect((await agent.get('/staff/sign-in/recovery-code')).headers.location).toBe(
      '/staff/set-up-authenticator',
    );
    const agent2 = await passwordOnly(enrolled);
    expect((await agent2.get('/staff/set-up-authenticator')).headers.location).toBe('/staff/sign-in/code');
  });

  it('asks for both fields, with a GOV.UK error summary and a 422', async () => {
    const agent = request.agent(t.app);
    const res = await submitPassword(agent, '', '');
    expect(res.status).toBe(422);
    expect(title(res.text)).toMatch(/^Error: Sign in – /);
    expect(errorSummary(res.text)).toEqual(['Enter your email address', 'Enter your password']);
    const $ = parseHtml(res.text);
    expect($('.govuk-error-summary__list a').first().attr('href')).toBe('#email');
  });

  it('answers an unknown email exactly as it answers a wrong password, and audits both without the email', async () => {
    const user = await createStaffUser(t.db, { role: 'manager', agencies: ['tax-authority'] });
    const unknownEmail = `nobody-${user.id}@example.gov.uk`;
    const wrong = await submitPassword(request.agent(t.app), user.email, 'not the password');
    const unknown = await submitPassword(request.agent(t.app), unknownEmail, 'not the password');
    expect(wrong.status).toBe(422);
    expect(unknown.status).toBe(422);
    expect(errorSummary(wrong.text)).toEqual(['Enter a correct email address and password']);
    expect(errorSummary(unknown.text)).toEqual(errorSummary(wrong.text));
    // The pages differ only in the email typed back into the field and the CSRF token.
    const normalise = (html: string, email: string) =>
      html
        .replaceAll(email, 'EMAIL')
        .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
        .replace(/nonce="[^"]*"/g, 'nonce=""');
    expect(normalise(unknown.text, unknownEmail)).toBe(normalise(wrong.text, user.email));

    const failures = await t
      .db('audit_event')
      .where({ action: 'sign-in-failed' })
      .orderBy('id', 'desc')
      .limit(2);
    expect(failures.map((r) => r.details.reason).sort()).toEqual(['unknown-account', 'wrong-password']);
    const known = failures.find((r) => r.details.reason === 'wrong-password');
    expect(known.actor_id).toBe(user.id);
    expect(failures.find((r) => r.details.reason === 'unknown-account').actor_id).toBeNull();
    for (const row of failures) expect(JSON.stringify(row)).not.toMatch(/@example\.gov\.uk|not the password/);
  });

  it('refuses a disabled account with the same message, even with the right password', async () => {
    const user = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    await disableStaffUser(t.db, user.id, now);
    const res = await submitPassword(request.agent(t.app), user.email, user.password);
    expect(res.status).toBe(422);
    expect(errorSummary(res.text)).toEqual(['Enter a correct email address and password']);
    const [row] = await auditRows('sign-in-failed', user.id);
    expect(row.details).toEqual({ stage: 'password', reason: 'account-disabled' });
  });

  it('ends a half-signed-in session when the account is disabled before the code is given', async () => {
    const user = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const agent = await passwordOnly(user);
    await disableStaffUser(t.db, user.id, now);
    const res = await agent.get('/staff/sign-in/code');
    expect(res.headers.location).toBe('/staff/sign-in');
    expect((await agent.get('/staff/sign-in/code')).headers.location).toBe('/staff/sign-in');
  });
});

describe('the second factor cannot be skipped', () => {
  it('sends every role-protected page to the code page after the password alone', async () => {
    const routes = t.app.locals.staffRoutes as readonly DeclaredRoute[];
    const protectedGets = routes.filter((r) => r.method === 'get' && Array.isArray(r.allowed));
    expect(protectedGets.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/staff', '/staff/users', '/staff/users/new', '/staff/account/password']),
    );
    for (const role of STAFF_ROLES) {
      const user = await createStaffUser(t.db, { role, agencies: ['tax-authority'] });
      const agent = await passwordOnly(user);
      for (const route of protectedGets) {
        const path = route.path.replace(/:[a-zA-Z]+/g, '1');
        const res = await agent.get(path);
        expect([path, res.status, res.headers.location]).toEqual([path, 302, '/staff/sign-in/code']);
      }
      // And every role-protected form, with a valid CSRF token of the half-signed-in session.
      const token = csrfTokenIn((await agent.get('/staff/sign-in/code').expect(200)).text);
      for (const route of routes.filter((r) => r.method === 'post' && Array.isArray(r.allowed))) {
        const path = route.path.replace(/:[a-zA-Z]+/g, '1');
        const res = await agent.post(path).type('form').send({ _csrf: token });
        expect([path, res.status, res.headers.location]).toEqual([path, 302, '/staff/sign-in/code']);
      }
    }
  });

  it('sends the code, recovery and set-up pages to sign-in before a password', async () => {
    for (const path of [
      '/staff/sign-in/code',
      '/staff/sign-in/recovery-code',
      '/staff/set-up-authenticator',
    ]) {
      const res = await request(t.app).get(path);
      expect([path, res.status, res.headers.location]).toEqual([path, 302, '/staff/sign-in']);
    }
    const res = await request(t.app).get('/staff/users');
    expect(res.headers.location).toBe('/staff/sign-in');
  });
});

describe('session ids', () => {
  it('change when the password is accepted and again when the code is, and old cookies are worthless', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = request.agent(t.app);
    const page = await agent.get('/staff/sign-in').expect(200);
    const anonymousSid = sessionIdIn(page);
    const anonymousCookie = rawSessionCookie(page);
    expect(anonymousSid).toBeDefined();

    const afterPassword = await agent
      .post('/staff/sign-in')
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfTokenIn(page.text) });
    const passwordSid = sessionIdIn(afterPassword);
    const passwordCookie = rawSessionCookie(afterPassword);
    expect(passwordSid).toBeDefined();
    expect(passwordSid).not.toBe(anonymousSid);

    const codePage = await agent.get('/staff/sign-in/code').expect(200);
    const afterCode = await agent
      .post('/staff/sign-in/code')
      .type('form')
      .send({ code: await totpCodeFor(user.totpSecret!, now), _csrf: csrfTokenIn(codePage.text) });
    expect(afterCode.status).toBe(302);
    const signedInSid = sessionIdIn(afterCode);
    expect(signedInSid).toBeDefined();
    expect(signedInSid).not.toBe(passwordSid);
    expect(signedInSid).not.toBe(anonymousSid);

    await agent.get('/staff/users').expect(200);
    // The earlier cookies point at rows that no longer exist.
    const withPasswordCookie = await request(t.app).get('/staff/sign-in/code').set('Cookie', passwordCookie);
    expect(withPasswordCookie.headers.location).toBe('/staff/sign-in');
    const withAnonymousCookie = await request(t.app).get('/staff/users').set('Cookie', anonymousCookie);
    expect(withAnonymousCookie.headers.location).toBe('/staff/sign-in');
    const rows = await t.db('session').whereIn('sid', [anonymousSid!, passwordSid!]);
    expect(rows).toHaveLength(0);
  });
});

describe('authenticator codes', () => {
  it('refuses a code that has already been used', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const code = await totpCodeFor(user.totpSecret!, now);
    const first = await submitCode(await passwordOnly(user), code);
    expect(first.status).toBe(302);

    const replay = await submitCode(await passwordOnly(user), code);
    expect(replay.status).toBe(422);
    // The same answer as for a wrong code (issue 13, defect 10): the page does not confirm the code was right.
    const wrong = await submitCode(await passwordOnly(user), code === '123456' ? '654321' : '123456');
    expect(wrong.status).toBe(422);
    expect(errorSummary(replay.text)).toEqual([
      'The code is not correct or has already been used. Enter the next code your authenticator app shows',
    ]);
    const mainOf = (html: string) =>
      parseHtml(html)('main')
        .html()!
        .replace(/name="_csrf" value="[^"]*"/, '');
    expect(mainOf(replay.text)).toBe(mainOf(wrong.text));
    expect(title(replay.text)).toBe(title(wrong.text));
    // The audit log keeps the difference.
    const failures = await auditRows('mfa-failed', user.id).orderBy('id');
    expect(failures.map((f) => f.details)).toEqual([
      { method: 'authenticator', reason: 'reused' },
      { method: 'authenticator', reason: 'wrong' },
    ]);

    // The next step's code works.
    advance(30_000);
    const next = await submitCode(await passwordOnly(user), await totpCodeFor(user.totpSecret!, now));
    expect(next.status).toBe(302);
  });

  it('accepts a code one step old or one step new, and refuses two steps either way', async () => {
    const cases: [number, number][] = [
      [-30, 302],
      [30, 302],
      [-60, 422],
      [60, 422],
    ];
    for (const [offsetSeconds, status] of cases) {
      const user = await createStaffUser(t.db, { role: 'admin' });
      const code = await totpCodeFor(user.totpSecret!, new Date(now.getTime() + offsetSeconds * 1000));
      const res = await submitCode(await passwordOnly(user), code);
      expect([offsetSeconds, res.status]).toEqual([offsetSeconds, status]);
      if (status === 422) {
        expect(errorSummary(res.text)).toEqual([
          'The code is not correct or has already been used. Enter the next code your authenticator app shows',
        ]);
      }
    }
  });

  it('records the step used, and keeps the secret encrypted at rest', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    await signIn(t, user, { clock });
    const row = await t.db('staff_user').where('id', user.id).first();
    expect(row.totp_last_step).toBe(timeStepAt(now));
    expect(row.totp_secret_encrypted).not.toContain(user.totpSecret);
    expect(row.totp_secret_encrypted).not.toMatch(/^[A-Z2-7]+=*$/);
  });

  it('checks the format before anything else', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await passwordOnly(user);
    const empty = await submitCode(agent, '');
    expect(empty.status).toBe(422);
    expect(title(empty.text)).toMatch(/^Error: Enter the code from your authenticator app – /);
    expect(errorSummary(empty.text)).toEqual(['Enter the 6-digit code from your authenticator app']);
    expect(errorSummary((await submitCode(agent, '12345')).text)).toEqual(['The code must be 6 numbers']);
    // Spaces as some apps show them are fine.
    const code = await totpCodeFor(user.totpSecret!, now);
    const spaced = await submitCode(agent, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(spaced.status).toBe(302);
  });
});

describe('recovery codes', () => {
  it('signs in with a recovery code once, and never twice', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    await replaceRecoveryCodes(t.db, user.id, await hashRecoveryCodes(['ABCDE23456', 'FGHJK23456']));

    const agent = await passwordOnly(user);
    const codePage = await agent.get('/staff/sign-in/code');
    expect(parseHtml(codePage.text)('a[href="/staff/sign-in/recovery-code"]').text()).toBe(
      'Use a recovery code instead',
    );
    const first = await submitCode(agent, 'abcde-23456', '/staff/sign-in/recovery-code', 'recoveryCode');
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/staff/users');
    const [row] = await auditRows('sign-in', user.id);
    expect(row.details).toEqual({ method: 'recovery-code', recoveryCodesLeft: 1 });

    const again = await submitCode(
      await passwordOnly(user),
      'ABCDE-23456',
      '/staff/sign-in/recovery-code',
      'recoveryCode',
    );
    expect(again.status).toBe(422);
    expect(errorSummary(again.text)).toEqual(['The recovery code is not correct or has already been used']);

    const other = await submitCode(
      await passwordOnly(user),
      'FGHJK23456',
      '/staff/sign-in/recovery-code',
      'recoveryCode',
    );
    expect(other.status).toBe(302);
    const used = await t.db('staff_recovery_code').where('staff_user_id', user.id).whereNotNull('used_at');
    expect(used).toHaveLength(2);
  });

  it('checks the recovery code’s format', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await passwordOnly(user);
    const url = '/staff/sign-in/recovery-code';
    const empty = await submitCode(agent, '', url, 'recoveryCode');
    expect(empty.status).toBe(422);
    expect(title(empty.text)).toMatch(/^Error: Enter a recovery code – /);
    expect(errorSummary((await submitCode(agent, '123', url, 'recoveryCode')).text)).toEqual([
      'Enter the recovery code as it was shown to you, like K7QMX-2WA9H',
    ]);
  });
});

describe('setting up an authenticator at first sign-in', () => {
  it('shows a QR code and the key, confirms a code, and shows the recovery codes once', async () => {
    const user = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: ['tax-authority'],
      enrolled: false,
    });
    const agent = request.agent(t.app);
    await submitPassword(agent, user.email, user.password);
    const page = await agent.get('/staff/set-up-authenticator').expect(200);
    const $ = parseHtml(page.text);
    const img = $('main img');
    expect(img.attr('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(img.attr('alt')).toMatch(/QR code/);
    const grouped = $('#secret-key').text().trim();
    expect(grouped).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const secret = grouped.replace(/ /g, '');
    // The QR code encodes the otpauth URI with this secret and the service as issuer.
    expect($('script:not([src])').filter((_i, s) => !$(s).attr('nonce')).length).toBe(0);
    expect($('[style]').length).toBe(0);
    const input = $('input#code');
    expect(input.attr('autocomplete')).toBe('one-time-code');
    expect(input.attr('inputmode')).toBe('numeric');

    // The same secret is shown again on reload until it is confirmed.
    const again = await agent.get('/staff/set-up-authenticator');
    expect(parseHtml(again.text)('#secret-key').text().trim()).toBe(grouped);

    const wrong = await submitCode(agent, '000000', '/staff/set-up-authenticator');
    expect(wrong.status).toBe(422);
    expect(title(wrong.text)).toMatch(/^Error: Set up an authenticator app – /);

    // The codes are shown in the answer to the code itself, never kept in the session (issue 13, defect 8).
    const codesPage = await submitCode(agent, await totpCodeFor(secret, now), '/staff/set-up-authenticator');
    expect(codesPage.status).toBe(200);
    expect(codesPage.headers['cache-control']).toBe('no-store');
    expect(h1(codesPage.text)).toBe('Save your recovery codes');
    const codes = parseHtml(codesPage.text)('#recovery-codes li')
      .map((_i, li) => parseHtml(codesPage.text)(li).text().trim())
      .get();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(parseHtml(codesPage.text)('main a.govuk-button').attr('href')).toBe('/staff');
    const sessionRows = JSON.stringify(await t.db('session').select('sess'));
    for (const code of codes) {
      expect(sessionRows).not.toContain(code);
      expect(sessionRows).not.toContain(code.replace('-', ''));
    }
    await agent.get('/staff').expect(200);

    const row = await t.db('staff_user').where('id', user.id).first();
    expect(row.mfa_enrolled_at).not.toBeNull();
    expect(row.totp_secret_encrypted).not.toContain(secret);
    expect(
      createSecretBox(t.config.mfaEncryptionKey).open(row.totp_secret_encrypted, totpSecretContext(user.id)),
    ).toBe(secret);
    expect(row.totp_last_step).toBe(timeStepAt(now));
    const stored = await t.db('staff_recovery_code').where('staff_user_id', user.id);
    expect(stored).toHaveLength(10);
    for (const s of stored) {
      expect(s.code_hash).toMatch(/^\$argon2id\$/);
      for (const code of codes) expect(s.code_hash).not.toContain(code.replace('-', ''));
    }
    expect(await auditRows('mfa-enrolled', user.id)).toHaveLength(1);

    // A code from the page works at the next sign-in.
    const later = await passwordOnly(user);
    const viaRecovery = await submitCode(later, codes[3]!, '/staff/sign-in/recovery-code', 'recoveryCode');
    expect(viaRecovery.status).toBe(302);
  });
});

describe('lockout', () => {
  // Its own app and database, behind one trusted proxy, so each test can come from its own client address.
  let lt: TestApp;
  let ipCounter = 0;
  let ip = '';
  beforeAll(async () => {
    lt = await appWith({ TRUST_PROXY_HOPS: '1' }, { clock });
  });
  afterAll(async () => lt.close());
  beforeEach(() => {
    ipCounter += 1;
    ip = `203.0.113.${ipCounter}`;
  });
  const client = (from = ip) => request.agent(lt.app).set('X-Forwarded-For', from);
  const password = (email: string, pw: string, from = ip) => submitPassword(client(from), email, pw);
  const lockoutAudit = (action: string, actorId: number) =>
    lt.db('audit_event').where({ action, actor_id: actorId });

  it('locks an account after 5 wrong passwords, and refuses the right one while locked', async () => {
    const user = await createStaffUser(lt.db, { role: 'admin' });
    for (let i = 0; i < 5; i++) {
      expect((await password(user.email, `wrong password ${i}`)).status).toBe(422);
    }
    const locked = await password(user.email, user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(h1(locked.text)).toBe('You cannot sign in at the moment');
    expect(locked.text).toContain('you cannot try again for 15 minutes');
    // The lock is on the account: another address gets one try, and once it has failed it is locked out too.
    expect((await password(user.email, 'another wrong one', '198.51.100.1')).status).toBe(422);
    expect((await password(user.email, user.password, '198.51.100.1')).status).toBe(429);
    expect(await lockoutAudit('sign-in-locked', user.id)).toHaveLength(2);
    // Another account is not affected.
    const other = await createStaffUser(lt.db, { role: 'admin' });
    expect((await password(other.email, other.password)).status).toBe(302);
  });

  it('lets the owner of a locked account in from an address that has not failed on it (issue 13, defect 10)', async () => {
    // 20 wrong passwords from one address: 5 for each of 4 known accounts, which all lock.
    const owners = await Promise.all(
      [1, 2, 3, 4].map(() => createStaffUser(lt.db, { role: 'caseworker', agencies: ['tax-authority'] })),
    );
    for (const owner of owners) {
      for (let i = 0; i < 5; i++) expect((await password(owner.email, `guess ${i}`)).status).toBe(422);
    }
    for (const owner of owners) expect((await password(owner.email, owner.password)).status).toBe(429);
    // Each owner, from their own address, still signs in with the right password and code.
    for (const [n, owner] of owners.entries()) {
      const agent = client(`198.51.100.${40 + n}`);
      expect((await submitPassword(agent, owner.email, owner.password)).headers.location).toBe(
        '/staff/sign-in/code',
      );
      const code = await submitCode(agent, await totpCodeFor(owner.totpSecret!, now));
      expect(code.headers.location).toBe('/staff');
      await agent.get('/staff').expect(200);
      advance(30_000); // each owner's code is their own, but keep the steps apart anyway
    }
    // The guessing address is still refused, for those accounts and for any other.
    const fifth = await createStaffUser(lt.db, { role: 'admin' });
    expect((await password(fifth.email, fifth.password)).status).toBe(429);
    expect((await password(owners[0]!.email, owners[0]!.password)).status).toBe(429);
  }, 120_000);

  it('lets the owner in past 5 wrong codes from another address that knows the password', async () => {
    const user = await createStaffUser(lt.db, { role: 'admin' });
    const guesser = client();
    expect((await submitPassword(guesser, user.email, user.password)).status).toBe(302);
    for (let i = 0; i < 5; i++) expect((await submitCode(guesser, `00000${i}`)).status).toBe(422);
    expect((await submitCode(guesser, await totpCodeFor(user.totpSecret!, now))).status).toBe(429);
    const owner = client('198.51.100.60');
    expect((await submitPassword(owner, user.email, user.password)).status).toBe(302);
    expect((await submitCode(owner, await totpCodeFor(user.totpSecret!, now))).headers.location).toBe(
      '/staff/users',
    );
  });

  it('locks an unknown email the same way, so locking reveals nothing', async () => {
    const email = 'never-had-an-account@example.gov.uk';
    for (let i = 0; i < 5; i++) {
      expect((await password(email, `guess ${i}`)).status).toBe(422);
    }
    expect((await password(email, 'guess 6')).status).toBe(429);
  });

  it('counts only failures: a success forgets earlier mistakes', async () => {
    const user = await createStaffUser(lt.db, { role: 'admin' });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await password(user.email, 'wrong')).status).toBe(422);
      expect((await password(user.email, user.password)).status).toBe(302);
    }
  });

  it('limits one client address to 20 failures across accounts', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await password(`person-${i}@example.gov.uk`, 'guess')).status).toBe(422);
    }
    const user = await createStaffUser(lt.db, { role: 'admin' });
    expect((await password(user.email, user.password)).status).toBe(429);
    expect((await password(user.email, user.password, '198.51.100.99')).status).toBe(302);
  });

  it('locks the code step after 5 wrong codes, refuses the right code and ends the half session', async () => {
    const user = await createStaffUser(lt.db, { role: 'admin' });
    const agent = client();
    expect((await submitPassword(agent, user.email, user.password)).status).toBe(302);
    for (let i = 0; i < 5; i++) {
      expect((await submitCode(agent, `00000${i}`)).status).toBe(422);
    }
    const locked = await submitCode(agent, await totpCodeFor(user.totpSecret!, now));
    expect(locked.status).toBe(429);
    expect(h1(locked.text)).toBe('You cannot sign in at the moment');
    expect((await agent.get('/staff/sign-in/code')).headers.location).toBe('/staff/sign-in');
    // Signing in again with the password does not reset the code limit.
    const again = client();
    expect((await submitPassword(again, user.email, user.password)).status).toBe(302);
    expect((await submitCode(again, await totpCodeFor(user.totpSecret!, now))).status).toBe(429);
    expect(await lockoutAudit('mfa-failed', user.id)).toHaveLength(5);
    expect(await lockoutAudit('sign-in-locked', user.id)).toHaveLength(2);
  });
});

describe('signing out', () => {
  it('deletes the session row, audits it and shows the signed-out page', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    expect(await countSessionsOf(t.db, user.id)).toBe(1);
    const page = await agent.get('/staff/users').expect(200);
    const res = await agent
      .post('/staff/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff/signed-out');
    expect(await countSessionsOf(t.db, user.id)).toBe(0);
    expect(await auditRows('sign-out', user.id)).toHaveLength(1);

    const signedOut = await agent.get('/staff/signed-out').expect(200);
    expect(h1(signedOut.text)).toBe('You have signed out');
    expect(parseHtml(signedOut.text)('a[href="/staff/sign-in"]').text()).toBe('Sign in again');
    expect((await agent.get('/staff/users')).headers.location).toBe('/staff/sign-in');
  });

  it('explains a timeout on the signed-out page', async () => {
    const res = await request(t.app).get('/staff/signed-out?reason=timeout').expect(200);
    expect(h1(res.text)).toBe('You have been signed out');
    expect(res.text).toContain('you had not used the service for 30 minutes');
    expect(res.text).toContain('signed in for 8 hours');
  });
});

describe('session timeouts (controllable clock)', () => {
  it('signs out after 30 minutes without activity', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    advance(minutes(29));
    await agent.get('/staff/users').expect(200);
    advance(minutes(29)); // 58 minutes since sign-in, but only 29 idle
    await agent.get('/staff/users').expect(200);
    advance(minutes(31));
    const res = await agent.get('/staff/users');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff/signed-out?reason=idle');
    expect(await countSessionsOf(t.db, user.id)).toBe(0);
    expect((await agent.get('/staff/users')).headers.location).toBe('/staff/sign-in');
    const [row] = await auditRows('session-expired', user.id);
    expect(row.details).toEqual({ reason: 'idle' });
  });

  it('signs out 8 hours after signing in, however active', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await signIn(t, user, { clock });
    for (let elapsed = 0; elapsed < 8 * 60; elapsed += 20) {
      await agent.get('/staff/users').expect(200);
      advance(minutes(20));
    }
    advance(minutes(1)); // 8 hours and 1 minute
    const res = await agent.get('/staff/users');
    expect(res.headers.location).toBe('/staff/signed-out?reason=lifetime');
    const [row] = await auditRows('session-expired', user.id);
    expect(row.details).toEqual({ reason: 'lifetime' });
  });

  it('does not keep a half-signed-in session for more than 30 idle minutes', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await passwordOnly(user);
    advance(minutes(31));
    const res = await agent.get('/staff/sign-in/code');
    expect(res.headers.location).toBe('/staff/signed-out?reason=idle');
  });
});

describe('accessible, paste-friendly fields', () => {
  it('marks the sign-in fields for password managers and never blocks paste', async () => {
    const res = await request(t.app).get('/staff/sign-in').expect(200);
    const $ = parseHtml(res.text);
    expect(title(res.text)).toMatch(/^Sign in – /);
    expect($('form').attr('novalidate')).toBeDefined();
    expect($('input#email').attr('autocomplete')).toBe('username');
    expect($('input#email').attr('type')).toBe('email');
    expect($('input#email').attr('spellcheck')).toBe('false');
    expect($('input#password').attr('autocomplete')).toBe('current-password');
    expect($('input#password').attr('type')).toBe('password');
    expect($('label[for="email"]').text().trim()).toBe('Email address');
    expect($('label[for="password"]').text().trim()).toBe('Password');
    expect(res.text).not.toMatch(/onpaste|oncopy|oncut|ondrop|maxlength/i);
  });

  it('marks the code fields as one-time codes, numeric for the authenticator code, label as heading', async () => {
    const user = await createStaffUser(t.db, { role: 'admin' });
    const agent = await passwordOnly(user);
    const code = await agent.get('/staff/sign-in/code').expect(200);
    const $ = parseHtml(code.text);
    expect($('h1 label[for="code"]').text().trim()).toBe('Enter the code from your authenticator app');
    expect($('input#code').attr('autocomplete')).toBe('one-time-code');
    expect($('input#code').attr('inputmode')).toBe('numeric');
    expect($('input#code').attr('spellcheck')).toBe('false');
    expect($('input#code').attr('type')).toBe('text');
    expect(code.text).not.toMatch(/onpaste|oncopy|ondrop|maxlength/i);

    const recovery = await agent.get('/staff/sign-in/recovery-code').expect(200);
    const $r = parseHtml(recovery.text);
    expect($r('h1 label[for="recoveryCode"]').text().trim()).toBe('Enter a recovery code');
    expect($r('input#recoveryCode').attr('autocomplete')).toBe('one-time-code');
    expect($r('input#recoveryCode').attr('spellcheck')).toBe('false');
    expect(recovery.text).not.toMatch(/onpaste|oncopy|ondrop/i);
  });
});

describe('the demo staff seed', () => {
  it('creates the demo accounts once, ready to sign in with their fixed authenticator secrets', async () => {
    const first = await seedDemoStaff(t.db, t.config);
    expect(first.created).toBe(Object.keys(DEMO_STAFF).length);
    const second = await seedDemoStaff(t.db, t.config);
    expect(second.created).toBe(0);
    const emails = Object.values(DEMO_STAFF).map((a) => a.email);
    expect(await t.db('staff_user').whereIn('email', emails)).toHaveLength(emails.length);

    for (const account of Object.values(DEMO_STAFF)) {
      const stored = await findStaffUserByEmail(t.db, account.email);
      expect(stored).toMatchObject({ role: account.role, agencies: [...account.agencies] });
      expect(stored?.mfaEnrolledAt).not.toBeNull();
      const recovery = await t.db('staff_recovery_code').where('staff_user_id', stored!.id);
      expect(recovery).toHaveLength(account.recoveryCodes.length);
    }
    const manager = await findStaffUserByEmail(t.db, DEMO_STAFF.manager.email);
    const agent = await signIn(t, { ...DEMO_STAFF.manager, id: manager!.id }, { clock });
    await agent.get('/staff').expect(200); // demo passwords are not temporary: no new password is asked for

    const viaRecovery = await submitCode(
      await passwordOnly(DEMO_STAFF.admin),
      DEMO_STAFF.admin.recoveryCodes[0],
      '/staff/sign-in/recovery-code',
      'recoveryCode',
    );
    expect(viaRecovery.status).toBe(302);
  });

  it('has valid, distinct authenticator secrets', () => {
    const secrets = Object.values(DEMO_STAFF).map((a) => a.totpSecret);
    for (const s of secrets) expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('does nothing when demo data is off, and refuses production', async () => {
    expect(await seedDemoStaff(t.db, { ...t.config, seedDemoData: false })).toEqual({ created: 0 });
    const production = loadConfig({ ...productionEnv, SEED_DEMO_DATA: 'true' });
    expect(production.isProduction).toBe(true);
    await expect(seedDemoStaff(t.db, production)).rejects.toThrow(/production/);
    // Production's default is no demo data at all.
    expect(await seedDemoStaff(t.db, loadConfig(productionEnv))).toEqual({ created: 0 });
  });
});
