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

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * One JSON line per request with a request id (taken from X-Request-Id when it looks like one).
 * Only the path is logged, never the query string, headers or body: those can carry personal data.
 */
export function setUpRequestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => /^\/(health|static|assets)\//.test(req.url ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url).split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
