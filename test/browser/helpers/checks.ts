import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { HtmlValidate, type ConfigData } from 'html-validate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../../src/config';
import { loadServiceDefinitions } from '../../../src/definitions/registry';
import { DESKTOP, newContext, type Tab } from './browser';
import { autocompleteProblems } from './autocomplete';
import { recordChecked } from './coverage';

/** The names every title ends with, from the configuration the test app runs with ('Government services', 'GOV.UK'). */
const { serviceName: SERVICE_NAME, organisationName: ORGANISATION } = loadConfig({
  NODE_ENV: 'test',
}).branding;

/**
 * Pages inside a service (its questions, check answers, confirmation, feedback) name the service in the title. Its
 * own pages in a normal state (200, 422) must; error pages served at a service's address (404, 429) may name either.
 */
const SERVICE_TITLES = new Map(loadServiceDefinitions().map((d) => [d.slug, d.title]));
function titleNamesFor(url: string, status: number | undefined): readonly string[] {
  const slug = /^\/services\/([^/?#]+)\/[^?#]+/.exec(url)?.[1];
  const title = slug === undefined ? undefined : SERVICE_TITLES.get(slug);
  if (!title || status === undefined) return [SERVICE_NAME];
  return status < 400 || status === 422 ? [title] : [title, SERVICE_NAME];
}

/** WCAG 2.0, 2.1 and 2.2 A and AA. wcag22aa holds target-size (2.5.8). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/**
 * `region` (all content inside landmarks) is a best-practice rule that govuk-frontend also turns off: the
 * back link and phase banner sit outside <main> by design (govuk-frontend #1604). It is the only rule off.
 */
export const AXE_DISABLED_RULES = ['region'];

export type CheckName =
  | 'axe'
  | 'title'
  | 'headings'
  | 'landmarks'
  | 'error-summary'
  | 'skip-link'
  | 'described-by'
  | 'fieldsets'
  | 'autocomplete'
  | 'forms'
  | 'reflow'
  | 'focus-visible'
  | 'html'
  | 'console';

export type CheckOptions = Readonly<{
  /** Checks that do not apply to this page state, each with the reason (shown if the list is ever audited). */
  skip?: Partial<Record<CheckName, string>>;
  /** Whether the page must show an error summary (defaults to: the state's name starts with "errors"). */
  expectErrors?: boolean;
  /**
   * For a page already checked in full in this run, met again on another journey path: every check but the
   * slow ones that depend only on the page's markup and style (axe, the Tab walk, reflow, the skip link).
   */
  light?: boolean;
}>;

const LIGHT_SKIPS: Partial<Record<CheckName, string>> = {
  axe: 'light check: the same page was checked in full earlier in this run',
  'focus-visible': 'light check',
  reflow: 'light check',
  'skip-link': 'light check',
};

/**
 * Legacy mode runs axe in the page itself: the default mode opens a helper page per scan to merge frame
 * results, which costs a third of the time and buys nothing here (the portal has no iframes).
 */
const axeBuilder = (page: Page) =>
  new AxeBuilder({ page })
    // Every rule still runs; only the details of passing nodes are not collected (a quarter of the time).
    // options() replaces the whole options object, so it comes before the tags and rules.
    .options({ resultTypes: ['violations'] })
    .withTags(AXE_TAGS)
    .disableRules(AXE_DISABLED_RULES)
    .setLegacyMode(true);

const htmlValidate = new HtmlValidate(
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../../.htmlvalidate.json'), 'utf8')) as ConfigData,
);

/** A JS-enabled page used to run axe on pages loaded with JavaScript off (axe needs timers to run). */
const scanners = new WeakMap<Browser, Promise<{ context: BrowserContext; page: Page }>>();
function scannerFor(browser: Browser) {
  let scanner = scanners.get(browser);
  if (!scanner) {
    scanner = newContext(browser, { js: true }).then(async (context) => ({
      context,
      page: await context.newPage(),
    }));
    scanners.set(browser, scanner);
  }
  return scanner;
}

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Every check on the page as the tab shows it now. Failures are collected and thrown together, each line
 * naming the URL and the state ("blank", "errors", "filled", "no JS: errors"...), so one run shows them all.
 */
export async function checkPage(tab: Tab, state: string, options: CheckOptions = {}): Promise<void> {
  const { page } = tab;
  const skip = { ...(options.light ? LIGHT_SKIPS : {}), ...options.skip };
  const url = tab.path;
  const where = `${url} [${state}${tab.js ? '' : ', JavaScript off'}]`;
  const failures: string[] = [];
  const fail = (check: CheckName, message: string) => failures.push(`${check}: ${message}`);
  const timings: string[] = [];
  const run = async (check: CheckName, body: () => Promise<void>) => {
    if (skip[check]) return;
    const started = Date.now();
    try {
      await body();
    } catch (err) {
      fail(check, `the check itself failed: ${(err as Error).message}`);
    }
    timings.push(`${check} ${Date.now() - started}ms`);
  };

  const doc = tab.document;
  if (!doc || doc.url().split('#')[0] !== page.url().split('#')[0]) {
    throw new Error(`${where}: the tab has no document response for the page it shows`);
  }
  const method = doc.request().method();
  const hasSummary = (await page.locator('.govuk-error-summary').count()) > 0;
  const expectErrors = options.expectErrors ?? /^errors\b/.test(state);

  // 1. The error summary takes focus as the page loads (JS on). Checked first: later checks move focus.
  await run('error-summary', async () => {
    if (hasSummary !== expectErrors) {
      fail(
        'error-summary',
        expectErrors ? 'no error summary on an error page' : 'an unexpected error summary',
      );
    }
    if (hasSummary && tab.js) {
      const focused = await page.evaluate(() => !!document.activeElement?.closest('.govuk-error-summary'));
      if (!focused) fail('error-summary', 'the error summary does not have focus after the page loads');
    }
  });

  // 2. What the page says about itself (read-only: focus stays where it is).
  const facts = await page.evaluate(readPageFacts);

  await run('error-summary', async () => {
    for (const link of facts.summaryLinks) {
      if (!link.targetExists)
        fail('error-summary', `the link "${link.text}" points at ${link.href}, which does not exist`);
      else if (link.inlineError !== null && link.inlineError !== link.text) {
        fail('error-summary', `the link "${link.text}" differs from the inline error "${link.inlineError}"`);
      } else if (link.inlineError === null) {
        fail('error-summary', `${link.href} has no inline error message in its aria-describedby`);
      }
    }
    if (!tab.js) return;
    // Clicking a summary link focuses its field and leaves no fragment in the address.
    for (let i = 0; i < facts.summaryLinks.length; i++) {
      const link = facts.summaryLinks[i]!;
      if (!link.targetExists) continue;
      const before = await page.evaluate(() => location.hash);
      await page.locator('.govuk-error-summary__list a').nth(i).click();
      const after = await page.evaluate(() => ({
        id: document.activeElement?.id ?? '',
        hash: location.hash,
      }));
      if (after.id !== link.href.slice(1)) {
        fail('error-summary', `clicking "${link.text}" focused #${after.id}, not ${link.href}`);
      }
      if (after.hash !== before)
        fail('error-summary', `clicking "${link.text}" put ${after.hash} in the address`);
    }
    await page.mouse.move(0, 0);
  });

  // 3. The skip link is the first Tab stop from the top of the page and moves focus to the main content.
  await run('skip-link', async () => {
    await focusDocumentStart(page);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el
        ? { cls: el.className, href: el.getAttribute('href'), text: clean(el.textContent ?? '') }
        : null;
      function clean(s: string) {
        return s.replace(/\s+/g, ' ').trim();
      }
    });
    if (!first || !/\bgovuk-skip-link\b/.test(String(first.cls)) || first.href !== '#main-content') {
      fail('skip-link', `the first Tab stop is ${JSON.stringify(first)}, not the skip link to #main-content`);
      return;
    }
    await page.keyboard.press('Enter');
    if (tab.js) {
      const id = await page.evaluate(() => document.activeElement?.id);
      if (id !== 'main-content')
        fail('skip-link', `Enter on the skip link focused #${id}, not #main-content`);
    } else {
      // Without JS the browser follows the fragment: the next Tab stop is inside <main>.
      const hash = await page.evaluate(() => location.hash);
      if (hash !== '#main-content') fail('skip-link', `Enter on the skip link went to "${hash}"`);
      const mainHasStops = await page.evaluate(
        () =>
          !!document.querySelector(
            'main a[href], main input:not([type=hidden]), main button, main select, main textarea',
          ),
      );
      if (mainHasStops) {
        await page.keyboard.press('Tab');
        const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
        if (!inMain) fail('skip-link', 'after the skip link, Tab does not move into <main>');
      }
    }
  });

  // 4. axe: WCAG 2.2 A and AA in the real browser (contrast included).
  await run('axe', async () => {
    const results = tab.js ? await axeBuilder(page).analyze() : await axeWithoutJs(tab, await doc.text());
    for (const v of knownIssuesRemoved(results.violations)) {
      const targets = v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(' '))
        .join(', ');
      fail('axe', `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${targets}`);
    }
  });

  // 5. Title, headings, landmarks, aria-describedby, fieldsets, autocomplete, forms.
  await run('title', async () => {
    const pattern = /^(Error: )?(.+) – (.+) – (.+)$/;
    const m = pattern.exec(facts.title);
    const names = titleNamesFor(url, tab.document?.status());
    if (!m || !names.includes(m[3] ?? '') || m[4] !== ORGANISATION) {
      fail('title', `"${facts.title}" is not "<heading> – ${names.join(' or ')} – ${ORGANISATION}"`);
      return;
    }
    if (!!m[1] !== hasSummary) {
      fail(
        'title',
        hasSummary
          ? `"${facts.title}" lacks the "Error: " prefix`
          : `"${facts.title}" has "Error: " but no error summary`,
      );
    }
    const main = clean(m[2] ?? '');
    const h1 = facts.h1s[0] ?? '';
    // The title names the page as its h1 does. Allowed: one is the start of the other, as in "Search results"
    // (h1) / "Search results for ‘vehicle’" (title) or an optional question's "(optional)" in its h1.
    if (h1 && !(main === h1 || h1.startsWith(main) || main.startsWith(h1))) {
      fail('title', `the title "${main}" does not match the h1 "${h1}"`);
    }
  });

  await run('headings', async () => {
    if (facts.h1s.length !== 1)
      fail('headings', `${facts.h1s.length} h1 elements (${JSON.stringify(facts.h1s)})`);
    for (const p of facts.headingProblems) fail('headings', p);
  });

  await run('landmarks', async () => {
    for (const role of ['banner', 'main', 'contentinfo'] as const) {
      const count = await page.getByRole(role).count();
      if (count !== 1) fail('landmarks', `${count} ${role} landmarks, expected 1`);
    }
  });

  await run('described-by', async () => {
    for (const p of facts.describedByProblems) fail('described-by', p);
  });
  await run('fieldsets', async () => {
    for (const p of facts.fieldsetProblems) fail('fieldsets', p);
  });
  await run('autocomplete', async () => {
    for (const p of autocompleteProblems(new URL(page.url()).pathname, facts.fields)) fail('autocomplete', p);
  });
  await run('forms', async () => {
    for (const p of facts.formProblems) fail('forms', p);
  });

  // 5. Visible focus, never obscured: Tab through the whole page.
  await run('focus-visible', async () => {
    for (const p of await tabThroughPage(page, tab.js)) fail('focus-visible', p);
    // The walk can end on the skip link, which takes space at the top while focused: let it go, so the page
    // does not shift under the next click.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  });

  // 6. Reflow: no horizontal scrolling at 320 CSS pixels (1280 px at 400% zoom).
  await run('reflow', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      const r = await page.evaluate(measureReflow);
      if (r.scrollWidth > r.clientWidth) {
        fail('reflow', `scrolls sideways at 320px (scrollWidth ${r.scrollWidth}): ${r.culprits.join('; ')}`);
      }
    } finally {
      await page.setViewportSize(DESKTOP);
      // govuk-frontend shows the service navigation's "Menu" button below the tablet breakpoint and hides it
      // again from a media-query listener: wait for that, so what follows (an accessibility-tree snapshot)
      // sees the desktop page and not a half-restored one.
      await page.waitForFunction(() => {
        const toggle = document.querySelector<HTMLElement>('.govuk-service-navigation__toggle');
        return !toggle || toggle.hidden;
      });
    }
  });

  // 7. Valid HTML, as the server sent it.
  await run('html', async () => {
    const report = await htmlValidate.validateString(await doc.text(), url);
    for (const result of report.results) {
      for (const m of result.messages) fail('html', `${m.ruleId} line ${m.line}:${m.column}: ${m.message}`);
    }
  });

  // 8. No Content-Security-Policy violations, no console errors, no uncaught exceptions.
  await run('console', async () => {
    const csp = tab.js
      ? await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
      : [];
    for (const p of [...tab.problems, ...csp.map((c) => `CSP violation: ${c}`)]) fail('console', p);
  });

  if (process.env.A11Y_TIMINGS) process.stderr.write(`${where}: ${timings.join(', ')}\n`);
  recordChecked({ method, path: new URL(page.url()).pathname, state, js: tab.js, light: !!options.light });
  if (failures.length > 0) {
    throw new Error(`${where}: ${failures.length} accessibility problem(s)\n  - ${failures.join('\n  - ')}`);
  }
}

