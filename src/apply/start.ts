import type { Request, Response } from 'express';
import { STARTED } from '../metrics/journey-count-repository';
import { walk } from '../journey/journey';
import { applicationOf, saveApplication } from './application-state';
import type { ApplyDeps } from './deps';
import { countOnce } from './journey-counting';
import { saveSession } from '../middleware/session';
import { serviceOf } from './service-param';
import { processingTimeView, typicalTimes } from '../performance/typical-time';

/**
 * GET /services/:service — the start page. No session needed; the typical time comes from a per-instance cache,
 * and the page is the same for everyone, so it is rendered once for each set of typical times (page cache).
 */
export function showStartPage(deps: ApplyDeps) {
  return async (_req: Request, res: Response) => {
    const service = serviceOf(res);
    const times = await typicalTimes(deps);
    const context = () => {
      const time = times.get(service.slug);
      const processingTime = processingTimeView(service, time && time.median !== null ? time : undefined);
      return { service, processingTime };
    };
    deps.pages.send(res, `start:${service.slug}`, 'apply/start', context, times);
  };
}

/** GET /services/:service/start — "Start now": count the journey, then go to the first page that needs an answer. */
export function startJourney(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    const state = applicationOf(req, service);
    const counted = await countOnce(deps, req, service, STARTED, state.counted ?? []);
    if (saveApplication(req, service, { ...state, counted })) await saveSession(req);
    const { next } = walk(service, state);
    res.redirect(`/services/${service.slug}/${next ? next.id : 'check-answers'}`);
  };
}
