import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { errorHandler } from '../../src/middleware/error-handler';
import { appWith, productionEnv, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { signedSessionCookie } from '../helpers/session-cookie';
import { csrfTokenIn } from '../helpers/journey';

const h1 = (html: string) => parseHtml(html)('h1').text().trim();

describe('error pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith();
  });
  afterAll(() => t.close());

  it('shows the GOV.UK "Page not found" page with status 404 for an unknown URL', async () => {
    const res = await request(t.app).get('/no/such/page').expect(404);
    expect(h1(res.text)).toBe('Page not found');
    expect(parseHtml(res.text)('head > title').text()).toMatch(/^Page not found – /);
  });

  it('refuses a POST without a CSRF token with a 403 page', async () => {
    const res = await request(t.app).post('/').type('form').send('name=value').expect(403);
    expect(h1(res.text)).toBe('Sorry, your form could not be sent');
  });

  it('refuses a POST with a made-up CSRF token', async () => {
    await request(t.app).post('/').type('form').send('_csrf=forged-token').expect(403);
  });

  it('refuses a CSRF token sent as an array instead of crashing', async () => {
    await request(t.app).post('/').type('form').send('_csrf=a&_csrf=b').expect(403);
  });

  it('answers an oversized body with a 413 GOV.UK page', async () => {
    const res = await request(t.app)
      .post('/')
      .type('form')
      .send(`field=${'x'.repeat(110 * 1024)}`)
      .expect(413);
    expect(h1(res.text)).toBe('Sorry, we could not accept what you sent');
    expect(res.text).toContain('too long');
  });

  it('answers too many parameters with a 413 GOV.UK page', async () => {
    const body = Array.from({ length: 300 }, (_v, i) => `f${i}=1`).join('&');
    const res = await request(t.app).post('/').type('form').send(body).expect(413);
    expect(res.text).toContain('more fields than this service accepts');
  });

  it('answers a body in an unsupported charset with a 415 page, not a crash', async () => {
    const res = await request(t.app)
      .post('/')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-7')
      .send('a=b')
      .expect(415);
    expect(h1(res.text)).toBe('Sorry, we could not read what you sent');
  });
});

describe('the 500 page in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith(productionEnv);
  });
  afterAll(() => t.close());

  it('shows "Sorry, there is a problem with the service" with no stack trace when something throws', async () => {
    // A real failure inside the stack: the session table has gone, so reading a session throws.
    await t.db.schema.renameTable('session', 'session_moved');
    try {
      const res = await request(t.app).get('/').set('Cookie', signedSessionCookie(t.config)).expect(500);
      expect(h1(res.text)).toBe('Sorry, there is a problem with the service');
      expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(res.text).not.toContain('session');
      expect(res.text).toContain(res.headers['x-request-id']);
    } finally {
      await t.db.schema.renameTable('session_moved', 'session');
    }
  });
});

describe('bodies and origins a form never sends', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith();
  });
  afterAll(() => t.close());

  it('refuses JSON sent to a form route with 415, before any parsing, including prototype tricks', async () => {
    const res = await request(t.app)
      .post('/check-status')
      .set('Content-Type', 'application/json')
      .send('{"__proto__":{"polluted":true},"reference":"x"}')
      .expect(415);
    expect(h1(res.text)).toBe('Sorry, we could not read what you sent');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses multipart bodies with 415', async () => {
    await request(t.app).post('/check-status').field('reference', 'x').expect(415);
  });

  it('refuses a form posted from another site, even with a body a form could send', async () => {
    const res = await request(t.app)
      .post('/check-status')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send('reference=x')
      .expect(403);
    expect(h1(res.text)).toBe('Sorry, your form could not be sent');
  });

  it("refuses a form whose Origin is another site or opaque, even with its session's token, and accepts its own", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/check-status').expect(200);
    const form = { _csrf: csrfTokenIn(page.text), reference: 'ABCD-EFGH-JK' };
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example']) {
      const res = await agent.post('/check-status').set('Origin', origin).type('form').send(form).expect(403);
      expect(h1(res.text)).toBe('Sorry, your form could not be sent');
    }
    // Its own origin, the one the request was sent to (Host) or BASE_URL's: the form gets its answer (here, the
    // status question again), not a 403.
    for (const [origin, host] of [
      ['http://portal.test:8080', 'portal.test:8080'],
      [t.config.baseUrl, 'portal.test:8080'],
    ]) {
      const res = await agent
        .post('/check-status')
        .set('Host', host!)
        .set('Origin', origin!)
        .type('form')
        .send(form);
      expect(res.status).not.toBe(403);
      expect(h1(res.text)).not.toBe('Sorry, your form could not be sent');
    }
  });

  it('still accepts a same-origin form', async () => {
    const res = await request(t.app)
      .post('/check-status')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send('reference=x');
    // No CSRF token: 403, but from the token check, not the origin check, and not a 415.
    expect(res.status).toBe(403);
  });
});

describe('an error reported after the response has gone', () => {
  // express-session writes the page, then reports a failed session save or touch (the database went away
  // meanwhile) to next(). Express's final handler would destroy the socket, cutting off the page and any
  // keep-alive request already sent on the connection.
  const handle = errorHandler(loadConfig({ NODE_ENV: 'test' }));
  const dbDown = Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined });
  const call = (res: Partial<Response>) => {
    const next = jest.fn() as jest.MockedFunction<NextFunction>;
    const log = { error: jest.fn() };
    handle(dbDown, { log } as unknown as Request, res as Response, next);
    return { next, log };
  };

  it('is logged, not handed on, once the whole response was written', () => {
    const { next, log } = call({ headersSent: true, writableEnded: true });
    expect(next).not.toHaveBeenCalled();
    expect(log.error).toHaveBeenCalledWith(expect.anything(), 'error after the response was sent');
  });

  it('is still handed on when the response stopped part-way', () => {
    const { next } = call({ headersSent: true, writableEnded: false });
    expect(next).toHaveBeenCalledWith(dbDown);
  });
});
