import type { Knex } from 'knex';
import type { Db } from '../db';
import { recordSurveyRating } from './rollup-repository';

/**
 * Store a survey answer and count it in the satisfaction rollup, in one transaction (or in the caller's). `at` is
 * the app clock's time; callers that pass none get the current time. Citizens' answers go through
 * saveRatingForApplication, which allows one per sent application.
 */
export async function saveSurveyResponse(
  db: Db | Knex.Transaction,
  serviceSlug: string,
  rating: number,
  comment?: string,
  at: Date = new Date(),
): Promise<void> {
  const write = async (trx: Knex.Transaction) => {
    await trx('survey_response').insert({
      service_slug: serviceSlug,
      rating,
      comment: comment ?? null,
      created_at: at,
    });
    await recordSurveyRating(trx, serviceSlug, rating, at);
  };
  if (db.isTransaction) await write(db as Knex.Transaction);
  else await db.transaction(write);
}

/**
 * The newest of these sent applications (references, all of one service) whose survey has not been answered, if
 * any: the one a rating from this browser would be for.
 */
export async function applicationToRate(
  db: Db,
  serviceSlug: string,
  references: readonly string[],
): Promise<string | undefined> {
  if (references.length === 0) return undefined;
  const row = await db('submission')
    .whereIn('reference', references)
    .where({ service_slug: serviceSlug, survey_answered: false })
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .first('reference');
  return row?.reference as string | undefined;
}

/**
 * A citizen's survey answer about one sent application: at most one per application. The application is marked
 * as answered by a conditional update in the transaction that stores the answer, so of two answers for it (a
 * second tab, a replayed form) one is stored and the other gets false. The answer is not linked to the application.
 */
export async function saveRatingForApplication(
  db: Db,
  answer: Readonly<{ serviceSlug: string; reference: string; rating: number; comment?: string }>,
  at: Date,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const marked = await trx('submission')
      .where({ reference: answer.reference, service_slug: answer.serviceSlug, survey_answered: false })
      .update({ survey_answered: true });
    if (marked !== 1) return false;
    await saveSurveyResponse(trx, answer.serviceSlug, answer.rating, answer.comment, at);
    return true;
  });
}
