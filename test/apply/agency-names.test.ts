import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import fishingPaths from '../fixtures/journeys/apply-for-a-rod-fishing-licence';

// Organisations are named as GOV.UK content names them: "the Environment Agency", "your local council".

const mainText = (html: string) => parseHtml(html)('main').text().replace(/\s+/g, ' ');

describe('the organisation behind a service, named in sentences', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('says "Contact the Environment Agency" on the fishing licence start page', async () => {
    const page = await request(t.app).get('/services/apply-for-a-rod-fishing-licence').expect(200);
    expect(mainText(page.text)).toContain('Contact the Environment Agency:');
    expect(mainText(page.text)).toMatch(/The Environment Agency aims to deal with applications within/);
  });

  it('says "your local council", never "Local council services", for a pothole report', async () => {
    const page = await request(t.app).get('/services/report-a-pothole').expect(200);
    expect(mainText(page.text)).toContain('Contact your local council:');
    expect(mainText(page.text)).toContain('Your local council aims to deal with applications within');
    expect(page.text).not.toContain('Local council services');
  });

  it('names the Environment Agency with its article on the confirmation page', async () => {
    const agent = await walkToCheckAnswers(t.app, 'apply-for-a-rod-fishing-licence', fishingPaths[0]!);
    const sent = await sendApplication(agent, 'apply-for-a-rod-fishing-licence');
    const confirmation = await agent.get(sent.headers.location!).expect(200);
    expect(mainText(confirmation.text)).toContain('Contact the Environment Agency by email at');
  });
});
