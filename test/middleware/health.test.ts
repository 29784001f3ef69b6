import request from 'supertest';
import { createDb, type Db } from '../../src/db';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { signedSessionCookie } from '../helpers/session-cookie';

describe('health checks with a working database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith();
  });
  afterAll(() => t.close());

  it('reports live and ready, with the virus scanner answering', async () => {
    await request(t.app).get('/health/live').expect(200, { status: 'ok' });
    await request(t.app).get('/health/ready').expect(200, { status: 'ok', virusScanner: 'ok' });
  });

  it('reports not ready while shutting down, so load balancers stop sending traffic', async () => {
    t.lifecycle.shuttingDown = true;
    try {
      const res = await request(t.app).get('/health/ready').expect(503);
      expect(res.headers['retry-after']).toBeDefined();
      await request(t.app).get('/health/live').expect(200);
    } finally {
      t.lifecycle.shuttingDown = false;
    }
  });

  it('does not create sessions for probes', async () => {
    const res = await request(t.app).get('/health/ready');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('health checks when the virus scanner cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ CLAMD_SOCKET: '/nonexistent/clamd.sock' });
  });
  afterAll(() => t.close());

  it('stays ready (only uploads need it) and says the scanner is unavailable', async () => {
    await request(t.app).get('/health/ready').expect(200, { status: 'ok', virusScanner: 'unavailable' });
  });
});

describe('when the database cannot be reached', () => {
  let t: TestApp;
  let down: Db;
  beforeAll(async () => {
    // Nothing listens on port 1: every connection is refused at once.
    down = createDb({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:1/portal',
      poolMax: 2,
      acquireTimeoutMs: 1000,
      statementTimeoutMs: 1000,
    });
    t = await appWith({}, { db: down });
  });
  afterAll(() => down.destroy());

  it('keeps /health/live at 200 and turns /health/ready to 503', async () => {
    await request(t.app).get('/health/live').expect(200);
    const ready = await request(t.app).get('/health/ready').expect(503);
    expect(ready.body).toEqual({ status: 'unavailable' });
  });

  it('shows the "Sorry, the service is unavailable" page with Retry-After to a citizen mid-journey', async () => {
    const res = await request(t.app).get('/').set('Cookie', signedSessionCookie(t.config)).expect(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(parseHtml(res.text)('h1').text().trim()).toBe('Sorry, the service is unavailable');
  });

  it('answers a form POST with the 503 page rather than an error', async () => {
    const res = await request(t.app)
      .post('/')
      .set('Cookie', signedSessionCookie(t.config))
      .type('form')
      .send('_csrf=x')
      .expect(503);
    expect(res.headers['retry-after']).toBe('30');
  });
});
