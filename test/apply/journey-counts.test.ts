import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, postForm, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import potholePaths from '../fixtures/journeys/report-a-pothole';
import blueBadgePaths from '../fixtures/journeys/apply-for-a-blue-badge';
import { STARTED } from '../../src/metrics/journey-count-repository';

// The fixed clock is 2026-11-29T12:00Z, which is 29 November in the UK.
const DAY = '2026-11-29';

type CountRow = { service_slug: string; page_id: string; day: string; count: number };

describe('counting journeys started and pages completed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  /** Today's count for a page of a service, 0 when there is no row. */
  const countOf = async (slug: string, pageId: string): Promise<number> => {
    const row = await t
      .db('journey_count')
      .where({ service_slug: slug, page_id: pageId, day: DAY })
      .first('count');
    return row ? Number(row.count) : 0;
  };

  it('counts "Start now" once per session, however many times it is pressed', async () => {
    const slug = 'register-a-vehicle';
    expect(STARTED).toBe('(started)');
    const first = request.agent(t.app);
    const start = await first.get(`/services/${slug}/start`).expect(302);
    expect(start.headers.location).toBe(`/services/${slug}/vehicle-identification-number`);
    expect(await countOf(slug, '(started)')).toBe(1);

    await first.get(`/services/${slug}/start`).expect(302);
    expect(await countOf(slug, '(started)')).toBe(1);

    const second = request.agent(t.app);
    await second.get(`/services/${slug}/start`).expect(302);
    expect(await countOf(slug, '(started)')).toBe(2);
    await second.get(`/services/${slug}/start`).expect(302);
    expect(await countOf(slug, '(started)')).toBe(2);

    // Reading the start page, or a question page, is not starting a journey.
    await request(t.app).get(`/services/${slug}`).expect(200);
    await first.get(`/services/${slug}/vehicle-identification-number`).expect(200);
    expect(await countOf(slug, '(started)')).toBe(2);
    expect(await countOf(slug, 'vehicle-identification-number')).toBe(0);
  });

  it('counts a completed page once per session, even when it is answered again', async () => {
    const slug = 'report-a-pothole';
    const url = `/services/${slug}/location`;
    const agent = request.agent(t.app);
    await agent.get(`/services/${slug}/start`).expect(302);

    // An answer with errors is not a completed page.
    const invalid = await postForm(agent, url, { locationDescription: '' });
    expect(invalid.status).toBe(422);
    expect(await countOf(slug, 'location')).toBe(0);

    const first = await postForm(agent, url, { locationDescription: 'Outside the library on Broad Street' });
    expect(first.status).toBe(302);
    expect(await countOf(slug, 'location')).toBe(1);

    // Going back and changing the answer, from the page or from check answers, does not count again.
    const again = await postForm(agent, url, { locationDescription: 'Opposite the library on Broad Street' });
    expect(again.status).toBe(302);
    const changed = await postForm(agent, `${url}?change=true`, { locationDescription: 'By the library' });
    expect(changed.status).toBe(302);
    expect(await countOf(slug, 'location')).toBe(1);

    // Another person completing the page does count.
    const other = request.agent(t.app);
    await other.get(`/services/${slug}/start`).expect(302);
    expect((await postForm(other, url, { locationDescription: 'Corner of Mill Lane' })).status).toBe(302);
    expect(await countOf(slug, 'location')).toBe(2);
    expect(await countOf(slug, '(started)')).toBe(2);
  });

  it('counts every page of a walked journey once, and a start for each journey', async () => {
    const slug = 'apply-for-a-blue-badge';
    const journey = blueBadgePaths[0]!;
    const agent = await walkToCheckAnswers(t.app, slug, journey);
    await agent.get(`/services/${slug}/start`).expect(302); // back to the start: still the same journey
    const rows: CountRow[] = await t.db('journey_count').where({ service_slug: slug }).select('*');
    const counts = Object.fromEntries(rows.map((r) => [r.page_id, r.count]));
    expect(counts).toEqual({
      '(started)': 1,
      ...Object.fromEntries(journey.steps.map((s) => [s.page, 1])),
    });

    // After sending, starting again is a new journey.
    expect((await sendApplication(agent, slug)).status).toBe(303);
    await agent.get(`/services/${slug}/start`).expect(302);
    expect(await countOf(slug, '(started)')).toBe(2);
  });

  it('stores counts only: a service, a page, the UK day and a number, nothing about the person', async () => {
    const slug = 'register-a-vehicle';
    const journey = vehiclePaths[0]!;
    await walkToCheckAnswers(t.app, slug, journey);

    const columns = Object.keys(await t.db('journey_count').columnInfo()).sort();
    expect(columns).toEqual(['count', 'day', 'page_id', 'service_slug']);

    const rows: CountRow[] = await t.db('journey_count').select('*');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['count', 'day', 'page_id', 'service_slug']);
      expect(row.day).toBe(DAY);
      expect(t.registry.find(row.service_slug)).toBeDefined();
      const definition = t.registry.find(row.service_slug)!;
      expect(['(started)', ...definition.pages.map((p) => p.id)]).toContain(row.page_id);
      expect(Number.isInteger(row.count)).toBe(true);
      expect(row.count).toBeGreaterThan(0);
    }

    // None of what was typed, nor any session id, is in the counts.
    const everything = JSON.stringify(rows);
    for (const step of journey.steps) {
      for (const value of Object.values(step.body).flat()) {
        if (value.length > 3) expect(everything).not.toContain(value);
      }
    }
    const sessionIds: string[] = await t.db('session').pluck('sid');
    expect(sessionIds.length).toBeGreaterThan(0);
    for (const sid of sessionIds) expect(everything).not.toContain(sid);
  });
});

describe('when counting fails', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    await t.db.schema.dropTable('journey_count');
  });
  afterAll(() => t.close());

  it('still lets a person start, walk to check answers and send their application', async () => {
    const slug = 'register-a-vehicle';
    const journey = vehiclePaths[0]!;
    const agent = await walkToCheckAnswers(t.app, slug, journey);

    const check = await agent.get(`/services/${slug}/check-answers`).expect(200);
    expect(parseHtml(check.text)('h1').text().trim()).toBe(
      'Check your answers before sending your application',
    );

    const sent = await sendApplication(agent, slug);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toMatch(new RegExp(`^/services/${slug}/confirmation/[A-Z0-9]{10}$`));
    const confirmation = await agent.get(sent.headers.location!).expect(200);
    expect(parseHtml(confirmation.text)('.govuk-panel__title').text().trim()).toBe('Application sent');
    expect(await t.db('submission').where({ service_slug: slug }).pluck('status')).toEqual(['submitted']);
  });

  it('keeps answers and moves on when a page is answered again', async () => {
    const slug = 'report-a-pothole';
    const agent = await walkToCheckAnswers(t.app, slug, potholePaths[1]!);
    const res = await postForm(agent, `/services/${slug}/road?change=true`, {
      street: 'Broad Street',
      town: 'Oxford',
      locationPostcode: 'OX1 3AS',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/services/${slug}/check-answers`);
    expect((await sendApplication(agent, slug)).status).toBe(303);
  });
});
