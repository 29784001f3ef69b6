import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('submission', (t) => {
    t.bigIncrements('id').primary();
    // Unique: a collision on insert is retried with a new reference, never stored twice.
    t.string('reference', 12).notNullable().unique();
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.integer('definition_version').notNullable();
    // What the citizen saw, so later changes to the service never change what staff see.
    t.jsonb('definition_snapshot').notNullable();
    t.jsonb('answers').notNullable();
    t.jsonb('calculation');
    // Issued at check your answers; unique, so repeated or parallel submits of one form create one row.
    t.uuid('submission_token').notNullable().unique();
    t.string('status', 30).notNullable().defaultTo('submitted');
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true });
    // Normalised copies of the answer that proves ownership on the status check.
    t.string('status_check_postcode', 10);
    t.string('status_check_email', 254);
    t.index(['service_slug', 'submitted_at']);
    t.index(['status']);
  });
  await knex.schema.createTable('submission_event', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('submission_id').notNullable().references('id').inTable('submission').onDelete('CASCADE');
    t.string('type', 40).notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['submission_id', 'occurred_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('submission_event');
  await knex.schema.dropTable('submission');
}
