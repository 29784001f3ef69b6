import type { Db } from '../db';
import { recordSurveyRating } from './rollup-repository';

/**
 * Store a survey answer and count it in the satisfaction rollup, in one transaction. `at` is the app clock's
 * time; callers that pass none get the current time.
 */
export async function saveSurveyResponse(
  db: Db,
  serviceSlug: string,
  rating: number,
  comment?: string,
  at: Date = new Date(),
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('survey_response').insert({
      service_slug: serviceSlug,
      rating,
      comment: comment ?? null,
      created_at: at,
    });
    await recordSurveyRating(trx, serviceSlug, rating, at);
  });
}
