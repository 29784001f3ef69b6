import { createCalendar, loadBankHolidays } from '../../src/calendar/working-days';
import { generateHistory } from '../../src/metrics/history-generator';
import { FIXED_NOW } from '../helpers/journey';
import { createStaffUser, type TestStaffUser } from '../helpers/staff';
import { checkPage } from './helpers/checks';
import { signInThroughPages } from './helpers/staff';
import { useBrowserSuite } from './helpers/suite';

// The published performance pages (with charts drawn from a generated history, each followed by its data
// table), their period form and its errors, the open data files, and the back office's performance pages.

const suite = useBrowserSuite('performance');
let manager: TestStaffUser;
let admin: TestStaffUser;

beforeAll(async () => {
  const { t } = suite.portal;
  const calendar = createCalendar('england-and-wales', loadBankHolidays('england-and-wales'));
  await generateHistory(t.db, t.registry.services, calendar, {
    submissions: 1500,
    now: FIXED_NOW,
    days: 400,
    seed: 7,
  });
  [manager, admin] = await Promise.all([
    createStaffUser(t.db, { role: 'manager', agencies: ['local-council'], displayName: 'Pat Manager' }),
    createStaffUser(t.db, { role: 'admin', displayName: 'Alex Admin' }),
  ]);
});

describe('service performance, published', () => {
  it('the overview: as it opens, a period chosen, a period that cannot be shown (errors)', async () => {
    const tab = await suite.tab();
    await tab.goto('/performance');
    await checkPage(tab, 'last months');

    const months = await tab.page
      .locator('#from option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    // The latest month first: from the latest to an earlier one is backwards.
    await tab.fill({ from: months[0]!, to: months[3]! });
    await tab.submit('Show figures for this period');
    expect(tab.document?.status()).toBe(422);
    await checkPage(tab, 'errors (the period ends before it starts)');

    await tab.fill({ from: months[5]!, to: months[1]! });
    await tab.submit('Show figures for this period');
    expect(tab.document?.status()).toBe(200);
    await checkPage(tab, 'a chosen period');
  });

  it('about the data', async () => {
    const tab = await suite.tab();
    await tab.goto('/performance/about-the-data');
    await checkPage(tab, 'content');
  });

  it.each(['register-a-vehicle', 'report-a-pothole', 'file-a-self-assessment-tax-return'])(
    'the page of %s, with its charts and their tables',
    async (slug) => {
      const tab = await suite.tab();
      await tab.goto(`/performance/${slug}`);
      await checkPage(tab, 'last months');
    },
  );

  it('every other service page, a service page with a period error, and an unknown service', async () => {
    const tab = await suite.tab();
    for (const slug of ['apply-for-a-blue-badge', 'apply-for-a-rod-fishing-licence', 'register-to-vote']) {
      await tab.goto(`/performance/${slug}`);
      await checkPage(tab, 'last months', { light: true });
    }
    const errors = await tab.goto('/performance/register-a-vehicle?from=2020-01&to=2020-02');
    expect(errors.status()).toBe(422);
    await checkPage(tab, 'errors (months too long ago)');
    const unknown = await tab.goto('/performance/no-such-service');
    expect(unknown.status()).toBe(404);
    await checkPage(tab, '404');
  });

  it('with JavaScript off: the period form and its errors', async () => {
    const tab = await suite.tab({ js: false });
    await tab.goto('/performance/report-a-pothole');
    await checkPage(tab, 'last months');
    const months = await tab.page
      .locator('#from option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await tab.fill({ from: months[0]!, to: months[2]! });
    await tab.submit('Show figures for this period');
    expect(await tab.page.title()).toMatch(/^Error: /);
    await checkPage(tab, 'errors (the period ends before it starts)');
  });

  it('open data: JSON and CSV, for all services and for one', async () => {
    const tab = await suite.tab();
    for (const [path, type] of [
      ['/performance/data.json', /^application\/json/],
      ['/performance/data.csv', /^text\/csv/],
      ['/performance/report-a-pothole/data.json', /^application\/json/],
      ['/performance/report-a-pothole/data.csv', /^text\/csv/],
    ] as const) {
      const response = await tab.page.request.get(suite.portal.url(path));
      expect({ path, type: response.headers()['content-type'] }).toEqual({
        path,
        type: expect.stringMatching(type),
      });
    }
  });

  it('operator metrics are not a public page (no token configured: page not found)', async () => {
    const tab = await suite.tab();
    const response = await tab.goto('/metrics');
    expect(response.status()).toBe(404);
    await checkPage(tab, '404');
  });
});

describe('performance in the back office', () => {
  it('a manager: the figures of their services beside the team', async () => {
    const tab = await suite.tab();
    await signInThroughPages(tab, suite.portal.t.db, manager);
    await tab.goto('/staff/performance');
    await checkPage(tab, 'last months');
  });

  it('an administrator: service figures, entering a month (with errors), saved', async () => {
    const tab = await suite.tab();
    await signInThroughPages(tab, suite.portal.t.db, admin);
    await tab.goto('/staff/services');
    await checkPage(tab, 'blank');
    await tab.submit('Save figures');
    expect(tab.document?.status()).toBe(422);
    await checkPage(tab, 'errors (nothing entered)');

    const month = await tab.page.locator('#month option').nth(1).getAttribute('value');
    await tab.fill({ service: 'report-a-pothole', month: month ?? '', cost: '12,500.50', offline: '250' });
    await tab.submit('Save figures');
    expect(tab.path).toMatch(/^\/staff\/services\?service=report-a-pothole&saved=/);
    await checkPage(tab, 'saved');
  });
});
