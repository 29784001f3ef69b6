import request from 'supertest';
import { appWith, productionEnv, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith();
  });
  afterAll(() => t.close());

  it('sends a strict CSP whose nonce matches the inline script in the page', async () => {
    const res = await request(t.app).get('/').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("default-src 'self'");
    const nonce = nonceOf(csp);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const inlineScripts = parseHtml(res.text)('script:not([src])');
    expect(inlineScripts.length).toBe(1);
    expect(inlineScripts.attr('nonce')).toBe(nonce);
  });

  it('uses a different nonce on every request', async () => {
    const a = await request(t.app).get('/');
    const b = await request(t.app).get('/');
    expect(nonceOf(a.headers['content-security-policy'] as string)).not.toBe(
      nonceOf(b.headers['content-security-policy'] as string),
    );
  });

  it('sends the CSP on error pages too', async () => {
    const res = await request(t.app).get('/missing').expect(404);
    const nonce = nonceOf(res.headers['content-security-policy'] as string);
    expect(parseHtml(res.text)('script:not([src])').attr('nonce')).toBe(nonce);
  });

  it('never caches pages, refuses framing and does not advertise Express', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('gives each response a request id, reusing a well-formed incoming one', async () => {
    const fresh = await request(t.app).get('/');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const passed = await request(t.app).get('/').set('X-Request-Id', 'abcdef12-3456');
    expect(passed.headers['x-request-id']).toBe('abcdef12-3456');
    const hostile = await request(t.app).get('/').set('X-Request-Id', 'x\tinjected header');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith(productionEnv);
  });
  afterAll(() => t.close());

  it('adds HSTS for a year with subdomains and upgrades insecure requests', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
