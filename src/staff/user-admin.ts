import type { Request, Response } from 'express';
import { BUTTON_ONLY, field, formWith } from '../middleware/form-fields';
import { cleanText } from '../questions/sanitise';
import { stringField, stringListField } from '../questions/question-type';
import { parseEmail } from '../questions/formats/email';
import { STAFF_ROLES, staffOf, type StaffRole, type StaffRouter } from './access';
import { recordAudit } from './audit-repository';
import type { StaffDeps } from './deps';
import { generateTemporaryPassword, hashPassword } from './passwords';
import { createReauthLimit, endSessionLocked, reauthenticate } from './account';
import { accountKey } from './sign-in';
import {
  countSessionsOf,
  disableStaffUser,
  enableStaffUser,
  setPassword,
  endSessionsOf,
  findStaffUserByEmail,
  findStaffUserById,
  insertStaffUser,
  isDuplicateEmailError,
  listStaffUsers,
  resetMfa,
  type StaffUser,
} from './staff-user-repository';

declare module 'express-session' {
  interface SessionData {
    /** A one-off success message for the staff accounts page. */
    staffAdminNotice?: string;
  }
}

const ADMIN = ['admin'] as const;

export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  caseworker: 'Caseworker',
  manager: 'Manager',
  admin: 'Administrator',
};
const ROLE_HINTS: Readonly<Record<StaffRole, string>> = {
  caseworker: 'Works on applications for the agencies you choose',
  manager: 'Sees and assigns the work of the agencies you choose',
  admin: 'Manages staff accounts. Does not see applications',
};

type FormError = { text: string; href: string };

/** A positive whole-number id from the URL, or undefined (the route then answers 404). */
function idParam(req: Request): number | undefined {
  const raw = req.params.id;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}

