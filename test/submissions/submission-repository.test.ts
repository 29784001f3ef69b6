import crypto from 'node:crypto';
import { createCalendar, loadBankHolidays } from '../../src/calendar/working-days';
import { ukDate } from '../../src/clock';
import { syncServices } from '../../src/catalogue/service-repository';
import { snapshotDefinition } from '../../src/definitions/snapshot';
import { insertSubmission, type NewSubmission } from '../../src/submissions/submission-repository';
import { generateReference } from '../../src/submissions/reference';
import { shippedServices } from '../helpers/app';
import { createTestDb, driverName, type TestDb } from '../helpers/db';

// docs/security.md#rel3: references are unique (a unique index), and a collision with an existing reference is retried
// with a fresh one rather than failing the citizen's submission. The generator is stubbed so the collision is
// certain, on both drivers (whose unique-violation errors must both be recognised).

const calendar = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));

describe(`reference collisions (${driverName()})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    await syncServices(t.db, shippedServices().services);
  });
  afterAll(() => t.destroy());

  const submission = (): NewSubmission => {
    const service = shippedServices().services[0]!;
    const submittedAt = new Date('2026-11-30T10:00:00Z');
    return {
      serviceSlug: service.slug,
      definitionVersion: service.version,
      snapshot: snapshotDefinition(service),
      answers: {},
      submissionToken: crypto.randomUUID(),
      submittedAt,
      dueDate: calendar.addWorkingDays(ukDate(submittedAt), service.processingTargetWorkingDays),
    };
  };

  /** A generator that gives these references in turn. */
  const sequence = (...references: string[]) => {
    let i = 0;
    const calls = () => i;
    const next = () => references[Math.min(i++, references.length - 1)]!;
    return { next, calls };
  };

  it('retries with a fresh reference when the one drawn is taken, storing one submission with one event', async () => {
    const taken = generateReference();
    const fresh = generateReference();
    await insertSubmission(t.db, submission(), () => taken);
    const generator = sequence(taken, taken, fresh);
    const second = submission();
    const result = await insertSubmission(t.db, second, generator.next);
    expect(result).toEqual({ reference: fresh, created: true });
    expect(generator.calls()).toBe(3);
    const rows = await t.db('submission').where({ submission_token: second.submissionToken }).select('id');
    expect(rows).toHaveLength(1);
    expect(await t.db('submission_event').where({ submission_id: rows[0].id }).pluck('type')).toEqual([
      'submitted',
    ]);
    expect(await t.db('submission').where({ reference: taken }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('gives up with an error after five taken references, storing nothing', async () => {
    const taken = generateReference();
    await insertSubmission(t.db, submission(), () => taken);
    const generator = sequence(taken);
    const doomed = submission();
    await expect(insertSubmission(t.db, doomed, generator.next)).rejects.toMatchObject({ code: '23505' });
    expect(generator.calls()).toBe(5);
    expect(
      await t.db('submission').where({ submission_token: doomed.submissionToken }).first(),
    ).toBeUndefined();
  });

  it('never treats a repeated submission token as a collision: the first reference comes back', async () => {
    const first = submission();
    const stored = await insertSubmission(t.db, first);
    const generator = sequence(generateReference());
    expect(await insertSubmission(t.db, first, generator.next)).toEqual({
      reference: stored.reference,
      created: false,
    });
  });
});
