import type { Request } from 'express';
import { ukDate } from '../clock';
import type { ServiceDefinition } from '../definitions/types';
import { STARTED, countJourneyEvent } from '../metrics/journey-count-repository';
import type { RateLimit } from '../middleware/rate-limit';
import type { ApplyDeps } from './deps';

/** Journeys one client (IP address) may be counted as starting in 10 minutes, counted in the shared database. */
export const JOURNEY_START_LIMIT = { points: 100, durationSeconds: 10 * 60 } as const;

/**
 * Best effort: a failed count is logged and never stops a citizen's journey. Each page counts once per
 * journey (the session remembers which), so refreshes and going back do not inflate drop-off figures.
 */
export async function countOnce(
  deps: ApplyDeps,
  req: Request,
  definition: ServiceDefinition,
  pageId: string,
  alreadyCounted: readonly string[],
): Promise<readonly string[]> {
  if (alreadyCounted.includes(pageId)) return alreadyCounted;
  try {
    await countJourneyEvent(deps.db, definition.slug, pageId, ukDate(deps.clock()));
  } catch (err) {
    req.log?.warn(
      { err: { message: (err as Error).message }, service: definition.slug },
      'could not count journey event',
    );
    return alreadyCounted;
  }
  return [...alreadyCounted, pageId];
}

/**
 * A journey counts as started when its first question page is reached in a session: a question page shown to a
 * session that already holds the application ("Start now" put it there), or a question page answered. A start
 * page or "Start now" alone never counts: anything on any site can fetch those without a cookie. Once per journey
 * and at most JOURNEY_START_LIMIT per client address; past the limit the journey goes on, uncounted (and is not
 * tried again). Best effort, like countOnce.
 */
export async function countStarted(
  deps: ApplyDeps,
  req: Request,
  definition: ServiceDefinition,
  alreadyCounted: readonly string[],
  limit?: RateLimit,
): Promise<readonly string[]> {
  if (alreadyCounted.includes(STARTED)) return alreadyCounted;
  if (limit) {
    try {
      const verdict = await limit.consume(req.ip ?? 'unknown');
      if (!verdict.allowed) return [...alreadyCounted, STARTED];
    } catch (err) {
      req.log?.warn(
        { err: { message: (err as Error).message }, service: definition.slug },
        'could not check the journey start limit',
      );
      return alreadyCounted;
    }
  }
  return countOnce(deps, req, definition, STARTED, alreadyCounted);
}
