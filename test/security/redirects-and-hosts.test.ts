import request from 'supertest';
import type { Express } from 'express';
import { appRoutes } from '../../src/app-routes';
import { AGENCIES } from '../../src/definitions/agencies';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, sendApplication, walkToCheckAnswers, type Agent } from '../helpers/journey';
import { createStaffUser, signIn } from '../helpers/staff';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';
import { headerProblems } from '../helpers/headers';

// Issue 7, security headers and sessions (docs/security.md#v5, #h4 and #h5): no redirect anywhere leaves the site, whatever
// a `returnTo`, `next` or `redirect` parameter or the Host header says; absolute URLs come from BASE_URL and never
// from Host; behind one proxy hop the client address is the one that proxy saw, so a forged X-Forwarded-For
// cannot reset a rate limit.

const BASE_URL = 'https://services.example.gov.uk';
const EVIL = 'evil.example';
/** What the Host and X-Forwarded-Host headers claim: it must never come back in anything the app sends. */
const FORGED_HOST = 'forged-host.example';
const OFF_SITE = [
  `//${EVIL}/x`,
  `https://${EVIL}/`,
  `/\\${EVIL}`,
  `https:${EVIL}`,
  'javascript:alert(1)',
  `/x\r\nLocation: https://${EVIL}`,
];
const enc = encodeURIComponent;
/** Every name a redirect target tends to be given, each set to an off-site address. */
const hostileQuery = (i: number) =>
  ['returnTo', 'return_to', 'next', 'redirect', 'redirectTo', 'continue', 'url', 'back']
    .map((name, j) => `${name}=${enc(OFF_SITE[(i + j) % OFF_SITE.length]!)}`)
    .join('&');

/** A redirect target that stays on this site: a path (not `//host` or `/\host`), or an address under BASE_URL. */
const staysOnSite = (location: string) =>
  !/[\r\n]/.test(location) && (/^\/(?![/\\])/.test(location) || location.startsWith(`${BASE_URL}/`));

/** Every GET route but the fingerprinted static files. */
const getRoutes = (app: Express): string[] =>
  appRoutes(app)
    .filter((r) => r.method === 'GET' && !r.path.startsWith('/static/'))
    .map((r) => r.path);

