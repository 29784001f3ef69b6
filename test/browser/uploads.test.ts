import { AGENCIES } from '../../src/definitions/agencies';
import { appWith } from '../helpers/app';
import { fixedClock } from '../helpers/journey';
import { createStaffUser } from '../helpers/staff';
import blueBadge from '../fixtures/journeys/apply-for-a-blue-badge';
import { EICAR, fixture, HTML_PAGE } from '../uploads/fixtures';
import { Tab } from './helpers/browser';
import { checkPage } from './helpers/checks';
import { serve, type Portal } from './helpers/server';
import { signInThroughPages } from './helpers/staff';
import { useBrowserSuite } from './helpers/suite';

// Uploading evidence as a person does it, in Debian's Chromium against the real app and clamd: every refusal
// shown with its message (axe and the other checks on each), the list of files with its success banner, Remove,
// the most files a question takes, and staff downloading what was sent. JavaScript off for the citizen (the
// plain file input and full page loads); the services suite covers the same pages with JavaScript on.

const suite = useBrowserSuite('uploads');
const SLUG = 'apply-for-a-blue-badge';
const journey = blueBadge[0]!;
const pageUrl = (id: string) => `/services/${SLUG}/${id}`;

/** On the page `id` of the first Blue Badge path (check answers when none), the pages before it answered. */
async function reach(tab: Tab, id?: string) {
  await tab.goto(`/services/${SLUG}/start`);
  for (const step of journey.steps) {
    if (step.page === id) return;
    if (step.files) await tab.upload(step.files);
    else await tab.fill(step.body);
    await tab.submit('Continue');
  }
  if (id) throw new Error(`${id} is not on the path`);
}

const errorSummary = (tab: Tab) => tab.page.locator('.govuk-error-summary__list').innerText();

describe('uploading evidence, JavaScript off', () => {
  it('refuses each bad file with its message, lists good ones, removes one, and stops at the most allowed', async () => {
    const tab = await suite.tab({ js: false });
    await reach(tab, 'photo');
    expect(tab.path).toBe(pageUrl('photo'));

    const refusals: readonly [string, { name: string; mimeType: string; buffer: Buffer }, string][] = [
      [
        'a virus',
        { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: EICAR },
        'The selected file contains a virus',
      ],
      [
        'an HTML page named .jpg',
        { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: HTML_PAGE },
        'The selected file must be a JPG or PNG',
      ],
      [
        'an empty file',
        { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
        'The selected file is empty',
      ],
    ];
    for (const [what, file, message] of refusals) {
      await tab.page.locator('input[type="file"]').setInputFiles(file);
      await tab.submit('Upload file');
      expect(await errorSummary(tab)).toBe(message);
      expect(await tab.page.title()).toMatch(/^Error: /);
      await checkPage(tab, `errors (refused: ${what})`, { light: what !== 'a virus' });
    }

    await tab.upload(['photo.jpg']);
    await checkPage(tab, 'photo uploaded (list, success banner, no file input)');
    expect(await tab.page.locator('input[type="file"]').count()).toBe(0);
    await tab.submit('Remove photo.jpg');
    expect(await tab.page.locator('.govuk-notification-banner').innerText()).toContain(
      'photo.jpg has been removed',
    );
    await checkPage(tab, 'photo removed (success banner)');
    await tab.upload(['passport.png']);
    await tab.submit('Continue');

    expect(tab.path).toBe(pageUrl('proof-of-identity'));
    await tab.upload(['letter.pdf']);
    await checkPage(tab, 'one document uploaded, room for another ("Upload another document")');
    await tab.upload(['passport.png']);
    expect(await tab.page.getByRole('button', { name: 'Upload file' }).count()).toBe(0);
    await checkPage(tab, 'the most documents uploaded (no file input)');
    await tab.submit('Continue');
    expect(tab.path).toBe(pageUrl('benefits'));
  });
});

describe('uploading when the virus scanner is down', () => {
  let down: Portal;
  beforeAll(async () => {
    down = await serve(await appWith({ CLAMD_SOCKET: '/nonexistent/clamd.sock' }, { clock: fixedClock }));
  });
  afterAll(() => down.close());

  it('shows the "cannot upload files at the moment" page, which leads back to the question', async () => {
    const context = await suite.context({ js: false });
    const tab = await Tab.open(context, down.baseUrl, { js: false });
    await reach(tab, 'photo');
    await tab.page.locator('input[type="file"]').setInputFiles({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      buffer: fixture('photo.jpg'),
    });
    const response = await tab.submit('Upload file');
    expect(response.status()).toBe(503);
    expect(await tab.page.locator('h1').innerText()).toBe('Sorry, you cannot upload files at the moment');
    await checkPage(tab, 'virus scanner unavailable');
    await tab.navigating(() => tab.page.getByRole('link', { name: 'Go back to the question' }).click());
    expect(tab.path).toBe(pageUrl('photo'));
  });
});

describe('files sent with an application, for staff', () => {
  it('lists them on the case page and downloads one as a file', async () => {
    const citizen = await suite.tab();
    await reach(citizen);
    expect(citizen.path).toBe(pageUrl('check-answers'));
    await citizen.submit('Accept and send');
    const reference = citizen.path.split('/').pop()!;

    const { db } = suite.portal.t;
    const caseworker = await createStaffUser(db, {
      role: 'caseworker',
      agencies: [AGENCIES.localCouncil.id],
    });
    const staff = await suite.tab();
    await signInThroughPages(staff, db, caseworker);
    await staff.goto(`/staff/submissions/${reference}`);
    const links = staff.page.locator('#files + ul a');
    expect(await links.allInnerTexts()).toEqual(['photo.jpg', 'passport.png', 'letter.pdf']);
    await checkPage(staff, 'case with files sent');
    const [download] = await Promise.all([staff.page.waitForEvent('download'), links.first().click()]);
    expect(download.suggestedFilename()).toBe('photo.jpg');
    const saved = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });
});
