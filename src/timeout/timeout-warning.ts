import { Router, type Request, type RequestHandler, type Response } from 'express';
import { acceptOnly, field, formWith } from '../middleware/form-fields';
import type { Config } from '../config';
import type { Db } from '../db';
import { isDatabaseUnavailableError } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import { localPathOr } from '../middleware/local-redirect';
import {
  ABSOLUTE_LIFETIME_MS,
  IDLE_TIMEOUT_MS,
  STAFF_ROLES,
  type StaffRouter,
  type StaffSession,
} from '../staff/access';

// WCAG 2.2.1 (timing adjustable): before a session times out, warn the person and let them extend it with one
// action. The page carries the deadline as data attributes on a closed <dialog> (views/partials/timeout-warning.njk);
// public/javascripts/timeout-warning.js opens it, counts down, and extends the session or goes to the timed-out
// page. With JavaScript off nothing can warn in time, so start pages say how long answers are kept.

/** What the dialog needs, in seconds from when the page was sent. */
export type TimeoutWarning = Readonly<{
  kind: 'answers' | 'staff-idle' | 'staff-lifetime';
  /** When to open the dialog. */
  warnAfterSeconds: number;
  /** When the session ends (the page then goes to `timedOutUrl`). */
  timeOutAfterSeconds: number;
  /** The whole idle period, to say in words how long the service waits. */
  idleMinutes: number;
  extendUrl?: string;
  /** Where the answers can be saved to come back later (src/apply/save-and-return.ts), for a citizen's answers. */
  saveUrl?: string;
  timedOutUrl: string;
  returnTo: string;
}>;

/** The longest warning: five minutes, or half the time left when that is shorter. */
const WARNING_SECONDS = 5 * 60;
/**
 * The session store writes a session's expiry at most once a minute (src/middleware/session.ts), so the real
 * expiry can be up to a minute before "last request + idle time": the page counts from the earlier moment.
 */
const STORE_TOUCH_SLACK_SECONDS = 60;

function warning(
  kind: TimeoutWarning['kind'],
  timeOutAfterSeconds: number,
  rest: Omit<TimeoutWarning, 'kind' | 'warnAfterSeconds' | 'timeOutAfterSeconds'>,
): TimeoutWarning {
  const timeOut = Math.max(0, Math.floor(timeOutAfterSeconds));
  const warnFor = Math.min(WARNING_SECONDS, Math.floor(timeOut / 2));
  return { kind, timeOutAfterSeconds: timeOut, warnAfterSeconds: timeOut - warnFor, ...rest };
}

/** A citizen's answers live in the session, which ends after `SESSION_IDLE_MINUTES` without a request. */
export function answersTimeoutWarning(config: Config, serviceSlug: string, returnTo: string): TimeoutWarning {
  const idleSeconds = config.session.idleMinutes * 60;
  const query = new URLSearchParams({ service: serviceSlug, returnTo });
  return warning('answers', idleSeconds - STORE_TOUCH_SLACK_SECONDS, {
    idleMinutes: config.session.idleMinutes,
    extendUrl: '/session/extend',
    saveUrl: `/services/${serviceSlug}/save`,
    timedOutUrl: `/session/timed-out?${query.toString()}`,
    returnTo,
  });
}

/**
 * Staff are signed out after 30 idle minutes (extendable) or 8 hours after signing in (not extendable), whichever
 * comes first; a session cookie set to time out sooner than 30 minutes (SESSION_IDLE_MINUTES) ends it sooner.
 * When the deadline passes the page reloads a staff address and the access check signs them out.
 */
export function staffTimeoutWarning(
  staff: StaffSession,
  now: number,
  returnTo: string,
  sessionIdleMinutes: number,
): TimeoutWarning {
  const idleMinutes = Math.min(IDLE_TIMEOUT_MS / 60_000, sessionIdleMinutes);
  const idleLeft =
    sessionIdleMinutes * 60 < IDLE_TIMEOUT_MS / 1000
      ? sessionIdleMinutes * 60 - STORE_TOUCH_SLACK_SECONDS
      : (staff.lastActiveAt + IDLE_TIMEOUT_MS - now) / 1000;
  const lifetimeLeft = (staff.signedInAt + ABSOLUTE_LIFETIME_MS - now) / 1000;
  const common = { idleMinutes, timedOutUrl: returnTo, returnTo };
  return lifetimeLeft <= idleLeft
    ? warning('staff-lifetime', lifetimeLeft, common)
    : warning('staff-idle', idleLeft, { ...common, extendUrl: '/staff/session/extend' });
}

/** Where a page that was sent for `req` reloads from: itself for a GET, the fallback for a re-rendered POST. */
function pagePath(req: Request, fallback: string): string {
  return req.method === 'GET' ? localPathOr(req.originalUrl, fallback) : fallback;
}

