import request from 'supertest';
import { AGENCIES } from '../../src/definitions/agencies';
import { syncServices } from '../../src/catalogue/service-repository';
import type { Db } from '../../src/db';
import { createEmbeddedDb, whileConnectionHeld } from '../helpers/db';
import { appWith, shippedServices, type TestApp } from '../helpers/app';
import { fixedClock, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { createStaffUser, signIn } from '../helpers/staff';

// docs/security.md#f11 on the routes: staff pages query through their own connection (db.ts createStaffDb). Here it
// is a second embedded database whose one connection a transaction holds, so every staff query waits out the
// acquire timeout, as when the staff pool is busy with heavy queries. (The same on a PostgreSQL server, with its
// statement timeout and next to citizens' load: test/faults/staff-overload.test.ts.)

const ACQUIRE_TIMEOUT_MS = 300;
const h1 = (html: string) => parseHtml(html)('h1').text().trim();

describe('staff pages on a connection of their own', () => {
  let t: TestApp;
  let staffDb: Db;
  let caseworker: Agent;

  beforeAll(async () => {
    staffDb = await createEmbeddedDb({ acquireTimeoutMs: ACQUIRE_TIMEOUT_MS });
    await syncServices(staffDb, shippedServices().services);
    t = await appWith({}, { clock: fixedClock, staffDb });
    const user = await createStaffUser(staffDb, {
      role: 'caseworker',
      agencies: [AGENCIES.vehicleLicensing.id],
    });
    caseworker = await signIn({ app: t.app, db: staffDb }, user, { clock: fixedClock });
  }, 60_000); // two embedded databases to boot and migrate
  afterAll(async () => {
    await t.close();
    await staffDb.destroy();
  });

  it('answers a staff page whose queries cannot run in time with the 503 taking-too-long page and Retry-After', async () => {
    expect((await caseworker.get('/staff')).status).toBe(200);
    await whileConnectionHeld(staffDb, async () => {
      const res = await caseworker.get('/staff');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(h1(res.text)).toBe('Sorry, this page is taking too long to load');
      expect(parseHtml(res.text)('title').text()).toMatch(/^Sorry, this page is taking too long to load/);
      expect(res.text).toContain('choose fewer cases with the filters first');
    });
    expect((await caseworker.get('/staff')).status).toBe(200);
  });

  it('keeps serving citizens meanwhile: their pages and sessions use the other connection', async () => {
    await whileConnectionHeld(staffDb, async () => {
      expect((await request(t.app).get('/')).status).toBe(200);
      const agent = request.agent(t.app);
      const form = await agent.get('/check-status');
      expect(form.status).toBe(200);
      expect(h1(form.text)).toBe('Check the status of an application');
    });
  });
});
