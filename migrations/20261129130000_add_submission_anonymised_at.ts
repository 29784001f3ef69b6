import type { Knex } from 'knex';

// Data retention (docs/security.md#d2, src/retention/retention.ts): a decided application older than the retention
// period keeps its row, reference, status, timestamps and events (the published figures are built from them), but
// loses its answers, contact details, decision reason, notes and messages. anonymised_at says when.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.timestamp('anonymised_at', { useTz: true });
  });
  // What the retention job looks for each day: decided applications not yet anonymised, oldest decision first.
  // Partial, so it stays as small as the backlog of decisions still inside the retention period.
  await knex.raw(
    `create index submission_retention_due_idx on submission (decided_at, id)
       where anonymised_at is null and status in ('approved', 'rejected')`,
  );
  // Survey comments still held, by age (the ratings stay for the satisfaction figures).
  await knex.raw(
    'create index survey_response_comment_age_idx on survey_response (created_at) where comment is not null',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index survey_response_comment_age_idx');
  await knex.raw('drop index submission_retention_due_idx');
  await knex.schema.alterTable('submission', (t) => {
    t.dropColumn('anonymised_at');
  });
}
