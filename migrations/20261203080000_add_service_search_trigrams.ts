import type { Knex } from 'knex';

// Typo-tolerant search (src/catalogue/service-repository.ts): pg_trgm's word similarity between what was typed and
// each service's title and keywords finds "blu badge", "fising licence" and "self asessment". pg_trgm ships with
// PostgreSQL (a trusted extension: the schema owner can create it) and with PGlite (loaded in src/db.ts).
// The catalogue is a few dozen rows at most, so there is no trigram index: a scan of it is cheaper.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pg_trgm');
  await knex.schema.alterTable('service', (t) => {
    t.text('search_text').notNullable().defaultTo('');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('service', (t) => {
    t.dropColumn('search_text');
  });
  await knex.raw('drop extension if exists pg_trgm');
}
