import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import {
  csrfTokenIn,
  FIXED_NOW,
  fixedClock,
  postForm,
  sendApplication,
  summaryRows,
  walkToCheckAnswers,
  type Agent,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import potholePaths from '../fixtures/journeys/report-a-pothole';
import fishingPaths from '../fixtures/journeys/apply-for-a-rod-fishing-licence';
import type { JourneyPath } from '../fixtures/journeys/types';
import { formatReference, generateReference } from '../../src/submissions/reference';
import { formatDate } from '../../src/questions/date';
import { up as addStatusCheckPhone } from '../../migrations/20261203090000_add_submission_status_check_phone';

const NOT_FOUND =
  'We could not find an application with that reference number and email address or phone number. Check them and try again';

// The proofs the fixtures give: only the applicant's own contact details (each service's statusCheckQuestions)
// count, never a postcode or an address (issue 13, defect 9).
const VEHICLE_EMAIL = 'sarah.philips@example.com'; // register-a-vehicle: contactEmail
const POTHOLE_EMAIL = 'kim.nguyen@example.com'; // report-a-pothole: contactEmail
const POTHOLE_PHONE = '07700 900982'; // report-a-pothole: contactPhone
const POTHOLE_POSTCODE = 'RG1 1AA'; // the pothole's own location, a public place: not a proof
const FISHING_EMAIL = 'daniel.hughes@example.com'; // apply-for-a-rod-fishing-licence: contactEmail
const FISHING_POSTCODE = 'M1 1AE'; // the licence holder's address: not a proof

/** Walk a fixture path, send it and read the reference from the confirmation redirect. */
async function sendAndReadReference(t: TestApp, slug: string, path: JourneyPath): Promise<string> {
  const agent = await walkToCheckAnswers(t.app, slug, path);
  const sent = await sendApplication(agent, slug);
  expect(sent.status).toBe(303);
  const match = new RegExp(`^/services/${slug}/confirmation/([A-Z0-9]{10})$`).exec(
    sent.headers.location ?? '',
  );
  if (!match) throw new Error(`unexpected confirmation redirect ${sent.headers.location}`);
  return match[1]!;
}

/** A successful check redirects (post/redirect/get) to the application page; follow it as a browser would. */
async function followToApplication(agent: Agent, res: request.Response): Promise<request.Response> {
  if (res.status !== 303) return res;
  expect(res.headers.location).toBe('/check-status/your-application');
  return agent.get('/check-status/your-application');
}

const checkStatus = async (agent: Agent, reference: string, proof: string) =>
  followToApplication(agent, await postForm(agent, '/check-status', { reference, proof }));

/** POST a raw urlencoded body (for repeated and odd keys) with the form's CSRF token. */
async function checkStatusRaw(agent: Agent, body: string) {
  const page = await agent.get('/check-status').expect(200);
  return followToApplication(
    agent,
    await agent
      .post('/check-status')
      .type('form')
      .send(`${body}&_csrf=${encodeURIComponent(csrfTokenIn(page.text))}`),
  );
}

const errorSummary = (html: string): string[] => {
  const $ = parseHtml(html);
  return $('.govuk-error-summary__list a')
    .map((_i, a) => $(a).text().trim())
    .get();
};
const fieldError = (html: string, id: string): string =>
  parseHtml(html)(`#${id}-error`)
    .text()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^Error: /, '');
const titleOf = (html: string): string => parseHtml(html)('head > title').text().trim();
const h1Of = (html: string): string => parseHtml(html)('h1').text().trim();

/** What the result page tells the person: service, status rows and timeline. */
function resultPage(html: string) {
  const $ = parseHtml(html);
  return {
    h1: $('h1').text().trim(),
    serviceTitle: $('.govuk-caption-l').text().trim(),
    rows: summaryRows(html),
    timeline: $('main ol li')
      .map((_i, li) => $(li).text().replace(/\s+/g, ' ').trim())
      .get(),
  };
}

