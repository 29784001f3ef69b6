import type { Knex } from 'knex';

// At most one satisfaction rating per sent application (src/apply/feedback.ts): set, in the transaction that stores
// the rating, when the application's survey is answered. Only a flag: the rating stays in survey_response with no
// link to the application, so answers stay anonymous.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.boolean('survey_answered').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.dropColumn('survey_answered');
  });
}
