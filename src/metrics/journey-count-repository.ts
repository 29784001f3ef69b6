import type { Db } from '../db';

export const STARTED = '(started)';

/** Add one to a service's count for a page (or STARTED) today. Counts only: nothing about who. */
export async function countJourneyEvent(
  db: Db,
  serviceSlug: string,
  pageId: string,
  day: string,
): Promise<void> {
  await db('journey_count')
    .insert({ service_slug: serviceSlug, page_id: pageId, day, count: 1 })
    .onConflict(['service_slug', 'page_id', 'day'])
    .merge({ count: db.raw('journey_count.count + 1') });
}
