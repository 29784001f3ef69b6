import express, { Router } from 'express';

// Bounded form parsing: the extended (qs) parser is off, so `a[b]=1` stays a flat key and no nested
// objects can reach the code; repeated keys still arrive as arrays (checkboxes), which each question
// type must expect. Over either limit body-parser answers 413, which the error handler renders as a page.
export const BODY_LIMIT = '100kb';
export const PARAMETER_LIMIT = 256;

export function setUpBodyParsing(): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: PARAMETER_LIMIT }));
  return router;
}
