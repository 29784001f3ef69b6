import crypto from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { DEFAULT_MFA_ENCRYPTION_KEY } from '../../src/config';
import type { Db } from '../../src/db';
import type { StaffRole } from '../../src/staff/access';
import { hashPassword } from '../../src/staff/passwords';
import { createSecretBox, totpSecretContext } from '../../src/crypto/secret-box';
import { enrolMfa, insertStaffUser } from '../../src/staff/staff-user-repository';
import { newTotpSecret, totpCodeAt } from '../../src/staff/totp';
import { csrfTokenIn, type Agent } from './journey';
import { parseHtml } from './html';

export type TestStaffUser = Readonly<{
  id: number;
  email: string;
  password: string;
  role: StaffRole;
  /** Base32; undefined when the account has no authenticator yet (enrolled: false). */
  totpSecret: string | undefined;
}>;

let counter = 0;

/**
 * A staff account inserted straight into the database. Enrolled (the default) means the authenticator is set
 * up, with no code used yet. The secret is sealed with the test configuration's MFA key, which appWith uses
 * unless a test overrides MFA_ENCRYPTION_KEY (then pass it here too).
 */
export async function createStaffUser(
  db: Db,
  {
    role,
    agencies = [],
    enrolled = true,
    displayName,
    mfaEncryptionKey = DEFAULT_MFA_ENCRYPTION_KEY,
    temporaryPassword = false,
  }: {
    role: StaffRole;
    agencies?: readonly string[];
    enrolled?: boolean;
    displayName?: string;
    mfaEncryptionKey?: string;
    /** The password is a temporary one an administrator saw: it must be replaced after the code step. */
    temporaryPassword?: boolean;
  },
): Promise<TestStaffUser> {
  counter += 1;
  const email = `staff-${counter}-${crypto.randomBytes(3).toString('hex')}@example.gov.uk`;
  const password = `test-password-${crypto.randomBytes(6).toString('hex')}`;
  const id = await insertStaffUser(db, {
    email,
    displayName: displayName ?? `Test ${role} ${counter}`,
    role,
    agencies,
    passwordHash: await hashPassword(password),
    passwordMustChange: temporaryPassword,
  });
  let totpSecret: string | undefined;
  if (enrolled) {
    totpSecret = newTotpSecret();
    await enrolMfa(db, id, {
      totpSecretEncrypted: createSecretBox(mfaEncryptionKey).seal(totpSecret, totpSecretContext(id)),
      step: null,
      enrolledAt: new Date(),
      recoveryCodeHashes: [],
    });
  }
  return { id, email, password, role, totpSecret };
}

/** The code an authenticator app would show for this secret at this moment. */
export const totpCodeFor = (secret: string, at: Date): Promise<string> => totpCodeAt(secret, at);

type AppLike = Express | { app: Express; db?: Db };

/**
 * A supertest agent signed in as `user`: the password, then the authenticator code for the clock's time
 * (the same clock the app was built with). A code is never accepted twice, so when a test signs one user in
 * several times at a frozen clock, pass the TestApp (with its db): the user's last used step is cleared
 * first. Given only the Express app, the helper tries the codes one step either side as well.
 */
export async function signIn(
  target: AppLike,
  user: Pick<TestStaffUser, 'id' | 'email' | 'password' | 'totpSecret'>,
  { clock = () => new Date() }: { clock?: () => Date } = {},
): Promise<Agent> {
  const app = typeof target === 'function' ? target : target.app;
  const db = typeof target === 'function' ? undefined : target.db;
  if (!user.totpSecret) throw new Error('signIn needs a user with an authenticator (enrolled: true)');
  const agent = request.agent(app);

  const signInPage = await agent.get('/staff/sign-in');
  const afterPassword = await agent
    .post('/staff/sign-in')
    .type('form')
    .send({ email: user.email, password: user.password, _csrf: csrfTokenIn(signInPage.text) });
  if (afterPassword.status !== 302 || afterPassword.headers.location !== '/staff/sign-in/code') {
    throw new Error(
      `signing in: the password step answered ${afterPassword.status} ${afterPassword.headers.location}`,
    );
  }

  if (db) await db('staff_user').where('id', user.id).update({ totp_last_step: null });
  const now = clock();
  for (const offsetSteps of [0, 1, -1]) {
    const codePage = await agent.get('/staff/sign-in/code');
    const code = await totpCodeAt(user.totpSecret, new Date(now.getTime() + offsetSteps * 30_000));
    const res = await agent
      .post('/staff/sign-in/code')
      .type('form')
      .send({ code, _csrf: csrfTokenIn(codePage.text) });
    if (res.status === 302) return agent;
    if (res.status !== 422) throw new Error(`signing in: the code step answered ${res.status}`);
  }
  throw new Error(
    'signing in: no authenticator code was accepted (was the user signed in at this time already?)',
  );
}

/**
 * A caseworker acts on a case as the page lets them: opens it, reads the version it shows, and posts the action
 * (request-information, approve, withdraw-request...) with that version. Returns the response.
 */
export async function caseAction(
  staff: Agent,
  reference: string,
  action: string,
  fields: Record<string, string> = {},
) {
  const page = await staff.get(`/staff/submissions/${reference}`);
  if (page.status !== 200) throw new Error(`the case page answered ${page.status}`);
  const version = parseHtml(page.text)('input[name="version"]').first().attr('value')!;
  return staff
    .post(`/staff/submissions/${reference}/${action}`)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), version, ...fields });
}
