import type { Request, Response } from 'express';
import { formatReference } from '../submissions/reference';
import { hasApplication, lastSent } from './application-state';
import { serviceOf } from './service-param';

/**
 * After sending, the session holds no journey for the service. Going back to its pages (the browser's Back from
 * the confirmation) shows that the application was sent, with its reference, instead of a blank first question;
 * "Start a new application" goes through Start now, which begins a new journey. True when that page was shown.
 */
export function showAlreadySent(req: Request, res: Response): boolean {
  const service = serviceOf(res);
  const reference = hasApplication(req, service) ? undefined : lastSent(req, service);
  if (!reference) return false;
  res.render('apply/already-sent', {
    service,
    reference: formatReference(reference),
    confirmationHref: `/services/${service.slug}/confirmation/${reference}`,
  });
  return true;
}
