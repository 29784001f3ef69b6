import type { Knex } from 'knex';

// The worker's per-recipient limit (MAIL_PER_RECIPIENT_PER_HOUR, src/notifications/outbox.ts claimBatch): at most so
// many messages to one address in any hour, counting those sent and those being sent right now.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notification_outbox', (t) => {
    // While a worker holds the message (its lease); cleared when the attempt ends, sent or not.
    t.timestamp('claimed_until', { useTz: true });
    // How many times the limit put the message off (for /metrics; an attempt is not used).
    t.integer('deferrals').notNullable().defaultTo(0);
  });
  // Addresses are compared case-insensitively. An address has few messages, so this finds them all quickly.
  await knex.raw('create index notification_outbox_recipient_idx on notification_outbox (lower(recipient))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index notification_outbox_recipient_idx');
  await knex.schema.alterTable('notification_outbox', (t) => {
    t.dropColumn('claimed_until');
    t.dropColumn('deferrals');
  });
}
