import crypto from 'node:crypto';
import { BUTTON_ONLY, field, formWith } from '../middleware/form-fields';
import { createRateLimit, renderTooMany, type RateLimit } from '../middleware/rate-limit';
import { saveSession } from '../middleware/session';
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../db';
import { cleanText } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import {
  ABSOLUTE_LIFETIME_MS,
  IDLE_TIMEOUT_MS,
  NEW_PASSWORD_PATH,
  type StaffRouter,
  homeFor,
  placeFor,
} from './access';
import { recordAudit } from './audit-repository';
import type { StaffDeps } from './deps';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import {
  formatRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCodes,
  matchRecoveryCode,
  normaliseRecoveryCode,
} from './recovery-codes';
import { createSecretBox, totpSecretContext, type SecretBox } from '../crypto/secret-box';
import {
  enrolMfa,
  findStaffUserByEmail,
  findStaffUserById,
  recordTotpStep,
  unusedRecoveryCodes,
  useRecoveryCode,
  type StaffUser,
} from './staff-user-repository';
import {
  formatSecretForDisplay,
  newTotpSecret,
  normaliseTotpCode,
  otpauthUri,
  qrCodeDataUrl,
  verifyTotp,
} from './totp';

declare module 'express-session' {
  interface SessionData {
    /** During authenticator set-up: the new secret, sealed, until a code from the app confirms it. */
    staffPendingTotpSecret?: string;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Attempt limits. Counters live in the shared rate_limit table (every app instance sees them). An attempt is
// spent BEFORE the password or code is checked, so parallel guesses cannot slip past the limit, and given
// back on success, so only failures count. For each step (password, code), in 15 minutes:
// - one client address gets 20 failures across all accounts;
// - one address gets 5 failures on one account;
// - 5 failures on one account, from anywhere, lock the account, except for an address that has not failed on it
//   in those 15 minutes: that address gets one try. So guessing from one address cannot lock the owner out (the
//   owner, from their own address, still signs in with the right password and code), and each further address a
//   guesser uses buys them a single guess.

const FIFTEEN_MINUTES = 15 * 60;

export type SignInLimits = Readonly<{
  passwordPerAccount: RateLimit;
  passwordPerAccountAndIp: RateLimit;
  passwordPerIp: RateLimit;
  codePerAccount: RateLimit;
  codePerAccountAndIp: RateLimit;
  codePerIp: RateLimit;
}>;

export function createSignInLimits(db: Db): SignInLimits {
  const fivePer15 = (keyPrefix: string) =>
    createRateLimit(db, { keyPrefix, points: 5, durationSeconds: FIFTEEN_MINUTES });
  return {
    passwordPerAccountAndIp: fivePer15('staff-password-account-ip'),
    codePerAccountAndIp: fivePer15('staff-code-account-ip'),
    passwordPerAccount: createRateLimit(db, {
      keyPrefix: 'staff-password-account',
      points: 5,
      durationSeconds: FIFTEEN_MINUTES,
    }),
    passwordPerIp: createRateLimit(db, {
      keyPrefix: 'staff-password-ip',
      points: 20,
      durationSeconds: FIFTEEN_MINUTES,
    }),
    codePerAccount: createRateLimit(db, {
      keyPrefix: 'staff-code-account',
      points: 5,
      durationSeconds: FIFTEEN_MINUTES,
    }),
    codePerIp: createRateLimit(db, {
      keyPrefix: 'staff-code-ip',
      points: 20,
      durationSeconds: FIFTEEN_MINUTES,
    }),
  };
}

/** The per-account key for an email: a hash, so the rate_limit table holds no email addresses. */
export const accountKey = (email: string): string =>
  crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 40);

const ipKey = (req: Request): string => req.ip ?? 'unknown';

/** Spends an attempt on the three limits of a step (see above); the first refusal wins. */
async function spendAttempts(
  step: Readonly<{ perIp: RateLimit; perAccountAndIp: RateLimit; perAccount: RateLimit }>,
  ip: string,
  account: string,
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const fromIp = await step.perIp.consume(ip);
  if (!fromIp.allowed) return fromIp;
  const fromHere = await step.perAccountAndIp.consume(`${account}:${ip}`);
  if (!fromHere.allowed) return fromHere;
  const onAccount = await step.perAccount.consume(account);
  // A locked account still takes one try from an address with no failure on it (this attempt is its first).
  if (!onAccount.allowed && fromHere.spent > 1) return onAccount;
  return { allowed: true };
}

// ---------------------------------------------------------------------------------------------------------
// Sessions

const regenerate = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
const destroy = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));

