import type { Request, Response } from 'express';
import { cleanText, characterCount } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { applicationToRate, saveRatingForApplication } from '../metrics/survey-repository';
import type { RateLimit } from '../middleware/rate-limit';
import type { ServiceDefinition } from '../definitions/types';
import type { ApplyDeps } from './deps';
import { serviceOf } from './service-param';

// GOV.UK's standard satisfaction survey: the five-point scale (values 5 to 1) and an optional comment.
export const SATISFACTION_OPTIONS = [
  { value: '5', text: 'Very satisfied' },
  { value: '4', text: 'Satisfied' },
  { value: '3', text: 'Neither satisfied or dissatisfied' },
  { value: '2', text: 'Dissatisfied' },
  { value: '1', text: 'Very dissatisfied' },
] as const;
const COMMENT_MAX = 1200;

/** Survey answers one client (IP address) may send in 10 minutes, counted in the database for all instances. */
export const FEEDBACK_LIMIT = { points: 20, durationSeconds: 10 * 60 } as const;

function render(
  res: Response,
  status: number,
  values: { rating: string; comment: string },
  errors: { text: string; href: string }[],
  tooManyMinutes?: number,
) {
  const errorAt = (href: string) => errors.find((e) => e.href === href);
  res.status(status).render('apply/feedback', {
    tooManyMinutes,
    service: serviceOf(res),
    values,
    errorList: errors,
    ratingError: errorAt('#rating'),
    commentError: errorAt('#comment'),
    ratingItems: SATISFACTION_OPTIONS.map((o, i) => ({ ...o, id: i === 0 ? 'rating' : `rating-${i + 1}` })),
    commentMax: COMMENT_MAX,
  });
}

/**
 * The sent application a rating from this browser would be for: the newest application of this service that this
 * session sent (its confirmation page links here) and whose survey has not been answered. 'none' when the session
 * sent none, 'answered' when every one it sent has its rating already.
 */
async function ratingFor(
  deps: ApplyDeps,
  req: Request,
  service: ServiceDefinition,
): Promise<{ reference: string } | { unavailable: 'none' | 'answered' }> {
  const sent = Object.entries(req.session.submitted ?? {})
    .filter(([, slug]) => slug === service.slug)
    .map(([reference]) => reference);
  if (sent.length === 0) return { unavailable: 'none' };
  const reference = await applicationToRate(deps.db, service.slug, sent);
  return reference ? { reference } : { unavailable: 'answered' };
}

function renderUnavailable(res: Response, status: number, reason: 'none' | 'answered') {
  res.status(status).render('apply/feedback-unavailable', { service: serviceOf(res), reason });
}

/** GET /services/:service/feedback — the survey, for a browser that has sent an application not yet rated. */
export function showFeedback(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const target = await ratingFor(deps, req, serviceOf(res));
    if ('unavailable' in target) return renderUnavailable(res, 200, target.unavailable);
    render(res, 200, { rating: '', comment: '' }, []);
  };
}

/** POST /services/:service/feedback — at most one rating per sent application, limited per client. */
export function sendFeedback(deps: ApplyDeps, limit?: RateLimit) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    const target = await ratingFor(deps, req, service);
    if ('unavailable' in target) {
      return renderUnavailable(res, target.unavailable === 'none' ? 403 : 409, target.unavailable);
    }
    const body = req.body ?? {};
    const rating = stringField(body, 'rating');
    const comment = cleanText(stringField(body, 'comment'), { multiline: true });
    const errors: { text: string; href: string }[] = [];
    if (!SATISFACTION_OPTIONS.some((o) => o.value === rating)) {
      errors.push({ text: 'Select how you feel about the service', href: '#rating' });
    }
    if (characterCount(comment) > COMMENT_MAX) {
      errors.push({ text: `Your comments must be ${COMMENT_MAX} characters or less`, href: '#comment' });
    }
    if (errors.length > 0) {
      render(res, 422, { rating, comment }, errors);
      return;
    }
    if (limit) {
      const verdict = await limit.consume(req.ip ?? 'unknown');
      if (!verdict.allowed) {
        // The form again, with what they chose and wrote, and when they can send it.
        res.set('Retry-After', String(verdict.retryAfterSeconds));
        render(res, 429, { rating, comment }, [], Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60)));
        return;
      }
    }
    const stored = await saveRatingForApplication(
      deps.db,
      {
        serviceSlug: service.slug,
        reference: target.reference,
        rating: Number(rating),
        comment: comment || undefined,
      },
      deps.clock(),
    );
    if (!stored) return renderUnavailable(res, 409, 'answered');
    res.redirect(303, `/services/${service.slug}/feedback/thank-you`);
  };
}

/** GET /services/:service/feedback/thank-you */
export function showFeedbackThanks(_deps: ApplyDeps) {
  return (_req: Request, res: Response) => res.render('apply/feedback-thanks', { service: serviceOf(res) });
}
