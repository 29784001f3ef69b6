import { Router, type Request } from 'express';
import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config';
import type { Db } from '../db';

/**
 * connect-session-knex reports a failure both to express-session's callback and as a rejected promise that
 * nobody awaits; on Node that unhandled rejection would crash the process when the database is down. The
 * methods below report a failure to the callback only (express-session turns it into a 503 page) and never
 * reject. connect-session-knex still sweeps expired rows.
 */
// Rolling sessions would write the row's expiry on every request. The idle timeout is counted in tens of
// minutes, so one write a minute per session keeps it accurate to the minute and saves a database round trip
// on almost every page view.
const TOUCH_INTERVAL_MS = 60_000;
const MAX_TRACKED_SESSIONS = 100_000;

type StoredSession = Parameters<ConnectSessionKnexStore['set']>[1];
type Callback = (err?: unknown) => void;
type GetCallback = Parameters<ConnectSessionKnexStore['get']>[1];
type Binding = string | number;

/**
 * The session table is read on nearly every request and written on most POSTs, so its statements are fixed SQL:
 * no query building on our side. They do what connect-session-knex's own statements do, with the same columns.
 * They are sent unnamed, never as named prepared statements: a named statement lives on one server connection,
 * and behind a pooler in transaction mode (docs/operations.md, "PgBouncer in transaction mode") the next transaction may get another one
 * ("prepared statement "session-get" does not exist"; test/faults/pgbouncer.test.ts).
 */
const SQL = {
  get: 'select sess from session where sid = ? and ?::timestamptz <= expired',
  insert: 'insert into session (sid, expired, sess) values (?, ?::timestamptz, ?::json)',
  update: 'update session set expired = ?::timestamptz, sess = ?::json where sid = ?',
  touch: 'update session set expired = ?::timestamptz where sid = ? and ?::timestamptz <= expired',
  destroy: 'delete from session where sid = ?',
} as const;

/**
 * Marks a session that express-session generated in this request (a first visit, or `regenerate` after sign-in)
 * and that is not in the table yet. Only such a session is INSERTed; any other save is an UPDATE of its row, so a
 * request that loaded a session before it was destroyed (signed out in another tab, "Sign out everywhere", an
 * account disabled) can never bring the row back when it saves at its end. A symbol: JSON never stores it, and
 * a session loaded from the table never has it.
 */
const NOT_YET_STORED = Symbol('session not yet stored');
type MaybeNew = { [NOT_YET_STORED]?: true };

class SessionStore extends ConnectSessionKnexStore {
  private readonly lastWritten = new Map<string, number>();
  private readonly db: Db;

  private run(statement: keyof typeof SQL, bindings: readonly Binding[]) {
    return this.db.raw(SQL[statement], bindings);
  }

  private remember(sid: string) {
    if (this.lastWritten.size >= MAX_TRACKED_SESSIONS) this.lastWritten.clear();
    this.lastWritten.set(sid, Date.now());
  }

  constructor(options: ConstructorParameters<typeof ConnectSessionKnexStore>[0] & { knex: Db }) {
    super(options);
    this.db = options.knex;
    // `ready` only checks that the table exists (migrations guarantee it). Left as it is, a database that is
    // down at that moment would fail every later call for the life of the process, and crash it unhandled.
    this.ready.catch(() => undefined);
    this.ready = Promise.resolve();
  }

  override async get(sid: string, callback?: GetCallback) {
    try {
      const result = await this.run('get', [sid, new Date().toISOString()]);
      const row = (result as { rows: { sess: unknown }[] }).rows[0];
      const session = (
        typeof row?.sess === 'string' ? JSON.parse(row.sess) : (row?.sess ?? null)
      ) as StoredSession | null;
      callback?.(null, session);
      return session;
    } catch (err) {
      callback?.(err);
      return null;
    }
  }
  override async set(sid: string, session: StoredSession, callback?: Callback) {
    this.remember(sid);
    try {
      // The row expires when the cookie does (a day for a cookie without a maxAge), as connect-session-knex did.
      const maxAge = session.cookie.maxAge;
      const expired = new Date(Date.now() + (maxAge ? maxAge : 86_400_000)).toISOString();
      const fresh = session as StoredSession & MaybeNew;
      if (fresh[NOT_YET_STORED]) {
        await this.run('insert', [sid, expired, JSON.stringify(session)]);
        delete fresh[NOT_YET_STORED];
      } else {
        // No row (it was destroyed meanwhile): nothing to update, and nothing is re-created.
        await this.run('update', [expired, JSON.stringify(session), sid]);
      }
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }
  override touch(...args: Parameters<ConnectSessionKnexStore['touch']>) {
    const [sid, , callback] = args;
    const last = this.lastWritten.get(sid);
    if (last !== undefined && Date.now() - last < TOUCH_INTERVAL_MS) {
      callback?.();
      return Promise.resolve();
    }
    this.remember(sid);
    const expires = args[1]?.cookie?.expires;
    if (!expires) {
      callback?.();
      return Promise.resolve();
    }
    const now = new Date().toISOString();
    return this.run('touch', [new Date(expires).toISOString(), sid, now]).then(
      () => (callback as Callback | undefined)?.(),
      (err: unknown) => (callback as Callback | undefined)?.(err),
    );
  }
  override async destroy(sid: string, callback?: Callback) {
    this.lastWritten.delete(sid);
    try {
      await this.run('destroy', [sid]);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
    return 0;
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
  // express-session has just set store.generate, which makes every new session: mark each one as not stored yet.
  const generating = store as unknown as { generate: (req: Request) => void };
  const generate = generating.generate.bind(store);
  generating.generate = (req) => {
    generate(req);
    (req.session as unknown as MaybeNew)[NOT_YET_STORED] = true;
  };
  return router;
}

/**
 * Save the session now, before the response. Left to express-session, a changed session is saved while the
 * response waits with its last byte held back: a second write to the socket for every such response, and a
 * browser that follows a redirect as soon as it has the headers can ask for the next page before the save has
 * finished, and see the session as it was. A failure is logged and the response goes on, as it did when
 * express-session reported the failure after sending the page.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve) => {
    req.session.save((err: unknown) => {
      if (err) {
        const e = err as { name?: string; code?: string; message?: string };
        req.log?.error(
          { err: { name: e.name, code: e.code, message: e.message } },
          'could not save the session',
        );
      }
      resolve();
    });
  });
}

/**
 * A new session id once the browser gains access to something (a status check, a saved draft), keeping what the
 * session held (answers in progress elsewhere on the site): an id planted or seen before never carries the access.
 */
export function renewSessionId(req: Request): Promise<void> {
  const kept: Record<string, unknown> = { ...req.session };
  delete kept.cookie;
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => {
      if (err) return reject(err);
      Object.assign(req.session, kept);
      resolve();
    }),
  );
}
