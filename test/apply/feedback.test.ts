import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import {
  csrfTokenIn,
  fixedClock,
  postForm,
  sendApplication,
  walkToCheckAnswers,
  type Agent,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { FEEDBACK_LIMIT } from '../../src/apply/feedback';
import { createRateLimit } from '../../src/middleware/rate-limit';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

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

/** A browser that has sent an application to the service (the survey is for it): its agent. */
async function applicant(t: TestApp, agent = request.agent(t.app)): Promise<Agent> {
  await walkToCheckAnswers(t.app, SLUG, vehiclePaths[0]!, agent);
  const sent = await sendApplication(agent, SLUG);
  if (sent.status !== 303) throw new Error(`sending answered ${sent.status}`);
  return agent;
}

describe('the satisfaction survey', () => {
  let t: TestApp;
  let rater: Agent;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
    rater = await applicant(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    // Each test starts with the rater's application not yet rated.
    await t.db('survey_response').del();
    await t.db('submission').update({ survey_answered: false });
  });

  const stored = () => t.db('survey_response').select('service_slug', 'rating', 'comment').orderBy('id');

  it('offers the five GOV.UK satisfaction options in order, and an optional comment', async () => {
    const res = await rater.get(FEEDBACK).expect(200);
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
    const agent = rater;
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
    const res = await postForm(rater, FEEDBACK, { rating: '1', comment: '   ' });
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 1, comment: null }]);
  });

  it('asks for a rating when none is chosen, keeping the comment typed', async () => {
    const comment = 'I could not find the "Save and come back later" link.\nPlease add one.';
    const res = await postForm(rater, FEEDBACK, { comment });
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
    const res = await postForm(rater, FEEDBACK, { rating: '2', comment: 'x'.repeat(1201) });
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
    const res = await postForm(rater, FEEDBACK, { rating: '5', comment });
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
    const res = await postRaw(rater, FEEDBACK, body);
    expect(res.status).toBe(422);
    expect(errorSummary(res.text)).toEqual(['Select how you feel about the service']);
    expect(parseHtml(res.text)('input[type="radio"]:checked').length).toBe(0);
    expect(await stored()).toEqual([]);
  });

  it.each([
    ['a rating with brackets', 'rating[]=5&comment=forged'],
    ['a field the survey does not have', 'rating=5&comment=forged&service_slug=register-a-vehicle'],
  ])('refuses %s with the could-not-read page and stores nothing', async (_name, body) => {
    const res = await postRaw(rater, FEEDBACK, body);
    expect(res.status).toBe(400);
    expect(parseHtml(res.text)('h1').text().trim()).toBe('Sorry, we could not read what you sent');
    expect(await stored()).toEqual([]);
  });

  it('does not store a comment sent as a list as one joined comment', async () => {
    const res = await postRaw(rater, FEEDBACK, 'rating=3&comment=a&comment=b');
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
    const agent = rater;
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
    const res = await postRaw(rater, FEEDBACK, 'rating=3&comment=Fine%00 really%07%0D%0Athanks');
    expect(res.status).toBe(303);
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 3, comment: 'Fine really\nthanks' }]);
  });

  it('shows a comment with markup as text, not markup', async () => {
    const res = await postForm(rater, FEEDBACK, { comment: '<script>alert(1)</script>' });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(parseHtml(res.text)('textarea#comment').text()).toBe('<script>alert(1)</script>');
  });

  it('refuses feedback without the form’s CSRF token', async () => {
    const res = await request(t.app).post(FEEDBACK).type('form').send({ rating: '5' });
    expect(res.status).toBe(403);
    expect(await stored()).toEqual([]);
  });

  it('takes one rating per sent application: of 30 posted by one browser, the first is stored and the rest are refused with a page saying so', async () => {
    const form = await rater.get(FEEDBACK).expect(200);
    const post = (rating: string) =>
      rater
        .post(FEEDBACK)
        .type('form')
        .send({ rating, comment: '', _csrf: csrfTokenIn(form.text) });
    expect((await post('5')).status).toBe(303);
    for (let i = 0; i < 29; i++) {
      const again = await post(String(1 + (i % 5)));
      expect(again.status).toBe(409);
      expect(parseHtml(again.text)('h1').text().trim()).toBe(
        'You have already given feedback on your application',
      );
    }
    expect(await stored()).toEqual([{ service_slug: SLUG, rating: 5, comment: null }]);
    // The survey is not offered again for it.
    const page = await rater.get(FEEDBACK).expect(200);
    expect(parseHtml(page.text)('form[action$="/feedback"]').length).toBe(0);
    expect(parseHtml(page.text)('h1').text().trim()).toBe(
      'You have already given feedback on your application',
    );
  });

  it('stores one of ten answers for the same application sent at once', async () => {
    const form = await rater.get(FEEDBACK).expect(200);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        rater
          .post(FEEDBACK)
          .type('form')
          .send({ rating: '4', comment: '', _csrf: csrfTokenIn(form.text) }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, ...Array(9).fill(409)]);
    expect(await stored()).toHaveLength(1);
  });

  it('takes a rating for each application a browser sent, and does not link a rating to its application', async () => {
    await applicant(t, rater); // a second application from the same browser
    expect((await postForm(rater, FEEDBACK, { rating: '2', comment: '' })).status).toBe(303);
    expect((await postForm(rater, FEEDBACK, { rating: '3', comment: '' })).status).toBe(303);
    expect((await rater.get(FEEDBACK)).text).toContain('You have already given feedback on your application');
    expect(await stored()).toEqual([
      { service_slug: SLUG, rating: 2, comment: null },
      { service_slug: SLUG, rating: 3, comment: null },
    ]);
    const columns = Object.keys(await t.db('survey_response').columnInfo()).sort();
    expect(columns).toEqual(['comment', 'created_at', 'id', 'rating', 'service_slug']);
  });

  it('offers no survey to a browser that has sent no application to the service, and stores nothing it posts', async () => {
    const stranger = request.agent(t.app);
    const page = await stranger.get(FEEDBACK).expect(200);
    expect(parseHtml(page.text)('h1').text().trim()).toBe(
      'You can give feedback after you send an application',
    );
    expect(parseHtml(page.text)('input[name="rating"]').length).toBe(0);
    const res = await postForm(stranger, FEEDBACK, { rating: '5', comment: 'forged' }, '/check-status');
    expect(res.status).toBe(403);
    expect(parseHtml(res.text)('h1').text().trim()).toBe(
      'You can give feedback after you send an application',
    );
    // Nor does an application to another service open this one's survey.
    const elsewhere = await stranger.get('/services/report-a-pothole/feedback').expect(200);
    expect(parseHtml(elsewhere.text)('input[name="rating"]').length).toBe(0);
    expect(await stored()).toEqual([]);
  });
});