/**
 * Offer the warning to the page about to be rendered, as long as the session still exists when it renders: a
 * handler may end the session first (a sign-out, a lockout), and then there is nothing to warn about (and no
 * session to hold the dialog's CSRF token). Express reads the getter when it renders.
 */
function offerWarning(req: Request, res: Response, warning: TimeoutWarning, stillApplies: () => boolean) {
  Object.defineProperty(res.locals, 'timeoutWarning', {
    enumerable: true,
    configurable: true,
    get: () => (req.session && stillApplies() ? warning : undefined),
  });
}

/** For the citizen's question pages and check answers: warn while a journey for this service is in progress. */
export function warnBeforeAnswersTimeOut(config: Config): RequestHandler {
  return (req, res, next) => {
    const slug = String(req.params.service);
    const inProgress = () => {
      const applications = req.session?.applications;
      return !!applications && Object.hasOwn(applications, slug);
    };
    if (inProgress()) {
      const returnTo = pagePath(req, `/services/${slug}/check-answers`);
      offerWarning(req, res, answersTimeoutWarning(config, slug, returnTo), inProgress);
    }
    next();
  };
}

/** For every staff page seen by a signed-in member of staff. */
export function warnBeforeStaffSignOut(config: Config, clock: () => number): RequestHandler {
  return (req, res, next) => {
    const staff = req.session.staff;
    const signedIn = () => req.session?.staff?.stage === 'signed-in';
    if (staff && signedIn()) {
      const warning = staffTimeoutWarning(
        staff,
        clock(),
        pagePath(req, '/staff'),
        config.session.idleMinutes,
      );
      offerWarning(req, res, warning, signedIn);
    }
    next();
  };
}

/** The dialog's button posts with `fetch` and wants no page back; without JavaScript the form posts normally. */
function extended(req: Request, res: Response, fallback: string) {
  if (req.get('x-requested-with') === 'timeout-warning') {
    res.status(204).end();
    return;
  }
  res.redirect(303, localPathOr(req.body?.returnTo, fallback));
}

/**
 * The session row's expiry, as the store keeps it. A warning in one tab must not delete answers that the person
 * is still using in another: if the session was used since, the timed-out address sends them back instead.
 */
async function sessionExpiresAt(db: Db, sid: string): Promise<number | undefined> {
  const row = await db('session').where({ sid }).first<{ expired: Date | string } | undefined>('expired');
  return row ? new Date(row.expired).getTime() : undefined;
}

export function setUpSessionTimeout(
  deps: Readonly<{ config: Config; db: Db; registry: ServiceRegistry }>,
): Router {
  const router = Router();

  // Any request touches the session (rolling expiry): extending needs nothing more than arriving here.
  router.post('/session/extend', acceptOnly(formWith({ returnTo: field })), (req, res) =>
    extended(req, res, '/'),
  );

  // A GET, so that the dialog's deadline can reach it even after the session (and its CSRF secret) has gone. Any
  // site can link here, so it deletes only a citizen's answers, and only when the session is about to expire
  // anyway; it never ends a staff sign-in (issue 13, defect 4) nor a session that holds no answers.
  router.get('/session/timed-out', async (req, res, next) => {
    const slug = typeof req.query.service === 'string' ? req.query.service : '';
    const service = deps.registry.find(slug);
    const startUrl = service ? `/services/${service.slug}` : '/';
    const page = () =>
      res.render('apply/timed-out', {
        pageTitle: 'For your security, we deleted your answers',
        service,
        startUrl,
      });
    if (!req.session.applications) {
      page();
      return;
    }
    try {
      const expiresAt = await sessionExpiresAt(deps.db, req.sessionID);
      // The store dates rows by the real clock (not the app's injectable one).
      if (expiresAt !== undefined && expiresAt - Date.now() > STORE_TOUCH_SLACK_SECONDS * 1000) {
        res.redirect(303, localPathOr(req.query.returnTo, startUrl));
        return;
      }
    } catch (err) {
      if (!isDatabaseUnavailableError(err)) return next(err);
    }
    if (req.session.staff) {
      // The same browser is signed in to the back office: only the answers go.
      delete req.session.applications;
      page();
      return;
    }
    req.session.destroy(page);
  });

  return router;
}

/** The staff dialog's "Stay signed in": any staff route restarts the idle clock; this one does only that. */
export function registerStaffTimeoutRoutes(staff: StaffRouter): void {
  staff.post('/staff/session/extend', STAFF_ROLES, formWith({ returnTo: field }), (req, res) =>
    extended(req, res, '/staff'),
  );
}
