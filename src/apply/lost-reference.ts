import type { Request, Response } from 'express';
import { parseEmail } from '../questions/formats/email';
import { cleanText } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { enqueueLostReferences } from '../submissions/submission-repository';
import { emailLimitKey, renderTooMany, type RateLimit } from '../middleware/rate-limit';
import type { ApplyDeps } from './deps';

// "I have lost my reference" (linked from /check-status): the citizen gives an email address; if applications were
// sent with it, one email lists their references. The next page says the same whether or not any exist, so the
// page never tells anyone which addresses have applied.

/** Requests per client address, and emails per address (so it cannot flood someone's inbox), per hour. */
export const LOST_REFERENCE_LIMITS = { perClient: 10, perEmail: 3, durationSeconds: 60 * 60 } as const;

function renderForm(res: Response, status: number, email: string, error?: string) {
  res.status(status).render('apply/lost-reference', {
    email,
    errorList: error ? [{ text: error, href: '#email' }] : [],
    emailError: error ? { text: error } : undefined,
  });
}

/** GET /check-status/lost-reference */
export function showLostReferenceForm() {
  return (_req: Request, res: Response) => renderForm(res, 200, '');
}

/**
 * POST /check-status/lost-reference. Beyond the per-client limit: the 429 page. Beyond the per-address limit:
 * the same confirmation page as always, and nothing sent (the address's owner is the one protected).
 */
export function sendLostReference(deps: ApplyDeps, limits: { perClient: RateLimit; perEmail: RateLimit }) {
  return async (req: Request, res: Response) => {
    const email = cleanText(stringField(req.body ?? {}, 'email')).slice(0, 320);
    if (!email) return renderForm(res, 422, email, 'Enter your email address');
    const parsed = parseEmail(email);
    if (!parsed.ok)
      return renderForm(
        res,
        422,
        email,
        'Enter an email address in the correct format, like name@example.com',
      );

    const client = await limits.perClient.consume(req.ip ?? 'unknown');
    if (!client.allowed) {
      renderTooMany(res, client.retryAfterSeconds, 'errors/too-many-lost-reference');
      return;
    }
    const perEmail = await limits.perEmail.consume(emailLimitKey(parsed.value));
    if (perEmail.allowed) await enqueueLostReferences(deps.db, parsed.value, deps.clock());
    res.redirect(303, '/check-status/lost-reference/sent');
  };
}

/** GET /check-status/lost-reference/sent */
export function showLostReferenceSent() {
  return (_req: Request, res: Response) => res.render('apply/lost-reference-sent');
}
