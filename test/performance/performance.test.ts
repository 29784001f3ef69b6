import crypto from 'node:crypto';
import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { snapshotDefinition } from '../../src/definitions/snapshot';
import { saveSurveyResponse } from '../../src/metrics/survey-repository';
import { defaultCalendar } from '../../src/metrics/processing-time';
import { changeCase, recordCitizenReply } from '../../src/staff/case-repository';
import { insertSubmission } from '../../src/submissions/submission-repository';
import { CSV_COLUMNS } from '../../src/performance/open-data';
import type { Report } from '../../src/performance/report';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { csrfTokenIn, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { createStaffUser, signIn, type TestStaffUser } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

// Sunday 29 November 2026. The default period is 1 September to 29 November 2026; the previous one is
// 1 June to 31 August 2026.
const NOW = new Date('2026-11-29T12:00:00Z');
const clock = () => NOW;
const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const VEHICLE = 'register-a-vehicle';
const POTHOLE = 'report-a-pothole';

// Register a vehicle (target 10 working days): 12 decisions in October taking these working days, sent on
// Monday 5 October at 10:00 UK time and decided at 15:00. One of the 5-day cases waited 3 working days for the
// citizen. Median 3.5, 90th percentile 9.8 (percentile_cont); in calendar days [1,2,2,3,3,3,4,7,7,10,14,16]…
const OCTOBER_WORKING_DAYS = [1, 2, 2, 3, 3, 3, 4, 5, 6, 8, 10, 12];

describe('service performance pages and open data', () => {
  let t: TestApp;
  let caseworker: TestStaffUser;
  let manager: TestStaffUser;
  let admin: TestStaffUser;

  async function send(slug: string, at: Date): Promise<{ id: number; reference: string }> {
    const service = t.registry.find(slug)!;
    const { reference } = await insertSubmission(t.db, {
      serviceSlug: slug,
      definitionVersion: service.version,
      snapshot: snapshotDefinition(service),
      answers: {},
      // An email to reach the citizen: a request for more information is refused without one.
      contactEmail: 'citizen@example.com',
      submissionToken: crypto.randomUUID(),
      submittedAt: at,
      dueDate: '2026-12-31',
    });
    const { id } = await t.db('submission').where({ reference }).first('id');
    return { id, reference };
  }
  const versionOf = async (id: number) => (await t.db('submission').where({ id }).first('version')).version;
  async function decide(id: number, at: Date, kind: 'approve' | 'reject' = 'approve') {
    const change = kind === 'approve' ? ({ kind } as const) : ({ kind, reason: 'Not eligible' } as const);
    const outcome = await changeCase(
      t.db,
      { submissionId: id, expectedVersion: await versionOf(id) },
      change,
      { id: caseworker.id, role: 'caseworker' },
      at,
    );
    if (!outcome.ok) throw new Error(outcome.message);
  }
  const on = (day: string, hourUtc: number) => new Date(`${day}T${String(hourUtc).padStart(2, '0')}:00:00Z`);

  beforeAll(async () => {
    t = await appWith({ PERFORMANCE_CACHE_SECONDS: '0', METRICS_TOKEN: TOKEN }, { clock });
    caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id, AGENCIES.localCouncil.id],
    });
    manager = await createStaffUser(t.db, { role: 'manager', agencies: [AGENCIES.vehicleLicensing.id] });
    admin = await createStaffUser(t.db, { role: 'admin' });
    const cal = defaultCalendar(); // the app's calendar: England and Wales

    for (const [i, days] of OCTOBER_WORKING_DAYS.entries()) {
      const { id, reference } = await send(VEHICLE, on('2026-10-05', 9));
      if (days === 5 && i === 7) {
        // Asked for information on Tuesday, the reply came on Friday: 3 working days (3 days) paused.
        await changeCase(
          t.db,
          { submissionId: id, expectedVersion: await versionOf(id) },
          { kind: 'request-information', message: 'Send a photo' },
          { id: caseworker.id, role: 'caseworker' },
          on('2026-10-06', 9),
        );
        await recordCitizenReply(t.db, reference, 'Here it is', on('2026-10-09', 9), cal);
        await decide(id, on(cal.addWorkingDays('2026-10-05', days + 3), 14));
      } else {
        await decide(id, on(cal.addWorkingDays('2026-10-05', days), 14), i % 4 === 0 ? 'reject' : 'approve');
      }
    }
    // The previous period: 10 decisions of 7 working days each, in July.
    for (let i = 0; i < 10; i++) {
      const { id } = await send(VEHICLE, on('2026-07-06', 9));
      await decide(id, on(cal.addWorkingDays('2026-07-06', 7), 14));
    }
    // 10 open applications received in November, one of them waiting for the citizen.
    for (let i = 0; i < 10; i++) {
      const { id } = await send(VEHICLE, on(`2026-11-${String(2 + i).padStart(2, '0')}`, 10));
      if (i === 5) {
        await changeCase(
          t.db,
          { submissionId: id, expectedVersion: await versionOf(id) },
          { kind: 'request-information', message: 'Send a photo' },
          { id: caseworker.id, role: 'caseworker' },
          on('2026-11-20', 10),
        );
      }
    }
    // Report a pothole: 9 decisions only, and 9 survey answers: not enough to publish.
    for (let i = 0; i < 9; i++) {
      const { id } = await send(POTHOLE, on('2026-10-12', 9));
      await decide(id, on('2026-10-14', 14));
      await saveSurveyResponse(t.db, POTHOLE, 5, undefined, on('2026-10-12', 10));
    }
    // Journeys: 40 started on 5 October, 36 got past the first page.
    await t.db('journey_count').insert([
      { service_slug: VEHICLE, page_id: '(started)', day: '2026-10-05', count: 40 },
      { service_slug: VEHICLE, page_id: 'vehicle-identification-number', day: '2026-10-05', count: 36 },
      { service_slug: VEHICLE, page_id: 'make-and-model', day: '2026-10-05', count: 30 },
    ]);
    // Satisfaction: 7 of 10 satisfied or very satisfied.
    for (const rating of [5, 5, 5, 4, 4, 4, 3, 2, 1, 5]) {
      await saveSurveyResponse(t.db, VEHICLE, rating, undefined, on('2026-10-05', 12));
    }
  });
  afterAll(() => t.close());

  const json = async (url: string): Promise<Report> =>
    (await request(t.app).get(url).expect(200)).body as Report;
  const vehicleIn = (report: Report) => report.services.find((s) => s.service === VEHICLE)!;
  const potholeIn = (report: Report) => report.services.find((s) => s.service === POTHOLE)!;
  const text = (html: string, selector: string) =>
    parseHtml(html)(selector).text().replace(/\s+/g, ' ').trim();

  it('computes the median and 90th percentile of processing time in working and calendar days', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary).toMatchObject({
      decided: 12,
      median_working_days: 3.5,
      p90_working_days: 9.8,
      median_calendar_days: 3.5,
      p90_calendar_days: 13.6,
      // 11 of the 12 within 10 working days.
      decided_within_target_percent: 92,
    });
  });

  it('shows the before and after comparison with the previous period', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary).toMatchObject({
      previous_decided: 10,
      previous_median_working_days: 7,
      median_change_percent: -50,
    });
    const page = await request(t.app).get('/performance/register-a-vehicle').expect(200);
    expect(text(page.text, '#comparison')).toBe(
      'Decisions were 50% faster than in 1 June 2026 to 31 August 2026 (typical time 7 working days then).',
    );
  });

  it('counts the backlog and the age of the oldest open application', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary).toMatchObject({
      received: 22,
      open_cases: 10,
      awaiting_citizen: null, // 1: fewer than 10
      oldest_open_received: '2026-11-02',
      oldest_open_age_days: 27,
    });
  });

  it('withholds figures built from fewer than 10 cases, on the page and in the data', async () => {
    const report = await json('/performance/data.json');
    expect(potholeIn(report).summary).toMatchObject({
      received: null,
      decided: null,
      median_working_days: null,
      p90_working_days: null,
      decided_within_target_percent: null,
      satisfaction_responses: null,
      satisfaction_percent: null,
    });
    const page = await request(t.app).get('/performance').expect(200);
    const $ = parseHtml(page.text);
    const cell = (table: string, field: string) =>
      $(`#${table} tr[data-service="${POTHOLE}"] [data-field="${field}"]`).text().trim();
    expect(cell('processing-times', 'median_working_days')).toBe('Not enough data');
    expect(cell('volumes', 'received')).toBe('Fewer than 10');
    expect(cell('kpis', 'satisfaction_percent')).toBe('Not enough data');
    // No exact small number appears anywhere in the pothole rows.
    expect($(`tr[data-service="${POTHOLE}"]`).text()).not.toMatch(/\b9\b/);
    const csv = (await request(t.app).get('/performance/report-a-pothole/data.csv').expect(200)).text;
    expect(csv).toContain(
      `${POTHOLE},processing_time_median,working_days,2026-09-01,2026-11-29,,,not enough data`,
    );
    expect(csv).toContain(`${POTHOLE},decided,applications,2026-09-01,2026-11-29,,,fewer than 10`);
  });

  it('works out completion rate and drop-off by page from the journey counts', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary.journeys_started).toBe(40);
    expect(s.summary.completion_rate_percent).toBe(55); // 22 sent of 40 started
    expect(s.pages.slice(0, 3)).toEqual([
      expect.objectContaining({ page: 'vehicle-identification-number', reached: 36, reached_percent: 90 }),
      expect.objectContaining({ page: 'make-and-model', reached: 30, reached_percent: 75 }),
      expect.objectContaining({ page: 'first-registration', reached: 0, reached_percent: 0 }),
    ]);
    expect(s.pages[s.pages.length - 1]).toEqual({
      page: '(sent)',
      title: 'Sent the application',
      reached: 22,
      reached_percent: 55,
    });
  });

  it('works out user satisfaction from the survey answers', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary).toMatchObject({ satisfaction_responses: 10, satisfaction_percent: 70 });
  });

  it('gives monthly and weekly figures', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.months).toHaveLength(12);
    expect(s.months.find((m) => m.month === '2026-10')).toEqual({
      month: '2026-10',
      start: '2026-10-01',
      end: '2026-10-31',
      received: 12,
      decided: 12,
      median_working_days: 3.5,
      p90_working_days: 9.8,
      median_calendar_days: 3.5,
      p90_calendar_days: 13.6,
      decided_within_target_percent: 92,
    });
    expect(s.months.find((m) => m.month === '2026-11')!.end).toBe('2026-11-29');
    expect(s.weeks.find((w) => w.week_start === '2026-10-05')).toEqual({
      week_start: '2026-10-05',
      week_end: '2026-10-11',
      received: 12,
      decided: null, // 7 decided that week
    });
    // The first week of September starts on Monday 31 August, outside the period: it is a part week.
    expect(s.weeks[0]!.week_start).toBe('2026-09-01');
  });

  it('lets an administrator enter costs and offline transactions, audited, for cost per transaction and digital take-up', async () => {
    const agent = await signIn(t, admin, { clock });
    const form = await agent.get('/staff/services').expect(200);
    const bad = await agent
      .post('/staff/services')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        service: VEHICLE,
        month: '2026-10',
        cost: 'lots',
        offline: '-3',
      });
    expect(bad.status).toBe(422);
    expect(text(bad.text, 'title')).toMatch(/^Error: /);
    expect(
      parseHtml(bad.text)('.govuk-error-summary__list a')
        .map((_i, a) => parseHtml(bad.text)(a).text())
        .get(),
    ).toEqual([
      'Cost must be an amount of money, like 12500 or 12500.50',
      'Transactions by post, phone or in person must be a whole number, like 250',
    ]);
    const saved = await agent
      .post('/staff/services')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        service: VEHICLE,
        month: '2026-10',
        cost: '£1,000',
        offline: '18',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/staff/services?service=register-a-vehicle&saved=2026-10');
    const after = await agent.get(saved.headers.location!).expect(200);
    expect(text(after.text, '.govuk-notification-banner')).toContain(
      'Figures saved for Register a vehicle, October 2026',
    );
    expect(text(after.text, '#figures')).toContain('October 2026 £1,000.00 18');
    const audit = await t.db('audit_event').where({ action: 'service-figures-saved' }).first();
    expect(audit).toMatchObject({ actor_id: admin.id, actor_role: 'admin' });
    expect(audit.details).toEqual({
      serviceSlug: VEHICLE,
      month: '2026-10',
      costPence: 100_000,
      offlineTransactions: 18,
    });

    // October: 12 sent online and 18 otherwise. £1,000 / 30 = £33.33; 12 / 30 = 40%.
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary).toMatchObject({
      cost_months: 1,
      cost_per_transaction_pounds: 33.33,
      digital_transactions: 12,
      offline_transactions: 18,
      digital_take_up_percent: 40,
    });
    const manager403 = await (await signIn(t, manager, { clock })).get('/staff/services');
    expect(manager403.status).toBe(403);
  });

  it('publishes JSON and CSV with a stable, documented schema and public caching', async () => {
    const res = await request(t.app).get('/performance/data.json').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const report = res.body as Report;
    expect(Object.keys(report)).toEqual([
      'schema_version',
      'documentation',
      'generated_at',
      'suppression_threshold',
      'period',
      'previous_period',
      'trend_period',
      'backlog_as_at',
      'services',
    ]);
    expect(report).toMatchObject({
      schema_version: 1,
      suppression_threshold: 10,
      period: { start: '2026-09-01', end: '2026-11-29' },
      previous_period: { start: '2026-06-01', end: '2026-08-31' },
      backlog_as_at: '2026-11-29',
    });
    expect(report.services.map((s) => s.service).sort()).toEqual(
      t.registry.services.map((s) => s.slug).sort(),
    );
    expect(Object.keys(vehicleIn(report).summary)).toEqual([
      'received',
      'decided',
      'median_working_days',
      'p90_working_days',
      'median_calendar_days',
      'p90_calendar_days',
      'decided_within_target_percent',
      'previous_decided',
      'previous_median_working_days',
      'median_change_percent',
      'open_cases',
      'awaiting_citizen',
      'oldest_open_received',
      'oldest_open_age_days',
      'journeys_started',
      'completion_rate_percent',
      'satisfaction_responses',
      'satisfaction_percent',
      'cost_months',
      'cost_per_transaction_pounds',
      'digital_transactions',
      'offline_transactions',
      'digital_take_up_percent',
    ]);
    // Every field is documented on the about page.
    const about = (await request(t.app).get('/performance/about-the-data').expect(200)).text;
    for (const field of Object.keys(vehicleIn(report).summary)) expect(about).toContain(`summary.${field}`);
    for (const column of CSV_COLUMNS) expect(about).toContain(column);

    const csv = await request(t.app).get('/performance/data.csv').expect(200);
    expect(csv.headers['cache-control']).toBe('public, max-age=300');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('service,measure,unit,period_start,period_end,breakdown,value,note');
    // HTML pages stay private.
    const html = await request(t.app).get('/performance').expect(200);
    expect(html.headers['cache-control']).toBe('no-store');
  });

  it('has CSV figures that match the JSON exactly', async () => {
    const report = await json('/performance/register-a-vehicle/data.json');
    const s = vehicleIn(report);
    const csv = (await request(t.app).get('/performance/register-a-vehicle/data.csv').expect(200)).text;
    const rows = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => Object.fromEntries(l.split(',').map((v, i) => [CSV_COLUMNS[i], v])));
    const find = (measure: string, unit: string, start: string, breakdown = '') =>
      rows.find(
        (r) =>
          r.measure === measure && r.unit === unit && r.period_start === start && r.breakdown === breakdown,
      )?.value;
    const num = (v: number | null) => (v === null ? '' : String(v));
    expect(find('processing_time_median', 'working_days', '2026-09-01')).toBe(
      num(s.summary.median_working_days),
    );
    expect(find('processing_time_p90', 'calendar_days', '2026-09-01')).toBe(num(s.summary.p90_calendar_days));
    expect(find('processing_time_median', 'working_days', '2026-06-01')).toBe(
      num(s.summary.previous_median_working_days),
    );
    expect(find('processing_time_median_change', 'percent', '2026-09-01')).toBe('-50');
    expect(find('open_cases', 'applications', '2026-11-29')).toBe('10');
    expect(find('cost_per_transaction', 'pounds', '2026-09-01')).toBe('33.33');
    for (const m of s.months) {
      expect(find('received', 'applications', m.start, 'month')).toBe(num(m.received));
      expect(find('processing_time_median', 'working_days', m.start, 'month')).toBe(
        num(m.median_working_days),
      );
    }
    for (const p of s.pages)
      expect(find('page_reached_share', 'percent', '2026-09-01', `page:${p.page}`)).toBe(
        num(p.reached_percent),
      );
  });

  it('shows on the service page the same figures as its JSON', async () => {
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    const page = await request(t.app).get('/performance/register-a-vehicle').expect(200);
    const $ = parseHtml(page.text);
    const figure = (field: string) => $(`#processing-time [data-field="${field}"] dd`).text().trim();
    expect(figure('median_working_days')).toBe(`${s.summary.median_working_days} working days`);
    expect(figure('p90_working_days')).toBe(`${s.summary.p90_working_days} working days`);
    expect(figure('decided_within_target_percent')).toBe(`${s.summary.decided_within_target_percent}%`);
    const summary = (id: string) =>
      Object.fromEntries(
        $(`#${id} .govuk-summary-list__row`)
          .map((_i, r) => [
            [$(r).find('dt').text().trim(), $(r).find('dd').text().replace(/\s+/g, ' ').trim()],
          ])
          .get(),
      );
    expect(summary('volumes')).toEqual({
      Received: '22',
      Decided: '12',
      'Open on 29 November 2026': '10',
      'Of which waiting for the applicant': 'Fewer than 10',
      'Oldest open application': '27 calendar days (received 2 November 2026)',
    });
    expect(summary('kpis')).toMatchObject({
      'Completion rate': '55% Applications sent as a share of the 40 journeys started',
      'User satisfaction': '70% Satisfied or very satisfied, from 10 survey responses',
      'Cost per transaction': '£33.33',
    });
  });

  it('draws every chart as an accessible SVG with a table of the same numbers', async () => {
    const page = await request(t.app).get('/performance/register-a-vehicle').expect(200);
    expect(page.text).not.toMatch(/style=|<style/);
    const $ = parseHtml(page.text);
    const charts = $('svg.app-chart');
    expect(charts.length).toBe(6);
    charts.each((_i, svg) => {
      const chart = $(svg);
      expect(chart.attr('role')).toBe('img');
      const [titleId, descId] = chart.attr('aria-labelledby')!.split(' ');
      expect(chart.find(`title#${titleId}`).text().length).toBeGreaterThan(10);
      expect(chart.find(`desc#${descId}`).text().length).toBeGreaterThan(10);
      const table = $(`#${chart.attr('id')}-table`);
      expect(table.find('caption').text()).toContain(chart.find('title').text());
      const rows = table.find('tbody tr');
      const drawn = chart.find('[data-value]');
      let numbersInTable = 0;
      rows.each((ci, tr) => {
        $(tr)
          .find('td')
          .each((si, td) => {
            const cell = $(td).text().trim();
            const mark = drawn.filter(`[data-series="${si}"][data-category="${ci}"]`);
            if (/^[\d,.]+%?$/.test(cell)) {
              numbersInTable++;
              expect({ chart: chart.attr('id'), ci, si, value: mark.attr('data-value') }).toEqual({
                chart: chart.attr('id'),
                ci,
                si,
                value: cell.replace(/[,%]/g, ''),
              });
            } else {
              expect(['Not enough data', 'Fewer than 10']).toContain(cell);
              expect(mark.length).toBe(0);
            }
          });
      });
      // Nothing is drawn that the table does not have.
      expect(drawn.length).toBe(numbersInTable);
    });
  });

  it('asks again when the period chosen is not valid', async () => {
    const page = await request(t.app)
      .get('/performance/register-a-vehicle?from=2026-11&to=2026-09')
      .expect(422);
    expect(text(page.text, 'title')).toMatch(/^Error: /);
    expect(text(page.text, '.govuk-error-summary')).toContain(
      'The month to start from must be the same as or before the month to end with',
    );
    await request(t.app).get('/performance/data.json?from=nonsense&to=2026-09').expect(400);
    const custom = await json('/performance/register-a-vehicle/data.json?from=2026-10&to=2026-10');
    expect(custom.period).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(custom.previous_period).toEqual({ start: '2026-09-01', end: '2026-09-30' });
    await request(t.app).get('/performance/no-such-service').expect(404);
  });

  it('shows the same typical time on the catalogue, the start page and the staff queue', async () => {
    const expected = 'Typically decided in 3.5 working days';
    const catalogue = await request(t.app).get('/').expect(200);
    const card = (slug: string) =>
      parseHtml(catalogue.text)(`a[href="/services/${slug}"]`)
        .first()
        .closest('li')
        .text()
        .replace(/\s+/g, ' ');
    expect(card(VEHICLE)).toContain(expected);
    expect(card(POTHOLE)).toContain('Aims to decide within 5 working days');

    const start = await request(t.app).get('/services/register-a-vehicle').expect(200);
    expect(text(start.text, '[data-typical-time]')).toContain(`${expected}: that is the median`);
    expect(text(start.text, '[data-typical-time]')).toContain('9 in 10 were decided within 9.8 working days');
    const potholeStart = await request(t.app).get('/services/report-a-pothole').expect(200);
    expect(potholeStart.text).toContain('aims to deal with applications within 5 working days');

    const queue = await (await signIn(t, caseworker, { clock })).get('/staff').expect(200);
    expect(text(queue.text, '#typical-times + ul')).toContain(`Register a vehicle: ${expected}`);
    expect(text(queue.text, '#typical-times + ul')).toContain(
      'Report a pothole: Aims to decide within 5 working days',
    );
  });

  it('shows managers the same figures for their services beside their team workload', async () => {
    const page = await (await signIn(t, manager, { clock })).get('/staff/performance').expect(200);
    const $ = parseHtml(page.text);
    expect(
      $(`#processing-times tr[data-service="${VEHICLE}"] [data-field="median_working_days"]`).text().trim(),
    ).toBe('3.5 working days');
    expect($(`tr[data-service="${POTHOLE}"]`).length).toBe(0); // not one of this manager's agencies
    expect($('a[href="/staff/team"]').length).toBeGreaterThan(0);
    // Of the 10 open cases, the one the caseworker asked about became theirs (case-repository.ts changeCase).
    expect(text(page.text, '#team')).toContain('Unassigned 9');
    expect($('.govuk-service-navigation a[href="/staff/performance"]').length).toBe(1);
  });

  it('exposes Prometheus metrics only with the bearer token, and not at all without one configured', async () => {
    await request(t.app).get('/metrics').expect(401);
    await request(t.app).get('/metrics').set('Authorization', 'Bearer wrong-token').expect(401);
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(res.text).toContain(`portal_submissions_total{service="${VEHICLE}"} 32`);
    expect(res.text).toContain(`portal_decisions_total{service="${VEHICLE}",outcome="rejected"} 3`);
    expect(res.text).toContain(`portal_open_cases{service="${VEHICLE}"} 10`);
    expect(res.text).toContain(`portal_awaiting_citizen_cases{service="${VEHICLE}"} 1`);
    expect(res.text).toContain(`portal_oldest_open_case_age_days{service="${VEHICLE}"} 27`);
    expect(res.text).toContain(`portal_processing_time_working_days_bucket{service="${VEHICLE}",le="5"} 8`);
    expect(res.text).toContain(`portal_processing_time_working_days_bucket{service="${VEHICLE}",le="10"} 21`);
    expect(res.text).toContain(`portal_processing_time_working_days_count{service="${VEHICLE}"} 22`);
    expect(res.text).toMatch(
      /portal_http_requests_total\{method="GET",route="\/performance\/:service\/data.json",status="200"\} \d+/,
    );
    expect(res.text).toMatch(
      /portal_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/performance",status="200"\} \d+/,
    );

    const without = await appWith({}, { db: t.db, clock });
    await request(without.app).get('/metrics').expect(404);
  });

  it('counts a citizen’s application the moment it is sent, and the confirmation page shows the same typical time', async () => {
    const agent = await walkToCheckAnswers(t.app, VEHICLE, vehiclePaths[0]!);
    const sent = await sendApplication(agent, VEHICLE);
    expect(sent.headers.location).toMatch(/\/confirmation\//);
    const confirmation = await agent.get(sent.headers.location!).expect(200);
    expect(text(confirmation.text, '[data-typical-time]')).toContain('Typically decided in 3.5 working days');
    const s = vehicleIn(await json('/performance/register-a-vehicle/data.json'));
    expect(s.summary.received).toBe(23);
    expect(s.summary.open_cases).toBe(11);
    expect(s.summary.journeys_started).toBe(41);
  });
});
