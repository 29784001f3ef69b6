import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newContext, Tab } from './browser';
import { flushCoverage } from './coverage';
import { startPortal, type Portal } from './server';

export type BrowserSuite = {
  portal: Portal;
  browser: Browser;
  /** A tab with JavaScript on, in its own context (cookies, session). */
  tab: (options?: { js?: boolean; context?: BrowserContext }) => Promise<Tab>;
  /** A new context (a new "person": no cookies), JavaScript on unless js is false. */
  context: (options?: { js?: boolean }) => Promise<BrowserContext>;
};

/**
 * The app on a fresh in-memory database and one Chromium for the whole test file. Contexts opened through
 * the suite are closed at the end; the file's coverage records are written for route-coverage.test.ts.
 */
export function useBrowserSuite(name: string): BrowserSuite {
  const contexts: BrowserContext[] = [];
  const suite = {} as BrowserSuite;
  const jsOf = new WeakMap<BrowserContext, boolean>();

  beforeAll(async () => {
    const [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    suite.portal = portal;
    suite.browser = browser;
    suite.context = async ({ js = true } = {}) => {
      const context = await newContext(browser, { js });
      jsOf.set(context, js);
      contexts.push(context);
      return context;
    };
    suite.tab = async ({ js, context } = {}) => {
      const ctx = context ?? (await suite.context({ js }));
      return Tab.open(ctx, portal.baseUrl, { js: jsOf.get(ctx) ?? true });
    };
  });

  afterAll(async () => {
    flushCoverage(name);
    await Promise.allSettled(contexts.map((c) => c.close()));
    await suite.browser?.close();
    await suite.portal?.close();
  });

  return suite;
}
