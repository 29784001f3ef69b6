import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { barChart, horizontalBarChart, lineChart } from '../../src/performance/charts';

// docs/security.md#v4: Nunjucks escapes everything unless told not to, so the only ways user data can reach a page as
// markup are `| safe` and the `html:` option of govuk-frontend's macros. Each use is listed here with why it is
// safe; a new one fails this test until someone has checked it escapes every value a person typed (`| escape`)
// and added it below. The browser and route tests then prove stored payloads render inert.

const VIEWS = path.join(__dirname, '..', '..', 'views');

const REVIEWED: Record<string, { safe: number; html: number; why: string }> = {
  'layouts/base.njk': {
    safe: 0,
    html: 2,
    why: 'the phase banner and footer links: literals and FEEDBACK_EMAIL (configuration, validated as an email)',
  },
  'apply/confirmation.njk': { safe: 0, html: 1, why: 'the reference, escaped' },
  'account/applications.njk': {
    safe: 0,
    html: 3,
    why: 'the status tag (a status name from STATUS_TEXT, escaped by govukTag), the latest message from staff and the service title on the Continue button, piped through escape; dates formatted by the server',
  },
  'performance/service.njk': {
    safe: 0,
    html: 3,
    why: 'published figures, each escaped; costMonths is a number of months',
  },
  'performance/macros.njk': {
    safe: 1,
    html: 0,
    why: 'the chart SVG built by src/performance/charts.ts, which escapes every text it writes (tested below)',
  },
  'staff/case.njk': { safe: 0, html: 1, why: 'the time-against-target tag (a macro) and its text, escaped' },
  'staff/withdraw-request.njk': {
    safe: 0,
    html: 1,
    why: 'the request being withdrawn, escaped first and then its line breaks made <br> (nl2br)',
  },
};

/** Every template, by its path under views/. */
const templates = (): string[] =>
  (fs.readdirSync(VIEWS, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.njk'))
    .map((file) => file.split(path.sep).join('/'));

describe('templates that could output markup', () => {
  it('uses `| safe` and `html:` only where each use has been reviewed', () => {
    const found: Record<string, { safe: number; html: number }> = {};
    for (const file of templates()) {
      // Comments say what they like.
      const source = fs.readFileSync(path.join(VIEWS, file), 'utf8').replace(/\{#[\s\S]*?#\}/g, '');
      const safe = source.match(/\|\s*safe\b/g)?.length ?? 0;
      const html = source.match(/\bhtml\s*:/g)?.length ?? 0;
      if (safe + html > 0) found[file] = { safe, html };
    }
    const reviewed = Object.fromEntries(
      Object.entries(REVIEWED).map(([file, { safe, html }]) => [file, { safe, html }]),
    );
    expect(found).toEqual(reviewed);
  });

  it('sends every form by POST except the reviewed ones, whose fields hold no personal data (D3)', () => {
    // A GET form puts its fields in the address, which ends up in browser history, proxies and referrers.
    const getForms: Record<string, string> = {};
    for (const file of templates()) {
      const source = fs.readFileSync(path.join(VIEWS, file), 'utf8');
      for (const form of source.match(/<form\b[^>]*>/g) ?? []) {
        const method = /method="([a-z]+)"/.exec(form)?.[1];
        if (method !== 'post') getForms[file] = method ?? 'get';
      }
    }
    expect(getForms).toEqual({
      'catalogue/search-form.njk': 'get', // words to find a service with
      'performance/macros.njk': 'get', // a period for the published figures
      'staff/queue.njk': 'get', // queue filters, and the case search (names, emails: staff pages are no-store, logs drop the query, referrers are origin-only)
      'partials/timeout-warning.njk': 'dialog', // closes the dialog; sends nothing
    });
  });

  it('draws performance charts with every text escaped: the one `| safe` above', () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(1)>';
    const input = {
      id: 'chart',
      title: `Title ${hostile}`,
      description: `Description ${hostile}`,
      categoryHeading: 'Month',
      categories: [`A ${hostile}`, `B ${hostile}`],
      axisLabels: [`a ${hostile}`, `b ${hostile}`],
      unit: `Unit ${hostile}`,
      series: [
        { name: `Series ${hostile}`, values: [1, null], format: (v: number | null) => `${v} ${hostile}` },
      ],
    };
    for (const draw of [barChart, lineChart, horizontalBarChart]) {
      const { svg } = draw(input);
      const $ = cheerio.load(svg, { xml: true });
      expect($('script, img, [onerror]').length).toBe(0);
      expect($('svg').length).toBe(1);
      // Every text the chart writes is there, as text.
      const text = $('svg').text();
      expect(text).toContain(`Title ${hostile}`);
      expect(text).toContain(hostile);
      expect(svg).not.toContain('<script>');
    }
  });
});
