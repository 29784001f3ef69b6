import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, postForm, summaryRows, type Agent } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import fishingPaths from '../fixtures/journeys/apply-for-a-rod-fishing-licence';

// Answers citizens really type, sent through the real question pages of a shipped service.

const SLUG = 'apply-for-a-rod-fishing-licence';
const SERVICE = `/services/${SLUG}`;
const textMessagePath = fishingPaths.find((p) =>
  p.steps.some((s) => s.page === 'licence-delivery' && s.body.licenceDelivery === 'text'),
)!;

/** Answers every step of the path before `page` and returns the agent standing on it. */
async function walkTo(app: TestApp['app'], page: string): Promise<Agent> {
  const agent = request.agent(app);
  await agent.get(`${SERVICE}/start`).expect(302);
  for (const step of textMessagePath.steps) {
    if (step.page === page) return agent;
    const res = await postForm(agent, `${SERVICE}/${step.page}`, step.body);
    if (res.status !== 302) throw new Error(`POST ${step.page} answered ${res.status}`);
  }
  throw new Error(`${page} is not on the path`);
}

const errorSummary = (html: string) =>
  parseHtml(html)('.govuk-error-summary__list a')
    .map((_i, a) => parseHtml(html)(a).text().trim())
    .get();

describe('answers in the formats citizens type', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('refuses a landline where the licence is to be sent by text message, saying it must be a UK mobile number', async () => {
    const agent = await walkTo(t.app, 'licence-delivery');
    const res = await postForm(agent, `${SERVICE}/licence-delivery`, {
      licenceDelivery: 'text',
      licenceMobile: '01904 000000',
    });
    expect(res.status).toBe(422);
    expect(errorSummary(res.text)).toEqual(['Mobile number must be a UK mobile number, like 07700 900 982']);
  });

  it('accepts a month written as a word in a date of birth and shows it back as a date', async () => {
    const agent = await walkTo(t.app, 'date-of-birth');
    const res = await postForm(agent, `${SERVICE}/date-of-birth`, {
      'dateOfBirth-day': '14',
      'dateOfBirth-month': 'jun',
      'dateOfBirth-year': '1955',
    });
    expect(res.status).toBe(302);
    for (const step of textMessagePath.steps.slice(
      textMessagePath.steps.findIndex((s) => s.page === 'date-of-birth') + 1,
    )) {
      expect((await postForm(agent, `${SERVICE}/${step.page}`, step.body)).status).toBe(302);
    }
    const rows = summaryRows((await agent.get(`${SERVICE}/check-answers`).expect(200)).text);
    expect(rows['Date of birth']).toBe('14 June 1955');
  });
});
