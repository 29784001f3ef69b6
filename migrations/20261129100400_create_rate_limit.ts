import type { Knex } from 'knex';

// Counters for rate-limiter-flexible's Postgres store, shared by every app instance. Columns as the library expects.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit');
}
