import type { Knex } from 'knex';

// Urgent applications (a service's `urgency` rule, src/definitions/types.ts: a pothole that is an immediate danger)
// are flagged when sent and come first in the staff queue and in "Take the next case".
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.boolean('urgent').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.dropColumn('urgent');
  });
}
