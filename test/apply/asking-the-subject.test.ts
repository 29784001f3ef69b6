import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, postForm, summaryRows, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import badgePaths from '../fixtures/journeys/apply-for-a-blue-badge';

// Applying for yourself, the Blue Badge asks its questions of you; for someone else, of "the badge holder".

const SERVICE = '/services/apply-for-a-blue-badge';
const forMyself = badgePaths.find((p) => p.steps[0]!.body.whoIsApplying === 'myself')!;
const forSomeoneElse = badgePaths.find((p) => p.steps[0]!.body.whoIsApplying === 'someone-else')!;

const headingOf = (html: string) =>
  parseHtml(html)('h1 label, h1 legend, h1').first().text().replace(/\s+/g, ' ').trim();

describe('questions worded for the person applying', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('asks "What is your full name?" after "Myself", and its error speaks to the applicant too', async () => {
    const agent = request.agent(t.app);
    await agent.get(`${SERVICE}/start`).expect(302);
    await postForm(agent, `${SERVICE}/who-is-applying`, { whoIsApplying: 'myself' });
    const page = await agent.get(`${SERVICE}/badge-holder-name`).expect(200);
    expect(headingOf(page.text)).toBe('Apply for a Blue Badge What is your full name?');
    expect(parseHtml(page.text)('title').text()).toMatch(/^What is your full name\? – /);

    const empty = await postForm(agent, `${SERVICE}/badge-holder-name`, { badgeHolderName: '' });
    expect(empty.status).toBe(422);
    expect(parseHtml(empty.text)('.govuk-error-summary__list a').text().trim()).toBe('Enter your full name');
  });

  it('asks about "the badge holder" when applying for someone else', async () => {
    const agent = request.agent(t.app);
    await agent.get(`${SERVICE}/start`).expect(302);
    await postForm(agent, `${SERVICE}/who-is-applying`, { whoIsApplying: 'someone-else' });
    await postForm(agent, `${SERVICE}/applicant-details`, forSomeoneElse.steps[1]!.body);
    const page = await agent.get(`${SERVICE}/badge-holder-name`).expect(200);
    expect(headingOf(page.text)).toBe("Apply for a Blue Badge What is the badge holder's full name?");
  });

  it('shows "Your full name" on check answers for someone applying for themselves', async () => {
    const agent = await walkToCheckAnswers(t.app, 'apply-for-a-blue-badge', forMyself);
    const rows = summaryRows((await agent.get(`${SERVICE}/check-answers`).expect(200)).text);
    expect(Object.keys(rows)).toContain('Your full name');
    expect(Object.keys(rows)).not.toContain("Badge holder's full name");
  });

  it('keeps the third person on check answers for someone applying for another person', async () => {
    const agent = await walkToCheckAnswers(t.app, 'apply-for-a-blue-badge', forSomeoneElse);
    const rows = summaryRows((await agent.get(`${SERVICE}/check-answers`).expect(200)).text);
    expect(Object.keys(rows)).toContain("Badge holder's full name");
  });
});
