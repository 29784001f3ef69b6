import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn, expectStatus, fixedClock, postForm, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

const SERVICE = '/services/register-a-vehicle';
const firstPath = vehiclePaths[0]!;

describe('question pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('show one question as the page heading under the service name, titled with the question and the service, with a back link to the start page and a Continue button', async () => {
    const agent = request.agent(t.app);
    const res = await agent.get(`${SERVICE}/vehicle-identification-number`).expect(200);
    const $ = parseHtml(res.text);
    expect($('head > title').text()).toBe(
      'What is the vehicle identification number (VIN)? – Register a vehicle – GOV.UK',
    );
    expect($('h1 label[for="vin"] .govuk-caption-l').text().trim()).toBe('Register a vehicle');
    expect($('h1 label[for="vin"]').text().replace(/\s+/g, ' ').trim()).toBe(
      'Register a vehicle What is the vehicle identification number (VIN)?',
    );
    expect($('h1').length).toBe(1);
    expect($('.govuk-back-link').attr('href')).toBe(SERVICE);
    expect($('form').attr('novalidate')).toBeDefined();
    expect($('form button').first().text().trim()).toBe('Continue');
    expect($('form button[name="saveForLater"]').text().trim()).toBe('Save and come back later');
    expect($('input[required]').length).toBe(0);
  });

  it('send someone who skips ahead by URL to the first page they have not answered', async () => {
    const agent = request.agent(t.app);
    const skip = await agent.get(`${SERVICE}/fuel-type`).expect(302);
    expect(skip.headers.location).toBe(`${SERVICE}/vehicle-identification-number`);
    expectStatus(
      await postForm(agent, `${SERVICE}/vehicle-identification-number`, firstPath.steps[0]!.body),
      302,
    );
    const later = await agent.get(`${SERVICE}/keeper-address`).expect(302);
    expect(later.headers.location).toBe(`${SERVICE}/make-and-model`);
    const postAhead = await agent
      .post(`${SERVICE}/keeper-address`)
      .type('form')
      .send({ _csrf: csrfTokenIn((await agent.get(`${SERVICE}/make-and-model`)).text) });
    expect(postAhead.status).toBe(302);
    expect(postAhead.headers.location).toBe(`${SERVICE}/make-and-model`);
  });

  it('answer an empty form with 422, the Error: title, an error summary linking to the field and an inline error', async () => {
    const agent = request.agent(t.app);
    const res = expectStatus(
      await postForm(agent, `${SERVICE}/vehicle-identification-number`, { vin: '' }),
      422,
    );
    const $ = parseHtml(res.text);
    expect($('head > title').text()).toMatch(
      /^Error: What is the vehicle identification number \(VIN\)\? – /,
    );
    const links = $('.govuk-error-summary__list a');
    expect(links.length).toBe(1);
    expect(links.attr('href')).toBe('#vin');
    expect($('#vin').length).toBe(1);
    expect($('#vin-error').text().replace(/\s+/g, ' ').trim()).toBe(`Error: ${links.text().trim()}`);
    expect($('#vin').attr('aria-describedby')).toContain('vin-error');
  });

  it('keep what the person typed when it is not valid', async () => {
    const agent = request.agent(t.app);
    const res = expectStatus(
      await postForm(agent, `${SERVICE}/vehicle-identification-number`, { vin: 'IOQ123' }),
      422,
    );
    const $ = parseHtml(res.text);
    expect($('#vin').attr('value')).toBe('IOQ123');
    expect($('.govuk-error-summary__list a').text()).toMatch(/17 letters and numbers/);
  });

  it('list every error on a page with several questions, in order', async () => {
    const agent = request.agent(t.app);
    expectStatus(
      await postForm(agent, `${SERVICE}/vehicle-identification-number`, firstPath.steps[0]!.body),
      302,
    );
    const res = expectStatus(
      await postForm(agent, `${SERVICE}/make-and-model`, { make: '', model: '' }),
      422,
    );
    const hrefs = parseHtml(res.text)('.govuk-error-summary__list a')
      .map((_i, a) => parseHtml(res.text)(a).attr('href'))
      .get();
    expect(hrefs).toEqual(['#make', '#model']);
  });

  it('link a date error to the first part in error and keep the parts typed', async () => {
    const agent = request.agent(t.app);
    for (const step of firstPath.steps.slice(0, 2))
      expectStatus(await postForm(agent, `${SERVICE}/${step.page}`, step.body), 302);
    const res = expectStatus(
      await postForm(agent, `${SERVICE}/first-registration`, {
        'firstRegistrationDate-day': '31',
        'firstRegistrationDate-month': '2',
        'firstRegistrationDate-year': '2019',
      }),
      422,
    );
    const $ = parseHtml(res.text);
    expect($('.govuk-error-summary__list a').attr('href')).toBe('#firstRegistrationDate-day');
    expect($('.govuk-error-summary__list a').text()).toBe(
      'Date the vehicle was first registered must be a real date',
    );
    expect($('#firstRegistrationDate-day').attr('value')).toBe('31');
    expect($('#firstRegistrationDate-month').attr('value')).toBe('2');
  });

  it('show a stored answer again when the person goes back to a page', async () => {
    const agent = request.agent(t.app);
    expectStatus(
      await postForm(agent, `${SERVICE}/vehicle-identification-number`, { vin: 'wvwzzz1jzxw000001' }),
      302,
    );
    const res = await agent.get(`${SERVICE}/vehicle-identification-number`).expect(200);
    expect(parseHtml(res.text)('#vin').attr('value')).toBe('WVWZZZ1JZXW000001');
    const second = await agent.get(`${SERVICE}/make-and-model`).expect(200);
    expect(parseHtml(second.text)('.govuk-back-link').attr('href')).toBe(
      `${SERVICE}/vehicle-identification-number`,
    );
  });

  it('validate a revealed follow-up question only when its option is chosen, and drop it otherwise', async () => {
    const agent = request.agent(t.app);
    for (const step of firstPath.steps.slice(0, 3))
      expectStatus(await postForm(agent, `${SERVICE}/${step.page}`, step.body), 302);
    const page = await agent.get(`${SERVICE}/fuel-type`).expect(200);
    const conditionalInput = parseHtml(page.text)('.govuk-radios__conditional input');
    expect(conditionalInput.length).toBe(1);
    const followId = conditionalInput.attr('name')!;

    const missing = expectStatus(
      await postForm(agent, `${SERVICE}/fuel-type`, { fuelType: 'other', [followId]: '' }),
      422,
    );
    expect(parseHtml(missing.text)('.govuk-error-summary__list a').attr('href')).toBe(`#${followId}`);

    expectStatus(
      await postForm(agent, `${SERVICE}/fuel-type`, { fuelType: 'petrol', [followId]: 'Should be dropped' }),
      302,
    );
    const back = await agent.get(`${SERVICE}/fuel-type`).expect(200);
    expect(parseHtml(back.text)(`#${followId}`).attr('value') ?? '').toBe('');
  });

  it('answer 404 for an unknown page, an unknown service and another service’s page', async () => {
    await request(t.app).get(`${SERVICE}/no-such-page`).expect(404);
    await request(t.app).get('/services/no-such-service').expect(404);
    await request(t.app).get('/services/no-such-service/start').expect(404);
    await request(t.app).get(`${SERVICE}/tax-year`).expect(404);
  });

  it('never answer 500 to hostile input on any page of a journey', async () => {
    // Bodies are encoded by hand: supertest would turn an array into name[0]=…, which is not what a
    // browser (or an attacker) sends for a repeated field.
    const variants: Record<string, (value: string) => string[]> = {
      'a repeated field (array)': (v) => [v, 'second'],
      'a null byte': (v) => [`${v}\u0000`],
      '10,000 characters': () => ['x'.repeat(10_000)],
      'a bidi override': (v) => [`\u202Egnp.exe${v}`],
      'a lone surrogate': (v) => [`${v}\uD800`],
      'template and script injection': () => ['{{7*7}}<script>alert(1)</script>'],
    };
    const agent = await walkToCheckAnswers(t.app, 'register-a-vehicle', firstPath);
    for (const step of firstPath.steps) {
      const url = `${SERVICE}/${step.page}`;
      for (const [kind, transform] of [
        ...Object.entries(variants),
        ['prototype keys', (v: string) => [v]] as const,
      ]) {
        const page = await agent.get(url).expect(200);
        const form = new URLSearchParams({ _csrf: csrfTokenIn(page.text) });
        for (const [name, value] of Object.entries(step.body)) {
          for (const v of transform(Array.isArray(value) ? value[0]! : value)) form.append(name, v);
        }
        let encoded = form.toString();
        if (kind === 'prototype keys') {
          encoded += '&__proto__[polluted]=1&constructor[prototype][polluted]=1&hasOwnProperty=1&toString=x';
        }
        const res = await agent.post(url).type('form').send(encoded);
        expect({ url, kind, acceptable: [302, 422].includes(res.status) }).toEqual({
          url,
          kind,
          acceptable: true,
        });
        expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      }
      // Put the valid answer back so the next page can be visited.
      await expectStatus(await postForm(agent, url, step.body), 302);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
