import request from 'supertest';
import { appWith, productionEnv, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { headerProblems } from '../helpers/headers';
import { csrfTokenIn } from '../helpers/journey';

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

  it('sends the full policy, no-store, nosniff and DENY on every kind of error too', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/check-status').expect(200);
    const token = csrfTokenIn(page.text);
    const readOnly = await appWith({ READ_ONLY: 'true' });
    try {
      const readOnlyAgent = request.agent(readOnly.app);
      const readOnlyToken = csrfTokenIn((await readOnlyAgent.get('/check-status').expect(200)).text);
      const answers = {
        '403 (no CSRF token)': await agent.post('/check-status').type('form').send({ reference: 'x' }),
        '403 (cross-site)': await agent
          .post('/check-status')
          .set('Origin', 'https://evil.example')
          .type('form')
          .send({ _csrf: token }),
        '404': await agent.get('/no-such-page'),
        '413': await agent
          .post('/check-status')
          .type('form')
          .send(`_csrf=${token}&x=${'y'.repeat(110 * 1024)}`),
        '415': await agent.post('/check-status').set('Content-Type', 'application/json').send('{}'),
        '503 (read-only)': await readOnlyAgent
          .post('/check-status')
          .type('form')
          .send({ _csrf: readOnlyToken, reference: 'ABCD-EFGH-JK', proof: 'x@example.com' }),
      };
      const problems = Object.entries(answers).flatMap(([kind, res]) => {
        const wrongStatus = String(res.status) !== kind.slice(0, 3) ? [`answered ${res.status}`] : [];
        const nonce = nonceOf(res.headers['content-security-policy'] as string);
        const script =
          parseHtml(res.text)('script:not([src])').attr('nonce') === nonce ? [] : ['script nonce'];
        return [...wrongStatus, ...headerProblems(res.headers), ...script].map((p) => `${kind}: ${p}`);
      });
      expect(problems).toEqual([]);
    } finally {
      await readOnly.close();
    }
  });

  it('never caches pages, refuses framing and does not advertise Express', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('gives each response a request id of its own (test/security/request-ids.test.ts)', async () => {
    const fresh = await request(t.app).get('/');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const passed = await request(t.app).get('/').set('X-Request-Id', 'abcdef12-3456');
    expect(passed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await request(t.app).get('/').set('X-Request-Id', 'x\tinjected header');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ ...productionEnv, TRUST_PROXY_HOPS: '1' });
  });
  afterAll(() => t.close());

  it('sets the session cookie __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, with no Domain and a 128-bit or longer id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      // Behind the one trusted proxy, which terminated TLS: the request is secure, so the cookie can be sent.
      const res = await request(t.app).get('/staff/sign-in').set('X-Forwarded-Proto', 'https').expect(200);
      const cookies = res.headers['set-cookie'] as unknown as string[];
      expect(cookies).toHaveLength(1);
      const [pair, ...attributes] = cookies[0]!.split(';').map((part) => part.trim());
      const [name, value] = pair!.split('=');
      expect(name).toBe('__Host-portal.sid');
      expect(attributes.map((a) => a.split('=')[0]!.toLowerCase()).sort()).toEqual([
        'expires',
        'httponly',
        'path',
        'samesite',
        'secure',
      ]);
      expect(attributes).toContain('Path=/');
      expect(attributes).toContain('SameSite=Lax');
      // express-session signs the id: s:<id>.<signature>. uid-safe ids are 24 random bytes (192 bits) in base64url.
      const id = /^s%3A([A-Za-z0-9_-]+)\./.exec(value!)?.[1];
      expect(id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      ids.add(id!);
    }
    expect(ids.size).toBe(3);
  });

  it('sends no session cookie over plain HTTP, where a Secure cookie would be refused', async () => {
    const res = await request(t.app).get('/staff/sign-in').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('adds HSTS for a year with subdomains and upgrades insecure requests', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
