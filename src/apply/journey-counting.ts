import type { Request } from 'express';
import { ukDate } from '../clock';
import type { ServiceDefinition } from '../definitions/types';
import { countJourneyEvent } from '../metrics/journey-count-repository';
import type { ApplyDeps } from './deps';

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
