import path from 'node:path';
import express from 'express';
import nunjucks from 'nunjucks';
import { loadConfig } from '../../src/config';
import { setUpNunjucks } from '../../src/middleware/nunjucks';
import { addFragmentTag } from '../../src/middleware/nunjucks-speed';
import { govukFrontendDir, viewsDir } from '../../src/paths';
import { createRegistry, loadServiceDefinitions } from '../../src/definitions/registry';
import { pageFields, rawFromAnswers, readPage, validatePage } from '../../src/questions/page';
import type { QuestionPage } from '../../src/definitions/types';
import { processingTimeView } from '../../src/performance/typical-time';
import { answersTimeoutWarning } from '../../src/timeout/timeout-warning';

// The app's Nunjucks environment is tuned (src/middleware/nunjucks-speed.ts) and the layout's fixed parts are
// {% fragment %}s rendered once. None of that may change a byte of any page: each page here is rendered by the
// app's environment and by a stock Nunjucks (a separate copy of the module, so none of the changes reach it,
// with {% fragment %} rendering its body every time), and the two must be identical.

const config = loadConfig({ NODE_ENV: 'test' });
const env = setUpNunjucks(express(), config, 'abcdef012345');
const registry = createRegistry(loadServiceDefinitions());
const vehicle = registry.find('register-a-vehicle')!;

type Env = nunjucks.Environment & { globals: Record<string, unknown> };

/** Stock Nunjucks from a fresh copy of the module, with the app's search path and globals. */
type FrameSet = { runtime: { Frame: { prototype: { set: unknown } } } };
let stockFrameSet: unknown;
function stockEnvironment(): nunjucks.Environment {
  let stock: nunjucks.Environment | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second, untouched copy of the module
    const fresh = require('nunjucks') as typeof nunjucks;
    stockFrameSet = (fresh as unknown as FrameSet).runtime.Frame.prototype.set;
    stock = new fresh.Environment(
      new fresh.FileSystemLoader([viewsDir, path.join(govukFrontendDir, 'dist')]),
      { autoescape: true },
    );
    for (const [name, value] of Object.entries((env as Env).globals)) stock.addGlobal(name, value);
    // The app's own filters that Nunjucks does not have (capitalizeFirst) are part of the templates, not the tuning.
    const stockFilters = (stock as unknown as { filters: Record<string, unknown> }).filters;
    for (const [name, filter] of Object.entries(
      (env as unknown as { filters: Record<string, unknown> }).filters,
    )) {
      if (!(name in stockFilters)) stock.addFilter(name, filter as (...args: unknown[]) => unknown);
    }
    // The tag itself from the same fresh copy, so its HTML is that copy's safe string; it never caches here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const speed = require('../../src/middleware/nunjucks-speed') as { addFragmentTag: typeof addFragmentTag };
    speed.addFragmentTag(stock, false);
  });
  return stock!;
}
const stock = stockEnvironment();

const fieldsFor = (environment: nunjucks.Environment, page: QuestionPage, body?: Record<string, string>) => {
  const raw = body ? readPage(page, body) : rawFromAnswers(page, {});
  const result = body ? validatePage(page, raw, { today: '2026-11-29' }) : undefined;
  const errors = result && !result.ok ? result.errors : [];
  return {
    fields: pageFields(page, raw, errors, (view) => environment.render('apply/nested-field.njk', { view })),
    errorList: errors.map((e) => ({ text: e.text, href: `#${e.fieldId}` })),
  };
};

const questionPage = (pageId: string, body?: Record<string, string>, warn = false) => {
  const page = vehicle.pages.find((p) => p.id === pageId)!;
  return (environment: nunjucks.Environment) => ({
    service: vehicle,
    page,
    pageTitle: page.title ?? page.questions[0]?.label,
    ...fieldsFor(environment, page, body),
    backHref: `/services/${vehicle.slug}`,
    csrfToken: () => 'a-csrf-token',
    cspNonce: 'a-nonce',
    timeoutWarning: warn
      ? answersTimeoutWarning(config, vehicle.slug, `/services/${vehicle.slug}/${pageId}`)
      : undefined,
  });
};

const PAGES: [string, string, (environment: nunjucks.Environment) => Record<string, unknown>][] = [
  ['not found', 'errors/not-found.njk', () => ({ cspNonce: 'n' })],
  [
    'the catalogue',
    'catalogue/catalogue.njk',
    () => ({
      query: '',
      topics: [
        {
          topic: 'Driving',
          id: 'driving',
          services: [{ slug: 'a', title: 'A <b>', summary: 'S', agency: 'Ag', processingTime: 'Aims' }],
        },
      ],
    }),
  ],
  [
    'a start page',
    'apply/start.njk',
    () => ({ service: vehicle, processingTime: processingTimeView(vehicle, undefined), cspNonce: 'n' }),
  ],
  ['a question page', 'apply/question-page.njk', questionPage('vehicle-identification-number')],
  [
    'a question page with errors and the timeout warning',
    'apply/question-page.njk',
    questionPage('vehicle-identification-number', { vin: '' }, true),
  ],
  [
    'a date page with errors',
    'apply/question-page.njk',
    questionPage('first-registration', { 'firstRegistrationDate-day': '40' }),
  ],
  ['a radios page', 'apply/question-page.njk', questionPage('fuel-type')],
  ['an address page with errors', 'apply/question-page.njk', questionPage('keeper-address', {})],
  [
    'a staff page (its own service navigation, a signed-in person)',
    'staff/forbidden.njk',
    () => ({
      staff: { stage: 'signed-in', role: 'manager', displayName: 'A Manager <x>' },
      navigation: 'team',
      csrfToken: () => 'a-csrf-token',
      cspNonce: 'n',
    }),
  ],
  ['a staff page, signed out', 'staff/locked.njk', () => ({ minutes: 15 })],
];