type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/**
 * The one axe finding left in, known and not ours to fix: govuk-frontend sets aria-expanded on radios and
 * checkboxes that reveal a conditional question (govuk-frontend #979; alphagov/forms-runner excludes it the
 * same way). ARIA 1.2 does not allow aria-expanded on role=radio/checkbox, so axe reports it; screen readers
 * announce the state as intended. Only that attribute on those inputs is dropped: anything else still fails.
 */
function knownIssuesRemoved(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations
    .map((v) => {
      if (v.id !== 'aria-allowed-attr') return v;
      const nodes = v.nodes.filter((n) => {
        const conditionalReveal =
          /class="[^"]*govuk-(radios|checkboxes)__input[^"]*"/.test(n.html) &&
          /\saria-controls="conditional-/.test(n.html);
        const attributes = (n.failureSummary ?? '')
          .split('\n')
          .slice(1)
          .map((l) => l.trim())
          .filter(Boolean);
        const onlyExpanded =
          attributes.length > 0 && attributes.every((l) => /aria-expanded="(true|false)"$/.test(l));
        return !(conditionalReveal && onlyExpanded);
      });
      return { ...v, nodes };
    })
    .filter((v) => v.nodes.length > 0);
}

/**
 * Puts the sequential focus navigation starting point at the very top of the document, as on a fresh load:
 * a temporary focusable element before everything else takes focus, then goes.
 */
