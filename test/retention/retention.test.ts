import crypto from 'node:crypto';
import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { snapshotDefinition } from '../../src/definitions/snapshot';
import { saveSurveyResponse } from '../../src/metrics/survey-repository';
import { defaultCalendar } from '../../src/metrics/processing-time';
import {
  RETENTION_AUDIT_ACTION,
  RETENTION_SURVEY_AUDIT_ACTION,
  applyRetention,
  retentionCutoff,
  summariseRetention,
  type RetentionResult,
} from '../../src/retention/retention';
import { changeCase, recordCitizenReply, type CaseChange } from '../../src/staff/case-repository';
import { formatReference, generateReference } from '../../src/submissions/reference';
import { insertSubmission } from '../../src/submissions/submission-repository';
import { appWith, type TestApp } from '../helpers/app';
import { driverName } from '../helpers/db';
import { parseHtml } from '../helpers/html';
import { csrfTokenIn, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { createStaffUser, signIn, type TestStaffUser } from '../helpers/staff';
import { rollups } from '../metrics/recompute';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import type { JourneyPath } from '../fixtures/journeys/types';

// The job runs on Wednesday 3 March 2027 with the default 24 months: decisions before 3 March 2025 are past it.
const RUN_AT = new Date('2027-03-03T10:00:00Z');
const MONTHS = 24;
// Applications are sent on Monday 7 October 2024 (old) and Monday 7 December 2026 (recent).
const OLD_DAY = '2024-10-07';
const RECENT_DAY = '2026-12-07';
const VEHICLE = 'register-a-vehicle';
// Submission ids start here, so an id in the open data could not pass for a count or a year.
const FIRST_ID = 730_194_201;
// A period covering every decision, old and recent, for the open data (at most 36 months).
const WHOLE_PERIOD = '?from=2024-07&to=2027-03';

let now = new Date(`${OLD_DAY}T09:00:00Z`);
const clock = () => now;
const at = (day: string, hourUtc = 9) => new Date(`${day}T${String(hourUtc).padStart(2, '0')}:00:00Z`);

/** Letters only, so every fake name passes the name questions. */
const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + crypto.randomInt(26))).join('');

type Applicant = { name: string; email: string; reference: string; id: number };

