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
    const questions = service.pages.flatMap((p) => p.questions);
    const proofTypes = new Set(
      service.statusCheckQuestions.map((id) => questions.find((q) => q.id === id)?.type),
    );
    res.render('apply/confirmation', {
      service,
      reference: formatReference(reference),
      verifierName: [
        ...(proofTypes.has('email') ? ['email address'] : []),
        ...(proofTypes.has('phone') ? ['phone number'] : []),
      ].join(' or '),
      processingTime: processingTimeView(service, await typicalTimeFor(deps, service.slug)),
      // An urgent report (a dangerous pothole) repeats what to do now, such as the emergency number.
      urgentAdvice: service.urgency && (await isUrgent(deps.db, reference)) ? service.urgency.advice : [],
    });
  };
}
