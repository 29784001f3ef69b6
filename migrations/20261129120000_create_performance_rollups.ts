import type { Knex } from 'knex';

// Rollups for the public performance pages, open data and operator metrics. Each is updated in the same
// transaction as the event it counts (src/metrics/rollup-repository.ts), so the published figures never need to
// scan the submissions: their size grows with services × days (or × distinct processing times), not with
// applications. Days and months are UK dates.
export async function up(knex: Knex): Promise<void> {
  // Applications received and decided per service and UK day. Decided counts sit on the day of the decision.
  await knex.schema.createTable('performance_day', (t) => {
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.date('day').notNullable();
    t.integer('received').notNullable().defaultTo(0);
    t.integer('decided').notNullable().defaultTo(0);
    t.integer('approved').notNullable().defaultTo(0);
    t.integer('rejected').notNullable().defaultTo(0);
    // Decided within the target promised when the application was sent (the snapshot's target).
    t.integer('decided_within_target').notNullable().defaultTo(0);
    t.primary(['service_slug', 'day']);
  });

  // An exact histogram of processing times: how many decisions in a month took exactly `days` working (or
  // calendar) days. Medians and 90th percentiles are computed from it exactly (percentile_cont on the raw rows).
  await knex.schema.createTable('processing_time_month', (t) => {
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.date('month').notNullable(); // the first day of the UK month of the decision
    t.string('unit', 20).notNullable(); // working_days | calendar_days
    t.integer('days').notNullable();
    t.integer('decisions').notNullable().defaultTo(0);
    t.primary(['service_slug', 'month', 'unit', 'days']);
  });
  await knex.raw(
    `alter table processing_time_month add constraint processing_time_month_unit_check
       check (unit in ('working_days', 'calendar_days'))`,
  );

  // Open cases per service and UK day received: the backlog, and its oldest day.
  await knex.schema.createTable('open_case_day', (t) => {
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.date('day').notNullable();
    t.integer('open_cases').notNullable().defaultTo(0);
    t.integer('awaiting_citizen').notNullable().defaultTo(0);
    t.primary(['service_slug', 'day']);
  });
  await knex.raw(
    'create index open_case_day_open_idx on open_case_day (service_slug, day) where open_cases > 0',
  );

  // Satisfaction survey answers per service, UK day and rating (1 very dissatisfied to 5 very satisfied).
  await knex.schema.createTable('survey_rating_day', (t) => {
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.date('day').notNullable();
    t.smallint('rating').notNullable();
    t.integer('responses').notNullable().defaultTo(0);
    t.primary(['service_slug', 'day', 'rating']);
  });

  // What an administrator enters for each service and month: the total cost of running the service and the
  // transactions completed by other channels (post, phone, in person). The inputs to cost per transaction and
  // digital take-up.
  await knex.schema.createTable('service_cost_month', (t) => {
    t.string('service_slug', 100).notNullable().references('slug').inTable('service');
    t.date('month').notNullable();
    t.bigInteger('cost_pence').notNullable();
    t.integer('offline_transactions').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('updated_by'); // no foreign key: seeded figures have no author
    t.primary(['service_slug', 'month']);
  });
  await knex.raw(
    `alter table service_cost_month add constraint service_cost_month_values_check
       check (cost_pence >= 0 and offline_transactions >= 0 and extract(day from month) = 1)`,
  );

  // Applications sent before this migration: counted once, in UK days, as the live code would have counted them.
  // Processing times in working days need the bank holiday calendar, so `npm run seed:history -- --rebuild`
  // recomputes every rollup from the raw rows with the configured calendar; here the received and open counts and
  // the survey answers are enough for a database that had no decisions yet.
  await knex.raw(`
    insert into performance_day (service_slug, day, received)
    select service_slug, (submitted_at at time zone 'Europe/London')::date, count(*)
      from submission group by 1, 2`);
  await knex.raw(`
    insert into open_case_day (service_slug, day, open_cases, awaiting_citizen)
    select service_slug, (submitted_at at time zone 'Europe/London')::date,
           count(*), count(*) filter (where status = 'awaiting-citizen')
      from submission where status in ('submitted', 'in-review', 'awaiting-citizen') group by 1, 2`);
  await knex.raw(`
    insert into survey_rating_day (service_slug, day, rating, responses)
    select service_slug, (created_at at time zone 'Europe/London')::date, rating, count(*)
      from survey_response group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_cost_month');
  await knex.schema.dropTable('survey_rating_day');
  await knex.schema.dropTable('open_case_day');
  await knex.schema.dropTable('processing_time_month');
  await knex.schema.dropTable('performance_day');
}
