import { FIXED_NOW } from '../../helpers/journey';
import { totpCodeFor, type TestStaffUser } from '../../helpers/staff';
import type { Db } from '../../../src/db';
import type { Tab } from './browser';

/**
 * Sign in through the real pages: email and password, then the authenticator code for the fixed clock.
 * A code is accepted once per user and step, so a user signing in again has their last used step cleared.
 */
export async function signInThroughPages(tab: Tab, db: Db, user: TestStaffUser): Promise<void> {
  if (!user.totpSecret) throw new Error('signInThroughPages needs an enrolled user');
  await db('staff_user').where('id', user.id).update({ totp_last_step: null });
  await tab.goto('/staff/sign-in');
  await tab.fill({ email: user.email, password: user.password });
  await tab.submit('Sign in');
  if (tab.path !== '/staff/sign-in/code') throw new Error(`signing in went to ${tab.path}`);
  await tab.fill({ code: await totpCodeFor(user.totpSecret, FIXED_NOW) });
  await tab.submit('Continue');
  if (tab.path.startsWith('/staff/sign-in')) throw new Error(`the code was not accepted (${tab.path})`);
}
