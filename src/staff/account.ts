import type { Request, Response } from 'express';
import { field, formWith } from '../middleware/form-fields';
import { createRateLimit, renderTooMany, type RateLimit } from '../middleware/rate-limit';
import { saveSession } from '../middleware/session';
import { stringField } from '../questions/question-type';
import type { Db } from '../db';
import {
  NEW_PASSWORD_PATH,
  STAFF_ROLES,
  homeFor,
  staffOf,
  type StaffRouter,
  type StaffSession,
} from './access';
import { recordAudit } from './audit-repository';
import type { StaffDeps } from './deps';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import {
  findStaffUserById,
  replyAlertsOn,
  setPassword,
  setReplyAlerts,
  type StaffUser,
} from './staff-user-repository';

// A member of staff's own password (the password lifecycle, docs/staff.md, "Accounts and passwords"):
// - /staff/new-password: after both factors, an account whose password is a temporary one (set by an administrator
//   when adding the account or resetting its password) must choose its own before any other staff page opens.
// - /staff/account/password: change your own password at any time, with your current one.
// Either way every other session of the account ends (a new session generation), this one gets a new id, and the
// change is audited.
// - /staff/account/notifications: caseworkers and managers choose whether to be emailed when a citizen replies on a
//   case assigned to them (case-repository.ts recordCitizenReply). Off until they turn it on; each change audited.

type FormError = { text: string; href: string };

/** Re-entering your own password: 5 failures in 15 minutes, shared with the administrators' confirmations. */
export const createReauthLimit = (db: Db): RateLimit =>
  createRateLimit(db, { keyPrefix: 'staff-reauth', points: 5, durationSeconds: 15 * 60 });

export type Reauthentication = 'ok' | 'wrong' | { locked: number };

/** Checks a signed-in person's own password against the reauthentication limit, auditing a failure or a lock. */
export async function reauthenticate(
  db: Db,
  limit: RateLimit,
  req: Request,
  me: StaffSession,
  password: string,
  purpose: string,
  /** More to record with a failure, such as whose account the confirmation was for. */
  details: Record<string, unknown> = {},
): Promise<Reauthentication> {
  const verdict = await limit.consume(String(me.userId));
  if (!verdict.allowed) {
    await recordAudit(db, {
      actorId: me.userId,
      actorRole: me.role,
      action: 'reauthentication-locked',
      requestId: String(req.id),
      details: { purpose },
    });
    return { locked: verdict.retryAfterSeconds };
  }
  const account = await findStaffUserById(db, me.userId);
  const ok = !!account && password.length <= 1024 && (await verifyPassword(account.passwordHash, password));
  if (!ok) {
    await recordAudit(db, {
      actorId: me.userId,
      actorRole: me.role,
      action: 'reauthentication-failed',
      requestId: String(req.id),
      details: { purpose, ...details },
    });
    return 'wrong';
  }
  await limit.clear(String(me.userId));
  return 'ok';
}

/** Someone guessing the password of a signed-in member of staff: the session ends and the 429 page says when. */
export async function endSessionLocked(
  req: Request,
  res: Response,
  retryAfterSeconds: number,
): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  res.locals.staff = undefined; // the page must not offer to sign out of a session that has gone
  renderTooMany(res, retryAfterSeconds, 'staff/locked');
}

/** The problems with a new password and its confirmation, for the error summary. */
function newPasswordErrors(user: StaffUser, newPassword: string, confirmPassword: string): FormError[] {
  const errors: FormError[] = [];
  const problem = newPassword ? passwordProblem(newPassword, user.email) : 'Enter a new password';
  if (problem) errors.push({ text: problem, href: '#newPassword' });
  else if (confirmPassword !== newPassword) {
    errors.push({
      text: 'The passwords do not match. Enter the same new password twice',
      href: '#confirmPassword',
    });
  }
  return errors;
}

