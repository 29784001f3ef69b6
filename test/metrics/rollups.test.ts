import crypto from 'node:crypto';
import fc from 'fast-check';
import { createCalendar, loadBankHolidays } from '../../src/calendar/working-days';
import { ukDate } from '../../src/clock';
import { syncServices } from '../../src/catalogue/service-repository';
import { snapshotDefinition } from '../../src/definitions/snapshot';
import type { ServiceDefinition } from '../../src/definitions/types';
import { histogramPercentiles, processingTimeHistogram } from '../../src/metrics/figures-repository';
import { generateHistory } from '../../src/metrics/history-generator';
import { percentileCont } from '../../src/metrics/percentile';
import { rebuildRollups } from '../../src/metrics/rollup-repository';
import { saveSurveyResponse } from '../../src/metrics/survey-repository';
import { changeCase, recordCitizenReply, type CaseChange } from '../../src/staff/case-repository';
import { insertSubmission } from '../../src/submissions/submission-repository';
import { shippedServices } from '../helpers/app';
import { createTestDb, driverName, type TestDb } from '../helpers/db';
import { createStaffUser } from '../helpers/staff';
import { isDecided, rawSubmissions, recompute, rollups, workingDaysOf } from './recompute';

const calendar = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));

type Command =
  | { kind: 'submit'; service: number }
  | { kind: 'assign' | 'request' | 'reply' | 'approve' | 'reject'; target: number }
  | { kind: 'survey'; service: number; rating: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('submit' as const), service: fc.nat(5) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'assign' as const,
        'request' as const,
        'reply' as const,
        'approve' as const,
        'reject' as const,
      ),
      target: fc.nat(1000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('survey' as const),
      service: fc.nat(5),
      rating: fc.integer({ min: 1, max: 5 }),
    }),
  },
);

// A step: some time passes (minutes to days, so weekends and the Christmas bank holidays are crossed), then one
// command, or two at once (on PostgreSQL they really run concurrently and may race for the same case).
const stepArb = fc.record({
  advanceMinutes: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 600, max: 4 * 24 * 60 })),
  commands: fc.array(commandArb, { minLength: 1, maxLength: 2 }),
});

