import express, { Router, type Request } from 'express';
import { parseMultipart, type ReceivedFile } from '../uploads/multipart';

declare module 'express-serve-static-core' {
  interface Request {
    /** The one file of a multipart form, on the routes that take a file (src/uploads/multipart.ts). */
    receivedFile?: ReceivedFile;
  }
}

/** The routes that take a file, and the largest file any of them accepts. */
export type MultipartRoutes = Readonly<{ accepts: (req: Request) => boolean; maxFileBytes: number }>;

// Bounded form parsing: the extended (qs) parser is off, so `a[b]=1` stays a flat key and no nested
// objects can reach the code; repeated keys still arrive as arrays (checkboxes), which each question
// type must expect. Over either limit body-parser answers 413, which the error handler renders as a page.
export const BODY_LIMIT = '100kb';
export const PARAMETER_LIMIT = 256;

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

export function setUpBodyParsing(multipart?: MultipartRoutes): Router {
  const router = Router();
  // Forms are URL-encoded, except on the few routes that take a file, which accept multipart too. JSON, or
  // multipart anywhere else, is refused with 415 before any parsing, so no other body shape (and no JSON prototype
  // trick) reaches a handler.
  router.use((req, _res, next) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (req.method === 'POST' && hasBody && multipart && req.is(MULTIPART) && multipart.accepts(req)) {
      parseMultipart(req, { maxFileBytes: multipart.maxFileBytes }).then(({ fields, file }) => {
        req.body = fields;
        req.receivedFile = file;
        next();
      }, next);
      return;
    }
    if (req.method === 'POST' && hasBody && !req.is(FORM)) {
      next(
        Object.assign(new Error('Unsupported form encoding'), { status: 415, type: 'encoding.unsupported' }),
      );
      return;
    }
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: PARAMETER_LIMIT }));
  return router;
}
