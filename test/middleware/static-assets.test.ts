import request from 'supertest';
import { computeAssetVersion } from '../../src/middleware/static-assets';
import { appWith, type TestApp } from '../helpers/app';

describe('static assets', () => {
  let t: TestApp;
  const version = computeAssetVersion();
  beforeAll(async () => {
    t = await appWith();
  });
  afterAll(() => t.close());

  it('serves versioned CSS and JS with long-lived immutable caching', async () => {
    for (const path of [
      '/stylesheets/govuk-frontend.min.css',
      '/javascripts/govuk-frontend.min.js',
      '/javascripts/init.js',
    ]) {
      const res = await request(t.app).get(`/static/${version}${path}`).expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers 404 for an asset under a version that is not the current one', async () => {
    await request(t.app).get('/static/000000000000/javascripts/init.js').expect(404);
  });

  it('serves the fonts and images the CSS refers to at /assets, fonts immutably', async () => {
    const css = await request(t.app).get(`/static/${version}/stylesheets/govuk-frontend.min.css`);
    const fontUrl = /url\((\/assets\/fonts\/[^)]+\.woff2)\)/.exec(css.text)?.[1];
    expect(fontUrl).toBeDefined();
    const font = await request(t.app).get(fontUrl!).expect(200);
    expect(font.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const crest = await request(t.app).get('/assets/images/favicon.svg').expect(200);
    expect(crest.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('keeps the asset version stable for the same files', () => {
    expect(computeAssetVersion()).toBe(version);
  });
});
