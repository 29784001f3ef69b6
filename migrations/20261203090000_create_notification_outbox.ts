import type { Knex } from 'knex';

// Notifications (src/notifications, docs/adr/0001-notifications-outbox.md): a transactional outbox. A message is
// written in the same transaction as the event that causes it (the submission, a request for information, a
// decision) and a worker delivers it. The row holds what the message says (`data`); it is rendered when sent.
export async function up(knex: Knex): Promise<void> {
  // The address the citizen gave for updates, if any (src/notifications/contact.ts). Deleted by retention.
  await knex.schema.alterTable('submission', (t) => {
    t.text('contact_email');
  });
  // Applications sent before this: the status-check email, or the contactEmail answer most services use (a
  // one-off; new ones use src/notifications/contact.ts). Without it they could not be asked for information.
  await knex.raw(
    `update submission set contact_email = coalesce(status_check_email, nullif(lower(trim(answers->>'contactEmail')), ''))
       where anonymised_at is null`,
  );
  await knex.schema.createTable('notification_outbox', (t) => {
    // Also the message's Message-ID: a retry after a crash sends the same message, never a second one.
    t.uuid('id').primary();
    t.string('template', 40).notNullable();
    t.bigInteger('submission_id').references('id').inTable('submission').onDelete('CASCADE');
    t.text('recipient').notNullable();
    // What the template needs (reference, service, answers with identifiers masked...): personal data, so
    // retention deletes the rows of an anonymised application with it.
    t.jsonb('data').notNullable();
    t.string('status', 10).notNullable().defaultTo('pending'); // pending | sent | dead
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // A code only (e.g. "EENVELOPE 451"), never the server's text, which can quote the address.
    t.string('last_error', 200);
    t.string('delivered_via', 10); // smtp | mailbox
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['submission_id']);
  });
  await knex.raw(
    `alter table notification_outbox add constraint notification_outbox_status_check
       check (status in ('pending', 'sent', 'dead'))`,
  );
  // What the worker looks for: pending messages that are due. Partial, so it stays as small as the backlog.
  await knex.raw(
    `create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'pending'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_outbox');
  await knex.schema.alterTable('submission', (t) => {
    t.dropColumn('contact_email');
  });
}
