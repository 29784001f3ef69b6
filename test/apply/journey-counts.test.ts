import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, postForm, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import potholePaths from '../fixtures/journeys/report-a-pothole';
import blueBadgePaths from '../fixtures/journeys/apply-for-a-blue-badge';
import { STARTED } from '../../src/metrics/journey-count-repository';
import { JOURNEY_START_LIMIT } from '../../src/apply/journey-counting';
import { createRateLimit } from '../../src/middleware/rate-limit';

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

  it('counts a journey started when its first question page is reached in a session, once however often "Start now" is pressed', async () => {
    const slug = 'register-a-vehicle';
    const firstPage = `/services/${slug}/vehicle-identification-number`;
    expect(STARTED).toBe('(started)');
    const first = request.agent(t.app);
    const start = await first.get(`/services/${slug}/start`).expect(302);
    expect(start.headers.location).toBe(firstPage);
    expect(await countOf(slug, '(started)')).toBe(0);
    await first.get(firstPage).expect(200);
    expect(await countOf(slug, '(started)')).toBe(1);

    await first.get(`/services/${slug}/start`).expect(302);
    await first.get(firstPage).expect(200);
    expect(await countOf(slug, '(started)')).toBe(1);

    const second = request.agent(t.app);
    await second.get(`/services/${slug}/start`).expect(302);
    await second.get(firstPage).expect(200);
    expect(await countOf(slug, '(started)')).toBe(2);
    await second.get(`/services/${slug}/start`).expect(302);
    await second.get(firstPage).expect(200);
    expect(await countOf(slug, '(started)')).toBe(2);

    // Reading the start page is not starting a journey, nor is reading a question page: only answering it is.
    await request(t.app).get(`/services/${slug}`).expect(200);
    await first.get(firstPage).expect(200);
    expect(await countOf(slug, '(started)')).toBe(2);
    expect(await countOf(slug, 'vehicle-identification-number')).toBe(0);
  });

  it('counts nothing for a start page, "Start now" or a question page fetched without a session (an image on another site)', async () => {
    const slug = 'apply-for-a-rod-fishing-licence';
    const firstPage = (await request(t.app).get(`/services/${slug}/start`).expect(302)).headers.location!;
    for (let i = 0; i < 10; i++) {
      await request(t.app).get(`/services/${slug}`).expect(200);
      await request(t.app).get(`/services/${slug}/start`).expect(302);
      await request(t.app).get(firstPage).expect(200);
    }
    expect(await countOf(slug, '(started)')).toBe(0);
  });

  it('counts a journey started for a person who answers the first question page without pressing "Start now"', async () => {
    const slug = 'report-a-pothole';
    const agent = request.agent(t.app);
    const before = await countOf(slug, '(started)');
    await agent.get(`/services/${slug}/location`).expect(200);
    expect(await countOf(slug, '(started)')).toBe(before);
    const answered = await postForm(agent, `/services/${slug}/location`, {
      locationDescription: 'Outside the library on Broad Street',
    });
    expect(answered.status).toBe(302);
    expect(await countOf(slug, '(started)')).toBe(before + 1);
    expect(await countOf(slug, 'location')).toBeGreaterThanOrEqual(1);
  });

  it('counts a completed page once per session, even when it is answered again', async () => {
    const slug = 'report-a-pothole';
    const url = `/services/${slug}/location`;
    const startedBefore = await countOf(slug, '(started)');
    const pageBefore = await countOf(slug, 'location');
    const agent = request.agent(t.app);
    await agent.get(`/services/${slug}/start`).expect(302);

    // An answer with errors is not a completed page.
    const invalid = await postForm(agent, url, { locationDescription: '' });
    expect(invalid.status).toBe(422);
    expect(await countOf(slug, 'location')).toBe(pageBefore);

    const first = await postForm(agent, url, { locationDescription: 'Outside the library on Broad Street' });
    expect(first.status).toBe(302);
    expect(await countOf(slug, 'location')).toBe(pageBefore + 1);

    // Going back and changing the answer, from the page or from check answers, does not count again.
    const again = await postForm(agent, url, { locationDescription: 'Opposite the library on Broad Street' });
    expect(again.status).toBe(302);
    const changed = await postForm(agent, `${url}?change=true`, { locationDescription: 'By the library' });
    expect(changed.status).toBe(302);
    expect(await countOf(slug, 'location')).toBe(pageBefore + 1);

    // Another person completing the page does count.
    const other = request.agent(t.app);
    await other.get(`/services/${slug}/start`).expect(302);
    expect((await postForm(other, url, { locationDescription: 'Corner of Mill Lane' })).status).toBe(302);
    expect(await countOf(slug, 'location')).toBe(pageBefore + 2);
    expect(await countOf(slug, '(started)')).toBe(startedBefore + 2);
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
    const again = await agent.get(`/services/${slug}/start`).expect(302);
    await agent.get(again.headers.location!).expect(200);
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

describe('the limit on journeys counted per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One trusted proxy hop, so each test request can come from the address it names.
    t = await appWith({ TRUST_PROXY_HOPS: '1' }, { clock: fixedClock });
  });
  afterAll(() => t.close());

  const started = async (slug: string) =>
    Number(
      (await t.db('journey_count').where({ service_slug: slug, page_id: STARTED, day: DAY }).first('count'))
        ?.count ?? 0,
    );
  async function startFrom(address: string, slug: string) {
    const agent = request.agent(t.app);
    agent.set('X-Forwarded-For', address);
    const start = await agent.get(`/services/${slug}/start`).expect(302);
    await agent.get(start.headers.location!).expect(200);
    return agent;
  }

  it(`counts at most ${JOURNEY_START_LIMIT.points} journeys started from one address in 10 minutes, shared by all instances, and lets the journey go on uncounted`, async () => {
    const slug = 'register-a-vehicle';
    // The counter lives in the database: spend what is left for this address as other instances would.
    const sameCounter = createRateLimit(t.db, {
      keyPrefix: 'journey-start-ip',
      points: JOURNEY_START_LIMIT.points,
      durationSeconds: JOURNEY_START_LIMIT.durationSeconds,
    });
    await startFrom('198.51.100.20', slug);
    expect(await started(slug)).toBe(1);
    for (let i = 1; i < JOURNEY_START_LIMIT.points; i++) await sameCounter.consume('198.51.100.20');

    const limited = await startFrom('198.51.100.20', slug);
    expect(await started(slug)).toBe(1);
    // The person is not stopped: they answer the page, and the journey is not counted on the way either.
    const answered = await postForm(limited, `/services/${slug}/vehicle-identification-number`, {
      vin: 'WVWZZZ1JZXW000001',
    });
    expect(answered.status).toBe(302);
    expect(await started(slug)).toBe(1);

    await startFrom('198.51.100.21', slug);
    expect(await started(slug)).toBe(2);
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
