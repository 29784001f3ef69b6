import type { Db } from '../db';
import type { ServiceDefinition } from '../definitions/types';

/** Keep the service table in step with the definitions: insert new services, update changed ones. */
export async function syncServices(db: Db, definitions: readonly ServiceDefinition[]): Promise<void> {
  if (definitions.length === 0) return;
  await db('service')
    .insert(
      definitions.map((d) => ({
        slug: d.slug,
        version: d.version,
        title: d.title,
        summary: d.summary,
        agency_id: d.agency.id,
        agency_name: d.agency.name,
        topics: d.topics,
        keywords: d.keywords,
        processing_target_working_days: d.processingTargetWorkingDays,
        search: db.raw(
          `setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B') || setweight(to_tsvector('english', ?), 'C')`,
          [d.title, d.keywords.join(' '), d.summary],
        ),
        search_text: [d.title, ...d.keywords].join(' ').toLowerCase(),
        synced_at: db.fn.now(),
      })),
    )
    .onConflict('slug')
    .merge();
}

/** How alike a typed word must be to a word of a service's title or keywords (pg_trgm word similarity, 0 to 1). */
export const TYPO_SIMILARITY = 0.5;

/**
 * Services matching a search, best first: Postgres full-text search (stemmed, so "registering" finds
 * "register"), a plain substring match on the title and keywords for partial words like "vehic", and trigram
 * word similarity for misspellings ("blu badge", "fising licence", "self asessment").
 */
export async function searchServices(db: Db, query: string): Promise<string[]> {
  const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const typed = query.toLowerCase();
  const rows: { slug: string }[] = await db('service')
    .select('slug')
    .select(
      db.raw(
        `ts_rank(search, websearch_to_tsquery('english', ?)) + word_similarity(?, search_text) as rank`,
        [query, typed],
      ),
    )
    .whereRaw(`search @@ websearch_to_tsquery('english', ?)`, [query])
    .orWhereRaw(`title ilike ?`, [like])
    .orWhereRaw(`array_to_string(keywords, ' ') ilike ?`, [like])
    .orWhereRaw(`word_similarity(?, search_text) >= ?`, [typed, TYPO_SIMILARITY])
    .orderBy([{ column: 'rank', order: 'desc' }, { column: 'title' }])
    .limit(50);
  return rows.map((r) => r.slug);
}
