import type { Knex } from 'knex';

// Save and come back later (src/drafts, docs/save-and-return.md). A draft is the answers of one journey, kept on
// the server (never in a link) until it expires, tied to the version of the service it was started on. A link to
// continue it is random; only its SHA-256 is kept here, and it works once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('draft', (t) => {
    t.uuid('id').primary();
    t.string('service_slug', 100).notNullable();
    t.integer('service_version').notNullable();
    // Lower-cased: where the links go, and (later) whose "your applications" page lists it.
    t.text('email').notNullable();
    // The journey as the session held it (answers, pages completed), and the pages as they were asked, so a
    // changed service can tell which answers no longer apply.
    t.jsonb('state').notNullable();
    t.jsonb('pages').notNullable();
    // The files uploaded in the journey (src/uploads): kept while the draft is.
    t.string('upload_key', 64);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('saved_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['email']);
    t.index(['expires_at']);
    t.index(['upload_key']);
  });
  await knex.schema.createTable('draft_link', (t) => {
    t.string('token_hash', 64).primary();
    t.uuid('draft_id').notNullable().references('id').inTable('draft').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['draft_id']);
  });
  // The email with the link goes with its draft (retention deletes expired drafts).
  await knex.schema.alterTable('notification_outbox', (t) => {
    t.uuid('draft_id').references('id').inTable('draft').onDelete('CASCADE');
    t.index(['draft_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notification_outbox', (t) => {
    t.dropColumn('draft_id');
  });
  await knex.schema.dropTable('draft_link');
  await knex.schema.dropTable('draft');
}
