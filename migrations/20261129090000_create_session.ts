import type { Knex } from 'knex';

// Sessions live in the database so that any app instance can serve any request (see docs/operations.md, "Scaling out").
// The columns are the ones connect-session-knex reads and writes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('session', (t) => {
    t.string('sid', 255).primary();
    t.json('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session');
}
