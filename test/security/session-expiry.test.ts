import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { postForm } from '../helpers/journey';
import { parseHtml } from '../helpers/html';

// docs/security.md#s4 for citizens: the idle limit (SESSION_IDLE_MINUTES, 60 by default) is enforced on the server, not
// only by the cookie's expiry: a session row past its time is never used again, whatever cookie comes back.

const FIRST_PAGE = '/services/register-a-vehicle/vehicle-identification-number';
const VIN = 'WVWZZZ1JZXW000001';

describe('a citizen’s session after the idle limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith();
  });
  afterAll(() => t.close());

  /** The session id inside express-session's signed cookie value (s:<id>.<signature>, URL-encoded). */
  const sessionIdOf = (cookie: string) =>
    /^s:([^.]+)\./.exec(decodeURIComponent(/portal\.sid=([^;]+)/.exec(cookie)![1]!))![1]!;

  it('keeps answers for at most SESSION_IDLE_MINUTES after the last request, on the server', async () => {
    const agent = request.agent(t.app);
    const started = await agent.get('/services/register-a-vehicle/start');
    const sid = sessionIdOf((started.headers['set-cookie'] as unknown as string[])[0]!);
    const sent = Date.now();
    const answered = await postForm(agent, FIRST_PAGE, { vin: VIN });
    expect(answered.status).toBe(302);
    const row = await t.db('session').where({ sid }).first('expired');
    const expiresInMinutes = (new Date(row.expired).getTime() - sent) / 60_000;
    expect(expiresInMinutes).toBeGreaterThan(59);
    expect(expiresInMinutes).toBeLessThanOrEqual(60.5);
    // The page shows the answer while the session lives.
    const before = await agent.get(FIRST_PAGE).expect(200);
    expect(parseHtml(before.text)('input[name="vin"]').val()).toBe(VIN);

    // An hour without a request passes: the row is past its time (the cookie the browser holds does not matter).
    await t
      .db('session')
      .where({ sid })
      .update({ expired: new Date(Date.now() - 1000) });
    const after = await agent.get(FIRST_PAGE);
    const $ = parseHtml(after.text);
    expect(after.text).not.toContain(VIN);
    expect($('input[name="vin"]').val() ?? '').toBe('');
  });
});