export async function focusDocumentStart(page: Page): Promise<void> {
  await page.evaluate(() => {
    const marker = document.createElement('span');
    marker.tabIndex = -1;
    document.body.insertBefore(marker, document.body.firstChild);
    marker.focus();
    window.scrollTo(0, 0);
    // Removed on the next focus change, so the next Tab starts from the top.
    document.addEventListener('focusin', () => marker.remove(), { once: true });
  });
}

/** Tabs from the top to the end of the page; every stop must show a focus indicator and be unobscured. */
async function tabThroughPage(page: Page, js: boolean): Promise<string[]> {
  const problems: string[] = [];
  const report = (stop: FocusStop) => {
    if (!stop.indicator) problems.push(`${stop.name} has no visible focus indicator (outline or box-shadow)`);
    if (stop.obscured) problems.push(`${stop.name} is obscured when focused: ${stop.obscured}`);
  };
  await page.mouse.move(0, 0);
  await page.evaluate(installFocusRecorder);
  await focusDocumentStart(page);
  await page.evaluate(() => {
    (window as unknown as { __a11yStops: unknown[] }).__a11yStops = [];
  });
  if (js) {
    // Each stop is inspected in a focusin listener (the browser has scrolled it into view by then), so Tab
    // is pressed in batches of 10 and the stops read once per batch, until focus comes round to the first.
    for (let pressed = 0; pressed < 400; pressed += 10) {
      for (let i = 0; i < 10; i++) await page.keyboard.press('Tab');
      const stops = await page.evaluate(
        () => (window as unknown as { __a11yStops: FocusStop[] }).__a11yStops,
      );
      const wrap = stops.findIndex((s, i) => i > 0 && s.key === stops[0]?.key);
      if (wrap > 0) {
        stops.slice(0, wrap).forEach(report);
        return problems;
      }
    }
  } else {
    // Without JavaScript no listener runs: inspect after each press.
    const seen: number[] = [];
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() =>
        (window as unknown as { __a11yInspect: (el: Element | null) => FocusStop | null }).__a11yInspect(
          document.activeElement,
        ),
      );
      if (!stop || seen[0] === stop.key) return problems; // left the page, or came round to the first stop
      seen.push(stop.key);
      report(stop);
    }
  }
  problems.push('400 Tab presses without coming back to the first stop: a keyboard trap?');
  return problems;
}

