import { AGENCIES } from '../../src/definitions/agencies';
import { formatReference } from '../../src/submissions/reference';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import potholePaths from '../fixtures/journeys/report-a-pothole';
import type { JourneyPath } from '../fixtures/journeys/types';

// "Search cases" on the queue: by reference, applicant's name, email or postcode, only within the member of
// staff's own services, combined with the filters, and hostile searches answer with a page.

async function send(t: TestApp, slug: string, path: JourneyPath): Promise<string> {
  const agent = await walkToCheckAnswers(t.app, slug, path);
  const sent = await sendApplication(agent, slug);
  return sent.headers.location!.split('/').pop()!;
}

/** The references listed on a queue page. */
async function found(staff: Agent, query: Record<string, string | string[]>): Promise<string[]> {
  const page = await staff.get('/staff').query(query).expect(200);
  const $ = parseHtml(page.text);
  return $('tbody th a')
    .map((_i, a) => $(a).text().trim())
    .get();
}

describe('searching the staff queue', () => {
  let t: TestApp;
  let vehicle: string;
  let pothole: string;
  let vehicleStaff: Agent;
  let councilStaff: Agent;

  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    vehicle = await send(t, 'register-a-vehicle', vehiclePaths[0]!); // Sarah Philips, SW1A 1AA
    pothole = await send(t, 'report-a-pothole', potholePaths[0]!); // kim.nguyen@example.com
    vehicleStaff = await signIn(
      t,
      await createStaffUser(t.db, { role: 'caseworker', agencies: [AGENCIES.vehicleLicensing.id] }),
      { clock: fixedClock },
    );
    councilStaff = await signIn(
      t,
      await createStaffUser(t.db, { role: 'caseworker', agencies: [AGENCIES.localCouncil.id] }),
      { clock: fixedClock },
    );
  });
  afterAll(() => t.close());

  it('finds a case by its reference, with or without dashes, in any case', async () => {
    const shown = formatReference(vehicle);
    for (const q of [shown, vehicle, shown.toLowerCase(), ` ${vehicle.toLowerCase()} `]) {
      expect(await found(vehicleStaff, { q })).toEqual([shown]);
    }
  });

  it("finds a case by the applicant's name, whole or in part, in any case", async () => {
    for (const q of ['Sarah Philips', 'sarah', 'PHILIPS', 'philips sarah']) {
      expect(await found(vehicleStaff, { q })).toEqual([formatReference(vehicle)]);
    }
  });

  it('finds a case by a postcode inside an address answer', async () => {
    expect(await found(vehicleStaff, { q: 'sw1a 1aa' })).toEqual([formatReference(vehicle)]);
  });

  it('finds a case by its email address in any case', async () => {
    expect(await found(vehicleStaff, { q: 'Sarah.Philips@Example.com' })).toEqual([formatReference(vehicle)]);
    expect(await found(councilStaff, { q: 'KIM.NGUYEN@example.com' })).toEqual([formatReference(pothole)]);
  });

  it("never finds another agency's case, whatever is searched", async () => {
    for (const q of [pothole, formatReference(pothole), 'kim.nguyen@example.com', 'kim']) {
      expect(await found(vehicleStaff, { q })).toEqual([]);
    }
    for (const q of [vehicle, 'Sarah Philips', 'sarah.philips@example.com', 'SW1A 1AA']) {
      expect(await found(councilStaff, { q })).toEqual([]);
    }
    // Not through the CSV export either.
    const csv = await vehicleStaff.get('/staff/cases.csv').query({ q: 'kim', status: 'all' }).expect(200);
    expect(csv.text).not.toContain(formatReference(pothole));
  });

  it('combines the search with the filters, and keeps it in the pagination and CSV links', async () => {
    expect(await found(vehicleStaff, { q: 'sarah', status: 'approved' })).toEqual([]);
    expect(await found(vehicleStaff, { q: 'sarah', status: 'all', assignee: 'unassigned' })).toEqual([
      formatReference(vehicle),
    ]);
    const page = await vehicleStaff.get('/staff').query({ q: 'sarah' }).expect(200);
    const $ = parseHtml(page.text);
    expect($('input[name="q"]').attr('value')).toBe('sarah');
    expect($('a[download]').attr('href')).toBe('/staff/cases.csv?q=sarah');
    const csv = await vehicleStaff.get('/staff/cases.csv?q=sarah').expect(200);
    expect(csv.text).toContain(formatReference(vehicle));
  });

  it('says "No cases match" with the search shown when nothing matches', async () => {
    const page = await vehicleStaff.get('/staff').query({ q: 'Nobody Atall' }).expect(200);
    const $ = parseHtml(page.text);
    expect($('tbody tr').length).toBe(0);
    expect($('main').text()).toContain('No cases match “Nobody Atall”');
  });

  it('answers hostile searches with a page, not an error, and treats wildcards as letters', async () => {
    const hostile: Record<string, string | string[]>[] = [
      { q: "'; drop table submission; --" },
      { q: "' or 1=1 --" },
      { q: 'x'.repeat(10_000) },
      { q: ['sarah', 'kim'] },
      { q: '%' },
      { q: '_' },
      { q: '\\' },
      { q: '$.** ? (@ == "x")' },
      { q: '\u0000' },
    ];
    for (const query of hostile) {
      const page = await vehicleStaff.get('/staff').query(query);
      expect(page.status).toBe(200);
    }
    expect(await found(vehicleStaff, { q: '%' })).toEqual([]);
    expect(await found(vehicleStaff, { q: '_' })).toEqual([]);
    const [{ n }] = (await t.db('submission').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(2); // the "drop table" was only ever a search
  });
});
