import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, fixedClock, postForm, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';

const SLUG = 'register-a-vehicle';
const FEEDBACK = `/services/${SLUG}/feedback`;

const titleOf = (html: string): string => parseHtml(html)('head > title').text().trim();
const errorSummary = (html: string): string[] => {
  const $ = parseHtml(html);
  return $('.govuk-error-summary__list a')
    .map((_i, a) => $(a).text().trim())
    .get();
};

/** POST a raw urlencoded body (for repeated keys) with the form's CSRF token. */
async function postRaw(agent: Agent, url: string, body: string) {
  const page = await agent.get(url).expect(200);
  return agent
    .post(url)
    .type('form')
    .send(`${body}&_csrf=${encodeURIComponent(csrfTokenIn(page.text))}`);
}

describe('the satisfaction survey', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.db('survey_response').del();
  });

  const stored = () => t.db('survey_response').select('service_slug', 'rating', 'comment').orderBy('id');

  it('offers the five GOV.UK satisfaction options in order, and an optional comment', async () => {
    const res = await request(t.app).get(FEEDBACK).expect(200);
    const $ = parseHtml(res.text);
    expect(titleOf(res.text)).toMatch(/^Give feedback on Register a vehicle – /);
    expect($('legend').text().trim()).toBe('Overall, how did you feel about the service you received today?');
    const options = $('input[type="radio"][name="rating"]')
      .map((_i, input) => ({
        value: $(input).attr('value'),
        label: $(`label[for="${$(input).attr('id')}"]`)
          .text()
          .trim(),
      }))
      .get();
    expect(options).toEqual([
      { value: '5', label: 'Very satisfied' },
      { value: '4', label: 'Satisfied' },
      { value: '3', label: 'Neither satisfied or dissatisfied' },
      { value: '2', label: 'Dissatisfied' },
      { value: '1', label: 'Very dissatisfied' },
    ]);
    // The error summary links to #rating, so the first radio carries that id.
    expect($('input[type="radio"][name="rating"]').first().attr('id')).toBe('rating');
    expect($('input[type="radio"]:checked').length).toBe(0);
    expect($('textarea[name="comment"]').attr('id')).toBe('comment');
    expect($('label[for="comment"]').text().trim()).toBe('How could we improve this service? (optional)');
  });

  it('stores a rating and a comment for the service, then thanks the person', async () => {
    const agent = request.agent(t.app);
    const res = await postForm(agent, FEEDBACK, {
      rating: '4',
      comment: 'Quick, but the VIN hint could be clearer.',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${FEEDBACK}/thank-you`);
    expect(await stored()).toEqual([
      { service_slug: SLUG, rating: 4, comment: 'Quick, but the VIN hint could be clearer.' },
    ]);

    const thanks = await agent.get(res.headers.location!).expect(200);
    const $ = parseHtml(thanks.text);
    expect($('.govuk-panel__title').text().trim()).toBe('Thank you for your feedback');
    expect($('main p').first().text()).toBe(
      'We will use it to improve the Register a vehicle service and our other services.',
    );
    expect(titleOf(thanks.text)).toMatch(/^Thank you for your feedback – /);
  });

  it('stores a rating without a comment as no comment', async () => {
    const res = await postForm(request.agent(t.app), FEEDBACK, { rating: '1', comment: '   ' });
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 1, comment: null }]);
  });

  it('asks for a rating when none is chosen, keeping the comment typed', async () => {
    const comment = 'I could not find the "Save and come back later" link.\nPlease add one.';
    const res = await postForm(request.agent(t.app), FEEDBACK, { comment });
    expect(res.status).toBe(422);
    expect(titleOf(res.text)).toMatch(/^Error: Give feedback on Register a vehicle – /);
    expect(errorSummary(res.text)).toEqual(['Select how you feel about the service']);
    const $ = parseHtml(res.text);
    expect($('.govuk-error-summary__list a').attr('href')).toBe('#rating');
    expect($('#rating-error').text()).toContain('Select how you feel about the service');
    expect($('textarea#comment').text()).toBe(comment);
    expect(await stored()).toEqual([]);
  });

  it('refuses a comment of more than 1,200 characters, keeping the rating chosen', async () => {
    const res = await postForm(request.agent(t.app), FEEDBACK, { rating: '2', comment: 'x'.repeat(1201) });
    expect(res.status).toBe(422);
    expect(errorSummary(res.text)).toEqual(['Your comments must be 1200 characters or less']);
    const $ = parseHtml(res.text);
    expect($('.govuk-error-summary__list a').attr('href')).toBe('#comment');
    expect($('input[name="rating"][value="2"]').is(':checked')).toBe(true);
    expect($('textarea#comment').text()).toHaveLength(1201);
    expect(await stored()).toEqual([]);
  });

  it('accepts a comment of exactly 1,200 characters, counting an emoji as one', async () => {
    const comment = '🚗'.repeat(1200);
    const res = await postForm(request.agent(t.app), FEEDBACK, { rating: '5', comment });
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 5, comment }]);
  });

  it.each([
    ['a rating of 6', 'rating=6&comment=forged'],
    ['a rating of 0', 'rating=0&comment=forged'],
    ['a rating that is not a number', 'rating=five&comment=forged'],
    ['a rating with a space', 'rating=%205&comment=forged'],
    ['a rating as a list', 'rating=5&rating=1&comment=forged'],
  ])('refuses %s and stores nothing', async (_name, body) => {
    const res = await postRaw(request.agent(t.app), FEEDBACK, body);
    expect(res.status).toBe(422);
    expect(errorSummary(res.text)).toEqual(['Select how you feel about the service']);
    expect(parseHtml(res.text)('input[type="radio"]:checked').length).toBe(0);
    expect(await stored()).toEqual([]);
  });

  it.each([
    ['a rating with brackets', 'rating[]=5&comment=forged'],
    ['a field the survey does not have', 'rating=5&comment=forged&service_slug=register-a-vehicle'],
  ])('refuses %s with the could-not-read page and stores nothing', async (_name, body) => {
    const res = await postRaw(request.agent(t.app), FEEDBACK, body);
    expect(res.status).toBe(400);
    expect(parseHtml(res.text)('h1').text().trim()).toBe('Sorry, we could not read what you sent');
    expect(await stored()).toEqual([]);
  });

  it('does not store a comment sent as a list as one joined comment', async () => {
    const res = await postRaw(request.agent(t.app), FEEDBACK, 'rating=3&comment=a&comment=b');
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 3, comment: null }]);
  });

  it('answers 404 for a service that does not exist, on every survey URL', async () => {
    for (const url of [
      '/services/apply-for-a-unicorn/feedback',
      '/services/apply-for-a-unicorn/feedback/thank-you',
    ]) {
      const res = await request(t.app).get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
    }
    const agent = request.agent(t.app);
    const res = await postForm(
      agent,
      '/services/apply-for-a-unicorn/feedback',
      { rating: '5', comment: '' },
      FEEDBACK, // a real form on the site, for a valid CSRF token
    );
    expect(res.status).toBe(404);
    expect(await stored()).toEqual([]);
  });

  it('stores a comment without the null bytes and control characters it was sent with', async () => {
    const res = await postRaw(
      request.agent(t.app),
      FEEDBACK,
      'rating=3&comment=Fine%00 really%07%0D%0Athanks',
    );
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 3, comment: 'Fine really\nthanks' }]);
  });

  it('shows a comment with markup as text, not markup', async () => {
    const res = await postForm(request.agent(t.app), FEEDBACK, { comment: '<script>alert(1)</script>' });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(parseHtml(res.text)('textarea#comment').text()).toBe('<script>alert(1)</script>');
  });

  it('refuses feedback without the form’s CSRF token', async () => {
    const res = await request(t.app).post(FEEDBACK).type('form').send({ rating: '5' });
    expect(res.status).toBe(403);
    expect(await stored()).toEqual([]);
  });
});