function expectFound(res: request.Response, reference: string, serviceTitle: string) {
  expect(res.status).toBe(200);
  expect(titleOf(res.text)).toMatch(/^Your application – /);
  const page = resultPage(res.text);
  expect(page.h1).toBe('Your application');
  expect(page.serviceTitle).toBe(serviceTitle);
  expect(page.rows['Reference number']).toBe(formatReference(reference));
  expect(page.rows.Status).toBe('Received');
  expect(page.rows['Sent on']).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
  expect(page.timeline).toHaveLength(1);
  expect(page.timeline[0]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}: Application received$/);
}

function expectNotFound(res: request.Response) {
  expect(res.status).toBe(422);
  expect(titleOf(res.text)).toMatch(/^Error: Check the status of an application – /);
  expect(errorSummary(res.text)).toEqual([NOT_FOUND]);
  expect(fieldError(res.text, 'reference')).toBe(NOT_FOUND);
  expect(parseHtml(res.text)('#proof-error').length).toBe(0);
  expect(res.text).not.toContain('Your application');
}

describe('checking the status of an application', () => {
  let t: TestApp;
  let vehicleRef: string;
  let potholeRef: string;
  let fishingRef: string;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    vehicleRef = await sendAndReadReference(t, 'register-a-vehicle', vehiclePaths[0]!);
    potholeRef = await sendAndReadReference(t, 'report-a-pothole', potholePaths[0]!);
    fishingRef = await sendAndReadReference(t, 'apply-for-a-rod-fishing-licence', fishingPaths[0]!);
  });
  afterAll(() => t.close());

  it('shows the form, which asks for the email address or phone number the applicant gave', async () => {
    const res = await request(t.app).get('/check-status').expect(200);
    const $ = parseHtml(res.text);
    expect(h1Of(res.text)).toBe('Check the status of an application');
    expect($('form[method="post"][action="/check-status"] input[name="reference"]').length).toBe(1);
    expect($('form input[name="proof"]').length).toBe(1);
    expect($('label[for="proof"]').text().trim()).toBe('Email address or phone number');
    expect($('#proof-hint').text().trim()).toBe(
      'The email address or phone number you gave us to contact you. Not a postcode or address',
    );
    expect($('main').text()).toContain('the email address or phone number you gave in your application');
  });

  it('says when a decision is expected while it is open, what happens next once approved, and how to challenge a rejection', async () => {
    const mainText = (html: string) => parseHtml(html)('main').text().replace(/\s+/g, ' ');
    const open = mainText((await checkStatus(request.agent(t.app), vehicleRef, VEHICLE_EMAIL)).text);
    const due = (await t.db('submission').where({ reference: vehicleRef }).first('due_date')) as {
      due_date: string;
    };
    expect(open).toContain(`We expect to make a decision by ${formatDate(due.due_date)}.`);
    expect(open).not.toContain('What happens next');

    await t
      .db('submission')
      .where({ reference: potholeRef })
      .update({ status: 'approved', decided_at: FIXED_NOW });
    const approved = mainText((await checkStatus(request.agent(t.app), potholeRef, POTHOLE_EMAIL)).text);
    expect(approved).toContain('What happens next');
    expect(approved).toContain('We have accepted your report and will repair the pothole.');
    expect(approved).not.toContain('We expect to make a decision by');

    await t
      .db('submission')
      .where({ reference: fishingRef })
      .update({ status: 'rejected', decided_at: FIXED_NOW, decision_reason: 'The start date has passed.' });
    const rejected = mainText((await checkStatus(request.agent(t.app), fishingRef, FISHING_EMAIL)).text);
    expect(rejected).toContain('If you think the decision is wrong');
    expect(rejected).toContain('You can ask the Environment Agency to look at it again.');
    expect(rejected).toContain('licensing@example.gov.uk');
    expect(rejected).not.toContain('What happens next');
    // Back as they were, for the other tests.
    await t.db('submission').whereIn('reference', [potholeRef, fishingRef]).update({
      status: 'submitted',
      decided_at: null,
      decision_reason: null,
    });
  });

  it('finds an application by its reference as shown (ABCD-EFGH-JK) and the email in another case', async () => {
    const res = await checkStatus(
      request.agent(t.app),
      formatReference(vehicleRef),
      VEHICLE_EMAIL.toUpperCase(),
    );
    expectFound(res, vehicleRef, 'Register a vehicle');
  });

  it('accepts the reference in lower case, with spaces instead of dashes, and stray spaces around the email', async () => {
    const spaced = `${vehicleRef.slice(0, 4)} ${vehicleRef.slice(4, 8)} ${vehicleRef.slice(8)}`.toLowerCase();
    const res = await checkStatus(request.agent(t.app), `  ${spaced} `, ` Sarah.Philips@Example.com `);
    expectFound(res, vehicleRef, 'Register a vehicle');
  });

  it('finds a pothole report by the reporter’s email, and by their phone number however it is written', async () => {
    expectFound(
      await checkStatus(request.agent(t.app), potholeRef.toLowerCase(), POTHOLE_EMAIL),
      potholeRef,
      'Report a pothole',
    );
    for (const phone of [POTHOLE_PHONE, '+44 7700 900982', '07700900982', '(07700) 900-982']) {
      expectFound(await checkStatus(request.agent(t.app), potholeRef, phone), potholeRef, 'Report a pothole');
    }
  });

  it('finds a fishing licence application by the applicant’s email address', async () => {
    const res = await checkStatus(request.agent(t.app), formatReference(fishingRef), FISHING_EMAIL);
    expectFound(res, fishingRef, 'Apply for a rod fishing licence');
  });

  it('gives access under a new session id, keeping answers in progress, and the old id gets nothing', async () => {
    const agent = request.agent(t.app);
    // Answers in progress in the same browser, so the session (and its cookie) exists before the check.
    const started = await agent.get('/services/register-a-vehicle/start').expect(302);
    const cookieOf = (res: request.Response) =>
      ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]?.split(';')[0] ?? '';
    const cookieBefore = cookieOf(started);
    expect(cookieBefore).toMatch(/=s%3A/);
    const first = vehiclePaths[0]!.steps[0]!;
    await postForm(agent, `/services/register-a-vehicle/${first.page}`, first.body);
    const form = await agent.get('/check-status').expect(200);
    const granted = await agent
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference: formatReference(vehicleRef), proof: VEHICLE_EMAIL })
      .expect(303);
    const cookieAfter = cookieOf(granted);
    expect(cookieAfter).toMatch(/=s%3A/);
    expect(cookieAfter).not.toBe(cookieBefore);
    expectFound(await agent.get('/check-status/your-application'), vehicleRef, 'Register a vehicle');
    // The form's token still works under the new id (the session's data moved with it).
    await agent
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference: formatReference(vehicleRef), proof: VEHICLE_EMAIL })
      .expect(303);
    // The cookie from before the check shows nothing: the access lives only under the new id.
    const old = await request(t.app).get('/check-status/your-application').set('Cookie', cookieBefore);
    expect(old.status).toBe(303);
    expect(old.headers.location).toBe('/check-status');
    // The answers typed before the check are still there.
    const page = await agent.get(`/services/register-a-vehicle/${first.page}`).expect(200);
    expect(parseHtml(page.text)('input[name="vin"]').val()).toBe(first.body.vin);
  });

  it('gives the same answer for a wrong email or phone number, a postcode, an unknown reference and a malformed one', async () => {
    let unknown = generateReference();
    while ([vehicleRef, potholeRef, fishingRef].includes(unknown)) unknown = generateReference();
    const attempts: [string, string, string][] = [
      ['wrong email', formatReference(vehicleRef), 'someone.else@example.com'],
      ['wrong phone number', formatReference(potholeRef), '07700 900983'],
      ['the pothole’s postcode, a public place', formatReference(potholeRef), POTHOLE_POSTCODE],
      ['the licence holder’s postcode', formatReference(fishingRef), FISHING_POSTCODE],
      ['another application’s email', formatReference(potholeRef), VEHICLE_EMAIL],
      ['unknown reference', formatReference(unknown), VEHICLE_EMAIL],
      ['malformed reference', 'NOT-A-REFERENCE', VEHICLE_EMAIL],
      ['wrong check character', vehicleRef.slice(0, 9) + (vehicleRef[9] === 'A' ? 'B' : 'A'), VEHICLE_EMAIL],
      ['neither an email nor a phone number', formatReference(fishingRef), 'not a phone number'],
    ];
    const pages: string[] = [];
    for (const [name, reference, proof] of attempts) {
      const res = await checkStatus(request.agent(t.app), reference, proof);
      expect({ name, status: res.status }).toEqual({ name, status: 422 });
      expectNotFound(res);
      // What the person typed is kept so they can correct it.
      expect(parseHtml(res.text)('input#reference').attr('value')).toBe(reference);
      expect(parseHtml(res.text)('input#proof').attr('value')).toBe(proof);
      const $ = parseHtml(res.text);
      $('input').remove();
      pages.push($('main').text().replace(/\s+/g, ' ').trim());
    }
    // Apart from the values typed, every page is word for word the same.
    expect(new Set(pages).size).toBe(1);
  });

  it('asks for both fields when they are empty, with the GOV.UK "Error: " title', async () => {
    const res = await checkStatus(request.agent(t.app), '', '');
    expect(res.status).toBe(422);
    expect(titleOf(res.text)).toMatch(/^Error: Check the status of an application – /);
    expect(errorSummary(res.text)).toEqual([
      'Enter your reference number',
      'Enter the email address or phone number you gave in your application',
    ]);
    expect(fieldError(res.text, 'reference')).toBe('Enter your reference number');
    expect(fieldError(res.text, 'proof')).toBe(
      'Enter the email address or phone number you gave in your application',
    );
    const $ = parseHtml(res.text);
    expect($('.govuk-error-summary__list a').first().attr('href')).toBe('#reference');
    expect($('.govuk-error-summary__list a').last().attr('href')).toBe('#proof');
  });

  it('asks only for the missing field, keeping the other', async () => {
    const noProof = await checkStatus(request.agent(t.app), formatReference(vehicleRef), '   ');
    expect(noProof.status).toBe(422);
    expect(errorSummary(noProof.text)).toEqual([
      'Enter the email address or phone number you gave in your application',
    ]);
    expect(parseHtml(noProof.text)('input#reference').attr('value')).toBe(formatReference(vehicleRef));

    const noReference = await checkStatus(request.agent(t.app), '', VEHICLE_EMAIL);
    expect(noReference.status).toBe(422);
    expect(errorSummary(noReference.text)).toEqual(['Enter your reference number']);
    expect(parseHtml(noReference.text)('input#proof').attr('value')).toBe(VEHICLE_EMAIL);
  });

  it('refuses a check without the form’s CSRF token', async () => {
    const res = await request(t.app)
      .post('/check-status')
      .type('form')
      .send({ reference: formatReference(vehicleRef), proof: VEHICLE_EMAIL });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('Your application');
  });
});

