import nunjucks from 'nunjucks';
import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { csrfTokenIn, fixedClock } from '../helpers/journey';
import { createStaffUser, signIn } from '../helpers/staff';
import { AGENCIES } from '../../src/definitions/agencies';

// The catalogue, start pages and search results are rendered once and reused (src/middleware/page-cache.ts).
// These tests pin what that must never change: each response has its own CSP nonce, nothing about one person
// reaches another, and a new typical processing time shows as soon as the figures are reloaded.

const CACHED_PAGES = [
  ['the catalogue', '/', 'catalogue/catalogue.njk'],
  ['a start page', '/services/register-a-vehicle', 'apply/start.njk'],
  ['search results', '/search?q=vehicle', 'catalogue/search.njk'],
] as const;

const VEHICLE = 'register-a-vehicle';

const nonceOf = (res: request.Response): string => {
  const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
  if (!nonce) throw new Error('no nonce in the CSP header');
  return nonce;
};
/** The page with its nonce taken out, to compare two responses. */
const withoutNonce = (res: request.Response): string => res.text.split(nonceOf(res)).join('NONCE');

/** Ten decisions in each of the last three months, all taking `days` working days: a typical time of `days`. */
async function recordDecisions(t: TestApp, days: number) {
  await t.db('processing_time_month').where({ service_slug: VEHICLE }).delete();
  await t.db('processing_time_month').insert(
    ['2026-09-01', '2026-10-01', '2026-11-01'].map((month) => ({
      service_slug: VEHICLE,
      month,
      unit: 'working_days',
      days,
      decisions: 10,
    })),
  );
}

const vehicleCard = (html: string): string =>
  parseHtml(html)(`a[href="/services/${VEHICLE}"]`).first().closest('li').text().replace(/\s+/g, ' ');
const startPageTime = (html: string): string =>
  parseHtml(html)('[data-typical-time]').text().replace(/\s+/g, ' ');

