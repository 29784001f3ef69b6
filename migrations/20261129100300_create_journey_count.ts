import type { Knex } from 'knex';

// Server-side counts of journeys started and question pages reached, per service, page and day: the inputs to
// completion rate and drop-off. Counts only: no cookies, no session ids, no personal data.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journey_count', (t) => {
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.string('page_id', 100).notNullable(); // '(started)' for a journey started
    t.date('day').notNullable();
    t.integer('count').notNullable().defaultTo(0);
    t.primary(['service_slug', 'page_id', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('journey_count');
}
