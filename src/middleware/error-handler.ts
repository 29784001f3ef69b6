import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Config } from '../config';
import { isDatabaseUnavailableError } from '../db';
import { CSRF_ERROR_CODE } from './csrf';
import { CROSS_SITE_CODE } from './security';
import { isReadOnlyDatabaseError, READ_ONLY_RETRY_AFTER_SECONDS, type ReadOnlyMode } from './read-only';

export const RETRY_AFTER_SECONDS = 30;

/** A query stopped by statement_timeout (57014), or no connection free in time (knex's acquire timeout). */
const isTooSlow = (err: { name?: string; code?: string }) =>
  err.code === '57014' || err.name === 'KnexTimeoutError';

export function notFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).render('errors/not-found');
  };
}

type HttpishError = Error & { status?: number; statusCode?: number; type?: string; code?: string };

/**
 * Turns every error into a GOV.UK page with the right status: body-parser limits (413), CSRF (403),
 * unreadable bodies (400/415), an unreachable database (503 + Retry-After) and anything else (500).
 */
export function errorHandler(config: Config, readOnly?: Pick<ReadOnlyMode, 'noticed'>): ErrorRequestHandler {
  return (err: HttpishError, req, res, next) => {
    // A write refused as read-only, even one reported after the page was sent (a session save): refuse further
    // form posts for a while instead of letting each fail half-way.
    const readOnlyRefusal = isReadOnlyDatabaseError(err);
    if (readOnlyRefusal) readOnly?.noticed();
    if (res.headersSent) {
      if (res.writableEnded) {
        // The whole answer has already been written: express-session reports a failed save or touch only after
        // it has sent the page. Handing the error on would make Express destroy the socket, cutting off that
        // answer and any keep-alive request already sent on the same connection. All that is left is to log it.
        req.log?.error(
          { err: { name: err.name, code: err.code, message: err.message } },
          'error after the response was sent',
        );
        return;
      }
      next(err);
      return;
    }
    const status = err.status ?? err.statusCode;

    if (err.type === 'entity.too.large' || err.type === 'parameters.too.many') {
      res.status(413).render('errors/too-large', {
        reason: err.type === 'parameters.too.many' ? 'too-many-fields' : 'too-long',
      });
      return;
    }
    if (err.code === CSRF_ERROR_CODE || err.code === CROSS_SITE_CODE) {
      req.log?.warn({ event: 'csrf-rejected' }, 'CSRF token missing or invalid');
      res.status(403).render('errors/form-expired');
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).render(status === 404 ? 'errors/not-found' : 'errors/bad-request');
      return;
    }
    if (readOnlyRefusal) {
      req.log?.warn({ err: { name: err.name, code: err.code } }, 'database is read-only');
      res.status(503).set('Retry-After', String(READ_ONLY_RETRY_AFTER_SECONDS)).render('errors/read-only');
      return;
    }
    if (isDatabaseUnavailableError(err)) {
      // Staff pages have their own pool and statement timeout (db.ts createStaffDb, docs/security.md#f11): a staff query
      // stopped for taking too long, or a wait for one of the staff pool's connections, is not the service being
      // down, and the caseworker can do something about it (fewer cases).
      if (req.path.startsWith('/staff') && isTooSlow(err)) {
        req.log?.warn({ err: { name: err.name, code: err.code } }, 'staff page query too slow');
        res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).render('errors/too-slow');
        return;
      }
      req.log?.error(
        { err: { name: err.name, code: err.code, message: err.message } },
        'database unavailable',
      );
      res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).render('errors/unavailable');
      return;
    }
    req.log?.error({ err: { name: err.name, code: err.code, stack: err.stack } }, 'unhandled error');
    res.status(500).render('errors/server-error', {
      requestId: req.id,
      // Developers see the stack locally; production pages never show one.
      stack: config.env === 'development' ? err.stack : undefined,
    });
  };
}
