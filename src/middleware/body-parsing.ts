import express, { Router } from 'express';

// Bounded form parsing: the extended (qs) parser is off, so `a[b]=1` stays a flat key and no nested
// objects can reach the code; repeated keys still arrive as arrays (checkboxes), which each question
// type must expect. Over either limit body-parser answers 413, which the error handler renders as a page.
export const BODY_LIMIT = '100kb';
export const PARAMETER_LIMIT = 256;

const FORM = 'application/x-www-form-urlencoded';

export function setUpBodyParsing(): Router {
  const router = Router();
  // Every form here is URL-encoded. JSON, multipart or anything else sent to a form route is refused with
  // 415 before any parsing, so no other body shape (and no JSON prototype trick) reaches a handler.
  router.use((req, _res, next) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
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
