import type { Request, Response } from 'express';
import { walk } from '../journey/journey';
import { applicationOf, saveApplication } from './application-state';
import type { ApplyDeps } from './deps';
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

/**
 * GET /services/:service/start — "Start now": keep the application in the session and go to the first page that
 * needs an answer. Not counted here: a journey counts as started when that page is reached in the session
 * (journey-counting.ts countStarted), so fetching this address without a cookie counts nothing.
 */
export function startJourney(_deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    const state = applicationOf(req, service);
    if (saveApplication(req, service, state)) await saveSession(req);
    const { next } = walk(service, state);
    res.redirect(`/services/${service.slug}/${next ? next.id : 'check-answers'}`);
  };
}
