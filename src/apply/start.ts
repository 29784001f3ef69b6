import type { Request, Response } from 'express';
import { STARTED } from '../metrics/journey-count-repository';
import { walk } from '../journey/journey';
import { applicationOf, saveApplication } from './application-state';
import type { ApplyDeps } from './deps';
import { countOnce } from './journey-counting';
import { serviceOf } from './service-param';
import { processingTimeView, typicalTimeFor } from '../performance/typical-time';

/** GET /services/:service — the start page. No session needed; the typical time comes from a per-instance cache. */
export function showStartPage(deps: ApplyDeps) {
  return async (_req: Request, res: Response) => {
    const service = serviceOf(res);
    const processingTime = processingTimeView(service, await typicalTimeFor(deps, service.slug));
    res.render('apply/start', { service, processingTime });
  };
}

/** GET /services/:service/start — "Start now": count the journey, then go to the first page that needs an answer. */
export function startJourney(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    const state = applicationOf(req, service);
    const counted = await countOnce(deps, req, service, STARTED, state.counted ?? []);
    saveApplication(req, service, { ...state, counted });
    const { next } = walk(service, state);
    res.redirect(`/services/${service.slug}/${next ? next.id : 'check-answers'}`);
  };
}
