import express from 'express';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import request from 'supertest';
import { createPageCache } from '../../src/middleware/page-cache';

const PAGE = '<script nonce="{{ cspNonce }}"></script><p>{{ greeting }}</p>';

function appWithCache(ttlMs: number, maxEntries?: number, src = PAGE) {
  let renders = 0;
  const env = new nunjucks.Environment(
    new (class extends nunjucks.Loader {
      getSource() {
        renders++;
        return {
          src,
          path: 'page.njk',
          noCache: true,
        };
      }
    })(),
    { autoescape: true },
  );
  const cache = createPageCache(env, { ttlMs, maxEntries });
  let nonce = 0;
  let greeting = 'hello';
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = `nonce-${++nonce}`;
    res.locals.csrfToken = () => `token-${nonce}`;
    next();
  });
  let version: unknown = 1;
  app.get('/', (_req, res) => cache.send(res, 'home', 'page', () => ({ greeting }), version));
  app.get('/greet', (req, res) =>
    cache.send(res, `greet:${String(req.query.g)}`, 'page', () => ({ greeting: String(req.query.g) })),
  );
  app.get('/page/:key', (req, res) =>
    cache.send(res, req.params.key, 'page', () => ({ greeting: req.params.key })),
  );
  app.get('/cached/:key', (req, res) => {
    if (!cache.sendCached(res, req.params.key)) res.status(204).end();
  });
  return {
    app,
    cache,
    renders: () => renders,
    setGreeting: (g: string) => (greeting = g),
    setVersion: (v: unknown) => (version = v),
  };
}

describe('the rendered-page cache', () => {
  it('renders a page once and gives each response its own CSP nonce', async () => {
    const t = appWithCache(60_000);
    const first = await request(t.app).get('/').expect(200).expect('Content-Type', /html/);
    const second = await request(t.app).get('/').expect(200);
    expect(first.text).toBe('<script nonce="nonce-1"></script><p>hello</p>');
    expect(second.text).toBe('<script nonce="nonce-2"></script><p>hello</p>');
    expect(t.renders()).toBe(1);
  });

  it('states the length in bytes of each response, non-ASCII text included, and sends no body to HEAD', async () => {
    const t = appWithCache(60_000);
    t.setGreeting('‘Grüße’ – £5');
    const page = await request(t.app).get('/').expect(200);
    expect(page.text).toBe('<script nonce="nonce-1"></script><p>‘Grüße’ – £5</p>');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.text));
    const head = await request(t.app).head('/').expect(200);
    expect(head.text).toBeUndefined();
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(page.text));
  });

  it('renders again once the page is older than its time to live', async () => {
    const t = appWithCache(0);
    await request(t.app).get('/');
    t.setGreeting('changed');
    await new Promise((r) => setTimeout(r, 5));
    const res = await request(t.app).get('/');
    expect(res.text).toContain('changed');
  });

  it('renders again when the data it shows is a new version, and not while it is the same one', async () => {
    const t = appWithCache(60_000);
    const figures = new Map([['a', 1]]);
    t.setVersion(figures);
    await request(t.app).get('/').expect(200);
    t.setGreeting('changed');
    expect((await request(t.app).get('/')).text).toContain('hello');
    t.setVersion(new Map(figures));
    expect((await request(t.app).get('/')).text).toContain('changed');
    expect(t.renders()).toBe(2);
  });

  it('keeps at most maxEntries pages, dropping the least recently used', async () => {
    const t = appWithCache(60_000, 2);
    await request(t.app).get('/page/a');
    await request(t.app).get('/page/b');
    await request(t.app).get('/page/a'); // a is now more recent than b
    await request(t.app).get('/page/c'); // b goes
    expect(t.cache.size).toBe(2);
    expect((await request(t.app).get('/cached/a')).status).toBe(200);
    expect((await request(t.app).get('/cached/c')).status).toBe(200);
    expect((await request(t.app).get('/cached/b')).status).toBe(204);
    for (let i = 0; i < 50; i++) await request(t.app).get(`/page/q${i}`);
    expect(t.cache.size).toBe(2);
  });

  it('sends a cached page only when there is a fresh one, with its own nonce', async () => {
    const t = appWithCache(60_000);
    expect((await request(t.app).get('/cached/x')).status).toBe(204);
    await request(t.app).get('/page/x');
    const res = await request(t.app).get('/cached/x').expect(200).expect('Content-Type', /html/);
    expect(res.text).toMatch(/^<script nonce="nonce-\d+"><\/script><p>x<\/p>$/);
    expect(res.text).not.toContain('placeholder');
  });

  it('puts the nonce and token only where the template asked for them, never inside the text it shows', async () => {
    const t = appWithCache(
      60_000,
      undefined,
      '<script nonce="{{ cspNonce }}"></script><input value="{{ csrfToken() }}"><p>{{ greeting }}</p>',
    );
    // The fixed placeholders the cache once used, and text shaped like its markers now.
    const typed = [
      'csp-nonce-placeholder-0f3c9a',
      'csrf-token-placeholder-5b71e2 and csp-nonce-placeholder-0f3c9a',
      'csp-nonce-0123456789abcdef01234567',
      'csrf-token-',
    ];
    for (const greeting of typed) {
      for (let i = 0; i < 2; i++) {
        const res = await request(t.app)
          .get(`/greet?g=${encodeURIComponent(greeting)}`)
          .expect(200);
        expect(res.text).toMatch(
          new RegExp(`^<script nonce="nonce-(\\d+)"></script><input value="token-\\1"><p>${greeting}</p>$`),
        );
      }
    }
    expect(t.renders()).toBe(typed.length);
  });

  it('shows any text exactly as the template renders it (property)', async () => {
    const t = appWithCache(60_000);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (greeting) => {
        const res = await request(t.app)
          .get(`/greet?g=${encodeURIComponent(greeting)}`)
          .expect(200);
        const expected = nunjucks.renderString('<p>{{ g }}</p>', { g: greeting });
        expect(res.text.replace(/^<script nonce="nonce-\d+"><\/script>/, '')).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });
});
