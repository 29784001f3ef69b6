import type { Knex } from 'knex';

// Staff sessions and the password lifecycle (src/staff/access.ts, src/staff/account.ts).
// - session_generation: copied into a staff session when it is created and compared on every staff request.
//   Disabling an account, "Sign out everywhere", a password change and a password reset add one, so every
//   older session is refused however many requests were in flight when it happened.
// - password_must_change: the password is a temporary one an administrator saw (at creation or after a
//   reset); the person must choose their own after the code step, before anything else.
// - password_changed_at: when the person last chose their own password.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_user', (t) => {
    t.integer('session_generation').notNullable().defaultTo(0);
    t.boolean('password_must_change').notNullable().defaultTo(false);
    t.timestamp('password_changed_at', { useTz: true });
  });
  // Accounts that never finished their first sign-in still have the temporary password an administrator saw.
  await knex('staff_user').whereNull('mfa_enrolled_at').update({ password_must_change: true });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_user', (t) => {
    t.dropColumn('password_changed_at');
    t.dropColumn('password_must_change');
    t.dropColumn('session_generation');
  });
}
