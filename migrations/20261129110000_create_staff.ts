import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_user', (t) => {
    t.bigIncrements('id').primary();
    t.string('email', 254).notNullable().unique(); // stored lower case
    t.string('display_name', 100).notNullable();
    t.string('role', 20).notNullable(); // caseworker | manager | admin
    t.specificType('agencies', 'text[]').notNullable().defaultTo('{}'); // agency ids whose cases they may see
    t.string('password_hash', 200).notNullable(); // argon2id
    t.text('totp_secret_encrypted'); // AES-256-GCM; null until MFA is set up
    t.bigInteger('totp_last_step'); // the last accepted 30-second step: a code is never accepted twice
    t.timestamp('mfa_enrolled_at', { useTz: true });
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "alter table staff_user add constraint staff_user_role_check check (role in ('caseworker', 'manager', 'admin'))",
  );
  await knex.schema.createTable('staff_recovery_code', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('staff_user_id').notNullable().references('id').inTable('staff_user').onDelete('CASCADE');
    t.string('code_hash', 200).notNullable(); // argon2id of a one-time code
    t.timestamp('used_at', { useTz: true });
    t.index(['staff_user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_recovery_code');
  await knex.schema.dropTable('staff_user');
}
