import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import {
  fixedClock,
  postForm,
  sendApplication,
  summaryRows,
  walkToCheckAnswers,
  type Agent,
} from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import vehiclePaths from '../fixtures/journeys/register-a-vehicle';

const SLUG = 'register-a-vehicle';
const SERVICE = `/services/${SLUG}`;
const individualKeeper = vehiclePaths[0]!;

const backLinkOf = (html: string) => parseHtml(html)('.govuk-back-link').attr('href');

/** From check answers, change the registered keeper from an individual to a company. */
async function switchToCompany(agent: Agent) {
  const res = await postForm(agent, `${SERVICE}/keeper-type?change=true`, { keeperType: 'company' });
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe(`${SERVICE}/company-details?change=true`);
}

describe('changing an answer that switches branch, from check your answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('can be cancelled: Back from the new page returns to check answers with the old answers intact', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    await switchToCompany(agent);
    const company = await agent.get(`${SERVICE}/company-details?change=true`).expect(200);
    expect(backLinkOf(company.text)).toBe(`${SERVICE}/check-answers`);

    const check = await agent.get(`${SERVICE}/check-answers`).expect(200);
    const rows = summaryRows(check.text);
    expect(rows['Registered keeper']).toBe('An individual');
    expect(rows["Keeper's full name"]).toBe('Sarah Philips');
    expect(rows['Company name']).toBeUndefined();
  });

  it('keeps the old answers when the citizen goes back and chooses the first branch again', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    await switchToCompany(agent);
    const res = await postForm(agent, `${SERVICE}/keeper-type?change=true`, { keeperType: 'individual' });
    expect(res.headers.location).toBe(`${SERVICE}/check-answers`);
    const rows = summaryRows((await agent.get(`${SERVICE}/check-answers`).expect(200)).text);
    expect(rows["Keeper's full name"]).toBe('Sarah Philips');
  });

  it('drops the answers left behind only once the new branch is complete', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    await switchToCompany(agent);
    const res = await postForm(agent, `${SERVICE}/company-details?change=true`, {
      companyName: 'Example Logistics Ltd',
      companyNumber: '01234567',
    });
    expect(res.headers.location).toBe(`${SERVICE}/check-answers`);
    const rows = summaryRows((await agent.get(`${SERVICE}/check-answers`).expect(200)).text);
    expect(rows['Registered keeper']).toBe('A company');
    expect(rows['Company name']).toBe('Example Logistics Ltd');
    expect(rows["Keeper's full name"]).toBeUndefined();

    // The change is confirmed: going back to check answers again does not bring the individual back.
    const again = summaryRows((await agent.get(`${SERVICE}/check-answers`).expect(200)).text);
    expect(again['Registered keeper']).toBe('A company');
  });
});

describe('going back after sending', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('says the application was already sent, with its reference, instead of showing a blank first question', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    const sent = await sendApplication(agent, SLUG);
    const reference = sent.headers.location!.split('/').pop()!;

    for (const url of [
      `${SERVICE}/check-answers`,
      `${SERVICE}/contact-email`,
      `${SERVICE}/vehicle-identification-number`,
    ]) {
      const page = await agent.get(url).expect(200);
      const $ = parseHtml(page.text);
      expect($('h1').text().trim()).toBe('You have already sent this application');
      expect(
        $('main strong')
          .text()
          .replace(/[\s-]+/g, ''),
      ).toBe(reference);
      expect($('a.govuk-button').attr('href')).toBe(`${SERVICE}/start`);
    }
  });

  it('starts a new, empty application from "Start a new application"', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    await sendApplication(agent, SLUG);
    const start = await agent.get(`${SERVICE}/start`).expect(302);
    expect(start.headers.location).toBe(`${SERVICE}/vehicle-identification-number`);
    const first = await agent.get(start.headers.location!).expect(200);
    expect(parseHtml(first.text)('h1').text()).not.toContain('already sent');
    expect(parseHtml(first.text)('input[name="vin"]').attr('value') ?? '').toBe('');
  });

  it('does not show the already-sent page to another session', async () => {
    const agent = await walkToCheckAnswers(t.app, SLUG, individualKeeper);
    await sendApplication(agent, SLUG);
    const other = request.agent(t.app);
    const res = await other.get(`${SERVICE}/check-answers`).expect(302);
    expect(res.headers.location).toBe(`${SERVICE}/vehicle-identification-number`);
  });
});