/** A status check from a given client address (the app trusts one proxy hop, as behind a load balancer). */
async function checkStatusFrom(t: TestApp, address: string, reference: string, proof: string) {
  const agent = request.agent(t.app);
  const form = await agent.get('/check-status').set('X-Forwarded-For', address).expect(200);
  const res = await agent
    .post('/check-status')
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), reference, proof });
  return followToApplication(agent, res);
}

function expectTooMany(blocked: request.Response) {
  expect(blocked.status).toBe(429);
  const retryAfter = Number(blocked.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  expect(titleOf(blocked.text)).toMatch(/^You have tried too many times – /);
  expect(h1Of(blocked.text)).toBe('You have tried too many times');
  expect(parseHtml(blocked.text)('main').text()).toMatch(/you cannot try again for 15 minutes/);
  expect(blocked.text).not.toContain('Your application');
  expect(blocked.text).not.toContain('Received');
}

const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.20';

describe('too many attempts for one reference from one address', () => {
  let t: TestApp;
  let reference: string;
  let otherReference: string;
  beforeAll(async () => {
    t = await appWith({ TRUST_PROXY_HOPS: '1' }, { clock: fixedClock });
    reference = await sendAndReadReference(t, 'register-a-vehicle', vehiclePaths[0]!);
    otherReference = await sendAndReadReference(t, 'report-a-pothole', potholePaths[0]!);
  });
  afterAll(() => t.close());

  it('after 5 wrong attempts, refuses the 6th from that address for 15 minutes even with the right email', async () => {
    // However the reference is typed, it is the same reference.
    const typings = [
      formatReference(reference),
      reference.toLowerCase(),
      ` ${reference.slice(0, 4)} ${reference.slice(4, 8)} ${reference.slice(8)} `,
      formatReference(reference).toLowerCase(),
      reference,
    ];
    for (const typed of typings)
      expectNotFound(await checkStatusFrom(t, ATTACKER, typed, 'guess@example.com'));
    expectTooMany(await checkStatusFrom(t, ATTACKER, formatReference(reference), VEHICLE_EMAIL));
  });

  it('does not lock the owner out: from another address the right email still gets in', async () => {
    for (let i = 0; i < 3; i++) {
      expectTooMany(await checkStatusFrom(t, ATTACKER, formatReference(reference), 'guess@example.com'));
    }
    expectFound(
      await checkStatusFrom(t, OWNER, formatReference(reference), VEHICLE_EMAIL),
      reference,
      'Register a vehicle',
    );
  });

  it('still answers for other references from the address that was refused', async () => {
    const res = await checkStatusFrom(t, ATTACKER, otherReference, POTHOLE_EMAIL);
    expectFound(res, otherReference, 'Report a pothole');
  });

  it('does not count successful checks against the limit', async () => {
    const fresh = await sendAndReadReference(t, 'report-a-pothole', potholePaths[0]!);
    for (let i = 0; i < 8; i++) {
      const res = await checkStatusFrom(t, OWNER, formatReference(fresh), POTHOLE_EMAIL);
      expect({ attempt: i + 1, status: res.status }).toEqual({ attempt: i + 1, status: 200 });
    }
  });
});

describe('too many attempts from one address', () => {
  let t: TestApp;
  let reference: string;
  beforeAll(async () => {
    t = await appWith({ TRUST_PROXY_HOPS: '1' }, { clock: fixedClock });
    reference = await sendAndReadReference(t, 'register-a-vehicle', vehiclePaths[0]!);
  });
  afterAll(() => t.close());

  it('allows 20 wrong attempts with different references, then refuses the 21st even when it is right', async () => {
    const tried = new Set([reference]);
    for (let i = 0; i < 20; i++) {
      let guess = generateReference();
      while (tried.has(guess)) guess = generateReference();
      tried.add(guess);
      const res = await checkStatusFrom(t, ATTACKER, formatReference(guess), VEHICLE_EMAIL);
      expect({ attempt: i + 1, status: res.status }).toEqual({ attempt: i + 1, status: 422 });
    }
    // A new cookie does not reset the count: it is per client address, not per session.
    expectTooMany(await checkStatusFrom(t, ATTACKER, formatReference(reference), VEHICLE_EMAIL));
  });

  it('leaves every other address alone, the owner’s included', async () => {
    expectFound(
      await checkStatusFrom(t, OWNER, formatReference(reference), VEHICLE_EMAIL),
      reference,
      'Register a vehicle',
    );
  });
});

describe('applications sent before the status check asked for the applicant’s email or phone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('are checked with the email or phone in their answers once the migration has run, not the postcode', async () => {
    const reference = await sendAndReadReference(t, 'report-a-pothole', potholePaths[0]!);
    // As such an application was stored: the pothole's postcode as proof, no email, no phone column.
    await t
      .db('submission')
      .where({ reference })
      .update({
        status_check_email: null,
        status_check_postcode: POTHOLE_POSTCODE.replace(' ', ''),
      });
    await t.db.schema.alterTable('submission', (table) => table.dropColumn('status_check_phone'));
    await addStatusCheckPhone(t.db);
    expect(
      await t.db('submission').where({ reference }).first('status_check_email', 'status_check_phone'),
    ).toEqual({ status_check_email: POTHOLE_EMAIL, status_check_phone: '+447700900982' });
    expectFound(
      await checkStatus(request.agent(t.app), reference, POTHOLE_PHONE),
      reference,
      'Report a pothole',
    );
    expectFound(
      await checkStatus(request.agent(t.app), reference, POTHOLE_EMAIL),
      reference,
      'Report a pothole',
    );
    expectNotFound(await checkStatus(request.agent(t.app), reference, POTHOLE_POSTCODE));
  });
});