describe('the tuned Nunjucks environment', () => {
  it('is compared with a stock copy of Nunjucks that none of the changes reached', () => {
    expect(stockFrameSet).not.toBe((nunjucks as unknown as FrameSet).runtime.Frame.prototype.set);
    expect(stock.getFilter('indent')).not.toBe(env.getFilter('indent'));
  });

  it.each(PAGES)(
    'renders %s exactly as stock Nunjucks does, first time and from the cache',
    (_name, view, ctx) => {
      const expected = stock.render(view, ctx(stock));
      expect(env.render(view, ctx(env))).toBe(expected);
      expect(env.render(view, ctx(env))).toBe(expected);
    },
  );

  it('keeps a citizen page and a staff page apart although they share the layout’s fragments', () => {
    const staffPage = PAGES.find(([name]) => name.startsWith('a staff page ('))!;
    const citizenPage = PAGES.find(([name]) => name === 'a start page')!;
    for (const [, view, ctx] of [citizenPage, staffPage, citizenPage, staffPage]) {
      expect(env.render(view, ctx(env))).toBe(stock.render(view, ctx(stock)));
    }
    const staffHtml = env.render(staffPage[1], staffPage[2](env));
    expect(staffHtml).toContain('Government services – staff');
    expect(staffHtml).toContain('href="/staff/team"');
    expect(env.render(citizenPage[1], citizenPage[2](env))).not.toContain('– staff');
  });

  it('indents as stock Nunjucks does, empty values, first lines and safe strings included', () => {
    const cases = [
      '{{ "a\nb\n\nc" | indent }}',
      '{{ "a\nb" | indent(2, true) }}',
      '{{ "" | indent }}',
      '{{ none | indent }}',
      '{{ "<b>\n</b>" | safe | indent(3) }}',
      '{{ "<b>\n</b>" | indent(3) }}',
    ];
    for (const source of cases) expect(env.renderString(source, {})).toBe(stock.renderString(source, {}));
  });

  it('reuses a macro file’s exports between renders, sharing nothing a render sets', () => {
    const sources: Record<string, string> = {
      'm.njk': '{% macro show(x) %}{% set y = x %}[{{ y }}{{ g }}]{% endmacro %}',
      'p.njk':
        '{% from "m.njk" import show %}{% import "m.njk" as ns %}{{ show(n) }}{{ ns.show(n + 1) }}{{ y }}',
    };
    const loader = new (class extends nunjucks.Loader {
      getSource(name: string) {
        return { src: sources[name]!, path: name, noCache: false };
      }
    })();
    const e = new nunjucks.Environment(loader, { autoescape: true });
    e.addGlobal('g', 'G');
    for (const n of [1, 2, 3]) expect(e.render('p.njk', { n })).toBe(`[${n}G][${n + 1}G]`);
  });

  it('sets variables with and without dots as stock Nunjucks does', () => {
    const source =
      '{% set a = 1 %}{% set b = { c: 1 } %}{% for x in [1, 2] %}{{ loop.index }}{{ loop.last }}{% set a = a + x %}{% endfor %}' +
      '{% macro m(p) %}{% set a = p %}{{ a }}{% endmacro %}{{ m(5) }}{{ a }}{{ b.c }}';
    expect(env.renderString(source, {})).toBe(stock.renderString(source, {}));
  });
});

describe('{% fragment %}', () => {
  const environment = (cache: boolean) => {
    const e = new nunjucks.Environment(null, { autoescape: true });
    addFragmentTag(e, cache);
    return e;
  };

  it('renders its body once per name and arguments, and reuses the HTML unescaped', () => {
    const e = environment(true);
    const source =
      '{% fragment "x" %}<b>{{ n }}</b>{% endfragment %}|{% fragment "y", n %}{{ n }}{% endfragment %}';
    expect(e.renderString(source, { n: 1 })).toBe('<b>1</b>|1');
    expect(e.renderString(source, { n: 2 })).toBe('<b>1</b>|2');
    expect(e.renderString(source, { n: 1 })).toBe('<b>1</b>|1');
  });

  it('renders its body every time when caching is off (development, so template edits show)', () => {
    const e = environment(false);
    const source = '{% fragment "x" %}<b>{{ n }}</b>{% endfragment %}';
    expect(e.renderString(source, { n: 1 })).toBe('<b>1</b>');
    expect(e.renderString(source, { n: 2 })).toBe('<b>2</b>');
  });

  it('is on in production and test, off in development', () => {
    for (const [NODE_ENV, cached] of [
      ['test', true],
      ['development', false],
    ] as const) {
      const e = setUpNunjucks(express(), loadConfig({ NODE_ENV }), 'v');
      const source = '{% fragment "probe" %}{{ n }}{% endfragment %}';
      e.renderString(source, { n: 1 });
      expect({ NODE_ENV, html: e.renderString(source, { n: 2 }) }).toEqual({
        NODE_ENV,
        html: cached ? '1' : '2',
      });
    }
  });
});
