import type { Knex } from 'knex';

// Evidence uploaded with an application (src/uploads, docs/uploads.md). A file is stored only after its content
// was checked and a virus scanner found it clean. Until the application is sent it belongs to the journey that
// uploaded it (`journey_key`, a random key kept in that session's answers); sending attaches it to the
// submission in the same transaction. Unattached files older than a journey can last are deleted by the worker.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('upload', (t) => {
    t.uuid('id').primary();
    t.string('journey_key', 64).notNullable();
    t.bigInteger('submission_id').references('id').inTable('submission').onDelete('CASCADE');
    // A file sent with a reply to a request for more information: the message it came with.
    t.bigInteger('message_id').references('id').inTable('submission_message').onDelete('CASCADE');
    t.string('question_id', 100).notNullable();
    // Cleaned (src/uploads/file-content.ts) and only ever shown or sent as a download name, never a path.
    t.string('file_name', 200).notNullable();
    t.string('kind', 10).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['submission_id']);
    t.index(['journey_key']);
  });
  await knex.raw(`alter table upload add constraint upload_kind_check check (kind in ('jpg', 'png', 'pdf'))`);
  // What the clean-up looks for: files never sent. Partial, so it stays as small as the journeys in progress.
  await knex.raw('create index upload_unattached_idx on upload (created_at) where submission_id is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('upload');
}