describe('pages that are the same for everyone', () => {
  let t: TestApp;
  let renders: jest.SpyInstance;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    renders = jest.spyOn(nunjucks.Environment.prototype, 'render');
  });
  afterEach(() => renders.mockRestore());

  const rendersOf = (view: string) => renders.mock.calls.filter(([name]) => name === view).length;

  it.each(CACHED_PAGES)(
    '%s is rendered once, and every response carries its own nonce in the header and the page',
    async (_name, url, view) => {
      const first = await request(t.app).get(url).expect(200).expect('Content-Type', /html/);
      const rendered = rendersOf(view);
      const second = await request(t.app).get(url).expect(200);
      const third = await request(t.app).get(url).expect(200);
      expect(rendersOf(view)).toBe(rendered);

      const nonces = [first, second, third].map(nonceOf);
      expect(new Set(nonces).size).toBe(3);
      for (const res of [first, second, third]) {
        const $ = parseHtml(res.text);
        expect($('script[nonce]').attr('nonce')).toBe(nonceOf(res));
        expect(res.text).not.toMatch(/csp-nonce-|csrf-token-/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(withoutNonce(second)).toBe(withoutNonce(first));
      expect(withoutNonce(third)).toBe(withoutNonce(first));
    },
  );

  it('shows a search for the placeholders exactly as typed: the nonce and token go only where the template put them', async () => {
    // The fixed placeholders the cache once used: each was swapped for the response's own nonce or token
    // wherever it appeared, the search box and the results heading included (issue 13, defect 7).
    const typed = 'csp-nonce-placeholder-0f3c9a csrf-token-placeholder-5b71e2';
    for (let i = 0; i < 2; i++) {
      const res = await request(t.app)
        .get(`/search?q=${encodeURIComponent(typed)}`)
        .expect(200);
      const $ = parseHtml(res.text);
      expect($('input[name="q"]').val()).toBe(typed);
      expect($('main').text()).toContain(typed);
      // The nonce is in the page once per script that carries it, and nowhere else.
      const nonce = nonceOf(res);
      expect(res.text.split(nonce).length - 1).toBe($('script[nonce]').length);
    }
  });

  it('shows a citizen in the middle of an application and a signed-in member of staff exactly what anyone sees', async () => {
    const citizen = request.agent(t.app);
    await citizen.get(`/services/${VEHICLE}/start`).expect(302);
    const page = await citizen.get(`/services/${VEHICLE}/vehicle-identification-number`).expect(200);
    await citizen
      .post(`/services/${VEHICLE}/vehicle-identification-number`)
      .type('form')
      .send({ vin: 'WVWZZZ1JZXW000001', _csrf: csrfTokenIn(page.text) })
      .expect(302);

    const caseworker = await createStaffUser(t.db, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
      displayName: 'Caseworker Person',
    });
    const staff = await signIn(t, caseworker, { clock: fixedClock });

    for (const [, url] of CACHED_PAGES) {
      const anyone = await request(t.app).get(url).expect(200);
      for (const agent of [citizen, staff]) {
        const theirs = await agent.get(url).expect(200);
        expect({ url, page: withoutNonce(theirs) }).toEqual({ url, page: withoutNonce(anyone) });
        // Nothing of theirs: no answers, no form token, no session warning, no name.
        expect(theirs.text).not.toContain('WVWZZZ1JZXW000001');
        expect(theirs.text).not.toContain('Caseworker Person');
        expect(parseHtml(theirs.text)('input[name="_csrf"], #timeout-warning').length).toBe(0);
      }
    }
    // And what was sent to them did not stick to the pages everyone else gets afterwards.
    const after = await request(t.app).get('/').expect(200);
    expect(after.text).not.toContain('Caseworker Person');
  });

  it('keeps each search’s own results', async () => {
    const vehicle = await request(t.app).get('/search?q=vehicle').expect(200);
    const fishing = await request(t.app).get('/search?q=fishing').expect(200);
    const again = await request(t.app).get('/search?q=vehicle').expect(200);
    const titles = (res: request.Response) =>
      parseHtml(res.text)('main h3 a')
        .map((_i, a) => parseHtml(res.text)(a).text().trim())
        .get();
    expect(titles(vehicle)).toContain('Register a vehicle');
    expect(titles(fishing)).toContain('Apply for a rod fishing licence');
    expect(titles(fishing)).not.toContain('Register a vehicle');
    expect(titles(again)).toEqual(titles(vehicle));
  });

  it('shows a new typical time once the figures are reloaded (PERFORMANCE_CACHE_SECONDS later), not before', async () => {
    const before = await request(t.app).get('/').expect(200);
    expect(vehicleCard(before.text)).toContain('Aims to decide within');
    await recordDecisions(t, 4);
    // Within the minute the figures are cached for, every page shows the same (old) figure.
    expect(vehicleCard((await request(t.app).get('/').expect(200)).text)).toContain('Aims to decide within');

    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      const catalogue = await request(t.app).get('/').expect(200);
      expect(vehicleCard(catalogue.text)).toContain('Typically decided in 4 working days');
      const start = await request(t.app).get(`/services/${VEHICLE}`).expect(200);
      expect(startPageTime(start.text)).toContain('Typically decided in 4 working days');
      const search = await request(t.app).get('/search?q=vehicle').expect(200);
      expect(vehicleCard(search.text)).toContain('Typically decided in 4 working days');
    } finally {
      later.mockRestore();
    }
  });
});

describe('cached pages when the figures are never cached (PERFORMANCE_CACHE_SECONDS=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ PERFORMANCE_CACHE_SECONDS: '0' }, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('shows a changed typical time on the very next request: a page is kept only for the figures it shows', async () => {
    await recordDecisions(t, 4);
    expect(vehicleCard((await request(t.app).get('/').expect(200)).text)).toContain(
      'Typically decided in 4 working days',
    );
    expect(startPageTime((await request(t.app).get(`/services/${VEHICLE}`)).text)).toContain(
      'Typically decided in 4 working days',
    );
    await recordDecisions(t, 7);
    expect(vehicleCard((await request(t.app).get('/').expect(200)).text)).toContain(
      'Typically decided in 7 working days',
    );
    expect(startPageTime((await request(t.app).get(`/services/${VEHICLE}`)).text)).toContain(
      'Typically decided in 7 working days',
    );
    expect(vehicleCard((await request(t.app).get('/search?q=vehicle')).text)).toContain(
      'Typically decided in 7 working days',
    );
  });
});