export function registerUserAdminRoutes(staff: StaffRouter, deps: StaffDeps): void {
  const { db } = deps;
  // Re-entering a password to confirm a sensitive action is limited like signing in: 5 failures in 15 minutes.
  const reauthLimit = createReauthLimit(db);

  const agencies = () => {
    const byId = new Map<string, string>();
    for (const s of deps.registry.services) byId.set(s.agency.id, s.agency.name);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  };
  const agencyName = (id: string) => agencies().find((a) => a.id === id)?.name ?? id;

  /** The account named in the URL, or a 404 when there is none. */
  async function targetUser(req: Request, res: Response): Promise<StaffUser | undefined> {
    const id = idParam(req);
    const user = id === undefined ? undefined : await findStaffUserById(db, id);
    if (!user) res.status(404).render('errors/not-found');
    return user;
  }

  /**
   * Administrators disable, sign out and reset other people's accounts, never their own: for their own, the
   * action's page in its 403 "You cannot …" version. True when it answered.
   */
  function refusedForSelf(req: Request, res: Response, user: StaffUser, view: string): boolean {
    if (user.id !== staffOf(req).userId) return false;
    res.status(403).render(view, { navigation: 'users', user, self: true });
    return true;
  }

  // ----- The list -----

  staff.get('/staff/users', ADMIN, async (req, res) => {
    const notice = req.session.staffAdminNotice;
    delete req.session.staffAdminNotice;
    const me = staffOf(req);
    const users = await listStaffUsers(db);
    res.render('staff/users/list', {
      navigation: 'users',
      notice,
      users: users.map((u) => ({
        ...u,
        roleLabel: ROLE_LABELS[u.role],
        agencyNames: u.role === 'admin' ? [] : u.agencies.map(agencyName),
        isMe: u.id === me.userId,
      })),
    });
  });

  // ----- Adding an account -----

  type NewValues = { displayName: string; email: string; role: string; agencies: string[] };

  const renderNew = (res: Response, status: number, values: NewValues, errors: FormError[]) =>
    res.status(status).render('staff/users/new', {
      navigation: 'users',
      values,
      errorList: errors,
      errorFor: Object.fromEntries(errors.map((e) => [e.href.slice(1), e])),
      roleItems: STAFF_ROLES.map((role) => ({
        value: role,
        text: ROLE_LABELS[role],
        hint: { text: ROLE_HINTS[role] },
        checked: values.role === role,
      })),
      agencyItems: agencies().map((a) => ({
        value: a.id,
        text: a.name,
        checked: values.agencies.includes(a.id),
      })),
    });

  staff.get('/staff/users/new', ADMIN, (_req, res) =>
    renderNew(res, 200, { displayName: '', email: '', role: '', agencies: [] }, []),
  );

  staff.post(
    '/staff/users/new',
    ADMIN,
    formWith({ displayName: field, email: field, role: field, agencies: field }),
    async (req, res) => {
      const body = req.body ?? {};
      const known = new Set(agencies().map((a) => a.id));
      const values: NewValues = {
        displayName: cleanText(stringField(body, 'displayName')),
        email: cleanText(stringField(body, 'email')),
        role: stringField(body, 'role'),
        agencies: stringListField(body, 'agencies').filter((a) => known.has(a)),
      };
      const errors: FormError[] = [];
      if (!values.displayName) errors.push({ text: 'Enter their full name', href: '#displayName' });
      else if ([...values.displayName].length > 100) {
        errors.push({ text: 'Full name must be 100 characters or fewer', href: '#displayName' });
      }
      const email = parseEmail(values.email);
      if (!values.email) errors.push({ text: 'Enter their email address', href: '#email' });
      else if (!email.ok) {
        errors.push({
          text: 'Enter an email address in the correct format, like name@example.gov.uk',
          href: '#email',
        });
      } else if (await findStaffUserByEmail(db, email.value)) {
        errors.push({ text: 'There is already a staff account with this email address', href: '#email' });
      }
      const role = (STAFF_ROLES as readonly string[]).includes(values.role)
        ? (values.role as StaffRole)
        : undefined;
      if (!role) errors.push({ text: 'Select a role', href: '#role' });
      if (role && role !== 'admin' && values.agencies.length === 0) {
        errors.push({ text: 'Select the agencies whose applications they can see', href: '#agencies' });
      }
      if (errors.length > 0 || !role || !email.ok) return renderNew(res, 422, values, errors);

      const temporaryPassword = generateTemporaryPassword();
      const passwordHash = await hashPassword(temporaryPassword);
      const admin = staffOf(req);
      const agencyIds = role === 'admin' ? [] : values.agencies;
      let id: number;
      try {
        id = await db.transaction(async (trx) => {
          const newId = await insertStaffUser(trx, {
            email: email.value,
            displayName: values.displayName,
            role,
            agencies: agencyIds,
            passwordHash,
            passwordMustChange: true,
          });
          await recordAudit(trx, {
            actorId: admin.userId,
            actorRole: admin.role,
            action: 'user-created',
            requestId: String(req.id),
            details: { staffUserId: newId, role, agencies: agencyIds },
          });
          return newId;
        });
      } catch (err) {
        if (!isDuplicateEmailError(err)) throw err;
        return renderNew(res, 422, values, [
          { text: 'There is already a staff account with this email address', href: '#email' },
        ]);
      }
      req.log?.info({ event: 'staff-user-created', staffUserId: id }, 'staff account created');
      // Shown once, in this response: the temporary password is stored nowhere but as a hash (not in the session).
      return res.render('staff/users/created', {
        navigation: 'users',
        created: { displayName: values.displayName, email: email.value.toLowerCase(), temporaryPassword },
      });
    },
  );

  // ----- Disabling an account -----

  staff.get('/staff/users/:id/disable', ADMIN, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/disable')) return;
    return res.render('staff/users/disable', { navigation: 'users', user, self: false });
  });

  staff.post('/staff/users/:id/disable', ADMIN, BUTTON_ONLY, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/disable')) return;
    const admin = staffOf(req);
    // Disabled, signed out everywhere and audited together, or not at all.
    await db.transaction(async (trx) => {
      const disabled = await disableStaffUser(trx, user.id, deps.clock());
      const sessionsEnded = await endSessionsOf(trx, user.id);
      if (disabled) {
        await recordAudit(trx, {
          actorId: admin.userId,
          actorRole: admin.role,
          action: 'user-disabled',
          requestId: String(req.id),
          details: { staffUserId: user.id, sessionsEnded },
        });
      }
    });
    req.session.staffAdminNotice = `${user.displayName}’s account is disabled. They have been signed out.`;
    return res.redirect('/staff/users');
  });

  // ----- Signing someone out everywhere (a lost laptop, a shared computer), keeping the account -----

  staff.get('/staff/users/:id/sign-out', ADMIN, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/sign-out')) return;
    const sessions = await countSessionsOf(db, user.id);
    return res.render('staff/users/sign-out', { navigation: 'users', user, self: false, sessions });
  });

  staff.post('/staff/users/:id/sign-out', ADMIN, BUTTON_ONLY, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/sign-out')) return;
    const admin = staffOf(req);
    // Signed out and audited together, or not at all.
    const sessionsEnded = await db.transaction(async (trx) => {
      const ended = await endSessionsOf(trx, user.id);
      await recordAudit(trx, {
        actorId: admin.userId,
        actorRole: admin.role,
        action: 'user-signed-out',
        requestId: String(req.id),
        details: { staffUserId: user.id, sessionsEnded: ended },
      });
      return ended;
    });
    req.session.staffAdminNotice =
      sessionsEnded === 0
        ? `${user.displayName} was not signed in anywhere.`
        : `${user.displayName} has been signed out everywhere (${sessionsEnded} ${sessionsEnded === 1 ? 'session' : 'sessions'}). They can sign in again.`;
    return res.redirect('/staff/users');
  });

  // ----- Resetting an authenticator: the administrator re-enters their own password first -----

  const renderReset = (res: Response, status: number, user: StaffUser, errors: FormError[]) =>
    res.status(status).render('staff/users/reset-authenticator', {
      navigation: 'users',
      user,
      errorList: errors,
      passwordError: errors[0],
    });

  staff.get('/staff/users/:id/reset-authenticator', ADMIN, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/reset-authenticator')) return;
    return renderReset(res, 200, user, []);
  });

  staff.post(
    '/staff/users/:id/reset-authenticator',
    ADMIN,
    formWith({ password: field }),
    async (req, res) => {
      const user = await targetUser(req, res);
      if (!user) return;
      if (refusedForSelf(req, res, user, 'staff/users/reset-authenticator')) return;
      const admin = staffOf(req);
      const password = stringField(req.body ?? {}, 'password');
      if (!password) return renderReset(res, 422, user, [{ text: 'Enter your password', href: '#password' }]);

      const check = await reauthenticate(db, reauthLimit, req, admin, password, 'mfa-reset', {
        staffUserId: user.id,
      });
      // Someone guessing the password of a signed-in administrator: the session ends too.
      if (typeof check === 'object') return endSessionLocked(req, res, check.locked);
      if (check === 'wrong')
        return renderReset(res, 422, user, [{ text: 'The password is not correct', href: '#password' }]);

      await db.transaction(async (trx) => {
        await resetMfa(trx, user.id);
        const sessionsEnded = await endSessionsOf(trx, user.id);
        await recordAudit(trx, {
          actorId: admin.userId,
          actorRole: admin.role,
          action: 'mfa-reset',
          requestId: String(req.id),
          details: { staffUserId: user.id, sessionsEnded },
        });
      });
      req.session.staffAdminNotice = `${user.displayName}’s authenticator is reset. They will set up a new one the next time they sign in.`;
      return res.redirect('/staff/users');
    },
  );
  // ----- Resetting a password: the administrator re-enters their own; a new temporary one is shown once -----

  const renderResetPassword = (res: Response, status: number, user: StaffUser, errors: FormError[]) =>
    res.status(status).render('staff/users/reset-password', {
      navigation: 'users',
      user,
      self: false,
      errorList: errors,
      passwordError: errors[0],
    });

  staff.get('/staff/users/:id/reset-password', ADMIN, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/reset-password')) return;
    return renderResetPassword(res, 200, user, []);
  });

  staff.post('/staff/users/:id/reset-password', ADMIN, formWith({ password: field }), async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/reset-password')) return;
    const admin = staffOf(req);
    const password = stringField(req.body ?? {}, 'password');
    if (!password) {
      return renderResetPassword(res, 422, user, [{ text: 'Enter your password', href: '#password' }]);
    }
    const check = await reauthenticate(db, reauthLimit, req, admin, password, 'password-reset');
    if (typeof check === 'object') return endSessionLocked(req, res, check.locked);
    if (check === 'wrong') {
      return renderResetPassword(res, 422, user, [
        { text: 'The password is not correct', href: '#password' },
      ]);
    }
    const temporaryPassword = generateTemporaryPassword();
    const passwordHash = await hashPassword(temporaryPassword);
    await db.transaction(async (trx) => {
      const sessionsEnded = await countSessionsOf(trx, user.id);
      await setPassword(trx, user.id, passwordHash, { temporary: true, at: deps.clock() });
      await recordAudit(trx, {
        actorId: admin.userId,
        actorRole: admin.role,
        action: 'password-reset',
        requestId: String(req.id),
        details: { staffUserId: user.id, sessionsEnded },
      });
    });
    // Shown once, in this response (never stored in the session).
    return res.render('staff/users/password-reset', { navigation: 'users', user, temporaryPassword });
  });

  // ----- Unlocking an account locked by wrong passwords or codes -----

  /** The sign-in counters of one account (sign-in.ts): the account's own and those per account and address. */
  const counterKeys = (user: StaffUser) => {
    const byEmail = accountKey(user.email);
    const byId = String(user.id);
    return {
      exact: [`staff-password-account:${byEmail}`, `staff-code-account:${byId}`],
      prefixes: [`staff-password-account-ip:${byEmail}:`, `staff-code-account-ip:${byId}:`],
    };
  };

  staff.get('/staff/users/:id/unlock', ADMIN, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/unlock')) return;
    return res.render('staff/users/unlock', { navigation: 'users', user, self: false });
  });

  staff.post('/staff/users/:id/unlock', ADMIN, BUTTON_ONLY, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/unlock')) return;
    const admin = staffOf(req);
    const keys = counterKeys(user);
    await db.transaction(async (trx) => {
      const cleared = await trx('rate_limit')
        .whereIn('key', keys.exact)
        .orWhere((q) => {
          for (const prefix of keys.prefixes) q.orWhere('key', 'like', `${prefix}%`);
        })
        .delete();
      await recordAudit(trx, {
        actorId: admin.userId,
        actorRole: admin.role,
        action: 'user-unlocked',
        requestId: String(req.id),
        details: {
          staffUserId: user.id,
          countersCleared:
            // pg answers a count; knex-pglite answers the raw result (see endSessionsOf)
            typeof cleared === 'number' ? cleared : Number((cleared as { rowCount?: number }).rowCount ?? 0),
        },
      });
    });
    req.session.staffAdminNotice = `${user.displayName}’s account is unlocked. They can try to sign in again now.`;
    return res.redirect('/staff/users');
  });

  // ----- Re-enabling a disabled account -----

  staff.get('/staff/users/:id/enable', ADMIN, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/enable')) return;
    return res.render('staff/users/enable', { navigation: 'users', user, self: false });
  });

  staff.post('/staff/users/:id/enable', ADMIN, BUTTON_ONLY, async (req, res) => {
    const user = await targetUser(req, res);
    if (!user) return;
    if (refusedForSelf(req, res, user, 'staff/users/enable')) return;
    const admin = staffOf(req);
    const enabled = await db.transaction(async (trx) => {
      const done = await enableStaffUser(trx, user.id);
      if (done) {
        await recordAudit(trx, {
          actorId: admin.userId,
          actorRole: admin.role,
          action: 'user-enabled',
          requestId: String(req.id),
          details: { staffUserId: user.id },
        });
      }
      return done;
    });
    req.session.staffAdminNotice = enabled
      ? `${user.displayName}’s account is enabled. They can sign in with their password and authenticator.`
      : `${user.displayName}’s account was already enabled.`;
    return res.redirect('/staff/users');
  });
}
