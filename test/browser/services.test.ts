import { shippedServices } from '../helpers/app';
import { expectAriaSnapshot } from './helpers/aria-snapshot';
import { unseenExpectations } from './helpers/autocomplete';
import { checkPage } from './helpers/checks';
import {
  choiceSignature,
  hasRequiredQuestion,
  journeysOf,
  pageOf,
  revealedQuestions,
} from './helpers/journeys';
import { useBrowserSuite } from './helpers/suite';

// Every question page of every shipped service, walked along every journey fixture in a real browser:
// blank, submitted empty (errors), each new combination of choices filled in (conditional questions shown),
// answers shown back (check answers and each Change link), then the confirmation page.

const suite = useBrowserSuite('services');
const services = shippedServices().services;

/** The page type snapshots are taken on this service. */
const SNAPSHOT_SERVICE = 'register-a-vehicle';
const SNAPSHOT_QUESTION = 'fuel-type';

it('has journey fixtures for every shipped service', () => {
  for (const service of services) expect(journeysOf(service).length).toBeGreaterThan(0);
});

// Services are independent (each journey has its own browser context), so they run two at a time.
describe.each(services.map((s) => [s.title, s]))('%s', (_title, service) => {
  const slug = service.slug;
  const pageUrl = (id: string) => `/services/${slug}/${id}`;

  it.concurrent('every question page along every journey path, check answers and confirmation', async () => {
    const checked = new Set<string>();
    const firstTime = (key: string) => !checked.has(key) && !!checked.add(key);

    for (const [index, journey] of journeysOf(service).entries()) {
      const tab = await suite.tab();
      await tab.goto(`/services/${slug}`);
      await checkPage(tab, 'start page', { light: index > 0 });
      if (index === 0 && slug === SNAPSHOT_SERVICE) await expectAriaSnapshot(tab.page, 'start-page');
      await tab.navigating(() => tab.page.getByRole('button', { name: 'Start now' }).click());

      for (const step of journey.steps) {
        const where = `${journey.name}: ${step.page}`;
        expect({ where, path: tab.path }).toEqual({ where, path: pageUrl(step.page) });
        const page = pageOf(service, step.page);
        const snapshot = index === 0 && slug === SNAPSHOT_SERVICE && step.page === SNAPSHOT_QUESTION;

        await checkPage(tab, 'blank', { light: !firstTime(`${step.page} blank`) });
        if (snapshot) await expectAriaSnapshot(tab.page, 'question-page-blank');

        if (hasRequiredQuestion(page) && firstTime(`${step.page} errors`)) {
          await tab.submit('Continue');
          await checkPage(tab, 'errors (submitted empty)');
          if (snapshot) await expectAriaSnapshot(tab.page, 'question-page-errors');
        }

        // A required question revealed by a choice, left empty: the error sits inside the conditional reveal.
        const revealed = revealedQuestions(page, step);
        if (revealed.length > 0 && firstTime(`${step.page} conditional errors ${revealed.join()}`)) {
          const emptied = Object.fromEntries(
            Object.entries(step.body).map(([name, value]) =>
              revealed.some((id) => name === id || name.startsWith(`${id}-`)) ? [name, ''] : [name, value],
            ),
          );
          if (tab.document?.request().method() === 'POST') await tab.goto(pageUrl(step.page));
          await tab.fill(emptied);
          await tab.submit('Continue');
          await checkPage(tab, `errors (${revealed.join(', ')} left empty)`);
        }

        // The page as a person fills it in (without the errors shown above).
        if (tab.document?.request().method() === 'POST') await tab.goto(pageUrl(step.page));
        if (step.files) {
          // An upload page: each file uploaded in turn, the page checked with the list and its success banner.
          await tab.upload(step.files, async (file) => {
            expect(await tab.page.locator('.govuk-notification-banner--success').textContent()).toContain(
              `${file} has been uploaded`,
            );
            await checkPage(tab, 'file uploaded (list and success banner)', {
              light: !firstTime(`${step.page} uploaded`),
            });
          });
          await tab.submit('Continue');
          continue;
        }
        await tab.fill(step.body);
        // Choices change the page as it is filled in: in full when they open a conditional question (once per
        // page and set of questions opened), otherwise the light check.
        const choices = choiceSignature(page, step);
        if (choices) {
          const full = revealed.length > 0 && firstTime(`${step.page} filled ${revealed.join()}`);
          await checkPage(tab, `filled (${choices})`, { light: !full });
        }
        await tab.submit('Continue');
      }

      expect({ journey: journey.name, path: tab.path }).toEqual({
        journey: journey.name,
        path: pageUrl('check-answers'),
      });
      await checkPage(tab, 'check answers', { light: index > 0 });
      if (index === 0 && slug === SNAPSHOT_SERVICE) await expectAriaSnapshot(tab.page, 'check-answers');

      if (index === 0) {
        // Answers shown back: each page of the path opened from its Change link, with the answers filled in
        // (in full where a conditional question is shown open on load; the light check elsewhere).
        for (const step of journey.steps) {
          await tab.goto(`${pageUrl(step.page)}?change=true`);
          const light = revealedQuestions(pageOf(service, step.page), step).length === 0;
          await checkPage(tab, 'answers shown back (change from check answers)', { light });
        }
        await tab.goto(pageUrl('check-answers'));
      }

      await tab.submit(service.declaration.submitLabel);
      expect(tab.path).toMatch(new RegExp(`^/services/${slug}/confirmation/[A-Z0-9]{10}$`));
      await checkPage(tab, 'confirmation', { light: index > 0 });
      if (index === 0 && slug === SNAPSHOT_SERVICE) await expectAriaSnapshot(tab.page, 'confirmation');
      await tab.page.context().close();
    }
  });

  it.concurrent(
    'with JavaScript off: submitting the first page empty shows "Error:" in the title and the error summary',
    async () => {
      const tab = await suite.tab({ js: false });
      await tab.goto(`/services/${slug}/start`);
      const first = journeysOf(service)[0]!.steps[0]!;
      expect(tab.path).toBe(pageUrl(first.page));
      await checkPage(tab, 'blank');
      await tab.submit('Continue');
      expect(await tab.page.title()).toMatch(/^Error: /);
      expect(await tab.page.locator('.govuk-error-summary').count()).toBe(1);
      await checkPage(tab, 'errors (submitted empty)');
      await tab.fill(first.body);
      await tab.submit('Continue');
      expect(tab.path).not.toBe(pageUrl(first.page));
    },
  );
});

it('every expected autocomplete token on question pages was checked', () => {
  // The save page ("save and come back later") is the citizen suite's, which checks its own expectation.
  expect(unseenExpectations('/services').filter((e) => !e.includes('\\/save$'))).toEqual([]);
});
