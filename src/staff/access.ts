import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppRoute } from '../app-routes';
import type { Db } from '../db';
import { acceptOnly, declaredFields, type FormFields } from '../middleware/form-fields';
import { recordAudit } from './audit-repository';
import { sessionStateOf } from './staff-user-repository';

export const STAFF_ROLES = ['caseworker', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Who may use a staff route: 'public' (the sign-in pages), 'signing-in' (password accepted, code not yet),
 * 'new-password' (both factors given with a temporary password, which must be replaced first), or roles.
 */
export type Allowed = 'public' | 'signing-in' | 'new-password' | readonly StaffRole[];

/** What the session knows about a member of staff. Only `stage: 'signed-in'` grants access to casework. */
export type StaffSession = Readonly<{
  userId: number;
  role: StaffRole;
  agencies: readonly string[];
  displayName: string;
  /**
   * password-accepted: the second factor is still owed. new-password-owed: both factors given, with a temporary
   * password that must be replaced before anything else. signed-in: both factors given.
   */
  stage: 'password-accepted' | 'new-password-owed' | 'signed-in';
  /** The account's session_generation when this session was made; the guard refuses any other. */
  generation: number;
  signedInAt: number; // ms since epoch; the absolute lifetime counts from here
  lastActiveAt: number; // ms since epoch; the idle timeout counts from here
}>;

declare module 'express-session' {
  interface SessionData {
    staff?: StaffSession;
  }
}

/** Where each role starts: administrators manage accounts, everyone else works cases. */
export const homeFor = (role: StaffRole): string => (role === 'admin' ? '/staff/users' : '/staff');

/** Where a session at a given stage belongs. */
export const NEW_PASSWORD_PATH = '/staff/new-password';
export const placeFor = (staff: StaffSession): string =>
  staff.stage === 'signed-in'
    ? homeFor(staff.role)
    : staff.stage === 'new-password-owed'
      ? NEW_PASSWORD_PATH
      : '/staff/sign-in/code';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 8 * 60 * 60 * 1000;

export type DeclaredRoute = Readonly<{
  method: 'get' | 'post';
  path: string;
  allowed: Allowed;
  /** For a form route: the only fields it accepts (form-fields.ts). */
  fields?: readonly string[];
}>;

/** The signed-in member of staff; only for use in handlers behind a role check. */
export function staffOf(req: Request): StaffSession {
  const staff = req.session.staff;
  if (!staff || staff.stage !== 'signed-in') throw new Error('staffOf used on a route without a role check');
  return staff;
}

const destroySession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));

function guard(db: Db, allowed: Allowed, clock: () => number, whenAllowed?: RequestHandler): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (allowed === 'public') return next();
    const staff = req.session.staff;
    if (!staff) return res.redirect('/staff/sign-in');
    // Every request looks at the account again (one lookup by primary key): a session made before the account
    // was disabled, signed out everywhere or given a new password is over, whatever requests were in flight.
    const account = await sessionStateOf(db, staff.userId);
    if (!account || account.disabled || account.sessionGeneration !== staff.generation) {
      await destroySession(req);
      res.locals.staff = undefined;
      return res.redirect('/staff/sign-in');
    }
    const stage =
      allowed === 'signing-in'
        ? 'password-accepted'
        : allowed === 'new-password'
          ? 'new-password-owed'
          : 'signed-in';
    if (staff.stage !== stage) return res.redirect(placeFor(staff));
    if (allowed === 'signing-in') return next(); // sign-in.ts keeps the half session's own idle limit
    const now = clock();
    if (now - staff.lastActiveAt > IDLE_TIMEOUT_MS || now - staff.signedInAt > ABSOLUTE_LIFETIME_MS) {
      const reason = now - staff.signedInAt > ABSOLUTE_LIFETIME_MS ? 'lifetime' : 'idle';
      await recordAudit(db, {
        actorId: staff.userId,
        actorRole: staff.role,
        action: 'session-expired',
        requestId: String(req.id),
        details: { reason },
      });
      await destroySession(req);
      return res.redirect(`/staff/signed-out?reason=${reason}`);
    }
    if (allowed !== 'new-password' && !allowed.includes(staff.role)) {
      await recordAudit(db, {
        actorId: staff.userId,
        actorRole: staff.role,
        action: 'access-denied',
        requestId: String(req.id),
        details: { method: req.method, route: req.route?.path ?? req.path },
      });
      return res.status(403).render('staff/forbidden');
    }
    req.session.staff = { ...staff, lastActiveAt: now };
    return whenAllowed ? whenAllowed(req, res, next) : next();
  };
}

/**
 * Staff routes are deny by default: each is registered with the roles it allows, through this router only,
 * and the list of declarations lets a test prove that no staff route was left open.
 */
export function createStaffRouter(
  db: Db,
  clock: () => number = Date.now,
  /** Runs after a signed-in member of staff passes a role check (and their idle clock restarts). */
  whenSignedIn?: RequestHandler,
) {
  const router = Router();
  const declared: DeclaredRoute[] = [];
  const checkPath = (path: string) => {
    if (!path.startsWith('/staff')) throw new Error(`staff route ${path} must live under /staff`);
  };
  return {
    router,
    declared,
    get(path: string, allowed: Allowed, ...handlers: RequestHandler[]) {
      checkPath(path);
      declared.push({ method: 'get', path, allowed });
      router.get(path, guard(db, allowed, clock, whenSignedIn), ...handlers);
    },
    /** A form route names the fields it accepts; anything else is refused before the handler runs. */
    post(path: string, allowed: Allowed, form: FormFields, ...handlers: RequestHandler[]) {
      checkPath(path);
      declared.push({ method: 'post', path, allowed, fields: declaredFields(form) });
      router.post(path, guard(db, allowed, clock, whenSignedIn), acceptOnly(form), ...handlers);
    },
  };
}

export type StaffRouter = ReturnType<typeof createStaffRouter>;

/**
 * The routes under /staff an app answers that were not declared through a staff router (docs/security.md#z1), as
 * "method path". createApp refuses to build an app with any: a route added with a plain router would otherwise
 * be served to anyone.
 */
export function undeclaredStaffRoutes(
  routes: readonly AppRoute[],
  declared: readonly DeclaredRoute[],
): string[] {
  const known = new Set(declared.map((d) => `${d.method} ${d.path}`));
  return routes
    .filter((r) => r.path.startsWith('/staff'))
    .map((r) => `${r.method.toLowerCase()} ${r.path}`)
    .filter((route) => !known.has(route));
}