export function registerAccountRoutes(staff: StaffRouter, deps: StaffDeps): void {
  const { db } = deps;
  const reauthLimit = createReauthLimit(db);

  const regenerate = (req: Request) =>
    new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));

  /**
   * Stores the new password, ends every session of the account (the generation goes up) and audits it, in one
   * transaction; then this session gets a new id and the new generation.
   */
  async function changePassword(req: Request, me: StaffSession, newPassword: string, reason: string) {
    const passwordHash = await hashPassword(newPassword);
    const generation = await db.transaction(async (trx) => {
      const next = await setPassword(trx, me.userId, passwordHash, { temporary: false, at: deps.clock() });
      await recordAudit(trx, {
        actorId: me.userId,
        actorRole: me.role,
        action: 'password-changed',
        requestId: String(req.id),
        details: { reason },
      });
      return next;
    });
    await regenerate(req);
    req.session.staff = {
      ...me,
      stage: 'signed-in',
      generation,
      lastActiveAt: deps.clock().getTime(),
    };
    await saveSession(req);
    return req.session.staff;
  }

  // ----- Replacing a temporary password, straight after the code step -----

  const renderNewPassword = (res: Response, status: number, errors: FormError[]) =>
    res.status(status).render('staff/new-password', {
      errorList: errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.href.slice(1), e])),
    });

  staff.get(NEW_PASSWORD_PATH, 'new-password', (_req, res) => renderNewPassword(res, 200, []));

  staff.post(
    NEW_PASSWORD_PATH,
    'new-password',
    formWith({ newPassword: field, confirmPassword: field }),
    async (req, res) => {
      const me = req.session.staff!;
      const user = await findStaffUserById(db, me.userId);
      if (!user) return res.redirect('/staff/sign-in'); // gone since the guard looked: the next request ends it
      const body = req.body ?? {};
      const newPassword = stringField(body, 'newPassword');
      const errors = newPasswordErrors(user, newPassword, stringField(body, 'confirmPassword'));
      if (errors.length === 0 && (await verifyPassword(user.passwordHash, newPassword))) {
        errors.push({
          text: 'Your new password must be different from the temporary password',
          href: '#newPassword',
        });
      }
      if (errors.length > 0) return renderNewPassword(res, 422, errors);
      await changePassword(req, me, newPassword, 'temporary-replaced');
      return res.redirect(homeFor(me.role));
    },
  );

  // ----- Changing your own password -----

  const renderChange = (res: Response, status: number, errors: FormError[]) =>
    res.status(status).render('staff/account/password', {
      errorList: errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.href.slice(1), e])),
    });

  staff.get('/staff/account/password', STAFF_ROLES, (_req, res) => renderChange(res, 200, []));

  staff.post(
    '/staff/account/password',
    STAFF_ROLES,
    formWith({ currentPassword: field, newPassword: field, confirmPassword: field }),
    async (req, res) => {
      const me = staffOf(req);
      const user = await findStaffUserById(db, me.userId);
      if (!user) return res.redirect('/staff/sign-in');
      const body = req.body ?? {};
      const currentPassword = stringField(body, 'currentPassword');
      const newPassword = stringField(body, 'newPassword');
      const errors: FormError[] = [];
      if (!currentPassword) errors.push({ text: 'Enter your current password', href: '#currentPassword' });
      errors.push(...newPasswordErrors(user, newPassword, stringField(body, 'confirmPassword')));
      if (errors.length === 0 && currentPassword === newPassword) {
        errors.push({
          text: 'Your new password must be different from your current one',
          href: '#newPassword',
        });
      }
      if (errors.length > 0) return renderChange(res, 422, errors);

      const check = await reauthenticate(db, reauthLimit, req, me, currentPassword, 'password-change');
      if (typeof check === 'object') return endSessionLocked(req, res, check.locked);
      if (check === 'wrong') {
        return renderChange(res, 422, [
          { text: 'Your current password is not correct', href: '#currentPassword' },
        ]);
      }
      res.locals.staff = await changePassword(req, me, newPassword, 'changed-by-self');
      return res.render('staff/account/password-changed', { continueUrl: homeFor(me.role) });
    },
  );

  // ----- Email alerts -----

  const CASEWORK = ['caseworker', 'manager'] as const;
  const NOTIFICATIONS_PATH = '/staff/account/notifications';

  staff.get(NOTIFICATIONS_PATH, CASEWORK, async (req, res) => {
    const me = staffOf(req);
    res.render('staff/account/notifications', {
      citizenReplies: (await replyAlertsOn(db, me.userId)) ? 'yes' : 'no',
      saved: req.query.saved === 'yes',
      errorList: [],
    });
  });

  staff.post(NOTIFICATIONS_PATH, CASEWORK, formWith({ citizenReplies: field }), async (req, res) => {
    const me = staffOf(req);
    const answer = stringField(req.body ?? {}, 'citizenReplies');
    if (answer !== 'yes' && answer !== 'no') {
      const error = {
        text: 'Select yes if you want an email when a citizen replies on a case assigned to you',
        href: '#citizenReplies',
      };
      return res.status(422).render('staff/account/notifications', {
        citizenReplies: (await replyAlertsOn(db, me.userId)) ? 'yes' : 'no',
        errorList: [error],
        error,
      });
    }
    await db.transaction(async (trx) => {
      await setReplyAlerts(trx, me.userId, answer === 'yes');
      await recordAudit(trx, {
        actorId: me.userId,
        actorRole: me.role,
        action: 'email-alerts-changed',
        requestId: String(req.id),
        details: { citizenReplies: answer === 'yes' },
      });
    });
    return res.redirect(303, `${NOTIFICATIONS_PATH}?saved=yes`);
  });
}