describe('redirects, absolute URLs and client addresses cannot be steered from outside', () => {
  let t: TestApp;
  let reference: string;
  let staffUserId: number;
  const who: Record<string, () => Promise<Agent>> = {};

  beforeAll(async () => {
    t = await appWith({ BASE_URL, TRUST_PROXY_HOPS: '1' }, { clock: fixedClock });
    const sender = await walkToCheckAnswers(t.app, 'register-a-vehicle', vehiclePaths[0]!);
    const sent = await sendApplication(sender, 'register-a-vehicle');
    reference = sent.headers.location!.split('/').pop()!;
    const allAgencies = Object.values(AGENCIES).map((a) => a.id);
    const manager = await createStaffUser(t.db, { role: 'manager', agencies: allAgencies });
    const admin = await createStaffUser(t.db, { role: 'admin' });
    staffUserId = (await createStaffUser(t.db, { role: 'caseworker', agencies: allAgencies })).id;
    const managerAgent = await signIn(t, manager, { clock: fixedClock });
    const adminAgent = await signIn(t, admin, { clock: fixedClock });
    who.anonymous = async () => request.agent(t.app);
    who['a citizen mid-journey'] = async () => {
      const agent = request.agent(t.app);
      await agent.get('/services/register-a-vehicle/start');
      return agent;
    };
    who['the citizen who sent it'] = async () => sender;
    who['a manager'] = async () => managerAgent;
    who['an administrator'] = async () => adminAgent;
  });
  afterAll(() => t.close());

  const concrete = (route: string) =>
    route
      .replace(':service', 'register-a-vehicle')
      .replace(':page', vehiclePaths[0]!.steps[0]!.page)
      .replace(':reference', reference)
      .replace(':id', String(staffUserId));

  it('never redirects off the site from any page, whatever returnTo/next/redirect and the Host header say, and every answer carries the full security headers', async () => {
    const routes = getRoutes(t.app);
    expect(routes.length).toBeGreaterThan(30);
    const problems: string[] = [];
    let redirects = 0;
    for (const [person, agentFor] of Object.entries(who)) {
      const agent = await agentFor();
      for (const [i, route] of routes.entries()) {
        const url = `${concrete(route)}?${hostileQuery(i)}&service=register-a-vehicle`;
        const res = await agent
          .get(url)
          .set('Host', FORGED_HOST)
          .set('X-Forwarded-Host', FORGED_HOST)
          .set('X-Forwarded-Proto', 'https')
          .redirects(0);
        const where = `${person}: GET ${route}`;
        if (res.status >= 500) problems.push(`${where} answered ${res.status}`);
        const location = res.headers.location as string | undefined;
        if (location !== undefined) {
          redirects++;
          if (!staysOnSite(location)) problems.push(`${where} redirected to ${JSON.stringify(location)}`);
        }
        // Nothing the request said about hosts comes back: not in a header, not in a link, not in a page.
        if (JSON.stringify(res.headers).includes(FORGED_HOST))
          problems.push(`${where} echoed the Host in a header`);
        if (res.text?.includes(FORGED_HOST)) problems.push(`${where} echoed the Host in the body`);
        if (/href="(javascript:|\/\/|\/\\)/i.test(res.text ?? ''))
          problems.push(`${where} has an unsafe link`);
        // H1–H3 on every response, whatever its status: the full CSP, never cached (personal data and session
        // state) except the published open data, no sniffing or framing.
        const openData = /\.(csv|json)$/.test(route) && route.startsWith('/performance');
        const cache = openData && res.status === 200 ? 'public, max-age=300' : 'no-store';
        for (const p of headerProblems(res.headers, cache)) problems.push(`${where} (${res.status}): ${p}`);
      }
    }
    expect(problems).toEqual([]);
    expect(redirects).toBeGreaterThan(0);
  }, 120_000);

  it('builds absolute URLs from BASE_URL, never from the Host or X-Forwarded-Host headers', async () => {
    const data = await request(t.app)
      .get('/performance/data.json')
      .set('Host', FORGED_HOST)
      .set('X-Forwarded-Host', FORGED_HOST)
      .expect(200);
    expect(JSON.stringify(data.body)).toContain(`${BASE_URL}/performance/about-the-data`);
    expect(JSON.stringify(data.body)).not.toContain(FORGED_HOST);
    const statement = await request(t.app)
      .get('/accessibility-statement')
      .set('Host', FORGED_HOST)
      .expect(200);
    expect(statement.text).toContain(BASE_URL);
    expect(statement.text).not.toContain(FORGED_HOST);
  });

  it('takes the client address from the one trusted proxy hop, so a forged X-Forwarded-For does not reset a limit', async () => {
    // The per-client status-check limit is 20 attempts in 15 minutes. Each attempt forges a different first
    // address; the proxy appends the real one, which is all the app trusts.
    const agent = request.agent(t.app);
    const page = await agent.get('/check-status').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await agent
        .post('/check-status')
        .set('X-Forwarded-For', `10.${i}.0.1, 203.0.113.77`)
        .type('form')
        .send({ _csrf: csrf, reference: `ZZZZ-ZZZZ-${String(i).padStart(2, '0')}`, proof: 'x@example.com' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(422));
    expect(statuses[20]).toBe(429);
    // Another real client (a different address added by the proxy) is not affected.
    const other = await agent
      .post('/check-status')
      .set('X-Forwarded-For', '203.0.113.78')
      .type('form')
      .send({ _csrf: csrf, reference: 'ZZZZ-ZZZZ-99', proof: 'x@example.com' });
    expect(other.status).toBe(422);
  });

  it('does not serve TRACE, so a page cannot echo back request headers such as the session cookie', async () => {
    const res = await request(t.app).trace('/').set('Cookie', 'canary=trace-echo-canary');
    expect([403, 404, 405]).toContain(res.status);
    expect(res.text ?? '').not.toContain('trace-echo-canary');
    expect(res.headers['content-type'] ?? '').not.toMatch(/message\/http/);
  });
});