describe(`the performance rollups (${driverName()})`, () => {
  let t: TestDb;
  let services: readonly ServiceDefinition[];
  let actorId: number;
  let now = new Date('2026-12-14T09:00:00Z');
  const references: { id: number; reference: string }[] = [];

  beforeAll(async () => {
    t = await createTestDb();
    services = shippedServices().services;
    await syncServices(t.db, services);
    actorId = (await createStaffUser(t.db, { role: 'caseworker', enrolled: false })).id;
  });
  afterAll(() => t.destroy());

  async function run(command: Command, at: Date): Promise<void> {
    if (command.kind === 'submit') {
      const service = services[command.service % services.length]!;
      const result = await insertSubmission(t.db, {
        serviceSlug: service.slug,
        definitionVersion: service.version,
        snapshot: snapshotDefinition(service),
        answers: {},
        // An email to reach the citizen: a request for more information is refused without one.
        contactEmail: 'citizen@example.com',
        submissionToken: crypto.randomUUID(),
        submittedAt: at,
        dueDate: calendar.addWorkingDays(ukDate(at), service.processingTargetWorkingDays),
      });
      const row = await t.db('submission').where({ reference: result.reference }).first('id');
      references.push({ id: row.id, reference: result.reference });
      return;
    }
    if (command.kind === 'survey') {
      await saveSurveyResponse(
        t.db,
        services[command.service % services.length]!.slug,
        command.rating,
        undefined,
        at,
      );
      return;
    }
    const target = references[command.target % Math.max(1, references.length)];
    if (!target) return;
    if (command.kind === 'reply') {
      await recordCitizenReply(t.db, target.reference, 'Here it is', at, calendar);
      return;
    }
    const { version } = await t.db('submission').where({ id: target.id }).first('version');
    const change: CaseChange =
      command.kind === 'assign'
        ? { kind: 'assign', to: actorId }
        : command.kind === 'request'
          ? { kind: 'request-information', message: 'Send a photo' }
          : command.kind === 'approve'
            ? { kind: 'approve' }
            : { kind: 'reject', reason: 'Not eligible' };
    await changeCase(
      t.db,
      { submissionId: target.id, expectedVersion: version },
      change,
      { id: actorId, role: 'caseworker' },
      at,
      calendar,
    );
  }

  it('equal a direct recomputation from the raw rows after any sequence of events (property test)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 30 }), async (steps) => {
        for (const step of steps) {
          now = new Date(now.getTime() + step.advanceMinutes * 60_000);
          await Promise.all(step.commands.map((c) => run(c, now)));
        }
        expect(await rollups(t.db)).toEqual(await recompute(t.db, calendar));
      }),
      { seed: 20261129, numRuns: 25 },
    );
    // The sequence did reach every kind of state.
    const statuses = await t.db('submission').distinct('status').pluck('status');
    expect(statuses.sort()).toEqual(['approved', 'awaiting-citizen', 'in-review', 'rejected', 'submitted']);
    expect(
      Number((await t.db('submission').where('paused_seconds', '>', 0).count({ n: '*' }))[0]!.n),
    ).toBeGreaterThan(0);
  });

  it('give medians and 90th percentiles equal to percentile_cont over the raw rows', async () => {
    const decided = (await rawSubmissions(t.db)).filter(isDecided);
    const slugs = [...new Set(decided.map((s) => s.service_slug))];
    expect(slugs.length).toBeGreaterThan(2);
    const rows = await processingTimeHistogram(t.db, slugs, '2000-01', '2100-12');
    // The same, worked out inside the database (what the pages use).
    const inSql = await histogramPercentiles(
      t.db,
      slugs,
      { first: '2000-01', last: '2100-12' },
      { currentFirst: '2000-01' },
    );
    for (const slug of slugs) {
      for (const unit of ['working_days', 'calendar_days'] as const) {
        const h = new Map<number, number>();
        for (const r of rows.filter((r) => r.serviceSlug === slug && r.unit === unit)) {
          h.set(r.days, (h.get(r.days) ?? 0) + r.decisions);
        }
        // Working days need the calendar, so their per-case values are computed here and handed to SQL;
        // calendar days are computed by SQL itself from the timestamps.
        const direct =
          unit === 'working_days'
            ? await t.db.raw(
                `select percentile_cont(0.5) within group (order by d) as median,
                        percentile_cont(0.9) within group (order by d) as p90 from unnest(?::int[]) as d`,
                [
                  decided.filter((s) => s.service_slug === slug).map((s) => workingDaysOf(s, calendar)),
                ] as never,
              )
            : await t.db.raw(
                `select percentile_cont(0.5) within group (order by d) as median,
                        percentile_cont(0.9) within group (order by d) as p90
                   from (select greatest(0, floor((extract(epoch from decided_at - submitted_at) - paused_seconds) / 86400)) as d
                           from submission where service_slug = ? and status in ('approved', 'rejected')) x`,
                [slug],
              );
        const row = direct.rows[0] as { median: number; p90: number };
        expect(percentileCont(h, 0.5)).toBeCloseTo(Number(row.median), 9);
        expect(percentileCont(h, 0.9)).toBeCloseTo(Number(row.p90), 9);
        const sql = inSql.find((r) => r.serviceSlug === slug && r.unit === unit && r.bucket === 'current')!;
        expect(sql.median).toBeCloseTo(Number(row.median), 9);
        expect(sql.p90).toBeCloseTo(Number(row.p90), 9);
      }
    }
  });

  it('are rebuilt from the raw rows to the same values', async () => {
    const before = await rollups(t.db);
    await t.db('performance_day').update({ received: 0 });
    await rebuildRollups(t.db, calendar);
    expect(await rollups(t.db)).toEqual(before);
  });

  it('come out equal to a recomputation after seed:history adds a generated history', async () => {
    const summary = await generateHistory(t.db, services, calendar, {
      submissions: 3000,
      now: new Date('2027-03-10T15:00:00Z'),
      days: 200,
      seed: 7,
      batchSize: 700,
    });
    expect(summary.submissions).toBeGreaterThan(2900);
    expect(summary.open).toBeGreaterThan(0);
    expect(summary.surveyResponses).toBeGreaterThan(0);
    expect(await rollups(t.db)).toEqual(await recompute(t.db, calendar));
    const paused = await t.db('submission').where('paused_working_days', '>', 0).count({ n: '*' });
    expect(Number(paused[0]!.n)).toBeGreaterThan(50);
    const overdue = await t
      .db('submission')
      .whereIn('status', ['approved', 'rejected'])
      .whereRaw('decided_at::date > due_date')
      .count({ n: '*' });
    expect(Number(overdue[0]!.n)).toBeGreaterThan(0);
    expect(Number((await t.db('journey_count').sum({ n: 'count' }))[0]!.n)).toBeGreaterThan(3000);
    expect(Number((await t.db('service_cost_month').count({ n: '*' }))[0]!.n)).toBeGreaterThan(0);
  });
});
