import type { Request, Response } from 'express';
import { formatReference } from '../submissions/reference';
import { isUrgent } from '../submissions/submission-repository';
import type { ApplyDeps } from './deps';
import { serviceOf } from './service-param';
import { processingTimeView, typicalTimeFor } from '../performance/typical-time';

/** GET /services/:service/confirmation/:reference — only for the session that sent it. */
export function showConfirmation(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    const reference = String(req.params.reference);
    if (req.session.submitted?.[reference] !== service.slug) {
      res.status(404).render('errors/not-found');
      return;
    }
    const statusQuestion = service.pages
      .flatMap((p) => p.questions)
      .find((q) => q.id === service.statusCheckQuestion);
    res.render('apply/confirmation', {
      service,
      reference: formatReference(reference),
      verifierName: statusQuestion?.type === 'email' ? 'email address' : 'postcode',
      processingTime: processingTimeView(service, await typicalTimeFor(deps, service.slug)),
      // An urgent report (a dangerous pothole) repeats what to do now, such as the emergency number.
      urgentAdvice: service.urgency && (await isUrgent(deps.db, reference)) ? service.urgency.advice : [],
    });
  };
}
