import type { Knex } from 'knex';

// "Your applications" (src/sign-in, docs/your-applications.md): a citizen signs in with a link we email. The link
// is random; only its SHA-256 is kept here, and it works once. The email waits in the outbox with the token sealed
// and goes with its link (retention deletes expired links).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('citizen_sign_in_link', (t) => {
    t.uuid('id').primary();
    t.string('token_hash', 64).notNullable().unique();
    // Lower-cased: whose applications and drafts the link shows.
    t.text('email').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['expires_at']);
  });
  await knex.schema.alterTable('notification_outbox', (t) => {
    t.uuid('sign_in_link_id').references('id').inTable('citizen_sign_in_link').onDelete('CASCADE');
    t.index(['sign_in_link_id']);
  });
  // "Your applications" and "I have lost my reference" look applications up by address.
  await knex.raw('create index submission_contact_email_idx on submission (lower(contact_email))');
  await knex.raw('create index submission_status_check_email_idx on submission (lower(status_check_email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index submission_status_check_email_idx');
  await knex.raw('drop index submission_contact_email_idx');
  await knex.schema.alterTable('notification_outbox', (t) => {
    t.dropColumn('sign_in_link_id');
  });
  await knex.schema.dropTable('citizen_sign_in_link');
}
