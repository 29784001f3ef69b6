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
class SessionStore extends ConnectSessionKnexStore {
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
    return super.set(...args).catch(() => undefined);
  }
  override touch(...args: Parameters<ConnectSessionKnexStore['touch']>) {
    return super
      .touch(...args)
      .catch((err: unknown) => (args[2] as ((e?: unknown) => void) | undefined)?.(err));
  }
  override destroy(...args: Parameters<ConnectSessionKnexStore['destroy']>) {
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