describe('the limit on survey answers per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ TRUST_PROXY_HOPS: '1' }, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it(`takes at most ${FEEDBACK_LIMIT.points} answers from one address in 10 minutes, shared by all instances; the next gets a 429 page with its answers kept`, async () => {
    const limited = request.agent(t.app);
    limited.set('X-Forwarded-For', '198.51.100.30');
    await applicant(t, limited);
    const sameCounter = createRateLimit(t.db, {
      keyPrefix: 'feedback-ip',
      points: FEEDBACK_LIMIT.points,
      durationSeconds: FEEDBACK_LIMIT.durationSeconds,
    });
    for (let i = 0; i < FEEDBACK_LIMIT.points; i++) await sameCounter.consume('198.51.100.30');

    const res = await postForm(limited, FEEDBACK, { rating: '2', comment: 'Too slow' });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const $ = parseHtml(res.text);
    expect($('#too-many').attr('role')).toBe('alert');
    expect($('#too-many').text()).toContain('try again in 10 minutes');
    expect($('input[name="rating"][value="2"]').is(':checked')).toBe(true);
    expect($('textarea#comment').text()).toBe('Too slow');
    expect(await t.db('survey_response').count({ n: '*' })).toEqual([{ n: 0 }]);

    // Another address is not affected.
    const other = request.agent(t.app);
    other.set('X-Forwarded-For', '198.51.100.31');
    await applicant(t, other);
    expect((await postForm(other, FEEDBACK, { rating: '5', comment: '' })).status).toBe(303);
  });
});