type FocusStop = { key: number; name: string; indicator: boolean; obscured: string };

// ---- Functions that run in the page (no closures: they are serialised) ----

/**
 * Defines window.__a11yInspect(element): does the focused element show a focus indicator, and is it visible
 * (not covered by anything)? With JavaScript on, a focusin listener also records every stop in __a11yStops.
 */
function installFocusRecorder() {
  const w = window as unknown as {
    __a11yInspect?: (el: Element | null) => unknown;
    __a11yStops: unknown[];
  };
  if (w.__a11yInspect) return;
  const ids = new WeakMap<Element, number>();
  let nextId = 0;
  const inspect = (target: Element | null) => {
    const el = target as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const describe = (e: Element) =>
      `<${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.getAttribute('name') ? ` name=${e.getAttribute('name')}` : ''}${e.getAttribute('href') ? ` href=${e.getAttribute('href')}` : ''}> "${(e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
    const shows = (s: CSSStyleDeclaration) =>
      (s.boxShadow !== '' && s.boxShadow !== 'none') ||
      (s.outlineStyle !== 'none' &&
        parseFloat(s.outlineWidth) > 0 &&
        s.outlineColor !== 'transparent' &&
        !/rgba\([^)]*,\s*0\)$/.test(s.outlineColor));
    let indicator = shows(getComputedStyle(el));
    const input = el instanceof HTMLInputElement ? el : null;
    if (!indicator && input && (input.type === 'radio' || input.type === 'checkbox')) {
      // govuk-frontend draws the focus ring of radios and checkboxes on the label's ::before/::after.
      for (const label of Array.from(input.labels ?? [])) {
        indicator ||= shows(getComputedStyle(label, '::before')) || shows(getComputedStyle(label, '::after'));
      }
    }
    const rect =
      Array.from(el.getClientRects()).find((r) => r.width > 0 && r.height > 0) ?? el.getBoundingClientRect();
    const x = rect.left + rect.width / 2;
    const y = rect.top + rect.height / 2;
    let obscured = '';
    if (rect.width === 0 || rect.height === 0) obscured = 'it has no size';
    else if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) obscured = 'it is outside the viewport';
    else {
      const hit = document.elementFromPoint(x, y);
      const labels = input ? Array.from(input.labels ?? []) : [];
      if (!hit || !(hit === el || el.contains(hit) || labels.some((l) => l.contains(hit)))) {
        obscured = `its centre shows ${hit ? describe(hit) : 'nothing'}`;
      }
    }
    let key = ids.get(el);
    if (key === undefined) ids.set(el, (key = ++nextId));
    return { key, name: describe(el), indicator, obscured };
  };
  w.__a11yInspect = inspect;
  w.__a11yStops = [];
  document.addEventListener('focusin', (e) => {
    const stop = inspect(e.target as Element);
    if (stop) w.__a11yStops.push(stop);
  });
}

function measureReflow() {
  const root = document.documentElement;
  const culprits: string[] = [];
  if (root.scrollWidth > root.clientWidth) {
    // Content inside a scrolling container does not widen the page (unless it escapes it: position absolute).
    const clipped = (el: Element) => {
      if (getComputedStyle(el).position === 'absolute' || getComputedStyle(el).position === 'fixed')
        return false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > root.clientWidth + 1 && !clipped(el)) {
        const wider = Array.from(el.children).some(
          (c) => c.getBoundingClientRect().right > root.clientWidth + 1,
        );
        if (!wider) {
          culprits.push(
            `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> "${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30)}" ends at ${Math.round(r.right)}px`,
          );
        }
      }
      if (culprits.length >= 5) break;
    }
  }
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits };
}

function readPageFacts() {
  const text = (e: Element | null | undefined) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const byId = (id: string) => document.getElementById(id);

  // A caption inside the h1 (the service's name above a question) is context, not the page's name.
  const h1s = Array.from(document.querySelectorAll('h1')).map((h) => {
    const copy = h.cloneNode(true) as Element;
    copy.querySelectorAll('[class*="govuk-caption-"]').forEach((c) => c.remove());
    return text(copy);
  });

  // From the h1 on, no heading level is skipped (the error summary's h2 comes before the h1 by design).
  const headingProblems: string[] = [];
  let previous = 0;
  for (const h of Array.from(
    document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6'),
  )) {
    const level = Number(h.tagName[1]);
    if (level === 1) previous = 1;
    else if (previous > 0 && level > previous + 1) {
      headingProblems.push(`h${level} "${text(h).slice(0, 40)}" follows an h${previous}: a level is skipped`);
    }
    if (previous > 0) previous = level;
  }

  // Each error summary link: its target exists, and the target's (or its fieldset's) inline error says the same.
  const summaryLinks = Array.from(document.querySelectorAll('.govuk-error-summary__list a')).map((a) => {
    const href = a.getAttribute('href') ?? '';
    const target = href.startsWith('#') ? byId(href.slice(1)) : null;
    let inlineError: string | null = null;
    for (let node: Element | null = target; node && inlineError === null; node = node.parentElement) {
      const ids = (node.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      for (const id of ids) {
        const described = byId(id);
        if (described?.classList.contains('govuk-error-message')) {
          inlineError = text(described).replace(/^Error:\s*/, '');
        }
      }
      if (node.tagName === 'FORM') break;
    }
    return { href, text: text(a), targetExists: !!target, inlineError };
  });

  const describedByProblems: string[] = [];
  const describedIds = new Set<string>();
  for (const el of Array.from(document.querySelectorAll('[aria-describedby]'))) {
    for (const id of (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)) {
      describedIds.add(id);
      if (!byId(id))
        describedByProblems.push(
          `aria-describedby on #${el.id || el.tagName} names #${id}, which does not exist`,
        );
    }
  }
  for (const el of Array.from(document.querySelectorAll('.govuk-hint[id], .govuk-error-message[id]'))) {
    if (!el.closest('form')) continue;
    if (!describedIds.has(el.id)) {
      describedByProblems.push(
        `#${el.id} ("${text(el).slice(0, 40)}") is not in any field's aria-describedby`,
      );
    }
  }
  for (const el of Array.from(document.querySelectorAll('.govuk-form-group--error'))) {
    if (!el.querySelector('.govuk-error-message'))
      describedByProblems.push('a form group in error has no error message');
  }

  // Radios, checkboxes and date parts must sit in a fieldset with a legend that says something.
  const fieldsetProblems: string[] = [];
  for (const input of Array.from(
    document.querySelectorAll('input[type=radio], input[type=checkbox], .govuk-date-input__input'),
  )) {
    const fieldset = input.closest('fieldset');
    const legend = fieldset?.querySelector(':scope > legend');
    if (!fieldset || !legend || !text(legend)) {
      fieldsetProblems.push(
        `#${input.id || (input as HTMLInputElement).name} is not in a fieldset with a legend`,
      );
    }
  }

  const fields = Array.from(document.querySelectorAll('input, select, textarea'))
    .filter(
      (el) => !['hidden', 'submit', 'button', 'radio', 'checkbox'].includes((el as HTMLInputElement).type),
    )
    .map((el) => ({
      id: el.id,
      name: el.getAttribute('name') ?? '',
      type: (el as HTMLInputElement).type,
      autocomplete: el.getAttribute('autocomplete'),
    }));

  // GOV.UK validation: server-side only, no HTML5 validation bubbles (novalidate, no `required`).
  const formProblems: string[] = [];
  for (const form of Array.from(document.querySelectorAll('form'))) {
    const method = (form.getAttribute('method') ?? 'get').toLowerCase();
    const hasFields = !!form.querySelector('input:not([type=hidden]):not([type=submit]), select, textarea');
    if (method === 'post' && hasFields && !form.hasAttribute('novalidate')) {
      formProblems.push(
        `the form posting to ${form.getAttribute('action') ?? 'this page'} has no novalidate`,
      );
    }
  }
  for (const el of Array.from(document.querySelectorAll('[required]'))) {
    formProblems.push(`#${el.id} has the required attribute (validation is on the server)`);
  }
  for (const el of Array.from(document.querySelectorAll('[onpaste]'))) {
    formProblems.push(`#${el.id} has an onpaste handler`);
  }

  return {
    title: document.title,
    h1s,
    headingProblems,
    summaryLinks,
    describedByProblems,
    fieldsetProblems,
    fields: fields as { id: string; name: string; type: string; autocomplete: string | null }[],
    formProblems,
  };
}

/** axe on a page loaded with JavaScript off: the same HTML, scripts removed, scanned in a JS-enabled tab. */
async function axeWithoutJs(tab: Tab, html: string) {
  const browser = tab.page.context().browser();
  if (!browser) throw new Error('no browser');
  const { page } = await scannerFor(browser);
  const url = tab.page.url().split('#')[0]!;
  const withoutScripts = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  await page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: withoutScripts }),
  );
  try {
    await page.goto(url, { waitUntil: 'load' });
    return await axeBuilder(page).analyze();
  } finally {
    await page.unroute(url);
  }
}
