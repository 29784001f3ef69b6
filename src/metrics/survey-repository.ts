import type { Db } from '../db';

export async function saveSurveyResponse(
  db: Db,
  serviceSlug: string,
  rating: number,
  comment?: string,
): Promise<void> {
  await db('survey_response').insert({ service_slug: serviceSlug, rating, comment: comment ?? null });
}
