import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.bigInteger('assigned_to').references('id').inTable('staff_user');
    // Bumped by every change to the case: a decision made on a stale view is refused, never lost.
    t.integer('version').notNullable().defaultTo(1);
    t.text('decision_reason'); // shown to the citizen when an application is rejected
    // The processing clock: due on this date (working days from submission), pushed back by the time spent
    // waiting for the citizen. While awaiting_since is set the clock is paused.
    t.date('due_date');
    t.timestamp('awaiting_since', { useTz: true });
    t.bigInteger('paused_seconds').notNullable().defaultTo(0);
    t.integer('paused_working_days').notNullable().defaultTo(0);
    t.index(['assigned_to']);
    t.index(['status', 'due_date']);
  });
  await knex.schema.alterTable('submission_event', (t) => {
    t.bigInteger('actor_id').references('id').inTable('staff_user');
  });
  // Internal notes: staff only.
  await knex.schema.createTable('submission_note', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('submission_id').notNullable().references('id').inTable('submission').onDelete('CASCADE');
    t.bigInteger('author_id').notNullable().references('id').inTable('staff_user');
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['submission_id']);
  });
  // Messages the citizen sees on the status page: requests for information and their replies.
  await knex.schema.createTable('submission_message', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('submission_id').notNullable().references('id').inTable('submission').onDelete('CASCADE');
    t.string('direction', 20).notNullable(); // to-citizen | from-citizen
    t.bigInteger('author_id').references('id').inTable('staff_user'); // null for the citizen
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['submission_id']);
  });
  // Append-only audit log. The database itself refuses to change or remove a row.
  await knex.schema.createTable('audit_event', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('actor_id'); // no foreign key: the log outlives what it records
    t.string('actor_role', 20);
    t.string('action', 60).notNullable();
    t.bigInteger('submission_id');
    t.string('from_status', 30);
    t.string('to_status', 30);
    t.string('request_id', 64);
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['submission_id', 'occurred_at']);
    t.index(['actor_id', 'occurred_at']);
  });
  await knex.raw(`create function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only' using errcode = '42501';
    end
  $$`);
  await knex.raw(`create trigger audit_event_no_change before update or delete on audit_event
    for each row execute function audit_event_is_append_only()`);
  await knex.raw(`create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_event');
  await knex.raw('drop function audit_event_is_append_only()');
  await knex.schema.dropTable('submission_message');
  await knex.schema.dropTable('submission_note');
  await knex.schema.alterTable('submission_event', (t) => {
    t.dropColumn('actor_id');
  });
  await knex.schema.alterTable('submission', (t) => {
    t.dropIndex(['status', 'due_date']);
    t.dropColumn('paused_working_days');
    t.dropColumn('paused_seconds');
    t.dropColumn('awaiting_since');
    t.dropColumn('due_date');
    t.dropColumn('decision_reason');
    t.dropColumn('version');
    t.dropColumn('assigned_to');
  });
}