type FormError = { text: string; href: string };

const WRONG_DETAILS = 'Enter a correct email address and password';

const renderLocked = (res: Response, retryAfterSeconds: number) =>
  renderTooMany(res, retryAfterSeconds, 'staff/locked');

export function registerSignInRoutes(staff: StaffRouter, deps: StaffDeps): void {
  const { db, config } = deps;
  const box: SecretBox = createSecretBox(config.mfaEncryptionKey);
  const limits = createSignInLimits(db);
  const passwordLimits = {
    perIp: limits.passwordPerIp,
    perAccountAndIp: limits.passwordPerAccountAndIp,
    perAccount: limits.passwordPerAccount,
  };
  const codeLimits = {
    perIp: limits.codePerIp,
    perAccountAndIp: limits.codePerAccountAndIp,
    perAccount: limits.codePerAccount,
  };
  const audit = (req: Request, event: Parameters<typeof recordAudit>[1]) =>
    recordAudit(db, { requestId: String(req.id), ...event });

  /**
   * The account of a half-signed-in session (password given, code owed). An account that has gone, been
   * disabled, or a half session left idle too long, ends the session and sends the person back to the start.
   */
  async function signingInUser(req: Request, res: Response): Promise<StaffUser | undefined> {
    const pending = req.session.staff!;
    const now = deps.clock().getTime();
    if (now - pending.lastActiveAt > IDLE_TIMEOUT_MS) {
      await destroy(req);
      res.redirect('/staff/signed-out?reason=idle');
      return undefined;
    }
    const user = await findStaffUserById(db, pending.userId);
    if (!user || user.disabledAt) {
      await destroy(req);
      res.redirect('/staff/sign-in');
      return undefined;
    }
    req.session.staff = { ...pending, lastActiveAt: now };
    return user;
  }

  /** As signingInUser, for the steps that need an authenticator already set up (else: go and set one up). */
  async function enrolledSigningInUser(req: Request, res: Response): Promise<StaffUser | undefined> {
    const user = await signingInUser(req, res);
    if (user && !user.totpSecretEncrypted) {
      res.redirect('/staff/set-up-authenticator');
      return undefined;
    }
    return user;
  }

  /**
   * Both factors given: a new session id (ASVS 7.2.4), stage signed-in (or new-password-owed, for a temporary
   * password), and an audit row. Returns where to go next.
   */
  async function completeSignIn(
    req: Request,
    user: StaffUser,
    method: string,
    details: object = {},
  ): Promise<string> {
    const generation = req.session.staff!.generation;
    await regenerate(req);
    const now = deps.clock().getTime();
    req.session.staff = {
      userId: user.id,
      role: user.role,
      agencies: [...user.agencies],
      displayName: user.displayName,
      stage: user.passwordMustChange ? 'new-password-owed' : 'signed-in',
      generation,
      signedInAt: now,
      lastActiveAt: now,
    };
    await audit(req, {
      actorId: user.id,
      actorRole: user.role,
      action: 'sign-in',
      details: { method, ...details },
    });
    await saveSession(req); // before the redirect that follows: a browser may follow it on the headers alone
    return user.passwordMustChange ? NEW_PASSWORD_PATH : homeFor(user.role);
  }

  function totpSecretOf(user: StaffUser): string {
    const secret = user.totpSecretEncrypted && box.open(user.totpSecretEncrypted, totpSecretContext(user.id));
    // Only a changed MFA_ENCRYPTION_KEY (or a tampered row) gets here: fail loudly rather than lock everyone out quietly.
    if (!secret) throw new Error(`the authenticator secret of staff user ${user.id} cannot be decrypted`);
    return secret;
  }

  function codeError(input: string): FormError | undefined {
    if (!input.trim()) return { text: 'Enter the 6-digit code from your authenticator app', href: '#code' };
    if (!normaliseTotpCode(input)) return { text: 'The code must be 6 numbers', href: '#code' };
    return undefined;
  }

  /** Spends code attempts; when refused, ends the half session and shows when to try again. */
  async function spendCodeAttempts(req: Request, res: Response, user: StaffUser): Promise<boolean> {
    const verdict = await spendAttempts(codeLimits, ipKey(req), String(user.id));
    if (verdict.allowed) return true;
    await audit(req, {
      actorId: user.id,
      actorRole: user.role,
      action: 'sign-in-locked',
      details: { stage: 'code' },
    });
    await destroy(req);
    res.locals.staff = undefined;
    renderLocked(res, verdict.retryAfterSeconds);
    return false;
  }

  async function forgiveCodeAttempts(req: Request, user: StaffUser) {
    await limits.codePerAccount.clear(String(user.id));
    await limits.codePerAccountAndIp.clear(`${user.id}:${ipKey(req)}`);
    await limits.codePerIp.giveBack(ipKey(req));
  }

  // ----- Email and password -----

  const renderSignIn = (res: Response, status: number, email: string, errors: FormError[]) =>
    res.status(status).render('staff/sign-in', {
      values: { email },
      errorList: errors,
      emailError: errors.find((e) => e.href === '#email'),
      passwordError: errors.find((e) => e.href === '#password'),
    });

  staff.get('/staff/sign-in', 'public', (req, res) => {
    const current = req.session.staff;
    if (current && current.stage !== 'password-accepted') return res.redirect(placeFor(current));
    return renderSignIn(res, 200, '', []);
  });

  staff.post('/staff/sign-in', 'public', formWith({ email: field, password: field }), async (req, res) => {
    const body = req.body ?? {};
    const email = cleanText(stringField(body, 'email')).slice(0, 254);
    const password = stringField(body, 'password');
    const errors: FormError[] = [];
    if (!email) errors.push({ text: 'Enter your email address', href: '#email' });
    if (!password) errors.push({ text: 'Enter your password', href: '#password' });
    if (errors.length > 0) return renderSignIn(res, 422, email, errors);

    const key = accountKey(email);
    const verdict = await spendAttempts(passwordLimits, ipKey(req), key);
    const user = await findStaffUserByEmail(db, email);
    if (!verdict.allowed) {
      await audit(req, {
        actorId: user?.id,
        actorRole: user?.role,
        action: 'sign-in-locked',
        details: { stage: 'password' },
      });
      return renderLocked(res, verdict.retryAfterSeconds);
    }

    // The same work and the same answer for an unknown email, a wrong password and a disabled account.
    const tooLong = password.length > 1024; // no staff password is this long; do not hash megabytes
    const passwordOk =
      user && !tooLong
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstDummy(tooLong ? '' : password);
    if (!user || !passwordOk || user.disabledAt) {
      await audit(req, {
        actorId: user?.id,
        actorRole: user?.role,
        action: 'sign-in-failed',
        details: {
          stage: 'password',
          reason: !user ? 'unknown-account' : !passwordOk ? 'wrong-password' : 'account-disabled',
        },
      });
      return renderSignIn(res, 422, email, [{ text: WRONG_DETAILS, href: '#email' }]);
    }

    await limits.passwordPerAccount.clear(key);
    await limits.passwordPerAccountAndIp.clear(`${key}:${ipKey(req)}`);
    await limits.passwordPerIp.giveBack(ipKey(req));
    // A new session id as the password is accepted (ASVS 7.2.4): nothing from before survives.
    await regenerate(req);
    const now = deps.clock().getTime();
    req.session.staff = {
      userId: user.id,
      role: user.role,
      agencies: [...user.agencies],
      displayName: user.displayName,
      stage: 'password-accepted',
      generation: user.sessionGeneration,
      signedInAt: now,
      lastActiveAt: now,
    };
    await saveSession(req); // before the redirect: a browser may follow it on the headers alone
    return res.redirect(user.totpSecretEncrypted ? '/staff/sign-in/code' : '/staff/set-up-authenticator');
  });

  // ----- The code from the authenticator app -----

  const renderCode = (res: Response, status: number, errors: FormError[]) =>
    res.status(status).render('staff/sign-in-code', { errorList: errors, codeError: errors[0] });

  staff.get('/staff/sign-in/code', 'signing-in', async (req, res) => {
    const user = await enrolledSigningInUser(req, res);
    if (!user) return;
    return renderCode(res, 200, []);
  });

  staff.post('/staff/sign-in/code', 'signing-in', formWith({ code: field }), async (req, res) => {
    const user = await enrolledSigningInUser(req, res);
    if (!user) return;
    const input = stringField(req.body ?? {}, 'code').slice(0, 50);
    const formatError = codeError(input);
    if (formatError) return renderCode(res, 422, [formatError]);
    if (!(await spendCodeAttempts(req, res, user))) return;

    const check = await verifyTotp(totpSecretOf(user), input, deps.clock(), user.totpLastStep);
    // Recording the step is conditional, so two requests with the same code cannot both get in.
    const accepted = check.ok && (await recordTotpStep(db, user.id, check.step));
    if (!accepted) {
      const reason = check.ok || check.reason === 'reused' ? 'reused' : 'wrong';
      await audit(req, {
        actorId: user.id,
        actorRole: user.role,
        action: 'mfa-failed',
        details: { method: 'authenticator', reason },
      });
      // One answer for a used code and a wrong one: the page must not confirm that a code seen over someone's
      // shoulder was right. The audit row keeps the difference.
      return renderCode(res, 422, [
        {
          text: 'The code is not correct or has already been used. Enter the next code your authenticator app shows',
          href: '#code',
        },
      ]);
    }
    await forgiveCodeAttempts(req, user);
    return res.redirect(await completeSignIn(req, user, 'authenticator'));
  });

  // ----- A recovery code instead -----

  const renderRecovery = (res: Response, status: number, errors: FormError[]) =>
    res.status(status).render('staff/recovery-code', { errorList: errors, codeError: errors[0] });

  staff.get('/staff/sign-in/recovery-code', 'signing-in', async (req, res) => {
    const user = await enrolledSigningInUser(req, res);
    if (!user) return;
    return renderRecovery(res, 200, []);
  });

  staff.post(
    '/staff/sign-in/recovery-code',
    'signing-in',
    formWith({ recoveryCode: field }),
    async (req, res) => {
      const user = await enrolledSigningInUser(req, res);
      if (!user) return;
      const input = stringField(req.body ?? {}, 'recoveryCode').slice(0, 50);
      if (!input.trim())
        return renderRecovery(res, 422, [{ text: 'Enter a recovery code', href: '#recoveryCode' }]);
      if (!normaliseRecoveryCode(input)) {
        return renderRecovery(res, 422, [
          { text: 'Enter the recovery code as it was shown to you, like K7QMX-2WA9H', href: '#recoveryCode' },
        ]);
      }
      if (!(await spendCodeAttempts(req, res, user))) return;

      const unused = await unusedRecoveryCodes(db, user.id);
      const codeId = await matchRecoveryCode(input, unused);
      const used = codeId !== undefined && (await useRecoveryCode(db, codeId, deps.clock()));
      if (!used) {
        await audit(req, {
          actorId: user.id,
          actorRole: user.role,
          action: 'mfa-failed',
          details: { method: 'recovery-code' },
        });
        return renderRecovery(res, 422, [
          { text: 'The recovery code is not correct or has already been used', href: '#recoveryCode' },
        ]);
      }
      await forgiveCodeAttempts(req, user);
      return res.redirect(
        await completeSignIn(req, user, 'recovery-code', { recoveryCodesLeft: unused.length - 1 }),
      );
    },
  );

  // ----- Setting up the authenticator at first sign-in (or after an administrator reset it) -----

  const pendingContext = (userId: number) => `staff_user:${userId}:pending_totp_secret`;

  async function renderSetUp(
    req: Request,
    res: Response,
    user: StaffUser,
    status: number,
    errors: FormError[],
  ) {
    let secret = req.session.staffPendingTotpSecret
      ? box.open(req.session.staffPendingTotpSecret, pendingContext(user.id))
      : undefined;
    if (!secret) {
      secret = newTotpSecret();
      req.session.staffPendingTotpSecret = box.seal(secret, pendingContext(user.id));
    }
    const uri = otpauthUri(config.branding.serviceName, user.email, secret);
    res.status(status).render('staff/set-up-authenticator', {
      qrCode: await qrCodeDataUrl(uri),
      secretGroups: formatSecretForDisplay(secret),
      errorList: errors,
      codeError: errors[0],
    });
  }

  staff.get('/staff/set-up-authenticator', 'signing-in', async (req, res) => {
    const user = await signingInUser(req, res);
    if (!user) return;
    if (user.totpSecretEncrypted) return res.redirect('/staff/sign-in/code');
    return renderSetUp(req, res, user, 200, []);
  });

  staff.post('/staff/set-up-authenticator', 'signing-in', formWith({ code: field }), async (req, res) => {
    const user = await signingInUser(req, res);
    if (!user) return;
    if (user.totpSecretEncrypted) return res.redirect('/staff/sign-in/code');
    const secret = req.session.staffPendingTotpSecret
      ? box.open(req.session.staffPendingTotpSecret, pendingContext(user.id))
      : undefined;
    if (!secret) return res.redirect('/staff/set-up-authenticator');
    const input = stringField(req.body ?? {}, 'code').slice(0, 50);
    const formatError = codeError(input);
    if (formatError) return renderSetUp(req, res, user, 422, [formatError]);
    if (!(await spendCodeAttempts(req, res, user))) return;

    const check = await verifyTotp(secret, input, deps.clock(), null);
    if (!check.ok) {
      await audit(req, {
        actorId: user.id,
        actorRole: user.role,
        action: 'mfa-failed',
        details: { method: 'authenticator-set-up' },
      });
      return renderSetUp(req, res, user, 422, [
        {
          text: 'The code is not correct. Check you scanned the QR code or entered the key, then enter the code the app shows now',
          href: '#code',
        },
      ]);
    }

    const codes = generateRecoveryCodes();
    const recoveryCodeHashes = await hashRecoveryCodes(codes);
    const enrolled = await db.transaction(async (trx) => {
      const done = await enrolMfa(trx, user.id, {
        totpSecretEncrypted: box.seal(secret, totpSecretContext(user.id)),
        step: check.step,
        enrolledAt: deps.clock(),
        recoveryCodeHashes,
      });
      if (done) {
        await recordAudit(trx, {
          actorId: user.id,
          actorRole: user.role,
          action: 'mfa-enrolled',
          requestId: String(req.id),
        });
      }
      return done;
    });
    // Another tab finished set-up first: that secret stands, and this person signs in with a code.
    if (!enrolled) return res.redirect('/staff/sign-in/code');

    await forgiveCodeAttempts(req, user);
    const next = await completeSignIn(req, user, 'authenticator-set-up');
    // Shown once, in this response: the codes are never stored anywhere but as hashes (not in the session).
    res.locals.staff = req.session.staff;
    return res.render('staff/recovery-codes', { codes: codes.map(formatRecoveryCode), continueUrl: next });
  });

  // ----- Signing out -----

  staff.post('/staff/sign-out', 'public', BUTTON_ONLY, async (req, res) => {
    const current = req.session.staff;
    if (current?.stage === 'signed-in') {
      await audit(req, { actorId: current.userId, actorRole: current.role, action: 'sign-out' });
    }
    // Destroying deletes the session row: the old cookie is worth nothing afterwards (ASVS 7.4.1).
    await destroy(req);
    res.clearCookie(config.session.cookieName, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.secureCookie,
    });
    return res.redirect('/staff/signed-out');
  });

  const signedOut: RequestHandler = (req, res) => {
    const reason = typeof req.query.reason === 'string' ? req.query.reason : undefined;
    res.render('staff/signed-out', {
      reason: reason === 'timeout' || reason === 'idle' || reason === 'lifetime' ? reason : undefined,
      idleMinutes: IDLE_TIMEOUT_MS / 60000,
      lifetimeHours: ABSOLUTE_LIFETIME_MS / 3600000,
    });
  };
  staff.get('/staff/signed-out', 'public', signedOut);
}
