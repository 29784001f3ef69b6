import { Router } from 'express';
import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config';
import type { Db } from '../db';

/**
 * connect-session-knex reports a failure both to express-session's callback and as a rejected promise that
 * nobody awaits; on Node that unhandled rejection would crash the process when the database is down. The
 * callback already carries the error (to a 503 page), so the duplicate promise rejection is dropped here.
 */
// Rolling sessions would write the row's expiry on every request. The idle timeout is counted in tens of
// minutes, so one write a minute per session keeps it accurate to the minute and saves a database round trip
// on almost every page view.
const TOUCH_INTERVAL_MS = 60_000;
const MAX_TRACKED_SESSIONS = 100_000;

class SessionStore extends ConnectSessionKnexStore {
  private readonly lastWritten = new Map<string, number>();

  private remember(sid: string) {
    if (this.lastWritten.size >= MAX_TRACKED_SESSIONS) this.lastWritten.clear();
    this.lastWritten.set(sid, Date.now());
  }

  constructor(options: ConstructorParameters<typeof ConnectSessionKnexStore>[0]) {
    super(options);
    // `ready` only checks that the table exists (migrations guarantee it). Left as it is, a database that is
    // down at that moment would fail every later call for the life of the process, and crash it unhandled.
    this.ready.catch(() => undefined);
    this.ready = Promise.resolve();
  }

  override get(...args: Parameters<ConnectSessionKnexStore['get']>) {
    return super.get(...args).catch(() => null);
  }
  override set(...args: Parameters<ConnectSessionKnexStore['set']>) {
    this.remember(args[0]);
    return super.set(...args).catch(() => undefined);
  }
  override touch(...args: Parameters<ConnectSessionKnexStore['touch']>) {
    const [sid, , callback] = args;
    const last = this.lastWritten.get(sid);
    if (last !== undefined && Date.now() - last < TOUCH_INTERVAL_MS) {
      callback?.();
      return Promise.resolve();
    }
    this.remember(sid);
    return super
      .touch(...args)
      .catch((err: unknown) => (callback as ((e?: unknown) => void) | undefined)?.(err));
  }
  override destroy(...args: Parameters<ConnectSessionKnexStore['destroy']>) {
    this.lastWritten.delete(args[0]);
    return super.destroy(...args).catch(() => 0);
  }
}

/** Sessions are rows in the shared database, so app instances stay stateless and interchangeable. */
export function setUpSessions(config: Config, db: Db): Router {
  const router = Router();
  const store = new SessionStore({
    knex: db,
    tableName: 'session',
    createTable: false, // the migration owns the table
    cleanupInterval: 15 * 60 * 1000,
    onDbCleanupError: () => {
      // Expired rows are swept again at the next interval; a failed sweep is not worth a crash.
    },
  });
  router.use(
    session({
      name: config.session.cookieName,
      secret: config.session.secret,
      store,
      resave: false,
      saveUninitialized: false,
      // Every request pushes the idle expiry forward: the session ends after N idle minutes, not N minutes.
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.session.secureCookie,
        path: '/',
        maxAge: config.session.idleMinutes * 60 * 1000,
      },
    }),
  );
  return router;
}