describe('hostile values on the status check', () => {
  let t: TestApp;
  let reference: string;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    reference = await sendAndReadReference(t, 'register-a-vehicle', vehiclePaths[0]!);
  });
  afterAll(() => t.close());

  const enc = encodeURIComponent;
  const cases: [string, () => string, number][] = [
    [
      'the reference as a list',
      () => `reference=${reference}&reference=${reference}&proof=${enc(VEHICLE_EMAIL)}`,
      422,
    ],
    ['the proof as a list', () => `reference=${reference}&proof=${enc(VEHICLE_EMAIL)}&proof=x`, 422],
    ['both fields as lists', () => 'reference=a&reference=b&proof=c&proof=d', 422],
    [
      'a 10,000-character reference',
      () => `reference=${'A'.repeat(10_000)}&proof=${enc(VEHICLE_EMAIL)}`,
      422,
    ],
    ['a 10,000-character proof', () => `reference=${reference}&proof=${'a'.repeat(10_000)}`, 422],
    [
      'a 10,000-character email',
      () => `reference=${reference}&proof=${'a'.repeat(9_980)}%40example.com`,
      422,
    ],
    ['null bytes in both fields', () => `reference=%00${reference.slice(0, 5)}%00&proof=%00%40%00`, 422],
    ['only null bytes', () => 'reference=%00%00&proof=%00', 422],
    ['SQL in both fields', () => `reference=${enc("' or 1=1--")}&proof=${enc("' or ''='")}`, 422],
    [
      'an emoji cut in half by the length limit',
      () => `reference=${'A'.repeat(39)}${enc('🚗')}&proof=${'a'.repeat(253)}${enc('🚗')}`,
      422,
    ],
    ['invalid UTF-8', () => 'reference=%ED%A0%80&proof=%FF%FE', 422],
    [
      'markup',
      () => `reference=${enc('<script>alert(1)</script>')}&proof=${enc('<b>x</b>@example.com')}`,
      422,
    ],
  ];

  it.each(cases)('%s gets a page, never a server error', async (_name, body, status) => {
    const res = await checkStatusRaw(request.agent(t.app), body());
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(h1Of(res.text)).toBe('Check the status of an application');
    expect(titleOf(res.text)).toMatch(/^Error: /);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).not.toContain('<b>x</b>');
  });

  it('refuses bracketed field names, which the form does not have, with the could-not-read page', async () => {
    const res = await checkStatusRaw(
      request.agent(t.app),
      `reference[]=${reference}&proof[x]=${enc(VEHICLE_EMAIL)}`,
    );
    expect(res.status).toBe(400);
    expect(h1Of(res.text)).toBe('Sorry, we could not read what you sent');
    expect(res.text).not.toContain('Your application');
  });

  it('keeps at most 40 characters of a very long reference in the form', async () => {
    const res = await checkStatusRaw(request.agent(t.app), `reference=${'B'.repeat(10_000)}&proof=SW1A1AA`);
    expect(res.status).toBe(422);
    expect((parseHtml(res.text)('input#reference').attr('value') ?? '').length).toBeLessThanOrEqual(40);
  });

  it('ignores a null byte inside the right reference and email', async () => {
    const res = await checkStatusRaw(
      request.agent(t.app),
      `reference=${reference.slice(0, 5)}%00${reference.slice(5)}&proof=${enc(VEHICLE_EMAIL).replace('%40', '%00%40')}`,
    );
    expectFound(res, reference, 'Register a vehicle');
  });

  it('leaves the application as it was', async () => {
    const rows = await t.db('submission').where({ reference });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('submitted');
  });
});
