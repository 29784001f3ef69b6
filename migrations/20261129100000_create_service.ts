import type { Knex } from 'knex';

// The catalogue's copy of each service definition, synced from src/definitions/services at start. Definitions
// stay the source of truth; this table lets SQL join, search and report by service.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service', (t) => {
    t.string('slug', 100).primary();
    t.integer('version').notNullable();
    t.string('title', 200).notNullable();
    t.text('summary').notNullable();
    t.string('agency_id', 100).notNullable();
    t.string('agency_name', 200).notNullable();
    t.specificType('topics', 'text[]').notNullable();
    t.specificType('keywords', 'text[]').notNullable();
    t.integer('processing_target_working_days').notNullable();
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Full-text search document over title (weight A), keywords (B) and summary (C), written by the sync.
    t.specificType('search', 'tsvector').notNullable();
  });
  await knex.raw('create index service_search_idx on service using gin (search)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service');
}
