import nunjucks from 'nunjucks';
import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';
import { csrfTokenIn, fixedClock } from '../helpers/journey';

// A question page nobody has answered yet is rendered once and reused (src/apply/question-page.ts, through the
// page cache). Each person must still get their own session's CSRF token and their own nonce, and a page with
// their answer or their errors is never one of the reused pages.

const SERVICE = '/services/register-a-vehicle';
const FIRST = `${SERVICE}/vehicle-identification-number`;
const SECOND = `${SERVICE}/make-and-model`;

const nonceOf = (res: request.Response) =>
  /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))![1]!;
/** The page with this response's nonce and CSRF token taken out. */
const shared = (res: request.Response) =>
  res.text.split(nonceOf(res)).join('NONCE').split(csrfTokenIn(res.text)).join('TOKEN');

async function citizen(t: TestApp) {
  const agent = request.agent(t.app);
  await agent.get(`${SERVICE}/start`).expect(302);
  return agent;
}

describe('question pages not answered yet', () => {
  let t: TestApp;
  let renders: jest.SpyInstance;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    renders = jest.spyOn(nunjucks.Environment.prototype, 'render');
  });
  afterEach(() => renders.mockRestore());
  const questionRenders = () =>
    renders.mock.calls.filter(([name]) => name === 'apply/question-page.njk').length;

  it('are rendered once, and each person gets their own CSRF token and nonce, which work for them only', async () => {
    const [anna, ben] = [await citizen(t), await citizen(t)];
    const annaPage = await anna.get(FIRST).expect(200);
    const rendered = questionRenders();
    const benPage = await ben.get(FIRST).expect(200);
    expect(questionRenders()).toBe(rendered);

    expect(shared(benPage)).toBe(shared(annaPage));
    expect(csrfTokenIn(benPage.text)).not.toBe(csrfTokenIn(annaPage.text));
    expect(nonceOf(benPage)).not.toBe(nonceOf(annaPage));
    expect(parseHtml(benPage.text)('script[nonce]').attr('nonce')).toBe(nonceOf(benPage));
    expect(benPage.text).not.toMatch(/placeholder/);
    // The session warning is there, for this page.
    expect(parseHtml(benPage.text)('#timeout-warning input[name="returnTo"]').attr('value')).toBe(FIRST);

    // Anna's token is Anna's: Ben cannot send it, Anna can.
    const vin = { vin: 'WVWZZZ1JZXW000001' };
    await ben
      .post(FIRST)
      .type('form')
      .send({ ...vin, _csrf: csrfTokenIn(annaPage.text) })
      .expect(403);
    await anna
      .post(FIRST)
      .type('form')
      .send({ ...vin, _csrf: csrfTokenIn(annaPage.text) })
      .expect(302);
    await ben
      .post(FIRST)
      .type('form')
      .send({ ...vin, _csrf: csrfTokenIn(benPage.text) })
      .expect(302);
  });

  it('are exactly what rendering the page for that person gives', async () => {
    const anna = await citizen(t);
    const cached = await anna.get(FIRST).expect(200);
    // An address with another query is never cached: rendered for Anna, with the warning returning to it.
    const rendered = await anna.get(`${FIRST}?from=elsewhere`).expect(200);
    expect(questionRenders()).toBeGreaterThan(0);
    const other = `${FIRST}?from=elsewhere`;
    const normalised = (res: request.Response) =>
      res.text
        .split(nonceOf(res))
        .join('NONCE')
        .split(other)
        .join(FIRST)
        .split(encodeURIComponent(other))
        .join(encodeURIComponent(FIRST));
    expect(normalised(cached)).toBe(normalised(rendered));
    expect(csrfTokenIn(cached.text)).toBe(csrfTokenIn(rendered.text));
  });

  it('never reuse a page with an answer or errors on it', async () => {
    const anna = await citizen(t);
    const page = await anna.get(FIRST).expect(200);
    const token = csrfTokenIn(page.text);
    const invalid = await anna.post(FIRST).type('form').send({ vin: '', _csrf: token }).expect(422);
    expect(parseHtml(invalid.text)('.govuk-error-summary').length).toBe(1);
    await anna.post(FIRST).type('form').send({ vin: 'WVWZZZ1JZXW000001', _csrf: token }).expect(302);

    const answered = await anna.get(FIRST).expect(200);
    expect(parseHtml(answered.text)('input[name="vin"]').attr('value')).toBe('WVWZZZ1JZXW000001');
    // Someone else's first look at the same page is still empty.
    const ben = await citizen(t);
    const fresh = await ben.get(FIRST).expect(200);
    expect(parseHtml(fresh.text)('input[name="vin"]').attr('value') ?? '').toBe('');
    expect(parseHtml(fresh.text)('.govuk-error-summary').length).toBe(0);
    expect(fresh.text).not.toContain('WVWZZZ1JZXW000001');
  });

  it('keep the way back and the change link of how each person got there', async () => {
    const anna = await citizen(t);
    const token = csrfTokenIn((await anna.get(FIRST)).text);
    await anna.post(FIRST).type('form').send({ vin: 'WVWZZZ1JZXW000001', _csrf: token }).expect(302);
    const second = await anna.get(SECOND).expect(200);
    expect(parseHtml(second.text)('.govuk-back-link').attr('href')).toBe(FIRST);
    const changing = await anna.get(`${SECOND}?change=true`).expect(200);
    expect(parseHtml(changing.text)('.govuk-back-link').attr('href')).toBe(`${SERVICE}/check-answers`);
    expect(parseHtml(changing.text)('form[method="post"]').first().attr('action')).toBe(
      `${SECOND}?change=true`,
    );
    const again = await anna.get(SECOND).expect(200);
    expect(parseHtml(again.text)('.govuk-back-link').attr('href')).toBe(FIRST);
    expect(parseHtml(again.text)('form[method="post"]').first().attr('action')).toBe(SECOND);
  });
});
