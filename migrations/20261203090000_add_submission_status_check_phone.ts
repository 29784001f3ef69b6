import type { Knex } from 'knex';

// The status check's second factor is a contact detail the applicant gave about themselves: the email address or
// phone number each service marks with `statusCheckQuestions` (src/definitions/types.ts), no longer a postcode
// (a pothole's postcode is a public place). The phone number is kept here in E.164, like '+447700900982'.
// Applications sent before this change get their contact email and phone from their answers, so their owners
// can still check them; status_check_postcode is no longer read and is dropped in a later release (an instance of
// the previous version may still be running while this one rolls out).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.string('status_check_phone', 16);
  });
  await knex('submission')
    .whereNull('anonymised_at')
    .whereNull('status_check_email')
    .whereRaw("jsonb_typeof(answers -> 'contactEmail') = 'string'")
    .update({ status_check_email: knex.raw("lower(answers ->> 'contactEmail')") });
  await knex('submission')
    .whereNull('anonymised_at')
    .whereRaw("jsonb_typeof(answers -> 'contactPhone') = 'string'")
    .whereRaw("answers ->> 'contactPhone' ~ '^\\+[0-9]{6,15}$'")
    .update({ status_check_phone: knex.raw("answers ->> 'contactPhone'") });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission', (t) => {
    t.dropColumn('status_check_phone');
  });
}
