import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/middleware/logging';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, fixedClock, postForm, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import type { JourneyPath } from '../fixtures/journeys/types';
import { allJourneys } from '../helpers/journey-fixtures';

/**
 * The personal data a fixture path types: free text with a letter and a digit, space or @ (names, addresses,
 * postcodes, National Insurance numbers, emails, phone numbers, descriptions), also without spaces as the app
 * stores identifiers. Option values (`british`, `self-employed`) and bare numbers are left out.
 */
const typedPersonalData = (journey: JourneyPath): string[] =>
  journey.steps
    .flatMap((step) => Object.values(step.body).flat())
    .filter((value) => value.length >= 6 && /[A-Za-z]/.test(value) && /[\d @]/.test(value))
    .flatMap((value) => [value, value.replace(/\s+/g, '')]);

// Unique fake personal data: if any of it shows up in a log line, something logs what it must not.
const CANARY = {
  name: 'Zephyrine Quillfeather',
  email: 'zephyrine.canary7@example.com',
  postcode: 'SW1A 2AA',
  street: '77 Canaryleaf Crescent',
  vin: 'WVWZZZ1JZXW777777',
  password: 'canary-password-that-is-wrong',
  staffEmail: 'canary.staff@example.gov.uk',
};

describe('logs carry no personal data', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'trace' }), sink);
    t = await appWith({}, { clock: fixedClock, logger });
  });
  afterAll(() => t.close());

  it('logs requests, but none of the names, emails, postcodes, addresses, identifiers or passwords people typed', async () => {
    const path = structuredClone(vehiclePaths[0]!);
    for (const step of path.steps) {
      if ('vin' in step.body) step.body.vin = CANARY.vin;
      if ('keeperName' in step.body) step.body.keeperName = CANARY.name;
      if ('contactEmail' in step.body) step.body.contactEmail = CANARY.email;
      if ('keeperAddress-line1' in step.body) {
        step.body['keeperAddress-line1'] = CANARY.street;
        step.body['keeperAddress-postcode'] = CANARY.postcode;
      }
    }
    const agent = await walkToCheckAnswers(t.app, 'register-a-vehicle', path);
    // An invalid answer too: validation failures must not log the input.
    await postForm(agent, '/services/register-a-vehicle/keeper-name?change=true', {
      keeperName: `${CANARY.name}\u0000`,
    });
    const sent = await sendApplication(agent, 'register-a-vehicle');
    const reference = sent.headers.location!.split('/').pop()!;

    const citizen = request.agent(t.app);
    const form = await citizen.get('/check-status');
    await citizen
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference, proof: CANARY.email });
    await citizen
      .post('/check-status')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), reference, proof: CANARY.postcode });
    await request(t.app).get(`/search?q=${encodeURIComponent(CANARY.name)}`);

    await createStaffUser(t.db, { role: 'caseworker', agencies: ['vehicle-licensing-agency'] });
    const staff = request.agent(t.app);
    const signInForm = await staff.get('/staff/sign-in');
    await staff
      .post('/staff/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenIn(signInForm.text), email: CANARY.staffEmail, password: CANARY.password });
    const real = await createStaffUser(t.db, { role: 'manager', agencies: ['vehicle-licensing-agency'] });
    const manager = await signIn(t, real, { clock: fixedClock });
    await manager.get(`/staff/submissions/${reference}`).expect(200);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('"path":"/services/register-a-vehicle/check-answers"');
    for (const [kind, value] of Object.entries(CANARY)) {
      expect({ kind, found: log.toLowerCase().includes(value.toLowerCase()) }).toEqual({
        kind,
        found: false,
      });
    }
    expect(log).not.toContain(real.email);
  });

  it('logs none of what people type into any service, on any path, sent and then looked at by staff', async () => {
    lines.length = 0;
    const manager = await signIn(
      t,
      await createStaffUser(t.db, { role: 'manager', agencies: t.registry.services.map((s) => s.agency.id) }),
      { clock: fixedClock },
    );
    const typed = new Set<string>();
    for (const { slug, journey } of allJourneys()) {
      for (const value of typedPersonalData(journey)) typed.add(value);
      const agent = await walkToCheckAnswers(t.app, slug, journey);
      const sent = await sendApplication(agent, slug);
      expect(sent.status).toBe(303);
      const reference = sent.headers.location!.split('/').pop()!;
      await manager.get(`/staff/submissions/${reference}`).expect(200);
    }
    await manager.get('/staff/cases.csv').expect(200);
    expect(typed.size).toBeGreaterThan(40);
    expect(typed).toContain('JG103723A');
    const log = lines.join('').toLowerCase();
    expect(log).toContain('"path":"/staff/cases.csv"');
    expect([...typed].filter((value) => log.includes(value.toLowerCase()))).toEqual([]);
  });

  it('writes each request as one JSON line with its request id, whatever control characters the path holds', async () => {
    lines.length = 0;
    const res = await request(t.app)
      .get('/services/%0d%0aforged-line%1b[31m/start')
      .set('X-Request-Id', 'log-line-request-1')
      .expect(404);
    const entries = lines.join('').trimEnd().split('\n');
    for (const entry of entries) expect(() => JSON.parse(entry)).not.toThrow();
    const request404 = entries
      .map((e) => JSON.parse(e))
      .find((e) => e.req?.id === res.headers['x-request-id']);
    expect(request404.req.path).toBe('/services/%0d%0aforged-line%1b[31m/start'); // as sent: encoded, inert
    expect(lines.join('')).not.toContain('\r');
    expect(lines.join('')).not.toContain('\u001b');
  });
});
