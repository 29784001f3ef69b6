import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';

describe('the GOV.UK layout and content pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ SERVICE_NAME: 'Test portal', ORGANISATION_NAME: 'Test Government' });
  });
  afterAll(() => t.close());

  it('renders the home page with the GOV.UK template, branding from configuration and a title pattern', async () => {
    const res = await request(t.app).get('/').expect(200).expect('Content-Type', /html/);
    const $ = parseHtml(res.text);
    expect($('head > title').text()).toBe('Find a government service – Test portal – Test Government');
    expect($('html').attr('lang')).toBe('en');
    expect($('body').hasClass('govuk-template__body')).toBe(true);
    expect($('.govuk-service-navigation__service-name').text().trim()).toBe('Test portal');
    expect($('.govuk-phase-banner .govuk-tag').text().trim()).toBe('beta');
    expect($('a.govuk-skip-link').attr('href')).toBe('#main-content');
    expect($('main#main-content h1').length).toBe(1);
  });

  it('links a stylesheet and a script module that are actually served', async () => {
    const res = await request(t.app).get('/').expect(200);
    const $ = parseHtml(res.text);
    const css = $('link[rel="stylesheet"]').attr('href')!;
    const js = $('script[type="module"]').attr('src')!;
    expect(css).toMatch(/^\/static\/[0-9a-f]{12}\/stylesheets\/govuk-frontend\.min\.css$/);
    const cssRes = await request(t.app)
      .get(css)
      .expect(200)
      .expect('Content-Type', /text\/css/);
    expect(cssRes.text).toContain('.govuk-template');
    const jsRes = await request(t.app)
      .get(js)
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect(jsRes.text).toContain("from './govuk-frontend.min.js'");
    await request(t.app).get(js.replace('init.js', 'govuk-frontend.min.js')).expect(200);
  });

  it('has footer links to the accessibility statement, cookies and privacy pages on every page', async () => {
    for (const path of ['/', '/accessibility-statement', '/cookies', '/privacy', '/no-such-page']) {
      const res = await request(t.app).get(path);
      const links = parseHtml(res.text)('.govuk-footer__inline-list a.govuk-footer__link')
        .map((_i, a) => parseHtml(res.text)(a).attr('href'))
        .get();
      expect(links).toEqual(['/accessibility-statement', '/cookies', '/privacy']);
    }
  });

  it('publishes an accessibility statement with the sections the GOV.UK model requires', async () => {
    const res = await request(t.app).get('/accessibility-statement').expect(200);
    const headings = parseHtml(res.text)('h2, h3')
      .map((_i, h) => parseHtml(res.text)(h).text().trim())
      .get();
    expect(headings).toEqual(
      expect.arrayContaining([
        'Compliance status',
        'Non-accessible content',
        'Feedback and contact information',
        'Reporting accessibility problems with this website',
        'Enforcement procedure',
      ]),
    );
  });

  it('names the one essential cookie, its purpose and its expiry on the cookies page', async () => {
    const res = await request(t.app).get('/cookies').expect(200);
    const $ = parseHtml(res.text);
    const cells = $('table tbody tr')
      .first()
      .find('th, td')
      .map((_i, c) => $(c).text().trim())
      .get();
    expect(cells[0]).toBe(t.config.session.cookieName);
    expect(cells[2]).toBe(`After ${t.config.session.idleMinutes} minutes without activity`);
  });

  it('explains what personal data is collected and the user’s rights on the privacy page', async () => {
    const res = await request(t.app).get('/privacy').expect(200);
    expect(res.text).toContain('What data we collect');
    expect(res.text).toContain('Your rights');
  });

  it('does not create a session for pages without a form', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await t.db('session').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
