import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config';

export type { Logger };

export function createLogger(config: Config, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'citizen-services-portal' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Defence in depth: these keys never belong in a log line, whoever logs them.
      redact: { paths: ['req.headers.cookie', 'req.body', 'answers', 'password', 'email'], remove: true },
    },
    destination,
  );
}

/** A client's own X-Request-Id is logged (never stored) only when it is short and printable ASCII. */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,64}$/;

export function clientRequestIdOf(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : undefined;
}

/**
 * One JSON line per request with a request id the server generated (a random UUID, also sent back as
 * X-Request-Id). It is what audit rows record, so no client can choose it: an incoming X-Request-Id (from a proxy
 * or a client) is only logged beside it, as `clientRequestId`, when it is short and printable.
 * Only the path is logged, never the query string, other headers or the body: those can carry personal data.
 */
export function setUpRequestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId(_req: IncomingMessage, res: ServerResponse) {
      const id = crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => /^\/(health|static|assets)\//.test(req.url ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: {
        id: string;
        method: string;
        url: string;
        headers?: Record<string, string | string[]>;
      }) => ({
        id: req.id,
        clientRequestId: clientRequestIdOf(req.headers?.['x-request-id']),
        method: req.method,
        path: String(req.url).split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
