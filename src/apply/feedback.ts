import type { Request, Response } from 'express';
import { cleanText, characterCount } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { saveSurveyResponse } from '../metrics/survey-repository';
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

function render(
  res: Response,
  status: number,
  values: { rating: string; comment: string },
  errors: { text: string; href: string }[],
) {
  const errorAt = (href: string) => errors.find((e) => e.href === href);
  res.status(status).render('apply/feedback', {
    service: serviceOf(res),
    values,
    errorList: errors,
    ratingError: errorAt('#rating'),
    commentError: errorAt('#comment'),
    ratingItems: SATISFACTION_OPTIONS.map((o, i) => ({ ...o, id: i === 0 ? 'rating' : `rating-${i + 1}` })),
    commentMax: COMMENT_MAX,
  });
}

/** GET /services/:service/feedback */
export function showFeedback(_deps: ApplyDeps) {
  return (_req: Request, res: Response) => render(res, 200, { rating: '', comment: '' }, []);
}

/** POST /services/:service/feedback */
export function sendFeedback(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
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
    const service = serviceOf(res);
    await saveSurveyResponse(deps.db, service.slug, Number(rating), comment || undefined, deps.clock());
    res.redirect(303, `/services/${service.slug}/feedback/thank-you`);
  };
}

/** GET /services/:service/feedback/thank-you */
export function showFeedbackThanks(_deps: ApplyDeps) {
  return (_req: Request, res: Response) => res.render('apply/feedback-thanks', { service: serviceOf(res) });
}
