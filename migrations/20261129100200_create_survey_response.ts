import type { Knex } from 'knex';

// The GOV.UK satisfaction survey on each confirmation page: a rating from 1 (very dissatisfied) to 5 (very
// satisfied) and an optional comment. Not linked to a submission, so answers stay anonymous.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('survey_response', (t) => {
    t.bigIncrements('id').primary();
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.smallint('rating').notNullable();
    t.text('comment');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_slug', 'created_at']);
  });
  await knex.raw(
    'alter table survey_response add constraint survey_response_rating_check check (rating between 1 and 5)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('survey_response');
}
