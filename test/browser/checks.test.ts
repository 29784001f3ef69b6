import { checkPage } from './helpers/checks';
import { useBrowserSuite } from './helpers/suite';

// The checks themselves: a page with known faults, served on the portal's origin (so the GOV.UK styles load),
// must fail each check that applies, so a check that silently passes everything cannot hide in the suite.

const suite = useBrowserSuite('checks');

const BROKEN_PAGE = `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>Broken page - GOV.UK</title>
  <link rel="stylesheet" href="/assets/../static/missing.css">
</head>
<body class="govuk-template__body">
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content">
      <h1 class="govuk-heading-l">First heading</h1>
      <h1 class="govuk-heading-l">Second heading</h1>
      <h3 class="govuk-heading-s">Skipped a level</h3>
      <form method="post" action="/nowhere">
        <input class="govuk-input" id="name" name="fullName" aria-describedby="missing-hint">
        <input class="govuk-input" type="email" id="email" name="email" aria-label="Email address">
        <input type="radio" name="choice" value="a" aria-label="A">
        <div style="width: 900px">Too wide</div>
        <button type="submit" style="outline: none; box-shadow: none">Send</button>
      </form>
    </main>
  </div>
</body>
</html>`;

it('a page with known faults fails every check that applies, naming the URL and state', async () => {
  const tab = await suite.tab();
  const url = suite.portal.url('/__broken-page');
  await tab.page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: BROKEN_PAGE }),
  );
  await tab.goto('/__broken-page');
  const failure = await checkPage(tab, 'deliberately broken').then(
    () => '',
    (err: Error) => err.message,
  );
  expect(failure).toMatch(/^\/__broken-page \[deliberately broken\]: \d+ accessibility problem/);
  for (const expected of [
    /axe: label \(critical\)/, // an input with no label
    /title: "Broken page - GOV\.UK" is not/,
    /headings: 2 h1 elements/,
    /headings: h3 "Skipped a level" follows an h1/,
    /landmarks: 0 banner landmarks/,
    /landmarks: 0 contentinfo landmarks/,
    /skip-link: the first Tab stop is/,
    /described-by: aria-describedby on #name names #missing-hint/,
    /fieldsets: #choice|fieldsets: .*not in a fieldset/,
    /autocomplete: #email is a email field with no expected token/,
    /forms: the form posting to \/nowhere has no novalidate/,
    /focus-visible: <button.*has no visible focus indicator/,
    /reflow: scrolls sideways at 320px/,
    /html: no-inline-style/,
    /console: console error: Failed to load resource/,
  ]) {
    expect(failure).toMatch(expected);
  }
  // Only WCAG A and AA rules run: not best-practice ones such as region (turned off) or heading-order.
  expect(failure).not.toMatch(/axe: (region|heading-order|landmark-one-main|page-has-heading-one)\b/);
});