describe(`the retention job (${driverName()})`, () => {
  let t: TestApp;
  let caseworker: TestStaffUser;
  let manager: TestStaffUser;
  /** Every personal string stored anywhere: none may survive for old decided applications, or reach the audit log. */
  const personal: string[] = [];
  let oldDecided: Applicant[];
  let rejected: Applicant;
  let withHistory: Applicant;
  let oldOpen: Applicant;
  let oldAwaiting: Applicant;
  let recent: Applicant;
  let figuresBefore: unknown[];
  let rollupsBefore: Awaited<ReturnType<typeof rollups>>;
  let result: RetentionResult;

  /** Send the vehicle journey in the browser, as a citizen would, with a unique name and email. */
  async function sendVehicle(): Promise<Applicant> {
    const tag = letters(8);
    const name = `Zebedee Quillfeather ${tag[0]!.toUpperCase()}${tag.slice(1)}`;
    const email = `zq.${tag}@retention.example.com`;
    personal.push(name, email);
    const path: JourneyPath = {
      ...vehiclePaths[0]!,
      steps: vehiclePaths[0]!.steps.map((s) =>
        s.page === 'keeper-name'
          ? { ...s, body: { keeperName: name } }
          : s.page === 'contact-email'
            ? { ...s, body: { contactEmail: email } }
            : s,
      ),
    };
    const agent = await walkToCheckAnswers(t.app, VEHICLE, path);
    const sent = await sendApplication(agent, VEHICLE);
    const reference = sent.headers.location!.split('/').pop()!;
    const { id } = await t.db('submission').where({ reference }).first('id');
    // A phone number for the status check too (the vehicle service asks only for an email).
    const phone = `+447700900${String(id % 1000).padStart(3, '0')}`;
    await t.db('submission').where({ id }).update({ status_check_phone: phone });
    return { name, email, reference, id };
  }

  async function change(a: Applicant, c: CaseChange, when: Date) {
    const { version } = await t.db('submission').where({ id: a.id }).first('version');
    const outcome = await changeCase(
      t.db,
      { submissionId: a.id, expectedVersion: version },
      c,
      { id: caseworker.id, role: 'caseworker' },
      when,
    );
    if (!outcome.ok) throw new Error(outcome.message);
  }

  /** Everything the job may touch, as plain data, for before/after comparisons. */
  const snapshotOf = async () => ({
    submissions: await t.db('submission').orderBy('id').select('*'),
    events: await t.db('submission_event').orderBy('id').select('*'),
    notes: await t.db('submission_note').orderBy('id').select('*'),
    messages: await t.db('submission_message').orderBy('id').select('*'),
    audit: await t.db('audit_event').orderBy('id').select('*'),
    survey: await t.db('survey_response').orderBy('id').select('*'),
    rollups: await rollups(t.db),
  });

  const publishedFigures = async () =>
    Promise.all(
      [
        '/performance/data.json',
        `/performance/data.json${WHOLE_PERIOD}`,
        `/performance/${VEHICLE}/data.json${WHOLE_PERIOD}`,
        `/performance/${VEHICLE}/data.csv${WHOLE_PERIOD}`,
        `/performance/${VEHICLE}${WHOLE_PERIOD}`,
      ].map(async (url) => {
        const res = await request(t.app).get(url).expect(200);
        // The HTML page carries a fresh CSP nonce each time; the figures are what must not move.
        return url.includes('data.') ? res.text : parseHtml(res.text)('main').text();
      }),
    );

  async function checkStatus(reference: string, proof: string) {
    const agent = request.agent(t.app);
    const form = await agent.get('/check-status').expect(200);
    return agent
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference, proof });
  }

  beforeAll(async () => {
    t = await appWith({ PERFORMANCE_CACHE_SECONDS: '0' }, { clock });
    await t.db.raw(`select setval(pg_get_serial_sequence('submission', 'id'), ?, false)`, [FIRST_ID]);
    caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
    });
    manager = await createStaffUser(t.db, { role: 'manager', agencies: [AGENCIES.vehicleLicensing.id] });
    const cal = defaultCalendar();

    // 11 applications sent in October 2024 and decided within days: enough for the figures to be published.
    now = at(OLD_DAY);
    oldDecided = [];
    for (let i = 0; i < 11; i++) oldDecided.push(await sendVehicle());
    [withHistory, rejected] = oldDecided as [Applicant, Applicant];
    const historyNote = `Spoke to ${withHistory.name} about the V5C`;
    const request1 = `Please send a photo of the logbook, ${withHistory.name}`;
    const reply = `Here it is, from ${withHistory.name}`;
    const reason = `${rejected.name} is not the registered keeper`;
    personal.push(historyNote, request1, reply, reason);
    await change(withHistory, { kind: 'note', body: historyNote }, at('2024-10-07', 11));
    await change(withHistory, { kind: 'request-information', message: request1 }, at('2024-10-08'));
    await recordCitizenReply(t.db, withHistory.reference, reply, at('2024-10-10'), cal);
    await change(withHistory, { kind: 'approve' }, at('2024-10-16', 14));
    await change(rejected, { kind: 'reject', reason }, at('2024-10-09', 14));
    for (const [i, a] of oldDecided.slice(2).entries()) {
      await change(a, { kind: 'approve' }, at(cal.addWorkingDays(OLD_DAY, 1 + (i % 6)), 14));
    }

    // Two old applications never decided: one in review with a note, one waiting for the citizen.
    oldOpen = await sendVehicle();
    oldAwaiting = await sendVehicle();
    const openNote = `Call ${oldOpen.name} back`;
    const openRequest = `Tell us more, ${oldAwaiting.name}`;
    personal.push(openNote, openRequest);
    await change(oldOpen, { kind: 'assign', to: caseworker.id }, at('2024-10-08'));
    await change(oldOpen, { kind: 'note', body: openNote }, at('2024-10-08', 10));
    await change(oldAwaiting, { kind: 'request-information', message: openRequest }, at('2024-10-09'));

    // One decided inside the period, with a note.
    now = at(RECENT_DAY);
    recent = await sendVehicle();
    const recentNote = `Checked ${recent.name}'s documents`;
    personal.push(recentNote);
    await change(recent, { kind: 'note', body: recentNote }, at(RECENT_DAY, 12));
    await change(recent, { kind: 'approve' }, at('2027-01-11', 14));

    // Survey answers: comments may name people too.
    const oldComment = `Great service, thanks ${letters(6)}`;
    const recentComment = `Quick and easy ${letters(6)}`;
    personal.push(oldComment);
    await saveSurveyResponse(t.db, VEHICLE, 4, oldComment, at(OLD_DAY, 10));
    await saveSurveyResponse(t.db, VEHICLE, 2, undefined, at(OLD_DAY, 11));
    await saveSurveyResponse(t.db, VEHICLE, 5, recentComment, at('2027-01-11', 15));

    now = RUN_AT;
    // The published figures are built from all of it (12 decisions: published, not withheld).
    const vehicle = JSON.parse(
      (await request(t.app).get(`/performance/${VEHICLE}/data.json${WHOLE_PERIOD}`).expect(200)).text,
    );
    expect(vehicle.services[0].summary.decided).toBe(12);
    figuresBefore = await publishedFigures();
    rollupsBefore = await rollups(t.db);
    // Before the job, the old rejected application's status can be checked with its email address.
    expect((await checkStatus(rejected.reference, rejected.email)).status).toBe(303);
  }, 120_000);
  afterAll(() => t.close());

  it('works out the cutoff in calendar months, on the last day of a shorter month', () => {
    expect(retentionCutoff(RUN_AT, 24).toISOString()).toBe('2025-03-03T10:00:00.000Z');
    expect(retentionCutoff(new Date('2028-02-29T08:30:00Z'), 24).toISOString()).toBe(
      '2026-02-28T08:30:00.000Z',
    );
    expect(retentionCutoff(new Date('2027-03-31T00:00:00Z'), 1).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
    expect(retentionCutoff(new Date('2027-01-15T00:00:00Z'), 13).toISOString()).toBe(
      '2025-12-15T00:00:00.000Z',
    );
  });

  it('refuses a retention period shorter than a month', async () => {
    await expect(applyRetention(t.db, { now: RUN_AT, retentionMonths: 0 })).rejects.toThrow(/at least 1/);
  });

  it('counts in a dry run what it would anonymise, and changes nothing', async () => {
    const before = await snapshotOf();
    const dry = await applyRetention(t.db, { now: RUN_AT, retentionMonths: MONTHS, dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      applications: 11,
      notes: 1,
      messages: 2,
      surveyComments: 1,
      batches: 0,
    });
    expect(await snapshotOf()).toEqual(before);
  });

  it('anonymises the applications decided longer ago than the period, keeping reference, status, timestamps and events', async () => {
    const before = await snapshotOf();
    const emails = await t
      .db('notification_outbox')
      .whereIn(
        'submission_id',
        oldDecided.map((a) => a.id),
      )
      .count({ n: '*' });
    expect(emails[0]!.n).toBeGreaterThan(0);
    result = await applyRetention(t.db, { now: RUN_AT, retentionMonths: MONTHS, batchSize: 4 });
    expect(result).toMatchObject({
      dryRun: false,
      applications: 11,
      notes: 1,
      messages: 2,
      surveyComments: 1,
      // 11 applications in batches of 4, then one batch of survey comments.
      batches: 4,
    });
    expect(summariseRetention(result)).toBe(
      'Anonymised 11 applications decided before 2025-03-03 (24-month retention) and deleted 1 note, 2 messages, 0 uploaded files, 0 files from applications never sent, 0 expired saved applications, 0 expired sign-in links, 1 survey comment.',
    );

    const ids = oldDecided.map((a) => a.id);
    const rows = await t.db('submission').whereIn('id', ids).orderBy('id').select('*');
    const earlier = before.submissions.filter((r) => ids.includes(r.id));
    expect(rows).toHaveLength(11);
    for (const [i, row] of rows.entries()) {
      const was = earlier[i]!;
      expect(row).toMatchObject({
        answers: {},
        calculation: null,
        status_check_postcode: null,
        status_check_email: null,
        contact_email: null,
        status_check_phone: null,
        decision_reason: null,
        anonymised_at: RUN_AT,
        version: was.version + 1,
      });
      // Everything else is as it was.
      const kept = (r: Record<string, unknown>) => {
        const copy = { ...r };
        for (const k of [
          'answers',
          'calculation',
          'status_check_postcode',
          'status_check_email',
          'contact_email',
          'status_check_phone',
          'decision_reason',
          'anonymised_at',
          'version',
        ])
          delete copy[k];
        return copy;
      };
      expect(kept(row)).toEqual(kept(was));
    }
    expect(earlier.find((r) => r.id === rejected.id)!.decision_reason).not.toBeNull();
    expect(await t.db('submission_note').whereIn('submission_id', ids).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await t.db('submission_message').whereIn('submission_id', ids).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    // Their emails (address, answers) went too, and only theirs.
    expect(await t.db('notification_outbox').whereIn('submission_id', ids).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    // The history is whole: every event, type and time.
    expect(await t.db('submission_event').orderBy('id').select('*')).toEqual(before.events);
    const types = await t
      .db('submission_event')
      .where({ submission_id: withHistory.id })
      .orderBy('id')
      .pluck('type');
    // Asking for information assigned the case to the caseworker first (case-repository.ts changeCase).
    expect(types).toEqual([
      'submitted',
      'assigned',
      'information-requested',
      'information-provided',
      'approved',
    ]);

    // Nothing personal is left on these rows, wherever it was.
    const leftovers = JSON.stringify(rows);
    for (const s of personal) expect(leftovers).not.toContain(s);
  });

  it('leaves alone an application decided inside the period and old applications not yet decided', async () => {
    const untouched = [oldOpen, oldAwaiting, recent];
    const rows = await t
      .db('submission')
      .whereIn(
        'id',
        untouched.map((a) => a.id),
      )
      .orderBy('id')
      .select('*');
    for (const [i, a] of untouched.entries()) {
      const row = rows[i]!;
      expect(row.anonymised_at).toBeNull();
      expect(row.status_check_email).toBe(a.email);
      expect(row.status_check_phone).toMatch(/^\+447700900\d{3}$/);
      expect(JSON.stringify(row.answers)).toContain(a.name);
    }
    expect(rows.map((r) => r.status)).toEqual(['in-review', 'awaiting-citizen', 'approved']);
    expect(
      await t.db('submission_note').whereIn('submission_id', [oldOpen.id, recent.id]).pluck('body'),
    ).toHaveLength(2);
    expect(await t.db('submission_message').where({ submission_id: oldAwaiting.id }).pluck('body')).toEqual([
      `Tell us more, ${oldAwaiting.name}`,
    ]);
  });

  it('does not change the published figures or the rollups they come from', async () => {
    expect(await rollups(t.db)).toEqual(rollupsBefore);
    expect(await publishedFigures()).toEqual(figuresBefore);
  });

  it('writes one audit row per application anonymised, holding none of the personal data it removed', async () => {
    const rows = await t.db('audit_event').where({ action: RETENTION_AUDIT_ACTION }).select('*');
    expect(rows.map((r) => r.submission_id).sort()).toEqual(oldDecided.map((a) => a.id).sort());
    for (const row of rows) {
      expect(row).toMatchObject({
        actor_id: null,
        actor_role: 'system',
        occurred_at: RUN_AT,
        details: { retentionMonths: 24, cutoff: '2025-03-03T10:00:00.000Z' },
      });
      expect(row.request_id).toMatch(/^retention-[0-9a-f-]{36}$/);
    }
    const survey = await t.db('audit_event').where({ action: RETENTION_SURVEY_AUDIT_ACTION }).select('*');
    expect(survey).toHaveLength(1);
    expect(survey[0].details).toMatchObject({ surveyComments: 1 });
    // Not in these rows, nor anywhere else in the log.
    const log = JSON.stringify(await t.db('audit_event').select('*'));
    for (const s of personal) expect(log).not.toContain(s);
  });

  it('removes survey comments older than the period and keeps their ratings', async () => {
    const survey = await t.db('survey_response').orderBy('id').select('rating', 'comment');
    expect(survey).toEqual([
      { rating: 4, comment: null },
      { rating: 2, comment: null },
      { rating: 5, comment: expect.stringMatching(/^Quick and easy [a-z]{6}$/) },
    ]);
  });

  it('reports 0 and changes nothing when run again', async () => {
    const before = await snapshotOf();
    const again = await applyRetention(t.db, { now: RUN_AT, retentionMonths: MONTHS });
    expect(again).toMatchObject({ applications: 0, notes: 0, messages: 0, surveyComments: 0, batches: 0 });
    const later = await applyRetention(t.db, {
      now: new Date(RUN_AT.getTime() + 86_400_000),
      retentionMonths: MONTHS,
      dryRun: true,
    });
    expect(later.applications).toBe(0);
    expect(await snapshotOf()).toEqual(before);
  });

  it('answers a status check for an anonymised application exactly as for an unknown reference', async () => {
    const unknown = generateReference();
    const anonymised = await checkStatus(rejected.reference, rejected.email);
    const notFound = await checkStatus(unknown, rejected.email);
    expect(anonymised.status).toBe(422);
    expect(notFound.status).toBe(422);
    // The same page, once the reference typed in, the CSRF token and the CSP nonce are set aside.
    const normalise = (html: string, reference: string) =>
      html
        .split(reference)
        .join('REFERENCE')
        .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="TOKEN"')
        .replace(/nonce="[^"]*"/g, 'nonce="NONCE"');
    expect(normalise(anonymised.text, rejected.reference)).toEqual(normalise(notFound.text, unknown));
    expect(parseHtml(anonymised.text)('.govuk-error-summary__list').text().trim()).toBe(
      'We could not find an application with that reference number and email address or phone number. Check them and try again',
    );
    // An application not yet decided is still found.
    expect((await checkStatus(oldAwaiting.reference, oldAwaiting.email)).status).toBe(303);
  });

  it('shows staff a notice that the answers were deleted, and none of the old answers', async () => {
    const agent = await signIn(t, manager, { clock });
    const page = await agent.get(`/staff/submissions/${withHistory.reference}`).expect(200);
    const $ = parseHtml(page.text);
    expect($('.govuk-inset-text').text().trim()).toBe(
      'The answers to this application were deleted on 3 March 2027 under the retention policy.',
    );
    expect($('h1').text()).toBe(`Case ${formatReference(withHistory.reference)}`);
    expect($('main').text()).toContain('Approved');
    for (const s of personal) expect(page.text).not.toContain(s);
    expect(page.text).not.toContain('SW1A 1AA');
    expect($('.govuk-summary-list--card, .govuk-summary-card').length).toBe(0);
    // The history is still there; the form for new notes is not.
    expect($('main ol li').length).toBe(5);
    expect($('#note').length).toBe(0);
    // Nor any other action: each would be refused.
    expect($('main form[method="post"]').length).toBe(0);
    expect($('#case-actions').text()).toContain('It can no longer be changed.');

    // A case inside the period still shows its answers.
    const kept = await agent.get(`/staff/submissions/${recent.reference}`).expect(200);
    expect(kept.text).toContain(recent.name);
    expect(parseHtml(kept.text)('.govuk-inset-text').length).toBe(0);
  });

  it('refuses a note or any other change posted straight to an anonymised case, and stores nothing', async () => {
    const agent = await signIn(t, manager, { clock });
    const page = await agent.get(`/staff/submissions/${withHistory.reference}`).expect(200);
    const $ = parseHtml(page.text);
    const before = await t.db('submission_note').where({ submission_id: withHistory.id }).count({ n: '*' });
    const auditBefore = await t.db('audit_event').count({ n: '*' });
    for (const [action, fields] of [
      ['notes', { note: 'Written after the retention period' }],
      ['assign', { assignee: 'me' }],
    ] as const) {
      const res = await agent
        .post(`/staff/submissions/${withHistory.reference}/${action}`)
        .type('form')
        .send({
          _csrf: csrfTokenIn(page.text),
          version: $('input[name="version"]').first().attr('value') ?? '0',
          ...fields,
        });
      expect(res.status).toBe(422);
      expect(parseHtml(res.text)('#case-problem .govuk-notification-banner__content').text().trim()).toBe(
        'This application can no longer be changed: its details were deleted under the retention policy',
      );
      if (action === 'notes') {
        // What they wrote is shown back, not lost.
        expect(parseHtml(res.text)('.govuk-inset-text').text()).toContain(
          'Written after the retention period',
        );
      }
    }
    expect(await t.db('submission_note').where({ submission_id: withHistory.id }).count({ n: '*' })).toEqual(
      before,
    );
    expect(await t.db('audit_event').count({ n: '*' })).toEqual(auditBefore);
  });

  it('anonymises each application exactly once when several runs go at once', async () => {
    const service = t.registry.find(VEHICLE)!;
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) {
      const { reference } = await insertSubmission(t.db, {
        serviceSlug: VEHICLE,
        definitionVersion: service.version,
        snapshot: snapshotDefinition(service),
        answers: { keeperName: `Parallel Person ${letters(5)}` },
        submissionToken: crypto.randomUUID(),
        statusCheckEmail: `pp.${letters(6)}@retention.example.com`,
        submittedAt: at('2024-11-04'),
        dueDate: '2024-11-18',
      });
      const { id } = await t.db('submission').where({ reference }).first('id');
      await change({ id } as Applicant, { kind: 'approve' }, at('2024-11-05', 14));
      ids.push(id);
    }
    const runs = await Promise.all(
      [1, 2, 3].map(() => applyRetention(t.db, { now: RUN_AT, retentionMonths: MONTHS, batchSize: 2 })),
    );
    expect(runs.reduce((n, r) => n + r.applications, 0)).toBe(9);
    const audited = await t
      .db('audit_event')
      .where({ action: RETENTION_AUDIT_ACTION })
      .whereIn('submission_id', ids)
      .pluck('submission_id');
    expect(audited.sort()).toEqual([...ids].sort());
    expect(await t.db('submission').whereIn('id', ids).whereNull('anonymised_at').count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });

  it('publishes open data with no reference numbers or submission ids in it', async () => {
    const references = await t.db('submission').pluck('reference');
    const ids = (await t.db('submission').pluck('id')).map(String);
    expect(references.length).toBeGreaterThan(20);
    const urls = [
      '/performance/data.json',
      '/performance/data.csv',
      `/performance/data.json${WHOLE_PERIOD}`,
      `/performance/data.csv${WHOLE_PERIOD}`,
      '/performance/data.json?months=36',
      `/performance/${VEHICLE}/data.json`,
      `/performance/${VEHICLE}/data.csv`,
      `/performance/${VEHICLE}/data.json${WHOLE_PERIOD}`,
      `/performance/${VEHICLE}/data.csv${WHOLE_PERIOD}`,
    ];
    for (const url of urls) {
      const body = (await request(t.app).get(url).expect(200)).text;
      for (const reference of references) {
        expect(body).not.toContain(reference);
        expect(body).not.toContain(formatReference(reference));
      }
      // Ids start at 730194201, far from any count, day or year.
      for (const id of ids) expect(body).not.toContain(id);
      expect(body).not.toContain('730194');
      if (url.includes('.json')) {
        const keys = new Set<string>();
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === 'object')
            for (const [k, child] of Object.entries(v)) {
              keys.add(k);
              walk(child);
            }
        };
        walk(JSON.parse(body));
        expect([...keys].filter((k) => /(^|_)(id|ids|reference|ref)$|submission/i.test(k))).toEqual([]);
      }
    }
  });
});
