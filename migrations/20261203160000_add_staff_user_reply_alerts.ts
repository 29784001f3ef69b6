import type { Knex } from 'knex';

// A member of staff may ask to be emailed when a citizen replies on a case assigned to them
// (/staff/account/notifications, src/staff/account.ts). Off unless they turn it on.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_user', (t) => {
    t.boolean('alert_on_citizen_reply').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_user', (t) => {
    t.dropColumn('alert_on_citizen_reply');
  });
}
