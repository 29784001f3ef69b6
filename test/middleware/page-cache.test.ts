import express from 'express';
import nunjucks from 'nunjucks';
import request from 'supertest';
import { createPageCache } from '../../src/middleware/page-cache';

function appWithCache(ttlMs: number) {
  let renders = 0;
  const env = new nunjucks.Environment(
    new (class extends nunjucks.Loader {
      getSource() {
        renders++;
        return {
          src: '<script nonce="{{ cspNonce }}"></script><p>{{ greeting }}</p>',
          path: 'page.njk',
          noCache: true,
        };
      }
    })(),
    { autoescape: true },
  );
  const cache = createPageCache(env, { ttlMs });
  let nonce = 0;
  let greeting = 'hello';
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = `nonce-${++nonce}`;
    next();
  });
  app.get('/', (_req, res) => cache.send(res, 'home', 'page', () => ({ greeting })));
  return { app, renders: () => renders, setGreeting: (g: string) => (greeting = g) };
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

  it('renders again once the page is older than its time to live', async () => {
    const t = appWithCache(0);
    await request(t.app).get('/');
    t.setGreeting('changed');
    await new Promise((r) => setTimeout(r, 5));
    const res = await request(t.app).get('/');
    expect(res.text).toContain('changed');
  });
});
